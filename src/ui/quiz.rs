//! Practice quizzes in lessons: one component per question type, a "Check" button, and
//! feedback announced to screen readers. Right and wrong are said in words and symbols,
//! never by colour alone.

use super::expect_locale;
use crate::course::gift::{Answers, Question};
use crate::course::{Quiz, QuizItem};
use crate::i18n::Messages;
use crate::quiz::{
    grade, matching_answers, matching_prompts, right_answers, Correctness, Grade, Response, ResponseError,
};
use leptos::prelude::*;

/// A ```` ```gift ```` block of a lesson.
#[component]
pub fn QuizBlock(
    /// The block's questions (and errors standing in for broken ones).
    quiz: Quiz,
    /// The course language, for Markdown in questions.
    language: String,
) -> impl IntoView {
    let messages = expect_locale();
    view! {
        <section class="quiz" aria-label=messages.practice>
            {quiz
                .items
                .into_iter()
                .map(|item| match item {
                    QuizItem::Question(question) => {
                        view! { <QuestionCard question language=language.clone()/> }.into_any()
                    }
                    QuizItem::Broken { error } => view! { <BrokenQuestion error/> }.into_any(),
                })
                .collect_view()}
        </section>
    }
}

/// Stands where a question could not be parsed, so the rest of the lesson still works.
#[component]
fn BrokenQuestion(
    /// The located error, as `parcours check` prints it.
    error: String,
) -> impl IntoView {
    let messages = expect_locale();
    view! {
        <div class="question question-broken" role="note">
            <p>{messages.broken_question}</p>
            <p><code>{error}</code></p>
        </div>
    }
}

