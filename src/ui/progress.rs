//! The learner's progress in the current course, as context: loaded once per course, saved at
//! every change (after taking in what another tab saved), followed across tabs through `storage`
//! events, with active time counted while the course is in view and in use. When storage fails,
//! progress stays in memory and the learner is told plainly.

use super::expect_locale;
use super::lms::LmsSession;
use super::tracking::Tracking;
use crate::course::Course;
use crate::lms::StatementLaunch;
use crate::progress::store::{
    load_progress, progress_key, save_progress, update_progress, KeyValueStore, LoadNotice, StoreError,
};
use crate::progress::{uuid_v4, CourseProgress};
use crate::web::storage::{when_another_tab_changes, BrowserStore};
use crate::web::{now, page_visible, random_bytes};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Where saving stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    /// Storage is denied: progress lives in memory for this visit.
    MemoryOnly,
    /// Storage is full: progress is in memory, saving is retried.
    Full,
}

/// The learner's progress in the course being followed.
#[derive(Clone, Copy)]
pub struct Progress {
    pub state: RwSignal<CourseProgress>,
    pub status: RwSignal<SaveStatus>,
    /// What loading found (unreadable data set aside …), shown until the learner leaves the course.
    pub notice: RwSignal<Option<LoadNotice>>,
    course: StoredValue<Arc<Course>>,
    /// Where the learning events of progress changes are reported.
    tracking: Option<Tracking>,
    /// The LMS that launched the player (if any), told of every change.
    lms: LmsSession,
}

/// How often active time is counted, and how long without input still counts as active.
const ACTIVE_TICK: Duration = Duration::from_secs(15);
const IDLE_AFTER_MS: f64 = 120_000.0;
const RETRY_SAVE_AFTER: Duration = Duration::from_secs(10);

/// Loads the course's progress and provides it to the pages below.
pub fn provide_progress(course: Arc<Course>) -> Progress {
    let store = BrowserStore::local();
    let mut loaded = load_progress(&store, &course, || uuid_v4(random_bytes()), now());
    let lms = super::lms::expect_lms_session();
    // A cmi5 LMS names the enrolment: another registration is another enrolment, started afresh
    // (the previous one is kept aside in storage, never deleted).
    if let Some(launch) = lms.statement_launch() {
        let registration = launch.registration();
        if loaded.progress.registration != registration {
            let fresh = CourseProgress::new(&course, registration.to_owned(), now());
            let previous = std::mem::replace(&mut loaded.progress, fresh);
            if !previous.lessons.is_empty() || !previous.attempts.is_empty() {
                let aside = format!("{}:{}", progress_key(course.id.as_str()), previous.registration);
                let _ = store.set(&aside, &serde_json::to_string(&previous).unwrap_or_default());
            }
            loaded.changed = true;
        }
    }
    // Inside an LMS, progress follows the learner from one computer to another through it.
    let resumed = lms.resume(&course, loaded.progress.clone());
    loaded.changed |= resumed != loaded.progress;
    loaded.progress = resumed;
    let mut status = match loaded.notice {
        Some(LoadNotice::Unavailable(_)) => SaveStatus::MemoryOnly,
        _ => SaveStatus::Saved,
    };
    if loaded.changed && status == SaveStatus::Saved {
        status = status_after(save_progress(&store, &loaded.progress));
    }
    let progress = Progress {
        state: RwSignal::new(loaded.progress),
        status: RwSignal::new(status),
        notice: RwSignal::new(loaded.notice.filter(|n| !matches!(n, LoadNotice::Unavailable(_)))),
        course: StoredValue::new(course.clone()),
        tracking: use_context::<Tracking>(),
        lms,
    };
    progress.state.with_untracked(|p| lms.progress_changed(&course, p));
    if let Some(tracking) = progress.tracking {
        tracking.on_results_acknowledged(move |results| {
            progress.apply(move |p, _| p.lms_acknowledged = p.lms_acknowledged.union(results));
        });
    }
    let closing = window_event_listener(leptos::ev::pagehide, move |_| {
        progress.state.with_untracked(|p| lms.page_closing(&progress.course.get_value(), p));
    });
    on_cleanup(move || closing.remove());
    if status == SaveStatus::Full {
        progress.retry_later();
    }
    provide_context(progress);

    // Another tab saved: take in its changes (or follow its reset).
    let key = progress_key(course.id.as_str());
    when_another_tab_changes(move |changed| changed == key, move || progress.apply(|_, _| {}));

    // Active time: counted while the page is shown and the learner did something recently
    // (in a browser: a pre-rendered page has no learner).
    if crate::web::IN_BROWSER {
        count_active_time(progress);
    }
    progress
}

