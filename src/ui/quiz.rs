//! Practice quizzes in lessons: one component per question type, a "Check" button, and
//! feedback announced to screen readers. Right and wrong are said in words and symbols,
//! never by colour alone.

use super::course_page::CurrentCourse;
use super::expect_locale;
use super::progress::Progress;
use crate::course::gift::{Answers, Question, Text};
use crate::course::{Quiz, QuizItem};
use crate::i18n::Messages;
use crate::quiz::{
    grade, matching_answers, matching_prompts, right_answers, Correctness, Grade, Response, ResponseError,
};
use crate::safe_html::{sanitize, SafeHtml};
use crate::web::now;
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
pub fn BrokenQuestion(
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

/// One practice question: its text, the controls of its type, a Check button and the feedback.
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
    let html = move |text: &Text| text.to_html(&language);
    let general_feedback = question.general_feedback.as_ref().map(&html);
    // The course may keep the accepted answers of practice questions to itself.
    let reveal = use_context::<CurrentCourse>().is_none_or(|c| c.0.reveal_practice_answers);
    let accepted = if reveal { right_answers(&question) } else { Vec::new() };
    let essay = matches!(question.answers, Answers::Essay);
    if matches!(question.answers, Answers::Description) {
        // A statement with nothing to answer is text, not a form group (RGAA 11.10).
        let (title, text) = question_text(&question, &html);
        return view! {
            <div class="question question-statement" id=dom_id>
                <div class="statement">{title} {text}</div>
            </div>
        }
        .into_any();
    }

    // The answer checked last time, restored with its feedback.
    let progress = use_context::<Progress>();
    let earlier = progress.and_then(|p| p.state.with_untracked(|s| s.answers.get(question.id.as_str()).cloned()));
    let response = RwSignal::new(earlier.as_ref().map(|a| a.response.clone()));
    let outcome = RwSignal::new(earlier.as_ref().map(|a| Ok(a.grade.clone())));
    let revealed = Signal::derive(move || matches!(outcome.get(), Some(Ok(_))));
    let on_change = Callback::new(move |new: Option<Response>| {
        response.set(new);
        outcome.set(None);
    });
    let legend = question_legend(&question, &html);
    let author_note = view! { <super::author::AuthorNote question=question.clone()/> };
    let initial = earlier.map(|a| a.response);
    let controls = view! { <QuestionControls question=question.clone() html=html.clone() id=dom_id.clone() initial order=None revealed on_change/> };
    let described_by = feedback_id.clone();
    let question = StoredValue::new(question);
    let check = move |_| {
        let given = response.get();
        let graded = match &given {
            None => Err(ResponseError::Empty),
            Some(given) => question.with_value(|q| grade(q, given)),
        };
        if let (Some(progress), Some(given), Ok(grade)) = (progress, given, graded.clone()) {
            let id = question.with_value(|q| q.id.clone());
            progress.apply(move |p, course| p.record_answer(course, &id, given, grade, now()));
        }
        outcome.set(Some(graded));
    };

    view! {
        <fieldset class="question" id=dom_id aria-describedby=described_by>
            {legend}
            {author_note}
            {controls}
            <button type="button" class="primary check" on:click=check>
                {messages.check}
            </button>
            // A pre-rendered lesson read with JavaScript off: the question shows, checking does not.
            <noscript><p class="noscript-note">{messages.check_needs_javascript}</p></noscript>
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
    .into_any()
}

/// The legend of a question's fieldset: its title and its text (a gap marked for missing words).
pub fn question_legend(question: &Question, html: &impl Fn(&Text) -> SafeHtml) -> impl IntoView {
    let (title, text) = question_text(question, html);
    view! {
        <legend>
            {title}
            {text}
        </legend>
    }
}

/// A question's title and text, the gap of a missing word in its place: drawn as a line, read
/// as "[missing word]", so the group's name keeps where the word goes (RGAA 11.1).
fn question_text(question: &Question, html: &impl Fn(&Text) -> SafeHtml) -> (impl IntoView, impl IntoView) {
    let messages = expect_locale();
    let mut text = html(&question.stem);
    if let Some(after) = &question.after_gap {
        let gap = format!(
            " <span class=\"gap\"><span aria-hidden=\"true\">_____</span><span class=\"visually-hidden\">{}</span></span> ",
            messages.gap_marker
        );
        text.push(&sanitize(&gap).html);
        text.push(&html(after));
    }
    let title = question.title.clone().map(|t| view! { <span class="question-title">{t}</span> });
    (title, view! { <span class="question-stem" inner_html={text.into_inner_html()}></span> })
}

/// The controls of a question's type, starting from an earlier response if there is one.
///
/// Checked and selected states are set as DOM properties: when an assessment moves to the next
/// question, Leptos may reuse the same elements, and an attribute would not reset what the
/// learner ticked on the previous question.
#[component]
pub fn QuestionControls<H: Fn(&Text) -> SafeHtml + 'static>(
    /// The question answered.
    question: Question,
    /// Renders the question's texts to safe HTML.
    html: H,
    /// Prefix of the controls' ids and names.
    id: String,
    /// A response given earlier (going back to a question of an assessment).
    initial: Option<Response>,
    /// The order in which to show choice answers (shuffled assessments); as written when `None`.
    order: Option<Vec<usize>>,
    /// Whether the response has been checked (marks chosen answers right or wrong).
    revealed: Signal<bool>,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    match &question.answers {
        Answers::Description => None,
        Answers::TrueFalse { .. } => {
            let initial = match initial {
                Some(Response::TrueFalse(value)) => Some(value),
                _ => None,
            };
            Some(view! { <TrueFalseInput name=id initial on_change/> }.into_any())
        }
        // A missing word chosen from a list: a select, as in Moodle.
        Answers::Choice { multiple: false, choices } if question.after_gap.is_some() => {
            let labels = choices.iter().map(|c| c.text.to_plain()).collect();
            let initial = match initial {
                Some(Response::Choices(chosen)) => chosen.first().copied(),
                _ => None,
            };
            let order = order.unwrap_or_else(|| (0..choices.len()).collect());
            Some(view! { <GapSelect id=format!("{id}-gap") labels order initial on_change/> }.into_any())
        }
        Answers::Choice { multiple, choices } => {
            let options = choices.iter().map(|c| (html(&c.text), c.weight)).collect();
            let initial = match initial {
                Some(Response::Choices(chosen)) => chosen,
                _ => Vec::new(),
            };
            let order = order.unwrap_or_else(|| (0..choices.len()).collect());
            Some(
                view! { <ChoiceInput name=id multiple=*multiple options order initial revealed on_change/> }.into_any(),
            )
        }
        Answers::ShortAnswer { .. } | Answers::Numeric { .. } | Answers::Essay => {
            let numeric = matches!(question.answers, Answers::Numeric { .. });
            let initial = match initial {
                Some(Response::Text(text) | Response::Number(text)) => text,
                _ => String::new(),
            };
            let id = format!("{id}-answer");
            if matches!(question.answers, Answers::Essay) {
                Some(view! { <EssayInput id initial on_change/> }.into_any())
            } else {
                Some(view! { <TextInput id numeric initial on_change/> }.into_any())
            }
        }
        Answers::Matching { pairs } => {
            let prompts = matching_prompts(pairs).iter().map(|p| html(&p.prompt)).collect::<Vec<_>>();
            let answers = matching_answers(pairs).iter().map(|a| a.to_plain()).collect();
            let initial = match initial {
                Some(Response::Matching(chosen)) if chosen.len() == prompts.len() => chosen,
                _ => vec![None; prompts.len()],
            };
            Some(view! { <MatchingInput id prompts answers initial on_change/> }.into_any())
        }
    }
}

