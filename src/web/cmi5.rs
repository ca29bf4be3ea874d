//! A cmi5 launch's calls to the LMS (cmi5 §8, §10): reading the launch link, fetching the token,
//! the launch data, the learner's preferences and the progress saved by this registration, then
//! saving progress through the State API. The rules (which link to follow, what the answers mean)
//! are `lms::cmi5`'s; this module only carries them over HTTP.

use super::fetch_text;
use super::http::{get, post_empty, put_json};
use super::storage::BrowserStore;
use crate::lms::cmi5::{
    auth_token, Cmi5Error, Cmi5Launch, LaunchData, LaunchParams, LearnerPreferences, LAUNCH_DATA_STATE, PROGRESS_STATE,
};
use crate::progress::store::KeyValueStore;
use crate::xapi::config::{TrackingConfig, CONFIG_FILE};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

/// How long each request of the launch may take.
const LAUNCH_TIMEOUT_MS: f64 = 20_000.0;

/// A launch the LMS accepted: what it said, and how to talk to it for the page's life.
#[derive(Clone)]
pub struct Cmi5Connection {
    pub launch: Arc<Cmi5Launch>,
    /// The `Authorization` header for the LMS's xAPI endpoint.
    pub authorization: String,
    saves: Rc<ProgressSaves>,
}

/// The progress to save in the LMS next, and the save on its way: one at a time, so an older
/// save never lands after a newer one.
#[derive(Default)]
struct ProgressSaves {
    next: RefCell<Option<String>>,
    in_flight: RefCell<Option<String>>,
    /// The session is ending: the token is good until `terminated` only (cmi5 8.1.2.0-2), so the
    /// last save has been sent and nothing more is.
    ended: Cell<bool>,
}

/// The launch parameters (§8.1) of this page's address, or else of the launch this tab followed
/// before: inside an LMS package the learner moves to other pages (`…/learn/demo/intro.html`,
/// without the launch's parameters) and may reload one; that page still belongs to the launch.
fn launch_query() -> Vec<(String, String)> {
    let search = super::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let from_address = launch_pairs(&search);
    if !from_address.is_empty() {
        return from_address;
    }
    if super::page_suffix().is_empty() {
        // A site, not a package: only its address launches it.
        return Vec::new();
    }
    let remembered = BrowserStore::session().get(LAUNCH_KEY).ok().flatten().unwrap_or_default();
    launch_pairs(&remembered)
}

/// The cmi5 parameters of a query string (`?endpoint=…&fetch=…`), decoded.
fn launch_pairs(search: &str) -> Vec<(String, String)> {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else { return Vec::new() };
    ["endpoint", "fetch", "actor", "registration", "activityId"]
        .into_iter()
        .filter_map(|name| params.get(name).map(|value| (name.to_owned(), value)))
        .collect()
}

/// Where a package's page keeps the query of the launch that opened it, as soon as it loads
/// (index.html's first script): checked again, as an address's, whenever it is read back.
const LAUNCH_KEY: &str = "parcours:cmi5:launch";

