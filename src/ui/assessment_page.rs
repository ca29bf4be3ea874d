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

/// An assessment being taken: what its three stages (intro, one question, results) share.
#[derive(Clone, Copy)]
struct Attempt {
    /// The pass mark is the LMS's mastery score in a cmi5 launch (shown and applied).
    assessment: StoredValue<Assessment>,
    /// The working questions, in the written order (broken ones left out).
    questions: StoredValue<Vec<Question>>,
    /// The course language, for Markdown in questions.
    language: StoredValue<String>,
    /// The scores of the finished attempts, oldest first.
    past: Memo<Vec<AttemptScore>>,
    stage: RwSignal<Stage>,
    /// The answer given to each question of the attempt under way.
    responses: RwSignal<Vec<Option<Response>>>,
    /// "Finish" was pressed with questions unanswered: the next press finishes anyway.
    confirming: RwSignal<bool>,
    started_at: StoredValue<f64>,
}

impl Attempt {
    fn new(mut assessment: Assessment, language: String) -> Attempt {
        let progress = expect_progress();
        let id = assessment.id.clone();
        let past = Memo::new(move |_| {
            progress.state.with(|p| {
                let list = p.attempts.get(id.as_str());
                list.map(|list| list.iter().map(|a| a.score.clone()).collect()).unwrap_or_default()
            })
        });
        assessment.pass_mark = super::tracking::expect_tracking().pass_marks().of(&assessment);
        let questions: Vec<Question> = assessment.questions().cloned().collect();
        Attempt {
            responses: RwSignal::new(vec![None; questions.len()]),
            questions: StoredValue::new(questions),
            assessment: StoredValue::new(assessment),
            language: StoredValue::new(language),
            past,
            stage: RwSignal::new(Stage::Intro),
            confirming: RwSignal::new(false),
            started_at: StoredValue::new(0.0),
        }
    }

    fn total(self) -> usize {
        self.questions.with_value(Vec::len)
    }

    fn attempts_left(self) -> bool {
        let allowed = self.assessment.with_value(|a| a.attempts);
        allowed.is_none_or(|a| (self.past.with(Vec::len) as u32) < a)
    }

    fn unanswered(self) -> usize {
        self.responses.with(|r| r.iter().filter(|x| x.is_none()).count())
    }

    /// Shows a stage, with focus on its first line.
    fn show(self, stage: Stage) {
        self.confirming.set(false);
        self.stage.set(stage);
        crate::web::focus_after_render("assessment-step");
    }

    fn start(self) {
        self.started_at.set_value(now());
        self.responses.set(vec![None; self.total()]);
        self.show(Stage::Question(0));
    }

    /// "Finish": asks once to confirm when questions are unanswered, then scores the attempt.
    fn finish(self) {
        if self.responses.with_untracked(|r| r.iter().any(Option::is_none)) && !self.confirming.get_untracked() {
            self.confirming.set(true);
        } else {
            self.submit();
        }
    }

    fn submit(self) {
        let pass_mark = self.assessment.with_value(|a| a.pass_mark);
        let given = self.responses.get_untracked();
        let score = self.questions.with_value(|q| score_attempt(q, &given, pass_mark));
        let by_question = self
            .questions
            .with_value(|q| q.iter().zip(given).filter_map(|(q, r)| r.map(|r| (q.id.to_string(), r))).collect());
        let record = AttemptRecord {
            score,
            responses: by_question,
            started_at: self.started_at.get_value(),
            finished_at: now(),
        };
        let id = self.assessment.with_value(|a| a.id.clone());
        expect_progress().apply(move |p, course| p.record_attempt(course, &id, record));
        self.show(Stage::Results);
    }
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
    let id = assessment.id.clone();
    expect_progress().apply(move |p, course| p.visit_assessment(course, &id, now()));

    let title = assessment.title.clone();
    let attempt = Attempt::new(assessment, language);
    view! {
        <article class="assessment">
            <p class="lesson-module">{messages.assessments}</p>
            <h1 id="page-title" tabindex="-1">{title}</h1>
            {move || match attempt.stage.get() {
                Stage::Intro => view! { <AssessmentIntro attempt/> }.into_any(),
                Stage::Question(index) => view! { <QuestionStep attempt index/> }.into_any(),
                Stage::Results => view! { <AssessmentResults attempt/> }.into_any(),
            }}
        </article>
    }
}

