//! `/learn/:course/assessment/:assessment`: a graded assessment, one question at a time, ending
//! on the results (score, pass mark, passed or not, every answer reviewed, retry if allowed).
//!
//! Finished attempts and the attempt under way are kept in the learner's progress: the attempt
//! under way is resumed (same questions, same order, answers kept) after a reload or another visit.

use super::course_page::expect_course;
use super::expect_locale;
use super::progress::expect_progress;
use super::quiz::{grade_feedback_html, question_legend, BrokenQuestion, GradeFeedback, QuestionControls};
use crate::course::gift::{Answers, Question, Text};
use crate::course::{Assessment, QuizItem};
use crate::i18n::Messages;
use crate::progress::{AttemptRecord, AttemptUnderWay, Millis};
use crate::quiz::{grade, right_answers, shuffled_order, Response};
use crate::safe_html::SafeHtml;
use crate::web::now;
use leptos::prelude::*;

/// The assessment named in the URL.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let course = expect_course();
    let messages = expect_locale();
    let id = super::route_param::<crate::course::AssessmentId>("assessment");
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

/// An assessment being taken: what its three stages (intro, one question, results) share. The
/// attempt under way lives in the learner's progress (`progress::attempt`), saved at each answer:
/// a reload, another tab or a later visit resumes it.
#[derive(Clone, Copy)]
struct Attempt {
    /// The pass mark is the LMS's mastery score in a cmi5 launch (shown and applied).
    assessment: StoredValue<Assessment>,
    /// The working questions, in the written order (broken ones left out).
    questions: StoredValue<Vec<Question>>,
    /// The course language, for Markdown in questions.
    language: StoredValue<String>,
    /// The finished attempts, oldest first.
    past: Memo<Vec<AttemptRecord>>,
    /// The attempt under way, as the progress holds it (another tab's answers included).
    under_way: Memo<Option<AttemptUnderWay>>,
    stage: RwSignal<Stage>,
    /// The answer given to each question of the attempt under way, as the page shows them.
    responses: RwSignal<Vec<Option<Response>>>,
    /// "Finish" was pressed with questions unanswered: the next press finishes anyway.
    confirming: RwSignal<bool>,
    /// A typed answer waits this long after the last key before it is saved (navigating or
    /// finishing saves at once): an LMS is not told of every key.
    typing: StoredValue<Option<leptos::prelude::TimeoutHandle>>,
    /// The attempt was closed by its timeout when the learner came back: how many minutes.
    timed_out: RwSignal<Option<u32>>,
    /// The attempt on screen, by when it started (another tab may finish it and start another).
    showing: StoredValue<Option<Millis>>,
    /// Bumped when another tab changed the answer on screen: the question is drawn again with it.
    redraw: RwSignal<u32>,
    /// Another tab changed the answer on screen: the learner is told, not left to wonder.
    changed_elsewhere: RwSignal<bool>,
}

/// How long a typed answer waits before it is saved.
const TYPING_SAVE_DELAY: std::time::Duration = std::time::Duration::from_millis(700);

impl Attempt {
    fn new(mut assessment: Assessment, language: String) -> Attempt {
        let progress = expect_progress();
        let id = assessment.id.clone();
        let past_id = id.clone();
        let past =
            Memo::new(move |_| progress.state.with(|p| p.attempts.get(past_id.as_str()).cloned().unwrap_or_default()));
        let under_way = Memo::new(move |_| progress.state.with(|p| p.attempt_under_way(&id).cloned()));
        let pass_marks = super::tracking::expect_tracking().pass_marks();
        assessment.pass_mark = pass_marks.of(&assessment);
        let questions: Vec<Question> = assessment.questions().cloned().collect();
        let attempt = Attempt {
            responses: RwSignal::new(vec![None; questions.len()]),
            questions: StoredValue::new(questions),
            assessment: StoredValue::new(assessment),
            language: StoredValue::new(language),
            past,
            under_way,
            stage: RwSignal::new(Stage::Intro),
            confirming: RwSignal::new(false),
            typing: StoredValue::new(None),
            timed_out: RwSignal::new(None),
            showing: StoredValue::new(None),
            redraw: RwSignal::new(0),
            changed_elsewhere: RwSignal::new(false),
        };
        attempt.follow_other_tabs();
        // An attempt left longer than the assessment allows is closed as it stands.
        let id = attempt.id();
        let mut closed = Vec::new();
        progress.apply(|p, course| closed = p.close_timed_out_attempts(course, pass_marks, now()));
        if closed.contains(&id) {
            attempt.timed_out.set(attempt.assessment.with_value(|a| a.attempt_timeout_minutes));
            attempt.stage.set(Stage::Results);
        }
        attempt
    }

