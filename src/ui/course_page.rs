//! `/learn/:course`: loads the course once for all its pages, frames them with the table of
//! contents, and shows the course overview.

use super::data::load_course;
use super::not_found::CourseErrorPage;
use super::progress::StorageStatusBanner;
use super::progress_panel::ProgressPanel;
use super::toc::TableOfContents;
use super::tracking_panel::{EmailForm, TrackingPanel};
use super::{expect_locale, provide_locale, PageFrame};
use crate::course::Course;
use crate::i18n::Messages;
use leptos::prelude::*;
use std::sync::Arc;

/// The course being followed, for the pages inside it.
#[derive(Clone)]
pub struct CurrentCourse(pub Arc<Course>);

/// The course provided by [`CourseShell`].
#[track_caller]
pub fn expect_course() -> Arc<Course> {
    expect_context::<CurrentCourse>().0
}

/// Loads the course named in the URL, then shows its pages, or why it cannot be shown.
#[component]
pub fn CourseShell() -> impl IntoView {
    let messages = expect_locale();
    let slug = super::route_param::<crate::course::CourseSlug>("course");
    let preloaded = super::data::Preloaded::course();
    let fetched = LocalResource::new(move || {
        let slug = slug.get();
        // `None`: not even a course's address (`/learn/Mon%20cours`).
        async move {
            match slug {
                Some(slug) => Some(load_course(slug).await),
                None => None,
            }
        }
    });
    let course = move || preloaded.clone().map(|course| Some(Ok(course))).or_else(|| fetched.get());
    move || {
        let course = course();
        if course.is_some() {
            super::page_shown();
        }
        match course {
            None => view! {
                <PageFrame>
                    <main id="main" class="page">
                        <p class="status" role="status">{messages.loading}</p>
                    </main>
                </PageFrame>
            }
            .into_any(),
            Some(None) => view! { <super::not_found::NotFoundPage/> }.into_any(),
            Some(Some(Ok(course))) => view! { <CourseLayout course/> }.into_any(),
            Some(Some(Err(error))) => view! { <CourseErrorPage error/> }.into_any(),
        }
    }
}

/// The frame of a course's pages: the table of contents beside the current page.
#[component]
fn CourseLayout(
    /// The loaded course.
    course: Arc<Course>,
) -> impl IntoView {
    provide_locale(&course.language);
    crate::web::set_page_language(&course.language);
    provide_context(CurrentCourse(course.clone()));
    let progress = super::progress::provide_progress(course.clone());
    let tracking = super::tracking::expect_tracking();
    tracking.open(course.clone(), progress.state.with_untracked(|p| p.registration.clone()));
    progress.state.with_untracked(|p| tracking.catch_up_launch(&course, p));
    on_cleanup(move || tracking.close());
    view! {
        <PageFrame subtitle=course.title.clone()>
            <div class="course-layout">
                <TableOfContents course=course.clone()/>
                <main id="main" class="page course-main" lang=course.language.clone()>
                    <StorageStatusBanner/>
                    {super::course_page_shown()}
                </main>
            </div>
        </PageFrame>
    }
}

/// The tracking details (configuration, every statement and its state) are for authors and for
/// whoever helps a learner: shown in author mode, or when the address asks for them
/// (`/learn/demo?details`); a learner's page stays free of them.
#[component]
fn TechnicalDetails() -> impl IntoView {
    let author_mode = super::author::author_mode();
    let asked = super::router::use_query_has("details");
    move || (author_mode.get() || asked.get()).then(|| view! { <TrackingPanel/> })
}

/// The learning objectives, when the course states them: what the learner will be able to do.
#[component]
fn Objectives(objectives: Vec<String>) -> impl IntoView {
    let messages = expect_locale();
    (!objectives.is_empty()).then(|| {
        view! {
            <section class="objectives" aria-labelledby="objectives-heading">
                <h2 id="objectives-heading">{messages.objectives}</h2>
                <ul>{objectives.into_iter().map(|objective| view! { <li>{objective}</li> }).collect_view()}</ul>
            </section>
        }
    })
}

/// The course's overview: description, objectives, duration, modules and lessons, and where to start.
#[component]
pub fn CourseOverview() -> impl IntoView {
    let course = expect_course();
    let messages = expect_locale();
    crate::web::set_title(&format!("{} — {}", course.title, messages.app_name));
    crate::web::focus_after_render("page-title");
    let start = course.first_lesson().map(|lesson| {
        view! { <a class="button primary" href=course.urls().lesson(&lesson.id)>{messages.start}</a> }
    });
    let lesson_count = course.lessons().count();
    view! {
        <article class="overview">
            <h1 id="page-title" tabindex="-1">{course.title.clone()}</h1>
            <p class="meta">
                {Messages::fill(messages.duration_minutes, "n", course.estimated_minutes())}
                " · "
                {Messages::fill(messages.lesson_count, "n", lesson_count)}
            </p>
            {course.description.split("\n\n").map(|paragraph| view! { <p>{paragraph.to_owned()}</p> }).collect_view()}
            <Objectives objectives=course.objectives.clone()/>
            <p>{start}</p>
            <EmailForm/>
            <ProgressPanel course=course.clone()/>
            <super::satisfaction::SatisfactionSurvey course=course.clone()/>
            {course
                .modules
                .iter()
                .map(|module| {
                    view! {
                        <section class="overview-module">
                            <h2>{module.title.clone()}</h2>
                            <ol>
                                {module
                                    .lessons
                                    .iter()
                                    .map(|lesson| {
                                        let href = course.urls().lesson(&lesson.id);
                                        view! { <li><a href=href>{lesson.title.clone()}</a></li> }
                                    })
                                    .collect_view()}
                            </ol>
                        </section>
                    }
                })
                .collect_view()}
            {(!course.assessments.is_empty())
                .then(|| {
                    view! {
                        <section class="overview-module">
                            <h2>{messages.assessments}</h2>
                            <ul>
                                {course
                                    .assessments
                                    .iter()
                                    .map(|a| {
                                        let href = course.urls().assessment(&a.id);
                                        view! { <li><a href=href.clone()>{a.title.clone()}</a><ResumeAttempt assessment=a.id.clone() href/></li> }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })}
            <TechnicalDetails/>
        </article>
    }
}

/// Beside an assessment with an attempt under way: the way back to it, at its question.
#[component]
fn ResumeAttempt(
    /// The assessment.
    assessment: crate::course::AssessmentId,
    /// Its page.
    href: String,
) -> impl IntoView {
    let messages = expect_locale();
    let progress = super::progress::expect_progress();
    move || {
        let step =
            progress.state.with(|p| p.attempt_under_way(&assessment).map(crate::progress::AttemptUnderWay::step));
        step.map(|(n, total)| {
            let label = Messages::fill(&Messages::fill(messages.resume_assessment, "n", n), "total", total);
            view! { " " <a class="resume-attempt" href=href.clone()>{label}</a> }
        })
    }
}
