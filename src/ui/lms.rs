//! The LMS that launched the player, as one context chosen once when the player starts: none (a
//! site, or a package opened outside an LMS), SCORM 1.2 (the LMS's `window.API`), or cmi5 (a
//! launch link with an xAPI endpoint). Progress and tracking ask it, never the browser, what the
//! LMS wants: progress is resumed from what the LMS kept, every change is reported to it, and
//! the session is finished when the page goes away. An LMS that refuses a call, or a cmi5 launch
//! that failed, is shown in the banner; learning goes on and progress is still kept in the browser.
//!
//! Only an LMS package launches the player from an LMS: the SCORM and cmi5 sessions are compiled
//! into the package's player (feature `lms`) and left out of the site's, which learners of a
//! site then never download (`make bench` prints both players' weight). Without the feature,
//! [`Launch`] is always `None` and every method below answers as it does for `None`.

use super::expect_locale;
use crate::course::Course;
use crate::i18n::Messages;
use crate::lms::cmi5::{Cmi5Error, Cmi5Launch};
use crate::lms::scorm12::LmsError;
#[cfg(feature = "lms")]
use crate::lms::scorm12::Scorm12Session;
use crate::lms::StatementLaunch;
use crate::progress::CourseProgress;
use crate::web::cmi5::Cmi5Connection;
#[cfg(feature = "lms")]
use crate::web::{now, scorm::WebScormApi};
use crate::xapi::config::LrsConfig;
use leptos::prelude::*;
use std::sync::Arc;

/// How the player was launched.
pub enum Launch {
    /// No LMS: nothing to tell anyone but the LRS of `config.json`.
    None,
    #[cfg(feature = "lms")]
    Scorm12(Scorm12Session<WebScormApi>),
    #[cfg(feature = "lms")]
    Cmi5(Cmi5Connection),
    /// The address asked for a cmi5 launch that failed: the platform is told nothing.
    #[cfg(feature = "lms")]
    Cmi5Failed(Cmi5Error),
}

/// The launch, what a SCORM LMS refused at its start, and the learner's name it gives.
#[cfg(feature = "lms")]
fn launch(cmi5: Option<Result<Cmi5Connection, Cmi5Error>>) -> (Launch, Option<LmsError>, Option<String>) {
    match cmi5 {
        Some(Ok(connection)) => (Launch::Cmi5(connection), None, None),
        Some(Err(error)) => (Launch::Cmi5Failed(error), None, None),
        None => match WebScormApi::find().map(|api| Scorm12Session::start(api, now())) {
            Some(Ok(mut session)) => {
                let learner_name = session.learner_name();
                (Launch::Scorm12(session), None, learner_name)
            }
            Some(Err(error)) => (Launch::None, Some(error), None),
            None => (Launch::None, None, None),
        },
    }
}

/// A site's player: never launched by an LMS (`cmi5` is always `None`: see `main.rs`).
#[cfg(not(feature = "lms"))]
fn launch(cmi5: Option<Result<Cmi5Connection, Cmi5Error>>) -> (Launch, Option<LmsError>, Option<String>) {
    debug_assert!(cmi5.is_none(), "a site's player follows no cmi5 launch");
    (Launch::None, None, None)
}

/// The LMS session, provided to the whole player.
#[derive(Clone, Copy)]
pub struct LmsSession {
    launch: StoredValue<Launch, LocalStorage>,
    /// The last refusal of a SCORM LMS, shown in the banner.
    problem: RwSignal<Option<LmsError>>,
    /// The learner's name as the LMS gives it.
    learner_name: StoredValue<Option<String>>,
    /// An attempt under way does not fit in what the LMS keeps for us: it is kept in this
    /// browser only, and the learner is told (never dropped silently).
    attempt_only_here: RwSignal<bool>,
}

