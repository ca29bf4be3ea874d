//! A cmi5 launch, in the browser: done once before the player is shown (the interface language
//! may come from the learner's preferences), then kept for the page's life. Tracking sends the
//! statements to the LMS with it; the banner offers "Quitter" (`terminated`, then back to the
//! LMS's `returnURL`) and says plainly when the launch failed (learning goes on, kept in the
//! browser, but the platform is told nothing).

use super::expect_locale;
use crate::i18n::Messages;
use crate::lms::cmi5::{
    auth_token, Cmi5Error, Cmi5Launch, LaunchData, LaunchParams, LearnerPreferences, LAUNCH_DATA_STATE, PROGRESS_STATE,
};
use crate::progress::store::KeyValueStore;
use crate::web::fetch_text;
use crate::web::http::{get, post_empty, put_json};
use crate::web::storage::BrowserStore;
use crate::xapi::config::{TrackingConfig, CONFIG_FILE};
use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;

/// How long each request of the launch may take.
const LAUNCH_TIMEOUT_MS: f64 = 20_000.0;

/// How the launch went.
#[derive(Debug, Clone)]
pub enum LaunchState {
    /// Launched by a cmi5 LMS: statements go to it.
    Launched(Arc<Cmi5Launch>, String),
    /// The URL asked for a cmi5 launch that failed: why.
    Failed(Cmi5Error),
}

thread_local! {
    static LAUNCH: RefCell<Option<LaunchState>> = const { RefCell::new(None) };
    /// The progress to save in the LMS next, and whether a save is on its way (one at a time,
    /// so an older save never lands after a newer one).
    static PROGRESS_TO_SAVE: RefCell<Option<String>> = const { RefCell::new(None) };
    static SAVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The launch, if the player was launched by a cmi5 LMS.
pub fn launch_state() -> Option<LaunchState> {
    LAUNCH.with(|launch| launch.borrow().clone())
}

/// The launch and the `Authorization` header for the LMS, when it succeeded.
pub fn launched() -> Option<(Arc<Cmi5Launch>, String)> {
    match launch_state()? {
        LaunchState::Launched(launch, authorization) => Some((launch, authorization)),
        LaunchState::Failed(_) => None,
    }
}

fn query_pairs() -> Vec<(String, String)> {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return Vec::new() };
    let mut pairs = Vec::new();
    for name in ["endpoint", "fetch", "actor", "registration", "activityId"] {
        if let Some(value) = params.get(name) {
            pairs.push((name.to_owned(), value));
        }
    }
    pairs
}