pub fn grade_feedback_html(grade: &Grade, html: &impl Fn(&Text) -> SafeHtml) -> Vec<SafeHtml> {
    grade.feedback.iter().map(html).collect()
}

pub fn response_error(messages: &Messages, error: &ResponseError) -> String {
    match error {
        ResponseError::Empty => messages.answer_first.to_owned(),
        ResponseError::NotANumber(value) => Messages::fill(messages.not_a_number, "value", value),
        ResponseError::WrongKind => messages.answer_mismatch.to_owned(),
    }
}

/// What the learner gets after checking: right or wrong in words, the mark, the author's feedback.
#[component]
pub fn GradeFeedback(
    /// The grade of the response.
    grade: Grade,
    /// Essays are saved, not graded.
    essay: bool,
    /// The feedback of the chosen answers.
    feedback_html: Vec<SafeHtml>,
    /// The general feedback.
    general_feedback: Option<SafeHtml>,
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
        {feedback_html.into_iter().map(|f| view! { <p class="answer-feedback" inner_html={f.into_inner_html()}></p> }).collect_view()}
        {show_accepted
            .then(|| {
                view! {
                    <p class="accepted">
                        {messages.right_answers} " " <span class="accepted-list">{accepted.join(" ; ")}</span>
                    </p>
                }
            })}
        {general_feedback.map(|g| view! { <div class="general-feedback" inner_html={g.into_inner_html()}></div> })}
    }
}

