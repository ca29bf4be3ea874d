//! Pages for what does not exist or cannot be shown.

use super::data::CourseLoadError;
use super::{expect_locale, PageFrame};
use crate::i18n::Messages;
use leptos::prelude::*;

/// An address that matches no route.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let messages = expect_locale();
    crate::web::set_title(&format!("{} — {}", messages.not_found_title, messages.app_name));
    crate::web::focus_after_render("page-title");
    super::page_shown();
    view! {
        <PageFrame>
            <main id="main" class="page">
                <h1 id="page-title" tabindex="-1">{messages.not_found_title}</h1>
                <p>{messages.not_found_text}</p>
                <p><a href=crate::web::home_href()>{messages.back_to_catalog}</a></p>
            </main>
        </PageFrame>
    }
}

/// Why a course could not be opened: unknown, broken (with every located error), or unreachable.
#[component]
pub fn CourseErrorPage(
    /// What went wrong.
    error: CourseLoadError,
) -> impl IntoView {
    let messages = expect_locale();
    let title = match &error {
        CourseLoadError::NotFound(_) => messages.not_found_title,
        CourseLoadError::Invalid(_) | CourseLoadError::Network(_) => messages.course_invalid_title,
    };
    crate::web::set_title(&format!("{title} — {}", messages.app_name));
    crate::web::focus_after_render("page-title");
    let body = match error {
        CourseLoadError::NotFound(slug) => {
            view! { <p>{Messages::fill(messages.course_not_found, "slug", slug)}</p> }.into_any()
        }
        CourseLoadError::Invalid(errors) => view! {
            <p>{messages.course_invalid_text}</p>
            <ul class="diagnostics">
                {errors.into_iter().map(|error| view! { <li><code>{error}</code></li> }).collect_view()}
            </ul>
        }
        .into_any(),
        CourseLoadError::Network(detail) => view! {
            <p>{messages.network_error}</p>
            <p class="detail">{detail}</p>
            <p><RetryButton/></p>
        }
        .into_any(),
    };
    view! {
        <PageFrame>
            <main id="main" class="page">
                <h1 id="page-title" tabindex="-1">{title}</h1>
                <div role="alert">{body}</div>
                <p><a href=crate::web::home_href()>{messages.back_to_catalog}</a></p>
            </main>
        </PageFrame>
    }
}

/// Loads the page again: what a learner does when the network failed them.
#[component]
pub fn RetryButton() -> impl IntoView {
    let messages = expect_locale();
    let reload = |_| crate::web::reload_page();
    view! { <button type="button" on:click=reload>{messages.retry}</button> }
}