/// One question: its text, the controls of its type, a Check button and the feedback.
#[component]
fn QuestionCard(
    /// The question to ask.
    question: Question,
    /// The course language, for Markdown in the question.
    language: String,
) -> impl IntoView {
    let messages = expect_locale();
    let dom_id = format!("q-{}", question.id);
    let feedback_id = format!("{dom_id}-feedback");
    let format = question.format;
    let html = move |text: &str| format.to_html(text, &language);

    let mut legend = html(&question.stem);
    if let Some(after) = &question.after_gap {
        legend = format!("{legend} <span class=\"gap\" aria-hidden=\"true\">_____</span> {}", html(after));
    }
    let title = question.title.clone();
    let general_feedback = question.general_feedback.as_deref().map(&html);

    let response = RwSignal::new(None::<Response>);
    let outcome = RwSignal::new(None::<Result<Grade, ResponseError>>);
    let revealed = Signal::derive(move || matches!(outcome.get(), Some(Ok(_))));
    let on_change = Callback::new(move |new: Option<Response>| {
        response.set(new);
        outcome.set(None);
    });

    let controls = match &question.answers {
        Answers::Description => None,
        Answers::TrueFalse { .. } => Some(view! { <TrueFalseInput name=dom_id.clone() on_change/> }.into_any()),
        Answers::Choice { multiple, choices } => {
            let options = choices.iter().map(|c| (html(&c.text), c.weight)).collect();
            Some(view! { <ChoiceInput name=dom_id.clone() multiple=*multiple options revealed on_change/> }.into_any())
        }
        Answers::ShortAnswer { .. } => {
            Some(view! { <TextInput id=format!("{dom_id}-answer") numeric=false on_change/> }.into_any())
        }
        Answers::Numeric { .. } => {
            Some(view! { <TextInput id=format!("{dom_id}-answer") numeric=true on_change/> }.into_any())
        }
        Answers::Matching { pairs } => {
            let prompts = matching_prompts(pairs).iter().map(|p| html(&p.prompt)).collect();
            let answers = matching_answers(pairs).iter().map(|a| a.to_string()).collect();
            Some(view! { <MatchingInput id=dom_id.clone() prompts answers on_change/> }.into_any())
        }
        Answers::Essay => Some(view! { <EssayInput id=format!("{dom_id}-answer") on_change/> }.into_any()),
    };
    let has_controls = controls.is_some();
    let accepted = right_answers(&question);
    let essay = matches!(question.answers, Answers::Essay);
    let described_by = feedback_id.clone();
    let question = StoredValue::new(question);
    let check = move |_| {
        let graded = match response.get() {
            None => Err(ResponseError::Empty),
            Some(given) => question.with_value(|q| grade(q, &given)),
        };
        outcome.set(Some(graded));
    };

    view! {
        <fieldset class="question" id=dom_id aria-describedby=described_by>
            <legend>
                {title.map(|t| view! { <span class="question-title">{t}</span> })}
                <span class="question-stem" inner_html=legend></span>
            </legend>
            {controls}
            {has_controls
                .then(|| {
                    view! {
                        <button type="button" class="primary check" on:click=check>
                            {messages.check}
                        </button>
                    }
                })}
            <div class="feedback" id=feedback_id role="status" aria-live="polite">
                {move || {
                    outcome
                        .get()
                        .map(|result| match result {
                            Ok(grade) => {
                                let feedback_html = grade_feedback_html(&grade, &html);
                                view! {
                                    <GradeFeedback
                                        grade
                                        essay
                                        feedback_html
                                        general_feedback=general_feedback.clone()
                                        accepted=accepted.clone()
                                    />
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <p class="feedback-error">{response_error(messages, &error)}</p> }.into_any(),
                        })
                }}
            </div>
        </fieldset>
    }
}

fn grade_feedback_html(grade: &Grade, html: &impl Fn(&str) -> String) -> Vec<String> {
    grade.feedback.iter().map(|f| html(f)).collect()
}

fn response_error(messages: &Messages, error: &ResponseError) -> String {
    match error {
        ResponseError::Empty => messages.answer_first.to_owned(),
        ResponseError::NotANumber(value) => Messages::fill(messages.not_a_number, "value", value),
        ResponseError::WrongKind => messages.answer_mismatch.to_owned(),
    }
}

/// What the learner gets after checking: right or wrong in words, the mark, the author's feedback.
#[component]
fn GradeFeedback(
    /// The grade of the response.
    grade: Grade,
    /// Essays are saved, not graded.
    essay: bool,
    /// The feedback of the chosen answers, as safe HTML.
    feedback_html: Vec<String>,
    /// The general feedback, as safe HTML.
    general_feedback: Option<String>,
    /// The accepted answers, shown when the response is not fully right.
    accepted: Vec<String>,
) -> impl IntoView {
    let messages = expect_locale();
    let (class, symbol, verdict) = match grade.correctness {
        Correctness::Correct => ("verdict correct", "✓", messages.correct),
        Correctness::PartiallyCorrect => ("verdict partial", "◐", messages.partially_correct),
        Correctness::Incorrect => ("verdict incorrect", "✗", messages.incorrect),
        Correctness::Ungraded => ("verdict ungraded", "✎", messages.essay_saved),
    };
    let credit =
        grade.credit.filter(|_| !essay).map(|c| Messages::fill(messages.credit, "credit", messages.decimal(c)));
    let show_accepted = grade.correctness != Correctness::Correct && !accepted.is_empty() && !essay;
    view! {
        <p class=class>
            <span aria-hidden="true">{symbol}" "</span>
            {verdict}
        </p>
        {credit.map(|c| view! { <p class="credit">{c}</p> })}
        {feedback_html.into_iter().map(|f| view! { <p class="answer-feedback" inner_html=f></p> }).collect_view()}
        {show_accepted
            .then(|| {
                view! {
                    <p class="accepted">
                        {messages.right_answers} " " <span class="accepted-list">{accepted.join(" ; ")}</span>
                    </p>
                }
            })}
        {general_feedback.map(|g| view! { <div class="general-feedback" inner_html=g></div> })}
    }
}

/// Two radio buttons, True and False.
#[component]
fn TrueFalseInput(
    /// The radio group's name.
    name: String,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    let option = move |value: bool, label: &'static str| {
        view! {
            <label class="option">
                <input
                    type="radio"
                    name=name.clone()
                    value=value.to_string()
                    on:change=move |_| on_change.run(Some(Response::TrueFalse(value)))
                />
                <span>{label}</span>
            </label>
        }
    };
    view! { <div class="options">{option(true, messages.true_label)} {option(false, messages.false_label)}</div> }
}

