//! The progress panel of the course overview: bars per module and for the course, time spent,
//! assessment scores, resume, reset, export and import, and the way to the attestation.

use super::expect_locale;
use super::progress::expect_progress;
use crate::course::Course;
use crate::i18n::Messages;
use crate::progress::store::{export_progress, import_progress, ImportError, MAX_IMPORT_BYTES};
use crate::progress::Position;
use leptos::prelude::*;
use std::sync::Arc;

/// A progress bar with its text equivalent.
#[component]
fn Bar(
    /// What is measured.
    label: String,
    /// Done so far.
    done: usize,
    /// Out of.
    total: usize,
) -> impl IntoView {
    let messages = expect_locale();
    let text = Messages::fill(&Messages::fill(messages.lessons_done, "done", done), "total", total);
    // Named after what it measures: the bars of a course are told apart (RGAA 11.1).
    let name = format!("{label} : {text}");
    view! {
        <div class="bar">
            <span class="bar-label">{label}</span>
            <progress max=total.max(1) value=done aria-label=name></progress>
            <span class="bar-text">{text}</span>
        </div>
    }
}

/// Everything about the learner's progress in the course.
#[component]
pub fn ProgressPanel(
    /// The course followed.
    course: Arc<Course>,
) -> impl IntoView {
    let messages = expect_locale();
    // How the last import went, said below the buttons.
    let import_outcome = RwSignal::new(None::<Result<(), String>>);
    view! {
        <section class="progress-panel" aria-labelledby="progress-heading">
            <h2 id="progress-heading" tabindex="-1">{messages.progress}</h2>
            <ProgressSummary course=course.clone()/>
            <ResumeLink course=course.clone()/>
            <div class="progress-actions">
                <ExportButton slug=course.slug.to_string()/>
                <ImportButton course outcome=import_outcome/>
                <ResetButton/>
            </div>
            <super::OutcomeStatus outcome=import_outcome done=messages.import_done/>
        </section>
    }
}

/// Bars for the course and each module, time spent, best scores, and the attestation once passed.
#[component]
fn ProgressSummary(course: Arc<Course>) -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let summary_course = course.clone();
    let summary = Memo::new(move |_| progress.state.with(|p| p.summary(&summary_course)));
    let modules = course.modules.iter().map(|m| m.title.clone()).collect::<Vec<_>>();
    let assessments = course.assessments.iter().map(|a| a.title.clone()).collect::<Vec<_>>();
    let attestation_href = course.urls().attestation();
    move || {
        let s = summary.get();
        view! {
            <Bar label=course.title.clone() done=s.lessons_completed total=s.lessons_total/>
            {modules
                .iter()
                .zip(s.modules.iter())
                .map(|(title, (done, total))| view! { <Bar label=title.clone() done=*done total=*total/> })
                .collect_view()}
            <ul class="facts">
                <li>{Messages::fill(messages.time_spent, "time", messages.duration(progress.state.with(|p| p.active_ms)))}</li>
                {assessments
                    .iter()
                    .zip(s.best_scores.iter())
                    .filter_map(|(title, best)| {
                        best.map(|b| {
                            let text = Messages::fill(&Messages::fill(messages.score_of, "title", title), "percent", Messages::percent(b));
                            view! { <li>{text}</li> }
                        })
                    })
                    .collect_view()}
                {s.completed.then(|| view! { <li><strong>{messages.course_completed}</strong></li> })}
            </ul>
            {s.passed.then(|| view! { <p><a class="button" href=attestation_href.clone()>{messages.attestation}</a></p> })}
        }
    }
}

/// "Resume": back to where the learner last was, when that page still exists.
#[component]
fn ResumeLink(course: Arc<Course>) -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let resume_href = move || {
        progress.state.with(|p| match &p.position {
            Some(Position::Lesson(id)) if course.lessons().any(|l| l.id.as_str() == id) => {
                Some(course.urls().lesson(id))
            }
            Some(Position::Assessment(id)) => Some(course.urls().assessment(id)),
            _ => None,
        })
    };
    move || resume_href().map(|href| view! { <p><a class="button primary" href=href>{messages.resume}</a></p> })
}

