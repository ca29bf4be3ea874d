//! The only module that touches browser APIs. Small functions with plain Rust types, so the UI
//! and the core stay free of `web-sys` details.
//!
//! The same components also run in the native binary, which renders them to HTML for the pages
//! `build` and `package` write (`ui::prerender`). There is no browser there: `window()` is
//! `None`, so every function below does nothing or answers "unknown", and what a page would set
//! in its head (title, language) is recorded for the page being written ([`page_head`]).

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

/// Names the files the page's head links to (its icon, its stylesheet) by their full address.
/// The pages name them relatively (a site or a package works under any path), and the router
/// changes the address from page to page: the browser would fetch the icon again from beside the
/// new address (`…/learn/favicon-….svg`), which is no file.
pub fn pin_head_links() {
    let Some(links) = document().and_then(|d| d.query_selector_all("head link[href]").ok()) else { return };
    for index in 0..links.length() {
        if let Some(link) = links.item(index).and_then(|node| node.dyn_into::<web_sys::HtmlLinkElement>().ok()) {
            // `href` (the property) is the address resolved against the page's.
            let _ = link.set_attribute("href", &link.href());
        }
    }
}

/// In an LMS package the page opens on its one course (named by `<meta name="parcours-course">`,
/// written by `parcours package`): the address of `index.html` becomes the course's overview,
/// keeping the launch parameters.
pub fn open_packaged_course() {
    let Some(slug) = document()
        .and_then(|d| d.query_selector("meta[name=parcours-course]").ok().flatten())
        .and_then(|meta| meta.get_attribute("content"))
    else {
        return;
    };
    let Some(window) = window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let base = site_base();
    if matches!(path.strip_prefix(base.as_str()), Some("" | "/" | "/index.html")) {
        let search = location.search().unwrap_or_default();
        let target = format!("{base}/learn/{slug}{}{search}", crate::course::PAGE_FILE_SUFFIX);
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
        }
    }
}

/// The path the player is served under, without a trailing slash: `""` at the root of a site,
/// `/pluginfile.php/7/mod_scorm/content/1` inside an LMS package. Found from where the page
/// loads the player's script (written by Trunk, made relative in packages), so a deep link
/// such as `/learn/demo/intro` does not change it.
///
/// Pre-rendering, it is the way from the page being written to the site's root (`..` for
/// `/learn/demo`, `../..` for a lesson, `.` for the catalog): the page's links are relative, so
/// that the site works under any path of any host.
pub fn site_base() -> String {
    if !IN_BROWSER {
        return page_head::site_base();
    }
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let base = BASE.get_or_init(|| {
        let script = document()
            .and_then(|d| d.query_selector("link[rel=modulepreload]").ok().flatten())
            .and_then(|link| link.get_attribute("href"));
        let base_uri = document().and_then(|d| d.base_uri().ok().flatten());
        let path = match (script, base_uri) {
            (Some(script), Some(base)) => web_sys::Url::new_with_base(&script, &base).ok().map(|u| u.pathname()),
            _ => None,
        };
        let path = path.unwrap_or_default();
        path[..path.rfind('/').unwrap_or(0)].to_owned()
    });
    base.clone()
}

/// What ends each page's address: [`PAGE_FILE_SUFFIX`](crate::course::PAGE_FILE_SUFFIX) in an
/// LMS package (`<meta name="parcours-course">`, written by `parcours package`), where every page
/// is a file the LMS serves as it is; nothing on a site, whose server sends a folder's
/// `index.html`.
pub fn page_suffix() -> &'static str {
    if meta_content("parcours-course").is_some() {
        crate::course::PAGE_FILE_SUFFIX
    } else {
        ""
    }
}

/// The player's addresses for the course `slug`: under the site's base, each page's ending as
/// [`page_suffix`] says.
pub fn player_urls(slug: &impl std::fmt::Display) -> crate::course::Urls {
    crate::course::Urls::player_at(&site_base(), slug).with_page_suffix(page_suffix())
}

