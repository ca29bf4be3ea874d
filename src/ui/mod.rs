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
mod cmi5;
mod course_page;
mod data;
mod lesson_page;
mod lms;
mod media;
mod not_found;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
mod progress;
mod progress_panel;
mod quiz;
mod router;
mod satisfaction;
mod toc;
mod tracking;
mod tracking_panel;

use crate::i18n::Messages;
use leptos::prelude::*;
use router::{CoursePageKind, Frame};

pub use data::{load_course, CourseLoadError};
pub use lms::LmsSession;
pub use router::ServerAddress;

/// The interface language of the current page, as context: the course's language inside a
/// course, the browser's elsewhere.
#[derive(Clone, Copy)]
pub struct Locale(pub &'static Messages);

/// Where the learner's choice of interface language is kept.
const LANGUAGE_KEY: &str = "parcours:language";
/// Where the learner's choice of theme is kept (read by index.html before the first paint).
const THEME_KEY: &str = "parcours:theme";

fn preference(key: &str) -> Option<String> {
    use crate::progress::store::KeyValueStore;
    crate::web::storage::BrowserStore::local().get(key).ok().flatten()
}

fn set_preference(key: &str, value: &str) {
    use crate::progress::store::KeyValueStore;
    // Denied storage: the choice holds for this page only.
    let _ = crate::web::storage::BrowserStore::local().set(key, value);
}

/// Provides the locale for the components below: the learner's choice if they made one with the
/// switch, else `language` (the course's, or the browser's outside a course).
pub fn provide_locale(language: &str) -> &'static Messages {
    // The learner's choice here, else the one the LMS knows (cmi5), else the page's language.
    let lms_language = use_context::<LmsSession>().and_then(LmsSession::preferred_language);
    let chosen = preference(LANGUAGE_KEY).or_else(|| lms_language.map(str::to_owned));
    let messages = Messages::for_language(&chosen.unwrap_or_else(|| language.to_owned()));
    provide_context(Locale(messages));
    messages
}

/// The locale provided above this component.
#[track_caller]
pub fn expect_locale() -> &'static Messages {
    use_context::<Locale>().map_or(&crate::i18n::FR, |locale| locale.0)
}

/// What to do once the first page shows its content: take the place of the pre-rendered page.
#[derive(Clone, Copy)]
struct OnPageShown(StoredValue<Option<Box<dyn FnOnce()>>, LocalStorage>);

/// Calls `then` once, when the first page shows its content (see [`page_shown`]).
pub fn when_page_shown(then: impl FnOnce() + 'static) {
    provide_context(OnPageShown(StoredValue::new_local(Some(Box::new(then)))));
}

/// A page shows its content (not "loading"): the pre-rendered page it replaces can go, once
/// this render is done.
fn page_shown() {
    let Some(OnPageShown(then)) = use_context::<OnPageShown>() else { return };
    if let Some(then) = then.try_update_value(Option::take).flatten() {
        queue_microtask(then);
    }
}

/// Every route of `course`, as the router reads them: its overview, lessons, assessments and
/// attestation (each a pre-rendered page in a built site).
pub fn routes_of(course: &crate::course::Course) -> Vec<String> {
    let base = format!("/learn/{}", course.slug);
    let mut routes = vec![base.clone()];
    routes.extend(course.lessons().map(|lesson| format!("{base}/{}", lesson.id)));
    routes.extend(course.assessments.iter().map(|assessment| format!("{base}/assessment/{}", assessment.id)));
    routes.push(format!("{base}/attestation"));
    routes
}

/// A parameter of the current route, typed: a page gets an id, or `None` when the address holds
/// none that is valid (then it shows "not found"), never a raw string to parse again. In an LMS
/// package a page's address ends with `.html` (`…/learn/demo/intro.html`): the same page.
fn route_param<T>(name: &'static str) -> Memo<Option<T>>
where
    T: std::str::FromStr + Clone + PartialEq + Send + Sync + 'static,
{
    let route = router::use_route();
    Memo::new(move |_| {
        route.with(|route| route.param(name).and_then(|raw| crate::course::route_segment(raw).parse().ok()))
    })
}

/// What the last action of a form did, said once by a polite live region: `done` when it worked,
/// the reason when it did not.
#[component]
pub fn OutcomeStatus(outcome: RwSignal<Option<Result<(), String>>>, done: &'static str) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite">
            {move || outcome.get().map(|result| match result {
                Ok(()) => view! { <p class="import-ok">{done}</p> }.into_any(),
                Err(text) => view! { <p class="feedback-error">{text}</p> }.into_any(),
            })}
        </div>
    }
}

