//! The only module that touches browser APIs. Small functions with plain Rust types, so the UI
//! and the core stay free of `web-sys` details.

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

fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// GETs `url` and returns the body's bytes.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    let network = |value: JsValue| FetchError::Network { url: url.to_owned(), message: describe(&value) };
    let window = web_sys::window().ok_or_else(|| network(JsValue::from_str("no window")))?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(url)).await.map_err(network)?.unchecked_into();
    if !response.ok() {
        return Err(FetchError::Status { url: url.to_owned(), status: response.status() });
    }
    // Static hosts with a single-page-app fallback answer index.html for a missing file: we never
    // fetch HTML, so an HTML answer means "not found".
    let content_type = response.headers().get("content-type").ok().flatten().unwrap_or_default();
    if content_type.starts_with("text/html") && !url.ends_with(".html") {
        return Err(FetchError::Status { url: url.to_owned(), status: 404 });
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(network)?).await.map_err(network)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// GETs `url` as UTF-8 text (invalid bytes are replaced).
pub async fn fetch_text(url: &str) -> Result<String, FetchError> {
    fetch_bytes(url).await.map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Sets the tab's title.
pub fn set_title(title: &str) {
    if let Some(document) = document() {
        document.set_title(title);
    }
}

/// Sets `<html lang>` so screen readers pronounce the course in its language.
pub fn set_page_language(language: &str) {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", language);
    }
}

/// Moves keyboard and screen-reader focus to the element with this id (a heading with
/// `tabindex="-1"`), after the current render, and scrolls to the top of the page.
pub fn focus_after_render(element_id: &'static str) {
    let focus = move || {
        if let Some(element) = document().and_then(|d| d.get_element_by_id(element_id)) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    };
    leptos::prelude::request_animation_frame(focus);
}

/// The browser's preferred language (`fr-FR`, `en-US` …), when it says.
pub fn browser_language() -> Option<String> {
    web_sys::window()?.navigator().language()
}