    fn id(self) -> crate::course::AssessmentId {
        self.assessment.with_value(|a| a.id.clone())
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
        self.changed_elsewhere.set(false);
        self.stage.set(stage);
        crate::web::focus_after_render("assessment-step");
    }

    /// The answers of the attempt under way, in the page's order of questions.
    fn saved_responses(self) -> Vec<Option<Response>> {
        self.under_way.with_untracked(|u| self.in_page_order(u.as_ref()))
    }

    fn in_page_order(self, attempt: Option<&AttemptUnderWay>) -> Vec<Option<Response>> {
        self.questions.with_value(|questions| {
            questions.iter().map(|q| attempt.and_then(|a| a.responses.get(q.id.as_str()).cloned())).collect()
        })
    }

    /// Keeps the page coherent with the other tabs on the same attempt: an answer given there
    /// later is shown here (the later answer wins: saving takes in the other tab's copy first),
    /// an attempt finished there shows its results here, and one started there is followed.
    fn follow_other_tabs(self) {
        Effect::new(move |_| {
            let latest = self.under_way.get();
            let Stage::Question(on_screen) = self.stage.get_untracked() else { return };
            match latest {
                None => {
                    // Finished in another tab (its record is the last one), or progress was reset.
                    let showing = self.showing.get_value();
                    let finished = self.past.with_untracked(|p| p.last().map(|a| a.started_at)) == showing;
                    self.show(if finished && showing.is_some() { Stage::Results } else { Stage::Intro });
                }
                Some(latest) => {
                    let same_attempt = self.showing.get_value() == Some(latest.started_at);
                    self.showing.set_value(Some(latest.started_at));
                    let theirs = self.in_page_order(Some(&latest));
                    // The answer being typed here is newer than any copy: it is saved in a moment.
                    let typing = self.typing.with_value(Option::is_some).then_some(on_screen);
                    let mut mine = self.responses.get_untracked();
                    let changed: Vec<usize> =
                        (0..mine.len()).filter(|&i| Some(i) != typing && mine[i] != theirs[i]).collect();
                    if changed.is_empty() && same_attempt {
                        return;
                    }
                    for &index in &changed {
                        mine[index] = theirs[index].clone();
                    }
                    self.responses.set(mine);
                    if changed.contains(&on_screen) || !same_attempt {
                        self.changed_elsewhere.set(true);
                        self.redraw.update(|n| *n += 1);
                        crate::web::focus_after_render("assessment-step");
                    }
                }
            }
        });
    }

    /// Starts a new attempt: its choice orders drawn once (seeded by the assessment, question
    /// and attempt number) and kept with it.
    fn start(self) {
        let (id, shuffle) = self.assessment.with_value(|a| (a.id.clone(), a.shuffle));
        let number = self.past.with_untracked(Vec::len) + 1;
        let orders = self.questions.with_value(|questions| {
            questions
                .iter()
                .filter_map(|question| match (&question.answers, shuffle) {
                    (Answers::Choice { choices, .. }, true) => {
                        let order = shuffled_order(choices.len(), &format!("{id}:{}:{number}", question.id));
                        Some((question.id.to_string(), order))
                    }
                    _ => None,
                })
                .collect()
        });
        expect_progress().apply(move |p, course| p.start_attempt(course, &id, orders, now()));
        self.showing.set_value(self.under_way.with_untracked(|u| u.as_ref().map(|u| u.started_at)));
        self.timed_out.set(None);
        self.responses.set(vec![None; self.total()]);
        self.show(Stage::Question(0));
    }

    /// Goes back to the attempt under way, where the learner was.
    fn resume(self) {
        self.showing.set_value(self.under_way.with_untracked(|u| u.as_ref().map(|u| u.started_at)));
        self.responses.set(self.saved_responses());
        let position = self.under_way.with_untracked(|u| u.as_ref().map_or(0, |u| u.step().0 - 1));
        self.show(Stage::Question(position.min(self.total().saturating_sub(1))));
    }

    /// The learner answered question `index`: shown at once, saved at once (a typed answer a
    /// moment after the last key).
    fn answer(self, index: usize, response: Option<Response>) {
        self.responses.update(|r| r[index] = response.clone());
        let typed = matches!(response, Some(Response::Text(_) | Response::Number(_)));
        if let Some(handle) = self.typing.get_value() {
            handle.clear();
        }
        if typed {
            let handle = leptos::prelude::set_timeout_with_handle(move || self.save(index), TYPING_SAVE_DELAY).ok();
            self.typing.set_value(handle);
        } else {
            self.save(index);
        }
    }