/// The address of the site's first page: the catalog (`…/`), or in an LMS package its
/// `index.html` (an LMS serves no folder), which opens the course.
pub fn home_href() -> String {
    if page_suffix().is_empty() {
        format!("{}/", site_base())
    } else {
        format!("{}/index.html", site_base())
    }
}

/// The path the router reads routes under: the site's base in the browser; none when
/// pre-rendering, where the route is given as it is (`/learn/demo`) and only links are relative.
pub fn router_base() -> String {
    if IN_BROWSER {
        site_base()
    } else {
        String::new()
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
    if !IN_BROWSER || TAKING_OVER.with(std::cell::Cell::get) {
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

pub mod cmi5;
pub mod http;
pub mod page_head;
pub mod scorm;
pub mod storage;

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

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds since the Unix epoch.
pub fn now() -> f64 {
    if IN_BROWSER {
        js_sys::Date::now()
    } else {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        since_epoch.map_or(0.0, |d| d.as_millis() as f64)
    }
}

/// A number in [0, 1) for jitter (not for ids: see [`random_bytes`]).
pub fn random_fraction() -> f64 {
    js_sys::Math::random()
}

/// A date as `language` writes it (`28 novembre 2026`).
pub fn long_date(ms: f64, language: &str) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("day", "numeric"), ("month", "long"), ("year", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    String::from(js_sys::Date::new(&ms.into()).to_locale_date_string(language, &options))
}

/// 16 random bytes from the browser's cryptographic generator (for UUIDs). Pre-rendering, the
/// page's learner is nobody (their progress is neither shown nor kept): zeros, so that a build
/// writes the same pages every time.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if !IN_BROWSER {
        return bytes;
    }
    let filled = window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (very old browser): Math.random is enough for an enrolment id.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
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

thread_local! {
    /// Set while the player takes over a pre-rendered page (its first render, until the frame
    /// after the swap): pages then leave focus and scroll where the learner has them.
    static TAKING_OVER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The id of the element `build` wraps a pre-rendered page's markup in.
const PRERENDERED_ID: &str = "prerendered";

/// A pre-rendered page (written by `build`), which the player renders beside, out of sight, and
/// then takes the place of in one step: the learner reads the page meanwhile, and sees no jump.
pub struct PrerenderedPage {
    shown: web_sys::Element,
    app_root: web_sys::HtmlElement,
}

impl PrerenderedPage {
    /// The page's pre-rendered markup, if this page has some.
    pub fn find() -> Option<PrerenderedPage> {
        let document = document()?;
        let shown = document.get_element_by_id(PRERENDERED_ID)?;
        let app_root: web_sys::HtmlElement = document.create_element("div").ok()?.unchecked_into();
        // Like the pre-rendered wrapper, a box of no layout of its own (see main.css).
        app_root.set_id("app");
        TAKING_OVER.with(|taking_over| taking_over.set(true));
        Some(PrerenderedPage { shown, app_root })
    }

    /// Where the player renders, out of the document until [`PrerenderedPage::replace`].
    pub fn app_root(&self) -> web_sys::HtmlElement {
        self.app_root.clone()
    }

    /// Puts the player in place of the pre-rendered markup, within one task (nothing is painted
    /// in between), with the scroll position and the focused element (by id) kept.
    pub fn replace(self) {
        let Some(window) = window() else { return };
        let scrolled = (window.scroll_x().unwrap_or_default(), window.scroll_y().unwrap_or_default());
        let focused = document().and_then(|d| d.active_element()).map(|e| e.id()).filter(|id| !id.is_empty());
        if self.shown.replace_with_with_node_1(&self.app_root).is_err() {
            return;
        }
        if let Some(id) = focused {
            focus_element(&id);
        }
        // After focusing, which scrolls the element into view.
        window.scroll_to_with_x_and_y(scrolled.0, scrolled.1);
        // After the frame callbacks the first render queued (which leave focus alone).
        leptos::prelude::request_animation_frame(|| TAKING_OVER.with(|taking_over| taking_over.set(false)));
    }
}
