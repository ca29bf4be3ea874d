//! `/learn/:course/assessment/:assessment`: a graded assessment, one question at a time, ending
//! on the results (score, pass mark, passed or not, every answer reviewed, retry if allowed).
//!
//! Finished attempts are kept in the learner's progress; an attempt under way lives in the page.

use super::course_page::expect_course;
use super::expect_locale;
use super::progress::expect_progress;
use super::quiz::{grade_feedback_html, question_legend, BrokenQuestion, GradeFeedback, QuestionControls};
use crate::course::gift::{Answers, Question};
use crate::course::{Assessment, QuizItem};
use crate::i18n::Messages;
use crate::progress::AttemptRecord;
use crate::quiz::{grade, right_answers, score_attempt, shuffled_order, AttemptScore, Response};
use crate::safe_html::SafeHtml;
use crate::web::now;
use leptos::prelude::*;

/// The assessment named in the URL.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let course = expect_course();
    let messages = expect_locale();
    let id = super::route_param(|route: super::AssessmentRoute| route.assessment);
    move || match id.get().and_then(|id| course.assessment(&id).cloned()) {
        Some(assessment) => view! { <AssessmentView assessment language=course.language.clone()/> }.into_any(),
        None => {
            crate::web::focus_after_render("page-title");
            view! {
                <h1 id="page-title" tabindex="-1">{messages.not_found_title}</h1>
                <p role="alert">{messages.lesson_not_found}</p>
            }
            .into_any()
        }
    }
}

/// Where the learner is in an assessment.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    Intro,
    Question(usize),
    Results,
}

