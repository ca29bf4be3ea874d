//! The only module that touches browser APIs. Small functions with plain Rust types, so the UI
//! and the core stay free of `web-sys` details.
//!
//! The same components also run in the native binary, which renders them to HTML for the pages
//! `build` and `package` write (`ui::prerender`). There is no browser there: `window()` is
//! `None`, so every function below does nothing or answers "unknown", and what a page would set
//! in its head (title, language) is recorded for the page being written ([`page_head`]).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Whether this code runs in a browser (the player), not in the native binary (pre-rendering).
pub const IN_BROWSER: bool = cfg!(target_arch = "wasm32");

/// The browser's window; `None` when pre-rendering, where there is none to call.
fn window() -> Option<web_sys::Window> {
    if IN_BROWSER {
        web_sys::window()
    } else {
        None
    }
}

fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// Names the page's icon by its full address. The pages name it relatively (a site or a package
/// works under any path), and the router changes the address from page to page: the browser
/// would fetch the icon again from beside the new address (`…/learn/favicon-….svg`), which is
/// no file. Only the icon: a stylesheet or a preload is fetched once, when the page is read, and
/// giving it a new `href` fetches it again (the player's wasm a second time, 500 KB gzip where a
/// server forbids caching).
pub fn pin_page_icon() {
    let Some(links) = document().and_then(|d| d.query_selector_all("head link[rel~='icon'][href]").ok()) else {
        return;
    };
    for index in 0..links.length() {
        if let Some(link) = links.item(index).and_then(|node| node.dyn_into::<web_sys::HtmlLinkElement>().ok()) {
            // `href` (the property) is the address resolved against the page's.
            let _ = link.set_attribute("href", &link.href());
        }
    }
}

/// Sets the tab's title.
pub fn set_title(title: &str) {
    page_head::record(|head| head.title = title.to_owned());
    if let Some(document) = document() {
        document.set_title(title);
    }
}

/// Sets `<html lang>` so screen readers pronounce the course in its language.
pub fn set_page_language(language: &str) {
    page_head::record(|head| head.language = language.to_owned());
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", language);
    }
}

/// Moves keyboard and screen-reader focus to the element with this id, now. An element that
/// cannot take focus (`main`, a heading) is made focusable from script only (`tabindex="-1"`):
/// the skip link's target, a panel's heading. Whether it was there to focus.
pub fn focus_element(element_id: &str) -> bool {
    let Some(element) = document().and_then(|d| d.get_element_by_id(element_id)) else { return false };
    if !element.has_attribute("tabindex")
        && !matches!(element.tag_name().as_str(), "A" | "BUTTON" | "INPUT" | "SELECT" | "TEXTAREA")
    {
        let _ = element.set_attribute("tabindex", "-1");
    }
    element.dyn_into::<web_sys::HtmlElement>().is_ok_and(|element| element.focus().is_ok())
}

/// Moves focus to the element with this id once the current render is done (it may be about
/// to appear, as a dialog's button).
pub fn focus_soon(element_id: impl Into<String>) {
    if !IN_BROWSER {
        return;
    }
    let element_id = element_id.into();
    leptos::prelude::request_animation_frame(move || {
        focus_element(&element_id);
    });
}

/// Moves keyboard and screen-reader focus to the element with this id (a heading with
/// `tabindex="-1"`), after the current render, and scrolls to the top of the page.
pub fn focus_after_render(element_id: &'static str) {
    if !IN_BROWSER || prerendered::taking_over() {
        // Taking over a pre-rendered page, the learner keeps their place: focus and scroll stay.
        return;
    }
    leptos::prelude::request_animation_frame(move || {
        focus_element(element_id);
        if let Some(window) = window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
}

/// Whether the browser says it is online (`navigator.onLine`).
pub fn is_online() -> bool {
    window().is_none_or(|w| w.navigator().on_line())
}

/// The browser's preferred language (`fr-FR`, `en-US` …), when it says.
pub fn browser_language() -> Option<String> {
    window()?.navigator().language()
}

mod address;
mod clock;
pub mod cmi5;
mod fetch;
pub mod http;
mod navigation;
pub mod page_head;
mod prerendered;
pub mod scorm;
pub mod storage;

pub use address::{home_href, open_packaged_course, page_suffix, player_urls, router_base, site_base};
pub use clock::{long_date, now, random_bytes, random_fraction, sleep_ms};
use fetch::describe;
pub(crate) use fetch::FetchDeadline;
pub use fetch::{fetch_bytes, fetch_bytes_within, fetch_text, fetch_text_within, FetchError, FETCH_TIMEOUT_MS};
pub use navigation::{current_address, follow_links, Address};
pub use prerendered::PrerenderedPage;

/// Asks the service worker (sw.js), once it is ready, to keep these same-origin files for
/// offline use: a course opened during the very first visit was fetched before the worker
/// controlled the page. Without a service worker (refused, an old browser) nothing happens.
pub fn keep_offline(urls: Vec<String>) {
    let Some(window) = window() else { return };
    let container = window.navigator().service_worker();
    let Ok(ready) = container.ready() else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(ready).await else { return };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        let Some(worker) = registration.active() else { return };
        let message = js_sys::Object::new();
        let list: js_sys::Array = urls.iter().map(|u| JsValue::from_str(u)).collect();
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str("keep"));
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str("urls"), &list);
        let _ = worker.post_message(&message);
    });
}

