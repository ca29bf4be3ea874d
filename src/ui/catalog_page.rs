//! `/`: the courses this deployment hosts.

use super::data::load_catalog;
use super::{expect_locale, PageFrame};
use crate::course::catalog::CatalogEntry;
use crate::i18n::Messages;
use leptos::prelude::*;

/// The catalog page.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let messages = expect_locale();
    crate::web::set_title(&format!("{} — {}", messages.catalog_title, messages.app_name));
    crate::web::set_page_language(messages.lang);
    crate::web::focus_after_render("page-title");
    let preloaded = super::data::Preloaded::catalog();
    let fetched = LocalResource::new(load_catalog);
    let catalog = move || preloaded.clone().map(Ok).or_else(|| fetched.get());
    view! {
        <PageFrame>
            <main id="main" class="page catalog">
                <h1 id="page-title" tabindex="-1">{messages.catalog_title}</h1>
                <p class="lead">{messages.catalog_intro}</p>
                {move || {
                    let catalog = catalog();
                    if catalog.is_some() {
                        super::page_shown();
                    }
                    match catalog {
                    None => view! { <p class="status" role="status">{messages.loading}</p> }.into_any(),
                    Some(Err(error)) => view! {
                        <div class="alert" role="alert">
                            <p>{messages.catalog_unavailable}</p>
                            <p class="detail">{error}</p>
                            <p><super::not_found::RetryButton/></p>
                        </div>
                    }.into_any(),
                    Some(Ok(catalog)) if catalog.courses.is_empty() => view! { <p>{messages.catalog_empty}</p> }.into_any(),
                    Some(Ok(catalog)) => view! {
                        <ul class="course-cards">
                            {catalog.courses.into_iter().map(|entry| view! { <CourseCard entry/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }}}
            </main>
        </PageFrame>
    }
}

/// One course in the catalog.
#[component]
fn CourseCard(
    /// The course as the catalog lists it.
    entry: CatalogEntry,
) -> impl IntoView {
    let messages = expect_locale();
    let href = crate::web::player_urls(&entry.slug).overview();
    view! {
        <li class="course-card" lang=entry.language.clone()>
            <h2><a href=href>{entry.title}</a></h2>
            <p>{entry.description}</p>
            <p class="meta">
                <span>{Messages::fill(messages.duration_minutes, "n", entry.duration_minutes)}</span>
                " · "
                <span>{Messages::fill(messages.lesson_count, "n", entry.lessons)}</span>
            </p>
        </li>
    }
}
