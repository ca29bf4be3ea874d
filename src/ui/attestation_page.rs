//! `/learn/:course/attestation`: the printable "Attestation de suivi", once the course is
//! completed (and its assessments passed). The learner's name is asked once and can be edited.

use super::course_page::expect_course;
use super::expect_locale;
use super::progress::expect_progress;
use crate::i18n::Messages;
use crate::progress::store::{load_learner, save_learner, Learner};
use crate::progress::uuid_v4;
use crate::web::random_bytes;
use crate::web::storage::BrowserStore;
use leptos::prelude::*;

/// The attestation page.
#[component]
pub fn AttestationPage() -> impl IntoView {
    let course = expect_course();
    let messages = expect_locale();
    let progress = expect_progress();
    crate::web::set_title(&format!("{} — {} — {}", messages.attestation, course.title, messages.app_name));
    crate::web::focus_after_render("page-title");

    let mut stored = load_learner(&BrowserStore::local(), || uuid_v4(random_bytes()));
    // Inside an LMS, the name it knows until the learner writes another.
    if stored.name.is_none() {
        stored.name = super::lms::expect_lms_session().learner_name();
    }
    let learner = RwSignal::new(stored);
    let draft = RwSignal::new(learner.get_untracked().name.unwrap_or_default());
    let tracking = super::tracking::expect_tracking();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = draft.get_untracked().trim().to_owned();
        let updated = Learner { name: (!name.is_empty()).then_some(name), ..learner.get_untracked() };
        // In memory when storage is denied: the banner already says progress is not kept.
        let _ = save_learner(&BrowserStore::local(), &updated);
        learner.set(updated);
        tracking.reload_learner();
    };

    let summary_course = course.clone();
    let certificate = move || {
        let course = summary_course.clone();
        let (summary, passed_at, active_ms) = progress.state.with(|p| (p.summary(&course), p.passed_at, p.active_ms));
        let Some(passed_at) = passed_at.filter(|_| summary.passed) else {
            return view! {
                <p class="status">{messages.attestation_unavailable}</p>
                <p><a href=course.urls().overview()>{messages.course_overview}</a></p>
            }
            .into_any();
        };
        let name = learner.get().name.unwrap_or_else(|| "…".to_owned());
        let scores = summary.best_scores.iter().flatten().map(|s| Messages::percent(*s)).collect::<Vec<_>>();
        view! {
            <form class="name-form no-print" on:submit=save>
                <label for="learner-name">{messages.your_name}</label>
                <input
                    id="learner-name"
                    type="text"
                    autocomplete="name"
                    maxlength="120"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                />
                <button type="submit">{messages.save}</button>
            </form>
            <section class="certificate" aria-labelledby="certificate-title">
                <p class="certificate-brand">{messages.app_name}</p>
                <h2 id="certificate-title">{messages.attestation}</h2>
                <p class="certificate-text">{Messages::fill(messages.attests, "name", name)}</p>
                <p class="certificate-course">"« " {course.title.clone()} " »"</p>
                <ul class="certificate-facts">
                    <li>{Messages::fill(messages.completed_on, "date", crate::web::long_date(passed_at, &course.language))}</li>
                    <li>{Messages::fill(messages.time_spent, "time", messages.duration(active_ms))}</li>
                    {(!scores.is_empty()).then(|| view! { <li>{Messages::fill(messages.score_line, "percent", scores.join(" ; "))}</li> })}
                    <li>{Messages::fill(messages.content_version, "version", course.version.clone())}</li>
                </ul>
            </section>
            <p class="no-print">
                <button type="button" class="primary" on:click=|_| crate::web::print()>{messages.print}</button>
            </p>
        }
        .into_any()
    };

    view! {
        <article class="attestation">
            <h1 id="page-title" tabindex="-1">{messages.attestation}</h1>
            {certificate}
        </article>
    }
}
