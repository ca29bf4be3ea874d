//! Moving from page to page without reloading the player: the address bar, history, and the
//! clicks on links to the player's own pages. The router (`ui::router`) decides which paths
//! are pages; this module only reads and changes the browser's address.

use super::{document, window, IN_BROWSER};
use leptos::prelude::{request_animation_frame, window_event_listener};
use wasm_bindgen::{JsCast, JsValue};

/// The page's address as the router reads it: the path (the site's base included) and the query
/// (`?details`, with its `?`, or empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    pub path: String,
    pub search: String,
}

/// The address the browser shows now.
pub fn current_address() -> Address {
    let Some(location) = window().map(|w| w.location()) else { return Address::default() };
    Address { path: location.pathname().unwrap_or_default(), search: location.search().unwrap_or_default() }
}

/// Follows the learner from page to page: a click on a link to one of the player's pages (a path
/// for which `is_page` holds) changes the address without reloading, and so do the browser's
/// back and forward buttons; `moved` is then called with the new address. Every other link is
/// left to the browser: another site, a file of a course, a link opening elsewhere (`target`),
/// a download, `rel="external"`, a click with a modifier key (a new tab), and a link to a place
/// in the same page (`#section`), which the browser scrolls to and keeps in history itself.
pub fn follow_links(is_page: impl Fn(&str) -> bool + 'static, moved: impl Fn(Address) + Clone + 'static) {
    if !IN_BROWSER {
        return;
    }
    let on_history = moved.clone();
    window_event_listener(leptos::ev::popstate, move |_| on_history(current_address()));
    window_event_listener(leptos::ev::click, move |event| {
        if let Some(address) = page_link_followed(&event, &is_page) {
            moved(address);
        }
    });
}

/// The page a click leads to, once the click is taken over (its default prevented and the
/// address pushed to history); `None` when the browser should follow the link itself.
fn page_link_followed(event: &web_sys::MouseEvent, is_page: &impl Fn(&str) -> bool) -> Option<Address> {
    let modified = event.meta_key() || event.alt_key() || event.ctrl_key() || event.shift_key();
    if event.default_prevented() || event.button() != 0 || modified {
        return None;
    }
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let link = target.closest("a[href]").ok()??.dyn_into::<web_sys::HtmlAnchorElement>().ok()?;
    let rel = link.rel();
    if !link.target().is_empty()
        || link.has_attribute("download")
        || rel.split_ascii_whitespace().any(|r| r == "external")
    {
        return None;
    }
    // `href`, the property, is the address resolved against the page's.
    let url = web_sys::Url::new(&link.href()).ok()?;
    let location = window()?.location();
    if url.origin() != location.origin().ok()? || !is_page(&url.pathname()) {
        return None;
    }
    let address = Address { path: url.pathname(), search: url.search() };
    let hash = url.hash();
    if address == current_address() && !hash.is_empty() {
        return None;
    }
    event.prevent_default();
    let full = format!("{}{}{hash}", address.path, address.search);
    if let Ok(history) = window()?.history() {
        if location.href().ok().as_deref() != Some(url.href().as_str()) {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&full));
        }
    }
    scroll_to_place(hash);
    Some(address)
}

/// After moving to a page: to the element the address's `#…` names once the page is drawn, else
/// to the top (each page then moves focus to its title, `focus_after_render`).
fn scroll_to_place(hash: String) {
    let id = hash.strip_prefix('#').map(|id| js_sys::decode_uri_component(id).map_or(id.to_owned(), String::from));
    match id.filter(|id| !id.is_empty()) {
        Some(id) => request_animation_frame(move || match document().and_then(|d| d.get_element_by_id(&id)) {
            Some(element) => element.scroll_into_view(),
            None => scroll_to_top(),
        }),
        None => scroll_to_top(),
    }
}

fn scroll_to_top() {
    if let Some(window) = window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
