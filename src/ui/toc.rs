//! The table of contents beside every course page; a drawer behind a button on narrow screens.

use super::expect_locale;
use super::progress::expect_progress;
use crate::course::{Course, Lesson};
use leptos::prelude::*;
use std::sync::Arc;

/// Modules and their lessons, the current one marked for sight and for screen readers.
#[component]
pub fn TableOfContents(
    /// The course whose lessons are listed.
    course: Arc<Course>,
) -> impl IntoView {
    let messages = expect_locale();
    let (open, set_open) = signal(false);
    let overview_href = course.urls().overview();
    // Escape closes the open drawer and gives focus back to its button.
    let on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            set_open.set(false);
            crate::web::focus_element("toc-toggle");
        }
    };
    view! {
        <nav class="toc" class:open=open aria-label=messages.contents on:keydown=on_escape>
            <button
                type="button"
                id="toc-toggle"
                class="toc-toggle"
                aria-controls="toc-list"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| set_open.update(|o| *o = !*o)
            >
                {move || if open.get() { messages.hide_contents } else { messages.show_contents }}
            </button>
            <div id="toc-list" class="toc-list" on:click=move |_| set_open.set(false)>
                <p class="toc-overview"><TocLink href=overview_href label=messages.course_overview.to_owned()/></p>
                <ol>
                    {course
                        .modules
                        .iter()
                        .map(|module| {
                            view! {
                                <li class="toc-module">
                                    <span class="toc-module-title">{module.title.clone()}</span>
                                    <ol>
                                        {module.lessons.iter().map(|lesson| view! { <li><LessonLink course=&course lesson/></li> }).collect_view()}
                                    </ol>
                                </li>
                            }
                        })
                        .collect_view()}
                    {(!course.assessments.is_empty())
                        .then(|| {
                            view! {
                                <li class="toc-module">
                                    <span class="toc-module-title">{messages.assessments}</span>
                                    <ol>
                                        {course
                                            .assessments
                                            .iter()
                                            .map(|a| {
                                                let href = course.urls().assessment(&a.id);
                                                view! { <li><TocLink href label=a.title.clone()/></li> }
                                            })
                                            .collect_view()}
                                    </ol>
                                </li>
                            }
                        })}
                </ol>
            </div>
        </nav>
    }
}

/// A lesson's link, ticked once the lesson is completed (in words for screen readers).
#[component]
fn LessonLink<'a>(
    /// The course the lesson belongs to.
    course: &'a Course,
    /// The lesson to link to.
    lesson: &'a Lesson,
) -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let id = lesson.id.clone();
    let done = Memo::new(move |_| progress.state.with(|p| p.lesson_completed(&id)));
    let path = super::router::use_path();
    let href = course.urls().lesson(&lesson.id);
    let target = href.clone();
    let current = move || path.with(|path| *path == target).then_some("page");
    view! {
        <a href=href aria-current=current class:done=done>
            <span class="tick" aria-hidden="true">{move || if done.get() { "✓" } else { "" }}</span>
            <span>{lesson.title.clone()}</span>
            {move || done.get().then(|| view! { <span class="visually-hidden">" (" {messages.lesson_completed} ")"</span> })}
        </a>
    }
}

/// A link marked `aria-current="page"` while its page is shown.
#[component]
fn TocLink(
    /// Where it leads.
    href: String,
    /// What it says.
    label: String,
) -> impl IntoView {
    let path = super::router::use_path();
    let target = href.clone();
    let current = move || path.with(|path| *path == target).then_some("page");
    view! { <a href=href aria-current=current>{label}</a> }
}
