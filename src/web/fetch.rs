//! Fetching files of the site (the catalog, a course, `config.json`), with a deadline.

use super::window;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The server answered, with a status that is not a success.
    #[error("HTTP {status} for {url}")]
    Status { url: String, status: u16 },
    /// No answer: offline, server down, or the request was refused.
    #[error("network error for {url}: {message}")]
    Network { url: String, message: String },
}

impl FetchError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, FetchError::Status { status: 404, .. })
    }
}

pub(super) fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// How long a course file, the catalog or the configuration may take to arrive. Generous for a
/// slow network (a lesson is a few kilobytes), but bounded: a stalled request becomes an error
/// the learner can act on (the page offers to try again) instead of "Loading…" forever.
pub const FETCH_TIMEOUT_MS: f64 = 30_000.0;

/// Aborts a request that has not fully arrived (answer and body) by its deadline, so that no
/// request of the player waits forever. Disarmed when dropped (the timer and its callback go with
/// it, so a long-poll loop leaves nothing behind).
pub(crate) struct FetchDeadline {
    timer: Option<i32>,
    fired: std::rc::Rc<std::cell::Cell<bool>>,
    timeout_ms: f64,
    _on_timeout: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl FetchDeadline {
    /// Arms the deadline on `init` (its abort signal).
    pub(crate) fn arm(init: &web_sys::RequestInit, timeout_ms: f64) -> Result<FetchDeadline, JsValue> {
        let window = window().ok_or_else(|| JsValue::from_str("no window"))?;
        let abort = web_sys::AbortController::new()?;
        init.set_signal(Some(&abort.signal()));
        let fired = std::rc::Rc::new(std::cell::Cell::new(false));
        let on_timeout = {
            let fired = fired.clone();
            wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                fired.set(true);
                abort.abort();
            })
        };
        let timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                on_timeout.as_ref().unchecked_ref(),
                timeout_ms as i32,
            )
            .ok();
        Ok(FetchDeadline { timer, fired, timeout_ms, _on_timeout: on_timeout })
    }

    /// Why the request failed: the deadline if it fired (the browser only says "aborted").
    pub(crate) fn explain(&self, error: &JsValue) -> String {
        if self.fired.get() {
            format!("no complete answer within {} s", self.timeout_ms / 1000.0)
        } else {
            describe(error)
        }
    }
}

impl Drop for FetchDeadline {
    fn drop(&mut self) {
        // Cleared before the callback is dropped with the other fields: it can never run freed.
        if let (Some(timer), Some(window)) = (self.timer, window()) {
            window.clear_timeout_with_handle(timer);
        }
    }
}

/// GETs `url` and returns the body's bytes, within [`FETCH_TIMEOUT_MS`].
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    fetch_bytes_within(url, FETCH_TIMEOUT_MS).await
}

/// GETs `url` and returns the body's bytes, giving up after `timeout_ms`.
pub async fn fetch_bytes_within(url: &str, timeout_ms: f64) -> Result<Vec<u8>, FetchError> {
    let network = |message: String| FetchError::Network { url: url.to_owned(), message };
    let window = window().ok_or_else(|| network("no window".to_owned()))?;
    let init = web_sys::RequestInit::new();
    let deadline = FetchDeadline::arm(&init, timeout_ms).map_err(|e| network(describe(&e)))?;
    let failed = |value: JsValue| network(deadline.explain(&value));
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(failed)?.unchecked_into();
    if !response.ok() {
        return Err(FetchError::Status { url: url.to_owned(), status: response.status() });
    }
    // Static hosts with a single-page-app fallback answer index.html for a missing file: we never
    // fetch HTML, so an HTML answer means "not found".
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_default();
    if content_type.starts_with("text/html") && !url.ends_with(".html") {
        return Err(FetchError::Status { url: url.to_owned(), status: 404 });
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(failed)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// GETs `url` as UTF-8 text (invalid bytes are replaced), within [`FETCH_TIMEOUT_MS`].
pub async fn fetch_text(url: &str) -> Result<String, FetchError> {
    fetch_text_within(url, FETCH_TIMEOUT_MS).await
}

/// GETs `url` as UTF-8 text, giving up after `timeout_ms`.
pub async fn fetch_text_within(url: &str, timeout_ms: f64) -> Result<String, FetchError> {
    fetch_bytes_within(url, timeout_ms).await.map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}