    /// Saves the answer to question `index` in the attempt under way.
    fn save(self, index: usize) {
        self.typing.set_value(None);
        let Some(question) = self.questions.with_value(|q| q.get(index).map(|q| q.id.to_string())) else { return };
        let response = self.responses.with_untracked(|r| r.get(index).cloned().flatten());
        let id = self.id();
        let saved = self.under_way.with_untracked(|u| u.as_ref().map(|u| u.responses.get(&question).cloned()));
        if saved.is_some_and(|saved| saved != response) {
            expect_progress().apply(move |p, _| p.answer_in_attempt(&id, &question, response, now()));
        }
    }

    /// Saves what is being typed now (before moving or finishing).
    fn save_typing(self) {
        if let Some(handle) = self.typing.get_value() {
            handle.clear();
            if let Stage::Question(index) = self.stage.get_untracked() {
                self.save(index);
            }
        }
    }

    fn go(self, index: usize) {
        self.save_typing();
        let id = self.id();
        expect_progress().apply(move |p, _| p.move_in_attempt(&id, index, now()));
        self.show(Stage::Question(index));
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
        self.save_typing();
        let pass_mark = self.assessment.with_value(|a| a.pass_mark);
        let id = self.id();
        expect_progress().apply(move |p, course| {
            p.finish_attempt(course, &id, pass_mark, now());
        });
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
                Stage::Question(index) => {
                    attempt.redraw.track();
                    view! { <QuestionStep attempt index/> }.into_any()
                }
                Stage::Results => view! { <AssessmentResults attempt/> }.into_any(),
            }}
            <p class="sync-note" role="status">
                {move || attempt.changed_elsewhere.get().then_some(messages.answer_changed_elsewhere)}
            </p>
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
            .with(|p| p.iter().map(|a| a.score.scaled).fold(None, |b: Option<f64>, s| Some(b.map_or(s, |b| b.max(s)))));
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
        } else if let Some((n, total)) = attempt.under_way.with(|u| u.as_ref().map(AttemptUnderWay::step)) {
            // The attempt under way is the same attempt: resumed, never started again.
            let label = Messages::fill(&Messages::fill(messages.resume_assessment, "n", n), "total", total);
            view! { <button type="button" class="primary" on:click=move |_| attempt.resume() aria-describedby="page-title">{label}</button> }.into_any()
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
    // The same order for the whole attempt, kept with it (drawn when it started).
    let order = attempt
        .under_way
        .with_untracked(|u| u.as_ref().and_then(|u| u.choice_orders.get(question.id.as_str()).cloned()));
    let language = attempt.language.get_value();
    let html = move |text: &Text| text.to_html(&language);
    let on_change = Callback::new(move |new: Option<Response>| attempt.answer(index, new));
    let initial = attempt.responses.with_untracked(|r| r[index].clone());
    let dom_id = format!("q-{}", question.id);
    let controls_id = dom_id.clone();
    let legend = question_legend(&question, &html);
    let revealed = Signal::derive(|| false);
    let go = move |index: usize| attempt.go(index);
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
        let Some(last) = attempt.past.with(|p| p.last().cloned()) else { return ().into_any() };
        let score = last.score;
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
        // The last finished attempt's answers, as recorded (it may have been finished elsewhere).
        let review = attempt.questions.with_value(|questions| {
            questions
                .iter()
                .map(|question| {
                    let response = last.responses.get(question.id.as_str());
                    review_item(question, response, reveal, &language, messages)
                })
                .collect_view()
        });
        let timed_out = attempt.timed_out.get().map(|minutes| {
            view! { <p class="status" role="alert">{Messages::fill(messages.attempt_timed_out, "minutes", minutes)}</p> }
        });
        view! {
            <h2 id="assessment-step" tabindex="-1">{messages.results}</h2>
            {timed_out}
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
    let language = language.to_owned();
    let html = move |text: &Text| text.to_html(&language);
    let mut stem = html(&question.stem);
    if let Some(after) = &question.after_gap {
        stem.push(&SafeHtml::text(" _____ "));
        stem.push(&html(after));
    }
    let essay = matches!(question.answers, Answers::Essay | Answers::Description);
    let graded = response.and_then(|r| grade(question, r).ok());
    let accepted = if reveal { right_answers(question) } else { Vec::new() };
    let general_feedback = question.general_feedback.as_ref().map(&html);
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
