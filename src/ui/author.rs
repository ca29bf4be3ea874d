//! Author mode (on in `parcours preview`, or a site built with `--author-mode`): a banner, each
//! question's id and expected answers, and, in preview, live reload with an overlay listing the
//! course's errors while the last good version stays on screen.

use super::expect_locale;
use super::tracking::{expect_tracking, ConfigState};
use crate::course::gift::Question;
use crate::course::preview::PreviewChanges;
use crate::i18n::Messages;
use crate::quiz::right_answers;
use crate::web::{fetch_text_within, sleep_ms};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Whether the player is in author mode (reactive: the configuration loads after the first render).
pub fn author_mode() -> Signal<bool> {
    let tracking = use_context::<super::tracking::Tracking>();
    Signal::derive(move || {
        tracking.is_some_and(|t| t.config.with(|c| matches!(c, ConfigState::Ready(config) if config.author_mode)))
    })
}

/// Says that the page is in author mode.
#[component]
pub fn AuthorBanner() -> impl IntoView {
    let messages = expect_locale();
    let on = author_mode();
    move || on.get().then(|| view! { <p class="author-banner" role="note">{messages.author_banner}</p> })
}

/// A question's id and expected answers, for authors.
#[component]
pub fn AuthorNote(question: Question) -> impl IntoView {
    let messages = expect_locale();
    let on = author_mode();
    let answers = right_answers(&question);
    let answers = if answers.is_empty() { messages.author_no_answer.to_owned() } else { answers.join(" ; ") };
    let text = Messages::fill(&Messages::fill(messages.author_question, "id", &question.id), "answers", answers);
    move || on.get().then(|| view! { <p class="author-note">{text.clone()}</p> })
}

/// How long to wait for the preview's answer to a long-poll: it holds one for 25 s at most, so
/// a longer silence means the connection was lost (the loop then asks again).
const LONG_POLL_TIMEOUT_MS: f64 = 40_000.0;

/// In preview: reloads the page when a new good version is served, and lists the errors of the
/// current files over the page meanwhile.
#[component]
pub fn LiveReload() -> impl IntoView {
    let messages = expect_locale();
    let tracking = expect_tracking();
    let errors = RwSignal::new(Vec::<String>::new());
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        let ConfigState::Ready(config) = tracking.config.get() else { return };
        let Some(url) = config.live_reload else { return };
        if started.get_value() {
            return;
        }
        started.set_value(true);
        spawn_local(async move {
            // The version of the course this page was served with (written into the page).
            let served = crate::web::meta_content("parcours-served").unwrap_or_default();
            let separator = if url.contains('?') { '&' } else { '?' };
            let url = format!("{url}{separator}served={served}");
            let mut since = 0;
            // Bounded by the page's life; a stopped preview is retried every second.
            loop {
                let answer = fetch_text_within(&format!("{url}&since={since}"), LONG_POLL_TIMEOUT_MS).await;
                match answer.ok().and_then(|text| serde_json::from_str::<PreviewChanges>(&text).ok()) {
                    Some(changes) if changes.reload => {
                        crate::web::reload_page();
                        return;
                    }
                    Some(changes) => {
                        since = changes.generation;
                        errors.set(changes.errors);
                    }
                    None => sleep_ms(1_000).await,
                }
            }
        });
    });
    move || {
        let list = errors.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="preview-overlay" role="alert">
                    <h2>{messages.preview_errors_title}</h2>
                    <p>{messages.preview_errors_text}</p>
                    {list.into_iter().map(|e| view! { <pre>{e}</pre> }).collect_view()}
                </div>
            }
        })
    }
}
