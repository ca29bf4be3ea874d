//! The Leptos client-side app: routes, the page frame, and one file per routed page.
//!
//! Routes (they survive a reload, so every page can be bookmarked):
//! - `/`: the catalog;
//! - `/learn/:course`: a course's overview;
//! - `/learn/:course/:lesson`: a lesson;
//! - `/learn/:course/assessment/:assessment`: a graded assessment;
//! - `/learn/:course/attestation`: the printable attestation of completion.

mod assessment_page;
mod attestation_page;
mod author;
mod catalog_page;
mod course_page;
mod data;
mod lesson_page;
mod not_found;
mod progress;
mod progress_panel;
mod quiz;
mod toc;
mod tracking;
mod tracking_panel;

use crate::i18n::Messages;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

pub use data::{load_course, CourseLoadError};

/// The interface language of the current page, as context: the course's language inside a
/// course, the browser's elsewhere.
#[derive(Clone, Copy)]
pub struct Locale(pub &'static Messages);

/// Provides the locale for the components below.
pub fn provide_locale(language: &str) -> &'static Messages {
    let messages = Messages::for_language(language);
    provide_context(Locale(messages));
    messages
}

/// The locale provided above this component.
#[track_caller]
pub fn expect_locale() -> &'static Messages {
    use_context::<Locale>().map_or(&crate::i18n::FR, |locale| locale.0)
}

/// The whole player.
#[component]
pub fn App() -> impl IntoView {
    let browser_language = crate::web::browser_language().unwrap_or_default();
    provide_locale(&browser_language);
    tracking::provide_tracking();
    view! {
        <author::LiveReload/>
        <Router>
            <Routes fallback=|| view! { <not_found::NotFoundPage/> }>
                <Route path=path!("/") view=catalog_page::CatalogPage/>
                <ParentRoute path=path!("/learn/:course") view=course_page::CourseShell>
                    <Route path=path!("") view=course_page::CourseOverview/>
                    <Route path=path!("assessment/:assessment") view=assessment_page::AssessmentPage/>
                    <Route path=path!("attestation") view=attestation_page::AttestationPage/>
                    <Route path=path!(":lesson") view=lesson_page::LessonPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The frame of every page: a skip link, the banner, and the main region.
#[component]
pub fn PageFrame(
    /// Shown in the banner after the product name (the course title inside a course).
    #[prop(optional, into)]
    subtitle: Option<String>,
    /// The page's content.
    children: Children,
) -> impl IntoView {
    let messages = expect_locale();
    view! {
        <a class="skip-link" href="#main">{messages.skip_to_content}</a>
        <header class="banner">
            <a class="brand" href="/">{messages.app_name}</a>
            {subtitle.map(|s| view! { <span class="banner-course">{s}</span> })}
            <tracking_panel::TrackingStatus/>
        </header>
        <author::AuthorBanner/>
        {children()}
    }
}