#[component]
fn AssessmentView(
    /// The assessment to take.
    assessment: Assessment,
    /// The course language, for Markdown in questions.
    language: String,
) -> impl IntoView {
    let messages = expect_locale();
    let course = expect_course();
    crate::web::set_title(&format!("{} — {} — {}", assessment.title, course.title, messages.app_name));
    crate::web::focus_after_render("page-title");

    let progress = expect_progress();
    let questions: Vec<Question> = assessment.questions().cloned().collect();
    let broken: Vec<String> = assessment
        .items
        .iter()
        .filter_map(|item| match item {
            QuizItem::Broken { error } => Some(error.clone()),
            QuizItem::Question(_) => None,
        })
        .collect();
    let total = questions.len();
    let id = assessment.id.clone();
    {
        let id = id.clone();
        progress.apply(move |p, course| p.visit_assessment(course, &id, now()));
    }
    let past: Memo<Vec<AttemptScore>> = {
        let id = id.to_string();
        Memo::new(move |_| {
            progress.state.with(|p| {
                p.attempts.get(&id).map(|list| list.iter().map(|a| a.score.clone()).collect()).unwrap_or_default()
            })
        })
    };
    let allowed = assessment.attempts;
    let attempts_left = move || allowed.is_none_or(|a| (past.with(Vec::len) as u32) < a);
    let stage = RwSignal::new(Stage::Intro);
    let responses = RwSignal::new(vec![None::<Response>; total]);
    let confirming = RwSignal::new(false);
    let questions = StoredValue::new(questions);
    // Launched by a cmi5 LMS, its mastery score is the pass mark (shown and applied).
    let mut assessment = assessment;
    assessment.pass_mark = super::tracking::expect_tracking().pass_mark(assessment.pass_mark);
    let assessment = StoredValue::new(assessment);

    let started_at = StoredValue::new(0.0);
    let start = move |_| {
        started_at.set_value(now());
        responses.set(vec![None; total]);
        confirming.set(false);
        stage.set(Stage::Question(0));
        crate::web::focus_after_render("assessment-step");
    };
    let go = move |index: usize| {
        confirming.set(false);
        stage.set(Stage::Question(index));
        crate::web::focus_after_render("assessment-step");
    };
    let stored_id = StoredValue::new(id.clone());
    let submit = move || {
        let pass_mark = assessment.with_value(|a| a.pass_mark);
        let given = responses.get_untracked();
        let score = questions.with_value(|q| score_attempt(q, &given, pass_mark));
        let by_question = questions
            .with_value(|q| q.iter().zip(given).filter_map(|(q, r)| r.map(|r| (q.id.to_string(), r))).collect());
        let record =
            AttemptRecord { score, responses: by_question, started_at: started_at.get_value(), finished_at: now() };
        let id = stored_id.get_value();
        progress.apply(move |p, course| p.record_attempt(course, &id, record));
        stage.set(Stage::Results);
        crate::web::focus_after_render("assessment-step");
    };
    let finish = move |_| {
        let unanswered = responses.with_untracked(|r| r.iter().filter(|x| x.is_none()).count());
        if unanswered > 0 && !confirming.get_untracked() {
            confirming.set(true);
        } else {
            submit();
        }
    };

    let intro = move || {
        let (title, intro_html, pass_mark) =
            assessment.with_value(|a| (a.title.clone(), a.intro_html.clone(), a.pass_mark));
        let used = past.with(Vec::len);
        let attempts_text = match allowed {
            Some(allowed) => Messages::fill(&Messages::fill(messages.attempts_used, "used", used), "allowed", allowed),
            None => messages.attempts_unlimited.to_owned(),
        };
        let best =
            past.with(|p| p.iter().map(|s| s.scaled).fold(None, |b: Option<f64>, s| Some(b.map_or(s, |b| b.max(s)))));
        view! {
            <div class="assessment-intro" inner_html={intro_html.into_inner_html()}></div>
            <ul class="facts">
                <li>{Messages::fill(messages.question_count, "n", total)}</li>
                <li>{Messages::fill(messages.pass_mark, "percent", Messages::percent(pass_mark))}</li>
                <li>{attempts_text}</li>
                {best.map(|b| view! { <li>{Messages::fill(messages.best_score, "percent", Messages::percent(b))}</li> })}
            </ul>
            {broken.iter().map(|error| view! { <BrokenQuestion error=error.clone()/> }).collect_view()}
            {if total == 0 {
                // Every question is broken (shown above): there is nothing to start.
                view! { <p class="status" role="alert">{messages.no_question_to_ask}</p> }.into_any()
            } else if attempts_left() {
                let label = if used == 0 { messages.assessment_start } else { messages.new_attempt };
                view! { <button type="button" class="primary" on:click=start aria-describedby="page-title">{label}</button> }.into_any()
            } else {
                view! { <p class="status">{messages.no_attempt_left}</p> }.into_any()
            }}
            <span hidden>{title}</span>
        }
    };

    let question_step = {
        let language = language.clone();
        let id = id.clone();
        move |index: usize| {
            // `index` comes from the navigation buttons, always below `total`; no question, no page.
            let Some(question) = questions.with_value(|q| q.get(index).cloned()) else { return ().into_any() };
            let attempt = past.with_untracked(Vec::len) + 1;
            let order = match (&question.answers, assessment.with_value(|a| a.shuffle)) {
                (Answers::Choice { choices, .. }, true) => {
                    Some(shuffled_order(choices.len(), &format!("{id}:{}:{attempt}", question.id)))
                }
                _ => None,
            };
            let format = question.format;
            let language = language.clone();
            let html = move |text: &str| format.to_html(text, &language);
            let on_change = Callback::new(move |new: Option<Response>| responses.update(|r| r[index] = new));
            let initial = responses.with_untracked(|r| r[index].clone());
            let dom_id = format!("q-{}", question.id);
            let controls_id = dom_id.clone();
            let legend = question_legend(&question, &html);
            let revealed = Signal::derive(|| false);
            view! {
                <p class="step" id="assessment-step" tabindex="-1">
                    {Messages::fill(&Messages::fill(messages.question_progress, "n", index + 1), "total", total)}
                </p>
                <progress max=total value=index + 1 aria-hidden="true"></progress>
                <fieldset class="question" id=dom_id>
                    {legend}
                    <super::author::AuthorNote question=question.clone()/>
                    <QuestionControls question html id=controls_id initial order revealed on_change/>
                </fieldset>
                <div class="assessment-nav">
                    {(index > 0).then(|| view! { <button type="button" on:click=move |_| go(index - 1)>{messages.previous}</button> })}
                    {if index + 1 < total {
                        view! { <button type="button" class="primary" on:click=move |_| go(index + 1)>{messages.next}</button> }.into_any()
                    } else {
                        view! {
                            <button type="button" class="primary finish" on:click=finish>
                                {move || if confirming.get() { messages.finish_anyway } else { messages.finish }}
                            </button>
                        }
                        .into_any()
                    }}
                </div>
                {move || {
                    confirming.get().then(|| {
                        let unanswered = responses.with(|r| r.iter().filter(|x| x.is_none()).count());
                        view! { <p class="feedback-error" role="alert">{Messages::fill(messages.unanswered_warning, "n", unanswered)}</p> }
                    })
                }}
            }
            .into_any()
        }
    };

    let results = {
        let language = language.clone();
        move || {
            let Some(score) = past.with(|p| p.last().cloned()) else { return ().into_any() };
            let (pass_mark, reveal_allowed) = assessment.with_value(|a| (a.pass_mark, a.reveal_answers));
            let reveal = reveal_allowed && (score.passed || !attempts_left());
            let verdict = if score.passed {
                view! { <p class="verdict correct"><span aria-hidden="true">"✓ "</span>{messages.passed}</p> }
            } else {
                view! { <p class="verdict incorrect"><span aria-hidden="true">"✗ "</span>{messages.failed}</p> }
            };
            let score_text = Messages::fill(
                &Messages::fill(
                    &Messages::fill(messages.score, "raw", messages.decimal(score.raw)),
                    "max",
                    messages.decimal(score.max),
                ),
                "percent",
                Messages::percent(score.scaled),
            );
            let review = questions.with_value(|questions| {
                responses.with_untracked(|responses| {
                    questions
                        .iter()
                        .zip(responses.iter())
                        .map(|(question, response)| {
                            review_item(question, response.as_ref(), reveal, &language, messages)
                        })
                        .collect_view()
                })
            });
            view! {
                <h2 id="assessment-step" tabindex="-1">{messages.results}</h2>
                <div class="results" role="status">
                    {verdict}
                    <p class="score">{score_text}</p>
                    <p>{Messages::fill(messages.pass_mark, "percent", Messages::percent(pass_mark))}</p>
                </div>
                {attempts_left().then(|| view! { <button type="button" class="primary" on:click=start>{messages.new_attempt}</button> })}
                <h3>{messages.review}</h3>
                <ol class="review">{review}</ol>
            }
            .into_any()
        }
    };

    let title = assessment.with_value(|a| a.title.clone());
    view! {
        <article class="assessment">
            <p class="lesson-module">{messages.assessments}</p>
            <h1 id="page-title" tabindex="-1">{title}</h1>
            {move || match stage.get() {
                Stage::Intro => intro().into_any(),
                Stage::Question(index) => question_step(index),
                Stage::Results => results().into_any(),
            }}
        </article>
    }
}