fn xapi_headers(authorization: &str) -> [(&'static str, &str); 2] {
    [("Authorization", authorization), ("X-Experience-API-Version", "1.0.3")]
}

/// Where this tab keeps the token of a launch: a fetch URL answers once, and the learner may
/// reload the page.
fn token_key(params: &LaunchParams) -> String {
    format!("parcours:cmi5:token:{}:{}", params.registration, params.fetch)
}

async fn run(params: LaunchParams) -> Result<(Cmi5Launch, String), Cmi5Error> {
    let session = BrowserStore::session();
    let key = token_key(&params);
    let token = match session.get(&key).ok().flatten() {
        Some(token) => token,
        None => {
            let answer = post_empty(&params.fetch, LAUNCH_TIMEOUT_MS).await;
            let token = auth_token(answer.status, &answer.body, answer.error.as_deref())?;
            let _ = session.set(&key, &token);
            token
        }
    };
    let authorization = format!("Basic {token}");
    let answer = get(&params.state_url(LAUNCH_DATA_STATE), &xapi_headers(&authorization), LAUNCH_TIMEOUT_MS).await;
    let data = LaunchData::parse(answer.status, &answer.body, answer.error.as_deref())?;
    let answer = get(&params.learner_preferences_url(), &xapi_headers(&authorization), LAUNCH_TIMEOUT_MS).await;
    let preferences = LearnerPreferences::parse(answer.status, &answer.body);
    let answer = get(&params.state_url(PROGRESS_STATE), &xapi_headers(&authorization), LAUNCH_TIMEOUT_MS).await;
    let saved_progress = matches!(answer.status, Some(200..=299)).then_some(answer.body);
    Ok((Cmi5Launch { params, data, preferences, saved_progress }, authorization))
}

/// Where this site accepts cmi5 launches from (`config.json`'s `cmi5`), or `None` when it
/// accepts none (a site built with `parcours build`, a SCORM package).
async fn accepted_launch_origins() -> Result<Option<Vec<String>>, Cmi5Error> {
    let url = format!("{}/{CONFIG_FILE}", crate::web::site_base());
    let text = fetch_text(&url).await.map_err(|error| Cmi5Error::Network(error.to_string()))?;
    let config = TrackingConfig::parse(&text)
        .map_err(|problem| Cmi5Error::Unreadable { what: "configuration (config.json)", problem })?;
    Ok(config.cmi5.map(|cmi5| cmi5.allowed_origins))
}

/// Launches if the URL carries a cmi5 launch that this site accepts; does nothing otherwise.
pub async fn launch() {
    let Some(params) = LaunchParams::from_query(&query_pairs()) else { return };
    let state = match accepted_launch_origins().await {
        Ok(None) => {
            // A link to a normal site with launch parameters: not a launch, and not obeyed.
            leptos::logging::warn!("cmi5 launch parameters ignored: this site accepts no cmi5 launch");
            return;
        }
        Err(error) => LaunchState::Failed(error),
        Ok(Some(allowed)) => match params.and_then(|p| p.check_origins(&allowed).map(|()| p)) {
            Err(error) => LaunchState::Failed(error),
            Ok(params) => match run(params).await {
                Ok((launch, authorization)) => LaunchState::Launched(Arc::new(launch), authorization),
                Err(error) => LaunchState::Failed(error),
            },
        },
    };
    LAUNCH.with(|launch| *launch.borrow_mut() = Some(state));
}

/// Saves the learner's progress (compact form) in the LMS's State API, for this registration:
/// the latest one wins; `keepalive` when the page is closing. A failed save is tried again at
/// the next change or when the page closes; progress is in this browser meanwhile.
pub fn save_progress(compact: String, keepalive: bool) {
    PROGRESS_TO_SAVE.with(|next| *next.borrow_mut() = Some(compact));
    if keepalive || !SAVING.with(std::cell::Cell::get) {
        send_progress(keepalive);
    }
}

fn send_progress(keepalive: bool) {
    let Some((launch, authorization)) = launched() else { return };
    let Some(body) = PROGRESS_TO_SAVE.with(|next| next.borrow_mut().take()) else { return };
    SAVING.with(|saving| saving.set(true));
    leptos::task::spawn_local(async move {
        let url = launch.params.state_url(PROGRESS_STATE);
        let answer = put_json(&url, &body, &xapi_headers(&authorization), keepalive, LAUNCH_TIMEOUT_MS).await;
        SAVING.with(|saving| saving.set(false));
        if !matches!(answer.status, Some(200..=299)) {
            // Kept for the next try, unless a newer one is waiting.
            PROGRESS_TO_SAVE.with(|next| {
                next.borrow_mut().get_or_insert(body);
            });
        } else if PROGRESS_TO_SAVE.with(|next| next.borrow().is_some()) {
            send_progress(false);
        }
    });
}

/// The interface language the learner prefers, as the LMS says.
pub fn preferred_language() -> Option<&'static str> {
    launched().and_then(|(launch, _)| launch.preferences.language(&["fr", "en"]))
}

/// Why a launch failed, in the interface's language (the LMS's own words quoted as they are).
fn describe(messages: &Messages, error: &Cmi5Error) -> String {
    fn fill(template: &str, name: &str, value: impl std::fmt::Display) -> String {
        Messages::fill(template, name, value)
    }
    match error {
        Cmi5Error::MissingParameter(name) => fill(messages.cmi5_missing_parameter, "name", name),
        Cmi5Error::BadParameter { name, problem } => {
            fill(&fill(messages.cmi5_bad_parameter, "name", name), "problem", problem)
        }
        Cmi5Error::FetchRefused { code, text } => fill(&fill(messages.cmi5_refused, "code", code), "text", text),
        Cmi5Error::Network(problem) => fill(messages.cmi5_unreachable, "problem", problem),
        Cmi5Error::UntrustedPlatform(origin) => fill(messages.cmi5_untrusted_platform, "origin", origin),
        Cmi5Error::Status { what, status } => fill(&fill(messages.cmi5_status, "status", status), "what", what),
        Cmi5Error::Unreadable { what, problem } => {
            fill(&fill(messages.cmi5_unreadable, "what", what), "problem", problem)
        }
    }
}

/// In the banner: "Quitter" for a cmi5 launch, or why the launch failed.
#[component]
pub fn Cmi5Status() -> impl IntoView {
    let messages = expect_locale();
    match launch_state() {
        None => ().into_any(),
        Some(LaunchState::Failed(error)) => {
            let text = Messages::fill(messages.cmi5_launch_failed, "error", describe(messages, &error));
            view! { <p class="lms-status alert" role="alert">{text}</p> }.into_any()
        }
        Some(LaunchState::Launched(launch, _)) => {
            let tracking = super::tracking::expect_tracking();
            let leaving = RwSignal::new(false);
            let return_url = launch.data.return_url.clone();
            let leave = move |_| {
                leaving.set(true);
                tracking.exit(return_url.clone());
            };
            view! {
                <p class="lms-exit">
                    <button type="button" class="tool-button" on:click=leave disabled=move || leaving.get()>
                        {messages.cmi5_exit}
                    </button>
                    <span role="status">{move || leaving.get().then_some(messages.cmi5_leaving)}</span>
                </p>
            }
            .into_any()
        }
    }
}