/// Two radio buttons, True and False.
#[component]
fn TrueFalseInput(
    /// The radio group's name.
    name: String,
    /// The answer given earlier, if any.
    initial: Option<bool>,
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
                    prop:checked=initial == Some(value)
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
    /// Each answer, with its weight (to mark chosen answers after checking).
    options: Vec<(SafeHtml, f64)>,
    /// The order in which to show the answers (indexes into `options`).
    order: Vec<usize>,
    /// The answers chosen earlier.
    initial: Vec<usize>,
    /// Whether the response has been checked.
    revealed: Signal<bool>,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    let chosen = RwSignal::new(initial.clone());
    let input_type = if multiple { "checkbox" } else { "radio" };
    let options = order
        .into_iter()
        .filter_map(|index| options.get(index).cloned().map(|option| (index, option)))
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
                    // The symbol is for the eye; words are read (a "✗" would be read as a character).
                    if weight > 0.0 {
                        view! { <span class="mark right"><span aria-hidden="true">" ✓"</span>" " {messages.chosen_right}</span> }
                    } else {
                        view! { <span class="mark wrong"><span aria-hidden="true">" ✗"</span>" " {messages.chosen_wrong}</span> }
                    }
                })
            };
            view! {
                <label class="option">
                    <input
                        type=input_type
                        name=name.clone()
                        value=index.to_string()
                        prop:checked=initial.contains(&index)
                        on:change=toggle
                    />
                    <span inner_html={label.into_inner_html()}></span>
                    {mark}
                </label>
            }
        })
        .collect_view();
    view! { <div class="options">{options}</div> }
}

/// A select for the missing word of a sentence.
#[component]
fn GapSelect(
    /// The select's id.
    id: String,
    /// The words offered, as written.
    labels: Vec<String>,
    /// The order in which to offer them.
    order: Vec<usize>,
    /// The word chosen earlier.
    initial: Option<usize>,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    let on_select = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev).parse::<usize>().ok();
        on_change.run(chosen.map(|i| Response::Choices(vec![i])));
    };
    view! {
        <div class="text-answer">
            <label for=id.clone()>{messages.missing_word}</label>
            <select id=id on:change=on_select>
                <option value="">{messages.choose}</option>
                {order
                    .into_iter()
                    .filter_map(|i| labels.get(i).map(|label| (i, label.clone())))
                    .map(|(i, label)| view! { <option value=i.to_string() prop:selected=initial == Some(i)>{label}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A labelled text field: short answers, or numbers (decimal comma accepted).
#[component]
fn TextInput(
    /// The field's id.
    id: String,
    /// A number field (`inputmode="decimal"`) instead of text.
    numeric: bool,
    /// The text typed earlier.
    initial: String,
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
                prop:value=initial
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
    /// The text typed earlier.
    initial: String,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    view! {
        <div class="text-answer">
            <label for=id.clone()>{messages.your_answer}</label>
            <textarea
                prop:value=initial
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
    /// Each prompt.
    prompts: Vec<SafeHtml>,
    /// The answers offered, as written.
    answers: Vec<String>,
    /// The answer chosen earlier for each prompt.
    initial: Vec<Option<usize>>,
    /// Called with the new response.
    on_change: Callback<Option<Response>>,
) -> impl IntoView {
    let messages = expect_locale();
    let mut order: Vec<usize> = (0..answers.len()).collect();
    crate::small_sort::sort_by_key(&mut order, |&i| answers[i].to_lowercase());
    let chosen = RwSignal::new(initial.clone());
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
                    <label for=select_id.clone() inner_html={prompt.into_inner_html()}></label>
                    <select id=select_id on:change=on_select>
                        <option value="">{messages.choose}</option>
                        {order
                            .iter()
                            .map(|&i| {
                                let selected = initial.get(row).copied().flatten() == Some(i);
                                view! { <option value=i.to_string() prop:selected=selected>{answers[i].clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! { <div class="pairs">{rows}</div> }
}