/// Before an attempt: the introduction, the rules, the best score so far, and "Start".
#[component]
fn AssessmentIntro(attempt: Attempt) -> impl IntoView {
    let messages = expect_locale();
    let (intro_html, pass_mark, allowed) =
        attempt.assessment.with_value(|a| (a.intro_html.clone(), a.pass_mark, a.attempts));
    let broken: Vec<String> = attempt.assessment.with_value(|a| {
        a.items
            .iter()
            .filter_map(|item| match item {
                QuizItem::Broken { error } => Some(error.clone()),
                QuizItem::Question(_) => None,
            })
            .collect()
    });
    let total = attempt.total();
    // The facts and the button follow the finished attempts (another tab may finish one meanwhile).
    let facts = move || {
        let used = attempt.past.with(Vec::len);
        let attempts_text = match allowed {
            Some(allowed) => Messages::fill(&Messages::fill(messages.attempts_used, "used", used), "allowed", allowed),
            None => messages.attempts_unlimited.to_owned(),
        };
        let best = attempt
            .past
            .with(|p| p.iter().map(|s| s.scaled).fold(None, |b: Option<f64>, s| Some(b.map_or(s, |b| b.max(s)))));
        view! {
            <ul class="facts">
                <li>{Messages::fill(messages.question_count, "n", total)}</li>
                <li>{Messages::fill(messages.pass_mark, "percent", Messages::percent(pass_mark))}</li>
                <li>{attempts_text}</li>
                {best.map(|b| view! { <li>{Messages::fill(messages.best_score, "percent", Messages::percent(b))}</li> })}
            </ul>
        }
    };
    let start_or_why_not = move || {
        if total == 0 {
            // Every question is broken (shown above): there is nothing to start.
            view! { <p class="status" role="alert">{messages.no_question_to_ask}</p> }.into_any()
        } else if attempt.attempts_left() {
            let label = if attempt.past.with(Vec::is_empty) { messages.assessment_start } else { messages.new_attempt };
            view! { <button type="button" class="primary" on:click=move |_| attempt.start() aria-describedby="page-title">{label}</button> }.into_any()
        } else {
            view! { <p class="status">{messages.no_attempt_left}</p> }.into_any()
        }
    };
    view! {
        <div class="assessment-intro" inner_html={intro_html.into_inner_html()}></div>
        {facts}
        {broken.into_iter().map(|error| view! { <BrokenQuestion error/> }).collect_view()}
        {start_or_why_not}
    }
}

/// One question of the attempt under way, with the way back, forward, or to the end.
#[component]
fn QuestionStep(attempt: Attempt, index: usize) -> impl IntoView {
    let messages = expect_locale();
    let total = attempt.total();
    // `index` comes from the navigation buttons, always below `total`; no question, no page.
    let Some(question) = attempt.questions.with_value(|q| q.get(index).cloned()) else { return ().into_any() };
    let number = attempt.past.with_untracked(Vec::len) + 1;
    let (id, shuffle) = attempt.assessment.with_value(|a| (a.id.clone(), a.shuffle));
    let order = match (&question.answers, shuffle) {
        // The same order for the whole attempt: seeded by the assessment, question and attempt.
        (Answers::Choice { choices, .. }, true) => {
            Some(shuffled_order(choices.len(), &format!("{id}:{}:{number}", question.id)))
        }
        _ => None,
    };
    let format = question.format;
    let language = attempt.language.get_value();
    let html = move |text: &str| format.to_html(text, &language);
    let responses = attempt.responses;
    let on_change = Callback::new(move |new: Option<Response>| responses.update(|r| r[index] = new));
    let initial = responses.with_untracked(|r| r[index].clone());
    let dom_id = format!("q-{}", question.id);
    let controls_id = dom_id.clone();
    let legend = question_legend(&question, &html);
    let revealed = Signal::derive(|| false);
    let go = move |index: usize| attempt.show(Stage::Question(index));
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
                    <button type="button" class="primary finish" on:click=move |_| attempt.finish()>
                        {move || if attempt.confirming.get() { messages.finish_anyway } else { messages.finish }}
                    </button>
                }
                .into_any()
            }}
        </div>
        {move || {
            attempt.confirming.get().then(|| {
                let text = Messages::fill(messages.unanswered_warning, "n", attempt.unanswered());
                view! { <p class="feedback-error" role="alert">{text}</p> }
            })
        }}
    }
    .into_any()
}

/// The last attempt's result, every answer reviewed, and a new attempt when one is left.
#[component]
fn AssessmentResults(attempt: Attempt) -> impl IntoView {
    let messages = expect_locale();
    move || {
        let Some(score) = attempt.past.with(|p| p.last().cloned()) else { return ().into_any() };
        let (pass_mark, reveal_allowed) = attempt.assessment.with_value(|a| (a.pass_mark, a.reveal_answers));
        let reveal = reveal_allowed && (score.passed || !attempt.attempts_left());
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
        let language = attempt.language.get_value();
        let review = attempt.questions.with_value(|questions| {
            attempt.responses.with_untracked(|responses| {
                questions
                    .iter()
                    .zip(responses.iter())
                    .map(|(question, response)| review_item(question, response.as_ref(), reveal, &language, messages))
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
            {attempt.attempts_left().then(|| view! { <button type="button" class="primary" on:click=move |_| attempt.start()>{messages.new_attempt}</button> })}
            <h3>{messages.review}</h3>
            <ol class="review">{review}</ol>
        }
        .into_any()
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
