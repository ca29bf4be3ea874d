//! The head of the page being pre-rendered: what the app's components set on the document as
//! they render (title, language), recorded for the native binary to write into the page, and
//! the `<meta>` values the page will carry, given before rendering. In the browser, nothing is
//! recorded: the document itself holds them.

use std::cell::RefCell;

/// The head of one pre-rendered page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHead {
    /// What `set_title` set last.
    pub title: String,
    /// What `set_page_language` set last (`<html lang>`).
    pub language: String,
    /// The page's `<meta name content>`, as `meta_content` reads them.
    pub meta: Vec<(String, String)>,
    /// The way from the page to the site's root, as `site_base` gives it (`../..`).
    pub site_base: String,
}

thread_local! {
    // One render at a time per thread: `ui::prerender` starts each page with `begin`.
    static HEAD: RefCell<PageHead> = RefCell::new(PageHead::default());
}

/// Starts a page with these `<meta>` values, `site_base` away from the site's root.
pub fn begin(meta: Vec<(String, String)>, site_base: String) {
    HEAD.with(|head| *head.borrow_mut() = PageHead { meta, site_base, ..PageHead::default() });
}

/// The page's head, as its components left it.
pub fn finish() -> PageHead {
    HEAD.with(|head| head.take())
}

pub(super) fn record(change: impl FnOnce(&mut PageHead)) {
    if !super::IN_BROWSER {
        HEAD.with(|head| change(&mut head.borrow_mut()));
    }
}

pub(super) fn site_base() -> String {
    HEAD.with(|head| head.borrow().site_base.clone())
}

pub(super) fn meta(name: &str) -> Option<String> {
    HEAD.with(|head| head.borrow().meta.iter().find(|(n, _)| n == name).map(|(_, content)| content.clone()))
}
