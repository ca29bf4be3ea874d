//! The pages `build` and `package` write: the app's own components, rendered to HTML in the
//! native binary at each route, so that a lesson reads before the WebAssembly arrives (and with
//! JavaScript off), and every address of the player is a file a plain server can send.
//!
//! One source of truth for the markup: this renders [`super::App`] itself, at the route's
//! path, with the catalog or the course given in hand (`data::Preloaded`) instead of fetched. The
//! browser's glue is inert here (`web::IN_BROWSER`): no learner, no storage, no focus.

use super::data::Preloaded;
pub use super::routes_of;
use crate::course::catalog::Catalog;
use crate::course::Course;
use crate::web::page_head::{self, PageHead};
use leptos::prelude::*;
use std::sync::Arc;

/// One page, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPage {
    /// Title and language, as the page's components set them.
    pub head: PageHead,
    /// The app's markup, to go in `<body>`.
    pub body: String,
}

/// What a page is rendered with.
#[derive(Default, Clone, Copy)]
pub struct Site<'a> {
    /// The language of the site (the catalog's page), as `<meta name="parcours-language">`.
    pub language: &'a str,
    pub catalog: Option<&'a Catalog>,
    pub course: Option<&'a Arc<Course>>,
    /// An LMS package of `course` (`<meta name="parcours-course">`): each page a file of its own
    /// (`web::page_suffix`).
    pub packaged: bool,
}

/// The way from the page of `route` to the site's root, for relative links: a page is served
/// at its route's address (`/learn/demo/intro`, whose folder is `/learn/demo/`), so `..` per
/// folder (`../..`), or `.` for the catalog.
pub fn way_to_root(route: &str) -> String {
    let folders = route.trim_matches('/').split('/').filter(|part| !part.is_empty()).count().saturating_sub(1);
    if folders == 0 {
        ".".to_owned()
    } else {
        vec![".."; folders].join("/")
    }
}

/// Renders the app at `path` (`/`, `/learn/demo`, `/learn/demo/intro` …), every link relative.
pub fn render(path: &str, site: &Site) -> RenderedPage {
    render_at(path, &way_to_root(path), site)
}

/// Renders the app at `path` for a page `base` away from the site's root: a package's
/// `index.html`, at its root, shows its course's overview.
pub fn render_at(path: &str, base: &str, site: &Site) -> RenderedPage {
    let base = base.to_owned();
    let mut meta = vec![("parcours-language".to_owned(), site.language.to_owned())];
    if let (true, Some(course)) = (site.packaged, site.course) {
        meta.push(("parcours-course".to_owned(), course.slug.to_string()));
    }
    page_head::begin(meta, base.clone());
    let shared = Arc::new(hydration_context::SsrSharedContext::new());
    let owner = Owner::new_root(Some(shared));
    let course = site.course.map(|course| {
        let mut course = course.as_ref().clone();
        course
            .set_urls(crate::course::Urls::player_at(&base, &course.slug).with_page_suffix(crate::web::page_suffix()));
        Arc::new(course)
    });
    let preloaded = Preloaded { catalog: site.catalog.cloned(), course };
    let body = owner.with(|| {
        provide_context(super::ServerAddress(path.to_owned()));
        provide_context(preloaded);
        view! { <super::App cmi5=None/> }.to_html()
    });
    drop(owner);
    RenderedPage { head: page_head::finish(), body }
}

#[cfg(test)]
mod tests;