fn count_active_time(progress: Progress) {
    let last_input = StoredValue::new(now());
    let mut listeners = Vec::new();
    for event in ["pointerdown", "keydown", "scroll", "wheel", "touchstart"] {
        listeners.push(window_event_listener_untyped(event, move |_| last_input.set_value(now())));
    }
    let ticker = set_interval_with_handle(
        move || {
            if page_visible() && now() - last_input.get_value() < IDLE_AFTER_MS {
                let tick = u64::try_from(ACTIVE_TICK.as_millis()).unwrap_or(u64::MAX);
                progress.apply(move |p, _| p.add_active_time(tick, now()));
            }
        },
        ACTIVE_TICK,
    );
    on_cleanup(move || {
        listeners.into_iter().for_each(|l| l.remove());
        if let Ok(ticker) = ticker {
            ticker.clear();
        }
    });
}

fn status_after(result: Result<(), StoreError>) -> SaveStatus {
    match result {
        Ok(()) => SaveStatus::Saved,
        Err(StoreError::Denied) => SaveStatus::MemoryOnly,
        Err(StoreError::Full | StoreError::Other(_)) => SaveStatus::Full,
    }
}

/// The progress provided by the course's pages.
#[track_caller]
pub fn expect_progress() -> Progress {
    expect_context::<Progress>()
}

impl Progress {
    /// Changes progress and saves it at once.
    pub fn apply(self, change: impl FnOnce(&mut CourseProgress, &Course)) {
        let store = BrowserStore::local();
        let course = self.course.get_value();
        let mut result = Ok(());
        let mut before = None;
        self.state.update(|p| {
            result = update_progress(&store, &course, p, |p| {
                // After taking in the other tabs' changes: only this change is reported.
                before = Some(p.clone());
                change(p, &course);
            })
        });
        if let (Some(before), Some(tracking)) = (before, self.tracking) {
            self.state.with_untracked(|after| tracking.progress_changed(&course, &before, after));
        }
        self.state.with_untracked(|after| self.lms.progress_changed(&course, after));
        let status = status_after(result);
        let was_full = self.status.get_untracked() == SaveStatus::Full;
        self.status.set(status);
        if status == SaveStatus::Full && !was_full {
            self.retry_later();
        }
    }

    /// Replaces progress (reset, import) and saves it.
    pub fn replace(self, progress: CourseProgress) {
        let store = BrowserStore::local();
        self.status.set(status_after(save_progress(&store, &progress)));
        if let Some(tracking) = self.tracking {
            tracking.registration_changed(&progress.registration);
        }
        self.lms.progress_changed(&self.course.get_value(), &progress);
        self.state.set(progress);
    }

    /// A fresh enrolment in this course.
    pub fn fresh(self) -> CourseProgress {
        CourseProgress::new(&self.course.get_value(), uuid_v4(random_bytes()), now())
    }

    fn retry_later(self) {
        set_timeout(
            move || {
                if self.status.get_untracked() != SaveStatus::Full {
                    return;
                }
                let store = BrowserStore::local();
                let status = status_after(save_progress(&store, &self.state.get_untracked()));
                self.status.set(status);
                if status == SaveStatus::Full {
                    self.retry_later();
                }
            },
            RETRY_SAVE_AFTER,
        );
    }
}

/// Says plainly when progress is not being kept, or was set aside.
#[component]
pub fn StorageStatusBanner() -> impl IntoView {
    let messages = expect_locale();
    let progress = expect_progress();
    let text = move || {
        let status = match progress.status.get() {
            SaveStatus::Saved => None,
            SaveStatus::MemoryOnly => Some(messages.storage_denied),
            SaveStatus::Full => Some(messages.storage_full),
        };
        let notice = progress.notice.get().map(|notice| match notice {
            LoadNotice::FutureVersion { .. } => messages.storage_future,
            LoadNotice::Corrupted { .. } | LoadNotice::Unavailable(_) => messages.storage_corrupted,
        });
        [notice, status].into_iter().flatten().collect::<Vec<_>>()
    };
    view! {
        <div class="storage-status" role="status" aria-live="polite">
            {move || text().into_iter().map(|t| view! { <p class="alert">{t}</p> }).collect_view()}
        </div>
    }
}