/// Radio buttons (one right answer) or checkboxes (several, with weights).
#[component]
fn ChoiceInput(
    /// The group's name.
    name: String,
    /// Checkboxes when several answers may be chosen.
    multiple: bool,
    /// Each answer as safe HTML, with its weight (to mark chosen answers after checking).
    options: Vec<(String, f64)>,
    /// Whether the response has been checked.
    revealed: Signal<bool>,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    let chosen = RwSignal::new(Vec::<usize>::new());
    let input_type = if multiple { "checkbox" } else { "radio" };
    let options = options
        .into_iter()
        .enumerate()
        .map(|(index, (label, weight))| {
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                chosen.update(|c| {
                    if !multiple {
                        c.clear();
                    }
                    c.retain(|&i| i != index);
                    if on {
                        c.push(index);
                    }
                    c.sort_unstable();
                });
                let now = chosen.get_untracked();
                on_change.run((!now.is_empty()).then_some(Response::Choices(now)));
            };
            let mark = move || {
                (revealed.get() && chosen.with(|c| c.contains(&index))).then(|| {
                    if weight > 0.0 {
                        view! { <span class="mark right">" ✓ " {messages.chosen_right}</span> }
                    } else {
                        view! { <span class="mark wrong">" ✗ " {messages.chosen_wrong}</span> }
                    }
                })
            };
            view! {
                <label class="option">
                    <input type=input_type name=name.clone() value=index.to_string() on:change=toggle/>
                    <span inner_html=label></span>
                    {mark}
                </label>
            }
        })
        .collect_view();
    view! { <div class="options">{options}</div> }
}

/// A labelled text field: short answers, or numbers (decimal comma accepted).
#[component]
fn TextInput(
    /// The field's id.
    id: String,
    /// A number field (`inputmode="decimal"`) instead of text.
    numeric: bool,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        on_change.run(Some(if numeric { Response::Number(value) } else { Response::Text(value) }));
    };
    view! {
        <div class="text-answer">
            <label for=id.clone()>{messages.your_answer}</label>
            <input
                id=id
                type="text"
                inputmode=if numeric { "decimal" } else { "text" }
                autocomplete="off"
                spellcheck="false"
                maxlength="500"
                on:input=on_input
            />
        </div>
    }
}

/// A labelled text area for essays.
#[component]
fn EssayInput(
    /// The field's id.
    id: String,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    view! {
        <div class="text-answer">
            <label for=id.clone()>{messages.your_answer}</label>
            <textarea
                id=id
                rows="5"
                maxlength="10000"
                on:input=move |ev| on_change.run(Some(Response::Text(event_target_value(&ev))))
            ></textarea>
        </div>
    }
}

/// A select per prompt, offering every answer (sorted, so their order gives nothing away).
#[component]
fn MatchingInput(
    /// Prefix of the selects' ids.
    id: String,
    /// Each prompt as safe HTML.
    prompts: Vec<String>,
    /// The answers offered, as written.
    answers: Vec<String>,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    let mut order: Vec<usize> = (0..answers.len()).collect();
    order.sort_by_key(|&i| answers[i].to_lowercase());
    let chosen = RwSignal::new(vec![None::<usize>; prompts.len()]);
    let rows = prompts
        .into_iter()
        .enumerate()
        .map(|(row, prompt)| {
            let select_id = format!("{id}-pair-{row}");
            let on_select = move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev).parse::<usize>().ok();
                chosen.update(|c| c[row] = value);
                on_change.run(Some(Response::Matching(chosen.get_untracked())));
            };
            view! {
                <div class="pair">
                    <label for=select_id.clone() inner_html=prompt></label>
                    <select id=select_id on:change=on_select>
                        <option value="">{messages.choose}</option>
                        {order
                            .iter()
                            .map(|&i| view! { <option value=i.to_string()>{answers[i].clone()}</option> })
                            .collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! { <div class="pairs">{rows}</div> }
}