fn xapi_headers(authorization: &str) -> [(&'static str, &str); 2] {
    [("Authorization", authorization), ("X-Experience-API-Version", "1.0.3")]
}

/// Where this tab keeps the token of a launch: a fetch URL answers once, and the learner may
/// reload the page.
fn token_key(params: &LaunchParams) -> String {
    format!("parcours:cmi5:token:{}:{}", params.registration, params.fetch)
}

/// Where this tab notes that it ended the launch's session (sent `terminated`): a reload or a
/// return to the page may not use the token again.
fn ended_key(params: &LaunchParams) -> String {
    format!("parcours:cmi5:ended:{}:{}", params.registration, params.fetch)
}

async fn connect(params: LaunchParams) -> Result<Cmi5Connection, Cmi5Error> {
    let session = BrowserStore::session();
    if session.get(&ended_key(&params)).ok().flatten().is_some() {
        return Err(Cmi5Error::SessionEnded);
    }
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
    Ok(Cmi5Connection {
        launch: Arc::new(Cmi5Launch { params, data, preferences, saved_progress }),
        authorization,
        saves: Rc::default(),
    })
}

/// Where this site accepts cmi5 launches from (`config.json`'s `cmi5`), or `None` when it
/// accepts none (a site built with `parcours build`, a SCORM package).
async fn accepted_launch_origins() -> Result<Option<Vec<String>>, Cmi5Error> {
    let url = format!("{}/{CONFIG_FILE}", super::site_base());
    let text = fetch_text(&url).await.map_err(|error| Cmi5Error::Network(error.to_string()))?;
    let config = TrackingConfig::parse(&text)
        .map_err(|error| Cmi5Error::Unreadable { what: "configuration (config.json)", problem: error.to_string() })?;
    Ok(config.cmi5.map(|cmi5| cmi5.allowed_origins))
}

/// Follows the cmi5 launch the page's address carries, if this site accepts one: `None` when
/// there is none to follow, else the connection or why the launch failed.
pub async fn connect_if_launched() -> Option<Result<Cmi5Connection, Cmi5Error>> {
    let params = LaunchParams::from_query(&launch_query())?;
    match accepted_launch_origins().await {
        Ok(None) => {
            // A link to a normal site with launch parameters: not a launch, and not obeyed.
            leptos::logging::warn!("cmi5 launch parameters ignored: this site accepts no cmi5 launch");
            None
        }
        Err(error) => Some(Err(error)),
        Ok(Some(allowed)) => match params.and_then(|p| p.check_origins(&allowed).map(|()| p)) {
            Err(error) => Some(Err(error)),
            Ok(params) => Some(connect(params).await),
        },
    }
}

impl Cmi5Connection {
    /// Saves the learner's progress (compact form) in the LMS's State API, for this
    /// registration: the latest one wins; `keepalive` when the page is closing. A failed save is
    /// tried again at the next change or when the page closes; progress is in this browser
    /// meanwhile.
    pub fn save_progress(&self, compact: String, keepalive: bool) {
        if self.saves.ended.get() {
            return;
        }
        *self.saves.next.borrow_mut() = Some(compact);
        if keepalive || self.saves.in_flight.borrow().is_none() {
            self.send_progress(keepalive);
        }
    }

    /// The session is about to end with `terminated`: the last progress is sent if it is not
    /// saved yet, and no save is sent after it. The learner leaving with "Quitter" waits for
    /// [`Cmi5Connection::progress_settled`] before `terminated`; a closing page cannot wait, so
    /// its last save (and the one on its way, which the closing cancels) goes with `keepalive`
    /// just before `terminated`.
    pub fn finish_saving(&self, page_closing: bool) {
        if self.saves.ended.replace(true) {
            return;
        }
        let _ = BrowserStore::session().set(&ended_key(&self.launch.params), "terminated");
        if page_closing {
            let waiting = self.saves.next.borrow_mut().take();
            if let Some(body) = waiting.or_else(|| self.saves.in_flight.borrow().clone()) {
                *self.saves.next.borrow_mut() = Some(body);
                self.send_progress(true);
            }
        } else if self.saves.in_flight.borrow().is_none() {
            // Else the save on its way sends the waiting one when it lands.
            self.send_progress(false);
        }
    }

    /// Whether every save given has been answered.
    pub fn progress_settled(&self) -> bool {
        self.saves.in_flight.borrow().is_none() && self.saves.next.borrow().is_none()
    }

    fn send_progress(&self, keepalive: bool) {
        let Some(body) = self.saves.next.borrow_mut().take() else { return };
        *self.saves.in_flight.borrow_mut() = Some(body.clone());
        let connection = self.clone();
        leptos::task::spawn_local(async move {
            let url = connection.launch.params.state_url(PROGRESS_STATE);
            let headers = xapi_headers(&connection.authorization);
            let answer = put_json(&url, &body, &headers, keepalive, LAUNCH_TIMEOUT_MS).await;
            let mut in_flight = connection.saves.in_flight.borrow_mut();
            if in_flight.as_ref() == Some(&body) {
                *in_flight = None;
            }
            drop(in_flight);
            if !matches!(answer.status, Some(200..=299)) {
                // Kept for the next try, unless a newer one is waiting (none after the end).
                if !connection.saves.ended.get() {
                    connection.saves.next.borrow_mut().get_or_insert(body);
                }
            } else if connection.saves.next.borrow().is_some() && connection.saves.in_flight.borrow().is_none() {
                connection.send_progress(false);
            }
        });
    }
}