/// Chooses the LMS session once: the cmi5 launch followed before the player started (`cmi5`), else
/// a SCORM 1.2 LMS around the player, else none.
pub fn provide_lms_session(cmi5: Option<Result<Cmi5Connection, Cmi5Error>>) -> LmsSession {
    let (launch, problem, learner_name) = launch(cmi5);
    let session = LmsSession {
        launch: StoredValue::new_local(launch),
        problem: RwSignal::new(problem),
        learner_name: StoredValue::new(learner_name),
        attempt_only_here: RwSignal::new(false),
    };
    provide_context(session);
    session
}

/// The LMS session provided by the app.
#[track_caller]
pub fn expect_lms_session() -> LmsSession {
    expect_context::<LmsSession>()
}

impl LmsSession {
    /// The launch, when its LMS takes the learner's statements itself and accepted it (tracking
    /// asks this for every statement: the launch is shared, not cloned). Callers see only the
    /// trait; with one such standard it is dispatched statically (no vtable in the player), and a
    /// second one makes this an enum of the two, here and nowhere else.
    pub fn statement_launch(self) -> Option<Arc<impl StatementLaunch>> {
        self.launch.with_value(|launch| match launch {
            #[cfg(feature = "lms")]
            Launch::Cmi5(connection) => Some(Arc::clone(&connection.launch)),
            _ => None::<Arc<Cmi5Launch>>,
        })
    }

    /// Whether the LMS takes the learner's statements: then the launch is one session.
    pub fn takes_statements(self) -> bool {
        self.statement_launch().is_some()
    }

    /// Where statements go when the LMS says (its endpoint and token), instead of `config.json`.
    pub fn lrs(self) -> Option<LrsConfig> {
        self.launch.with_value(|launch| match launch {
            #[cfg(feature = "lms")]
            Launch::Cmi5(connection) => Some(LrsConfig {
                endpoint: connection.launch.params.endpoint.clone(),
                authorization: Some(connection.authorization.clone()),
            }),
            _ => None,
        })
    }

    /// Why the launch the address asked for failed: then nothing is sent anywhere.
    pub fn launch_failure(self) -> Option<String> {
        self.cmi5_failure().map(|error| format!("cmi5: {error}"))
    }

    /// The last progress saved in the LMS before the session ends (`keepalive` when the page
    /// is closing): nothing may use a cmi5 launch's token after `terminated`.
    #[cfg_attr(not(feature = "lms"), allow(unused_variables))]
    pub fn finish_saving(self, page_closing: bool) {
        self.launch.with_value(|launch| match launch {
            #[cfg(feature = "lms")]
            Launch::Cmi5(connection) => connection.finish_saving(page_closing),
            _ => {}
        })
    }

    /// Whether the LMS has answered every save of progress (a page that stays waits for it).
    pub fn progress_settled(self) -> bool {
        self.launch.with_value(|launch| match launch {
            #[cfg(feature = "lms")]
            Launch::Cmi5(connection) => connection.progress_settled(),
            _ => true,
        })
    }

    /// What the cmi5 LMS said at launch, for cmi5's own banner (`ui::cmi5`).
    pub(super) fn cmi5_launch(self) -> Option<Arc<Cmi5Launch>> {
        self.launch.with_value(|launch| match launch {
            #[cfg(feature = "lms")]
            Launch::Cmi5(connection) => Some(Arc::clone(&connection.launch)),
            _ => None,
        })
    }

    /// Why the cmi5 launch the address asked for failed.
    pub(super) fn cmi5_failure(self) -> Option<Cmi5Error> {
        self.launch.with_value(|launch| match launch {
            #[cfg(feature = "lms")]
            Launch::Cmi5Failed(error) => Some(error.clone()),
            _ => None,
        })
    }

