//! The pages `build` and `package` write: the app's own components, rendered to HTML in the
//! native binary at each route, so that a lesson reads before the WebAssembly arrives (and with
//! JavaScript off), and every address of the player is a file a plain server can send.
//!
//! One source of truth for the markup: this renders [`super::App`] itself, at the route's
//! path, with the catalog or the course given in hand (`data::Preloaded`) instead of fetched. The
//! browser's glue is inert here (`web::IN_BROWSER`): no learner, no storage, no focus.

use super::data::Preloaded;
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
pub struct Site<'a> {
    /// The language of the site (the catalog's page), as `<meta name="parcours-language">`.
    pub language: &'a str,
    pub catalog: Option<&'a Catalog>,
    pub course: Option<&'a Arc<Course>>,
}

/// Renders the app at `path` (`/`, `/learn/demo`, `/learn/demo/intro` …).
pub fn render(path: &str, site: &Site) -> RenderedPage {
    page_head::begin(vec![("parcours-language".to_owned(), site.language.to_owned())]);
    let shared = Arc::new(hydration_context::SsrSharedContext::new());
    let owner = Owner::new_root(Some(shared));
    let preloaded = Preloaded { catalog: site.catalog.cloned(), course: site.course.cloned() };
    let body = owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(path));
        provide_context(preloaded);
        view! { <super::App cmi5=None/> }.to_html()
    });
    drop(owner);
    RenderedPage { head: page_head::finish(), body }
}

/// Every route of `course`, as the router reads them: its overview, lessons, assessments and
/// attestation.
pub fn routes_of(course: &Course) -> Vec<String> {
    let base = format!("/learn/{}", course.slug);
    let mut routes = vec![base.clone()];
    routes.extend(course.lessons().map(|lesson| format!("{base}/{}", lesson.id)));
    routes.extend(course.assessments.iter().map(|assessment| format!("{base}/assessment/{}", assessment.id)));
    routes.push(format!("{base}/attestation"));
    routes
}

#[cfg(test)]
mod tests;