/// One question of the results: what was answered, how right it was, the feedback, and the right
/// answers when revealing is allowed.
fn review_item(
    question: &Question,
    response: Option<&Response>,
    reveal: bool,
    language: &str,
    messages: &'static Messages,
) -> impl IntoView {
    let format = question.format;
    let language = language.to_owned();
    let html = move |text: &str| format.to_html(text, &language);
    let mut stem = html(&question.stem);
    if let Some(after) = &question.after_gap {
        stem.push(&SafeHtml::text(" _____ "));
        stem.push(&html(after));
    }
    let essay = matches!(question.answers, Answers::Essay | Answers::Description);
    let graded = response.and_then(|r| grade(question, r).ok());
    let accepted = if reveal { right_answers(question) } else { Vec::new() };
    let general_feedback = question.general_feedback.as_deref().map(&html);
    let body = match graded {
        Some(grade) => {
            let feedback_html = grade_feedback_html(&grade, &html);
            view! { <GradeFeedback grade essay feedback_html general_feedback accepted/> }.into_any()
        }
        None => view! {
            <p class="verdict incorrect"><span aria-hidden="true">"✗ "</span>{messages.no_answer}</p>
            {(!accepted.is_empty()).then(|| view! {
                <p class="accepted">{messages.right_answers} " " <span class="accepted-list">{accepted.join(" ; ")}</span></p>
            })}
        }
        .into_any(),
    };
    view! {
        <li class="review-item">
            <p class="question-stem" inner_html={stem.into_inner_html()}></p>
            {body}
        </li>
    }
}
