//! The take-over of a pre-rendered page by the player (`build` writes one per route).

use super::{document, focus_element, window};
use wasm_bindgen::JsCast;

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

/// Whether the player is taking over a pre-rendered page (see [`PrerenderedPage`]).
pub(super) fn taking_over() -> bool {
    TAKING_OVER.with(std::cell::Cell::get)
}
