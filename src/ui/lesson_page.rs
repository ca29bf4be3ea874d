//! `/learn/:course/:lesson`: one lesson, with previous and next buttons.

use super::course_page::expect_course;
use super::expect_locale;
use super::media::MediaBlock;
use super::progress::expect_progress;
use super::quiz::QuizBlock;
use crate::course::{Course, Lesson, LessonBlock, LessonId};
use crate::web::{now, when_visible, VisibilityWatch};
use leptos::prelude::*;
use std::sync::Arc;

/// The element whose coming into view means the learner reached the end of the lesson.
const LESSON_END_ID: &str = "lesson-end";

/// The lesson named in the URL, or a clear message when the course has no such lesson.
#[component]
pub fn LessonPage() -> impl IntoView {
    let course = expect_course();
    let messages = expect_locale();
    let lesson_id = super::route_param::<crate::course::LessonId>("lesson");

    // Every navigation, even between lessons that reuse this component: title, focus, scroll,
    // and progress (visited now, completed once its end comes into view).
    let progress = expect_progress();
    let end_watch = StoredValue::new_local(None::<VisibilityWatch>);
    let title_course = course.clone();
    let title_of = move |id: Option<&LessonId>| {
        let lesson_title = id.and_then(|id| title_course.lesson(id).map(|(_, l)| l.title.clone()));
        let page = lesson_title.unwrap_or_else(|| messages.not_found_title.to_owned());
        format!("{page} — {} — {}", title_course.title, messages.app_name)
    };
    // The first title now, for a pre-rendered page's head (effects run only in the browser).
    crate::web::set_title(&title_of(lesson_id.get_untracked().as_ref()));
    let effect_course = course.clone();
    let title_in_effect = title_of.clone();
    Effect::new(move |_| {
        let id = lesson_id.get();
        crate::web::set_title(&title_in_effect(id.as_ref()));
        crate::web::focus_after_render("page-title");
        end_watch.set_value(None);
        if let Some(id) = id.filter(|id| effect_course.lesson(id).is_some()) {
            let visited = id.clone();
            progress.apply(move |p, course| p.visit_lesson(course, &visited, now()));
            request_animation_frame(move || {
                let watch = when_visible(LESSON_END_ID, move || {
                    progress.apply(move |p, course| p.complete_lesson(course, &id, now()));
                });
                end_watch.set_value(watch);
            });
        }
    });

    move || {
        let found = lesson_id
            .get()
            .and_then(|id| course.lesson(&id).map(|(module, lesson)| (module.title.clone(), lesson.clone())));
        match found {
            Some((module_title, lesson)) => {
                view! { <LessonView course=course.clone() module_title lesson/> }.into_any()
            }
            None => view! {
                <h1 id="page-title" tabindex="-1">{messages.not_found_title}</h1>
                <p role="alert">{messages.lesson_not_found}</p>
                <p><a href=course.urls().overview()>{messages.course_overview}</a></p>
            }
            .into_any(),
        }
    }
}

/// A lesson's text and the buttons to the lessons around it.
#[component]
fn LessonView(
    /// The course, for the neighbouring lessons.
    course: Arc<Course>,
    /// The title of the lesson's module, shown above its title.
    module_title: String,
    /// The lesson to show.
    lesson: Lesson,
) -> impl IntoView {
    let messages = expect_locale();
    let (previous, next) = course.neighbours(&lesson.id);
    let link = |lesson: Option<&Lesson>, rel: &'static str, label: &'static str| {
        lesson.map(|l| {
            view! {
                <a class=format!("button lesson-{rel}") rel=rel href=course.urls().lesson(&l.id)>
                    <span class="button-label">{label}</span>
                    <span class="button-target">{l.title.clone()}</span>
                </a>
            }
        })
    };
    let end = next.is_none().then(|| view! { <p class="end-of-course">{messages.end_of_course}</p> });
    let whole = lesson.clone();
    view! {
        <article class="lesson">
            <p class="lesson-module">{module_title}</p>
            <h1 id="page-title" tabindex="-1">{lesson.title.clone()}</h1>
            <div class="lesson-body">
                {lesson
                    .body
                    .into_iter()
                    .map(|block| match block {
                        // Safe: the core escaped raw HTML and dropped unsafe links when rendering.
                        LessonBlock::Html { html } => {
                            view! { <div class="lesson-html" inner_html={html.into_inner_html()}></div> }.into_any()
                        }
                        LessonBlock::Quiz { quiz } => {
                            view! { <QuizBlock quiz language=course.language.clone()/> }.into_any()
                        }
                        LessonBlock::Media { media } => view! { <MediaBlock lesson=whole.clone() media/> }.into_any(),
                    })
                    .collect_view()}
            </div>
            {end}
            <nav class="lesson-nav" id=LESSON_END_ID aria-label=messages.lesson_navigation>
                {link(previous, "prev", messages.previous)}
                {link(next, "next", messages.next)}
            </nav>
        </article>
    }
}
