//! Inside an LMS that speaks SCORM 1.2: the session with it, as context. Found once when the
//! player starts; the course's progress is resumed from what the LMS kept, every change is
//! reported to it, and the session is finished when the page goes away. An LMS that refuses a
//! call is shown in the banner; learning goes on and progress is still kept in the browser.

use super::expect_locale;
use crate::course::Course;
use crate::i18n::Messages;
use crate::lms::scorm12::{LmsError, Scorm12Session};
use crate::progress::CourseProgress;
use crate::web::now;
use crate::web::scorm::WebScormApi;
use leptos::prelude::*;

/// The SCORM session, when the player was launched by an LMS.
#[derive(Clone, Copy)]
pub struct Lms {
    session: StoredValue<Option<Scorm12Session<WebScormApi>>, LocalStorage>,
    /// The last refusal of the LMS, shown in the banner.
    pub problem: RwSignal<Option<LmsError>>,
    /// The learner's name as the LMS gives it.
    pub learner_name: StoredValue<Option<String>>,
}

/// Looks for a SCORM 1.2 LMS around the player and opens the session with it.
pub fn provide_lms() {
    let Some(api) = WebScormApi::find() else { return };
    let (session, problem) = match Scorm12Session::start(api, now()) {
        Ok(session) => (Some(session), None),
        Err(error) => (None, Some(error)),
    };
    let lms = Lms {
        session: StoredValue::new_local(session),
        problem: RwSignal::new(problem),
        learner_name: StoredValue::new(None),
    };
    lms.session.update_value(|s| lms.learner_name.set_value(s.as_mut().and_then(|s| s.learner_name())));
    provide_context(lms);
}

/// The LMS session, if the player runs inside one.
pub fn use_lms() -> Option<Lms> {
    use_context::<Lms>()
}

impl Lms {
    /// The progress to start from: what the LMS kept, unless this browser holds a newer save.
    pub fn resume(self, course: &Course, local: CourseProgress) -> Option<CourseProgress> {
        let mut resumed = None;
        self.session.update_value(|s| resumed = s.as_mut().and_then(|s| s.resume(course, Some(local))));
        resumed
    }

    /// Tells the LMS where the learner stands.
    pub fn progress_changed(self, course: &Course, progress: &CourseProgress) {
        let mut result = Ok(());
        self.session.update_value(|s| {
            if let Some(session) = s {
                result = session.report(course, progress);
            }
        });
        self.show(result);
    }

    /// Ends the session (the page is going away).
    pub fn finish(self, course: &Course, progress: &CourseProgress) {
        let mut result = Ok(());
        self.session.update_value(|s| {
            if let Some(session) = s {
                result = session.finish(course, progress, now());
            }
        });
        self.show(result);
    }

    fn show(self, result: Result<(), LmsError>) {
        match result {
            Ok(()) => {}
            Err(error) => self.problem.set(Some(error)),
        }
    }
}

/// What the banner says when the LMS refused something.
fn describe(messages: &Messages, error: &LmsError) -> String {
    Messages::fill(messages.lms_refused, "error", error)
}

/// A line in the banner when the LMS refused a call.
#[component]
pub fn LmsStatus() -> impl IntoView {
    let messages = expect_locale();
    let problem = use_lms().map(|lms| lms.problem);
    move || {
        problem.and_then(|p| p.get()).map(|error| {
            view! { <p class="lms-status alert" role="status">{describe(messages, &error)}</p> }
        })
    }
}