/// The whole player. `cmi5`: the cmi5 launch followed before it started (its token, launch data
/// and the learner's language), if the address carried one this site accepts.
#[component]
pub fn App(cmi5: Option<Result<crate::web::cmi5::Cmi5Connection, crate::lms::cmi5::Cmi5Error>>) -> impl IntoView {
    lms::provide_lms_session(cmi5);
    // The site's language (its courses', written into the page by `build`), else the browser's.
    let language = crate::web::meta_content("parcours-language").or_else(crate::web::browser_language);
    provide_locale(&language.unwrap_or_default());
    tracking::provide_tracking();
    crate::web::pin_page_icon();
    crate::web::open_packaged_course();
    let route = router::provide_router();
    // A course's frame (its loading, its table of contents) stays while the learner moves
    // between its pages: only a change between the catalog, a course and "not found" rebuilds it.
    let frame = Memo::new(move |_| route.with(router::Route::frame));
    let shown = move || match frame.get() {
        Frame::Catalog => view! { <catalog_page::CatalogPage/> }.into_any(),
        Frame::NotFound => view! { <not_found::NotFoundPage/> }.into_any(),
        Frame::Course => view! { <course_page::CourseShell/> }.into_any(),
    };
    view! {
        <author::LiveReload/>
        <tracking_panel::TrackingAnnouncer/>
        {shown}
    }
}

/// The page of a course the address names, inside the course's frame ([`course_page::CourseShell`]).
/// A page stays while only its parameter changes: from lesson to lesson, the lesson page follows.
fn course_page_shown() -> impl IntoView {
    let route = router::use_route();
    let kind = Memo::new(move |_| route.with(router::Route::course_page_kind));
    move || match kind.get() {
        Some(CoursePageKind::Overview) => view! { <course_page::CourseOverview/> }.into_any(),
        Some(CoursePageKind::Lesson) => view! { <lesson_page::LessonPage/> }.into_any(),
        Some(CoursePageKind::Assessment) => view! { <assessment_page::AssessmentPage/> }.into_any(),
        Some(CoursePageKind::Attestation) => view! { <attestation_page::AttestationPage/> }.into_any(),
        None => ().into_any(),
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
    // The router takes over clicks on links, so `#main` alone would not move focus (RGAA 12.7):
    // the link moves it itself, and the next Tab goes on from the content.
    let skip = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        crate::web::focus_element("main");
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>{messages.skip_to_content}</a>
        <header class="banner">
            <a class="brand" href=crate::web::home_href()>{messages.app_name}</a>
            {subtitle.map(|s| view! { <span class="banner-course">{s}</span> })}
            <div class="banner-tools">
                <tracking_panel::TrackingStatus/>
                <ThemeSwitch/>
                <LanguageSwitch/>
            </div>
        </header>
        <author::AuthorBanner/>
        <lms::LmsStatus/>
        <cmi5::Cmi5Status/>
        {children()}
    }
}

/// Switches between the light and dark themes; the choice is remembered.
#[component]
fn ThemeSwitch() -> impl IntoView {
    let messages = expect_locale();
    let current = crate::web::root_attribute("data-theme").unwrap_or_else(|| "light".into());
    let dark = RwSignal::new(current == "dark");
    let toggle = move |_| {
        let theme = if dark.get_untracked() { "light" } else { "dark" };
        crate::web::set_root_attribute("data-theme", theme);
        set_preference(THEME_KEY, theme);
        dark.set(theme == "dark");
    };
    view! {
        <button type="button" class="tool-button" aria-pressed=move || dark.get().to_string() on:click=toggle>
            {messages.theme_dark}
        </button>
    }
}

/// Shows the interface in the other language (the page is reloaded in it; the choice is kept).
#[component]
fn LanguageSwitch() -> impl IntoView {
    let messages = expect_locale();
    let switch = move |_| {
        set_preference(LANGUAGE_KEY, messages.other_language_tag);
        crate::web::reload_page();
    };
    view! {
        <button
            type="button"
            class="tool-button"
            lang=messages.other_language_tag
            title=messages.other_language_hint
            aria-label=messages.other_language_hint
            on:click=switch
        >
            {messages.other_language}
        </button>
    }
}