    /// The interface language the learner prefers, as a cmi5 LMS says.
    pub fn preferred_language(self) -> Option<&'static str> {
        self.cmi5_launch().and_then(|launch| launch.preferences.language(&["fr", "en"]))
    }

    /// The learner's name as a SCORM LMS gives it.
    pub fn learner_name(self) -> Option<String> {
        self.learner_name.get_value()
    }

    /// The progress to start from: what the LMS kept for this enrolment, unless this browser
    /// holds a newer save of it.
    #[cfg_attr(not(feature = "lms"), allow(unused_variables))]
    pub fn resume(self, course: &Course, local: CourseProgress) -> CourseProgress {
        let mut resumed = None;
        self.launch.update_value(|launch| {
            resumed = match launch {
                #[cfg(feature = "lms")]
                Launch::Scorm12(session) => session.resume(course, Some(local.clone())),
                #[cfg(feature = "lms")]
                Launch::Cmi5(connection) => Some(connection.launch.resume(course, local.clone())),
                _ => None,
            }
        });
        resumed.unwrap_or(local)
    }

    /// Tells the LMS where the learner stands after a change.
    pub fn progress_changed(self, course: &Course, progress: &CourseProgress) {
        self.tell(course, progress, false);
    }

    /// The page is going away: the last word to the LMS (SCORM's session is finished; cmi5's
    /// progress is saved with `keepalive`, its session ends with tracking's `terminated`).
    pub fn page_closing(self, course: &Course, progress: &CourseProgress) {
        self.tell(course, progress, true);
    }

    /// A site's player has no LMS to tell.
    #[cfg(not(feature = "lms"))]
    fn tell(self, _course: &Course, _progress: &CourseProgress, _closing: bool) {}

    #[cfg(feature = "lms")]
    fn tell(self, course: &Course, progress: &CourseProgress, closing: bool) {
        use crate::progress::compact;
        // The compact form, written once here for what needs it: the cmi5 State document, and
        // whether an attempt under way fits in what the LMS keeps (SCORM writes its own
        // `suspend_data`, so it is written here only when an attempt is under way).
        let (keeps_progress, cmi5) = self.launch.with_value(|launch| match launch {
            Launch::Scorm12(_) => (true, false),
            Launch::Cmi5(connection) => (connection.launch.records_learning(), true),
            Launch::None | Launch::Cmi5Failed(_) => (false, false),
        });
        let needed = keeps_progress && (cmi5 || !progress.attempts_under_way.is_empty());
        let mut encoded =
            needed.then(|| compact::encode(progress, course, compact::SUSPEND_DATA_MAX_CHARS).ok()).flatten();
        let only_here = encoded.as_deref().is_some_and(|text| compact::leaves_out_attempts_under_way(text, progress));
        if keeps_progress && self.attempt_only_here.get_untracked() != only_here {
            self.attempt_only_here.set(only_here);
        }
        let mut result = Ok(());
        self.launch.update_value(|launch| match launch {
            Launch::Scorm12(session) if closing => result = session.finish(course, progress, now()),
            Launch::Scorm12(session) => result = session.report(course, progress),
            // Normal mode only: a Browse or Review launch records no learning in the LMS.
            Launch::Cmi5(connection) if connection.launch.records_learning() => {
                if let Some(text) = encoded.take() {
                    connection.save_progress(text, closing);
                }
            }
            Launch::Cmi5(_) | Launch::None | Launch::Cmi5Failed(_) => {}
        });
        if let Err(error) = result {
            self.problem.set(Some(error));
        }
    }
}

/// A line in the banner when a SCORM LMS refused a call, or cannot keep the attempt under way.
#[component]
pub fn LmsStatus() -> impl IntoView {
    let messages = expect_locale();
    let session = expect_lms_session();
    let refused = move || {
        session.problem.get().map(|error| {
            view! { <p class="lms-status alert" role="status">{Messages::fill(messages.lms_refused, "error", error)}</p> }
        })
    };
    let attempt_only_here = move || {
        session
            .attempt_only_here
            .get()
            .then(|| view! { <p class="lms-status" role="status">{messages.attempt_kept_here_only}</p> })
    };
    view! { {refused} {attempt_only_here} }
}