/// Calls `callback` once, the first time the element with this id comes into view. The returned
/// guard stops watching when dropped.
pub fn when_visible(element_id: &str, callback: impl FnOnce() + 'static) -> Option<VisibilityWatch> {
    use wasm_bindgen::closure::Closure;
    let element = document()?.get_element_by_id(element_id)?;
    let mut callback = Some(callback);
    let closure = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let visible =
            entries.iter().any(|entry| entry.unchecked_into::<web_sys::IntersectionObserverEntry>().is_intersecting());
        if visible {
            if let Some(callback) = callback.take() {
                callback();
            }
        }
    });
    let observer = web_sys::IntersectionObserver::new(closure.as_ref().unchecked_ref()).ok()?;
    observer.observe(&element);
    Some(VisibilityWatch { observer, _closure: closure })
}

/// Stops an [`when_visible`] watch when dropped.
pub struct VisibilityWatch {
    observer: web_sys::IntersectionObserver,
    _closure: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for VisibilityWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Whether the page is shown (not in a background tab or minimised).
pub fn page_visible() -> bool {
    document().is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Offers `contents` as a file download named `file_name`.
pub fn download(file_name: &str, contents: &str, mime: &str) -> Result<(), String> {
    let describe = |e: JsValue| describe(&e);
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let document = document().ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(describe)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(window) = window() {
        let _ = window.print();
    }
}

/// Loads the page again (a new interface language, a course changed in the preview, a retry).
pub fn reload_page() {
    if let Some(window) = window() {
        let _ = window.location().reload();
    }
}

/// Leaves for `url` (an LMS's `returnURL`, checked by `lms::cmi5` before it gets here).
pub fn go_to(url: &str) {
    if let Some(window) = window() {
        let _ = window.location().assign(url);
    }
}

/// The page's origin (`https://campus.example.gouv.fr`).
pub fn page_origin() -> Option<String> {
    window()?.location().origin().ok()
}

/// The `content` of the page's `<meta name="…">`, when there is one.
pub fn meta_content(name: &str) -> Option<String> {
    if !IN_BROWSER {
        return page_head::meta(name);
    }
    let selector = format!("meta[name=\"{name}\"]");
    document()?.query_selector(&selector).ok().flatten()?.get_attribute("content")
}

/// An attribute of `<html>` (`data-theme`: the theme index.html set before the first paint).
pub fn root_attribute(name: &str) -> Option<String> {
    document()?.document_element()?.get_attribute(name)
}

/// Sets an attribute of `<html>`.
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute(name, value);
    }
}

/// A file the learner chose in an `<input type="file">`: its size, then its text.
pub struct ChosenFile(web_sys::File);

impl ChosenFile {
    /// The file chosen in the input an event came from; the input is emptied, so that choosing
    /// the same file again is a new choice.
    pub fn from_input_event(event: &web_sys::Event) -> Option<ChosenFile> {
        let input = event.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
        let file = input.files()?.get(0)?;
        input.set_value("");
        Some(ChosenFile(file))
    }

    pub fn size(&self) -> f64 {
        self.0.size()
    }

    /// The file's text (empty when it cannot be read).
    pub async fn text(self) -> String {
        JsFuture::from(self.0.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default()
    }
}

/// The playhead and length of the media element an event came from: (current time, duration),
/// in seconds (the duration is `NaN` until known).
pub fn media_times(event: &web_sys::Event) -> Option<(f64, f64)> {
    let element = event.target()?.dyn_into::<web_sys::HtmlMediaElement>().ok()?;
    Some((element.current_time(), element.duration()))
}

/// Moves the playhead of the media element with this id (to resume where the learner stopped).
pub fn seek_media(element_id: &str, seconds: f64) {
    let element = document().and_then(|d| d.get_element_by_id(element_id));
    if let Some(media) = element.and_then(|e| e.dyn_into::<web_sys::HtmlMediaElement>().ok()) {
        media.set_current_time(seconds);
    }
}