/// Downloads the learner's progress as a file they keep.
#[component]
fn ExportButton(slug: String) -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let export = move |_| {
        let json = progress.state.with_untracked(export_progress);
        let _ = crate::web::download(&format!("progression-{slug}.json"), &json, "application/json");
    };
    view! { <button type="button" on:click=export>{messages.export}</button> }
}

/// Why a progress file was not taken in, in the learner's words.
fn import_error_text(messages: &'static Messages, error: ImportError) -> String {
    match error {
        ImportError::NotProgress => messages.not_progress_file.to_owned(),
        ImportError::OtherCourse(other) => Messages::fill(messages.other_course_file, "course", other),
        ImportError::FutureVersion(_) => messages.future_file.to_owned(),
        ImportError::TooLarge(_) => messages.import_too_large.to_owned(),
    }
}

/// Takes in a progress file (merged: nothing done here is lost); `outcome` says how it went.
#[component]
fn ImportButton(course: Arc<Course>, outcome: RwSignal<Option<Result<(), String>>>) -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let tracking = super::tracking::expect_tracking();
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = crate::web::ChosenFile::from_input_event(&ev) else { return };
        if file.size() > MAX_IMPORT_BYTES as f64 {
            // Not even read: a huge file would hold the page.
            outcome.set(Some(Err(messages.import_too_large.to_owned())));
            return;
        }
        let course = course.clone();
        let pass_marks = tracking.pass_marks();
        leptos::task::spawn_local(async move {
            let text = file.text().await;
            match import_progress(&text, &course, crate::web::now(), pass_marks) {
                Ok(imported) => {
                    progress.apply(move |p, _| p.merge(&imported));
                    outcome.set(Some(Ok(())));
                }
                Err(error) => outcome.set(Some(Err(import_error_text(messages, error)))),
            }
        });
    };
    view! {
        <label class="button file-button">
            {messages.import}
            <input type="file" accept="application/json,.json" class="visually-hidden" on:change=on_file/>
        </label>
    }
}

/// "Start again", confirmed first: the progress is replaced by a fresh enrolment.
///
/// The confirmation is an `alertdialog` that takes focus (on "Cancel", the harmless choice), keeps
/// it on its two buttons (Tab and Shift+Tab go round), closes on Escape, and gives focus back:
/// to the button that opened it, or to the panel's heading once the progress is gone (RGAA 7.1,
/// 12.8).
#[component]
fn ResetButton() -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let confirming = RwSignal::new(false);
    let open = move |_| {
        confirming.set(true);
        crate::web::focus_soon("reset-cancel");
    };
    let close = move || {
        confirming.set(false);
        crate::web::focus_soon("reset-button");
    };
    let reset = move |_| {
        progress.replace(progress.fresh());
        confirming.set(false);
        crate::web::focus_soon("progress-heading");
    };
    // Tab from the last button goes to the first, Shift+Tab from the first to the last.
    let go_round = |from_last: bool, to: &'static str| {
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Tab" && ev.shift_key() != from_last {
                ev.prevent_default();
                crate::web::focus_element(to);
            }
        }
    };
    let on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };
    move || {
        if confirming.get() {
            view! {
                <div
                    class="confirm"
                    role="alertdialog"
                    aria-modal="true"
                    aria-labelledby="reset-warning"
                    on:keydown=on_escape
                >
                    <p id="reset-warning">{messages.reset_warning}</p>
                    <button
                        type="button"
                        id="reset-confirm"
                        class="danger"
                        on:click=reset
                        on:keydown=go_round(false, "reset-cancel")
                    >
                        {messages.reset_confirm}
                    </button>
                    <button
                        type="button"
                        id="reset-cancel"
                        on:click=move |_| close()
                        on:keydown=go_round(true, "reset-confirm")
                    >
                        {messages.cancel}
                    </button>
                </div>
            }
            .into_any()
        } else {
            view! { <button type="button" id="reset-button" on:click=open>{messages.reset}</button> }.into_any()
        }
    }
}
