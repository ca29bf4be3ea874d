//! Tracking, as context for the whole player: statements go to the durable outbox the moment
//! they are made, and a sender takes them to the LRS in order, in batches, in one tab at a time.
//!
//! - The configuration comes from `config.json` beside `index.html`; while it loads, or when it
//!   is missing or wrong, statements are still made and kept, and nothing is sent.
//! - Sending is tried when a statement is made, every few seconds, when the network comes back
//!   (`online`), and on page load; a page being hidden or closed flushes with `keepalive`.
//! - A course session is `initialized` when a course is opened and `terminated` when the learner
//!   leaves it or the page is hidden for good (`pagehide`); a page restored from the back-forward
//!   cache starts a new session.
//! - Launched by an LMS that takes statements itself (cmi5; the LMS session, `ui::lms`), the LMS's
//!   endpoint, token, actor and registration replace `config.json` and the browser's learner,
//!   statements follow its rules ([`StatementLaunch`]), and the launch is one session:
//!   `initialized` once, `terminated` when the learner leaves with "Quitter" or closes the page,
//!   nothing after it.

use super::lms::LmsSession;
use crate::course::Course;
use crate::lms::StatementLaunch;
use crate::progress::store::{load_learner, save_learner, Learner, MemoryStore};
use crate::progress::{uuid_v4, CourseProgress, LmsResults, PassMarks};
use crate::web::http::post_json;
use crate::web::storage::{when_another_tab_changes, BrowserStore};
use crate::web::{fetch_text, now, random_bytes};
use crate::xapi::config::{IdentifyBy, TrackingConfig, CONFIG_FILE};
use crate::xapi::outbox::{Answer, Outbox, HANDOVER_MS, REQUEST_TIMEOUT_MS};
use crate::xapi::statement::{Agent, Session, Stamp, Statement};
use crate::xapi::store::{queue_key, OutboxStore, QUEUE_PREFIX, STATE_KEY};
use crate::xapi::tracker::statements_for_change;
use crate::xapi::version::XapiVersion;
use leptos::prelude::*;
use leptos::task::spawn_local;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// What loading `config.json` gave.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigState {
    Loading,
    Ready(TrackingConfig),
    /// Not found, or not reachable: the reason.
    Missing(String),
    /// Found but wrong: what is wrong, located.
    Invalid(String),
}

/// A course session: from opening a course to leaving it.
#[derive(Clone)]
struct OpenSession {
    course: Arc<Course>,
    registration: String,
    started_at: f64,
}

/// The tracking context.
#[derive(Clone, Copy)]
pub struct Tracking {
    pub config: RwSignal<ConfigState>,
    /// The outbox as last seen, for the status line and the author panel.
    pub outbox: RwSignal<Outbox>,
    /// Why the last request got no answer, for the author panel.
    pub last_error: RwSignal<Option<String>>,
    pub learner: RwSignal<Learner>,
    /// Whether the browser is online, for the learner's notice.
    pub online: RwSignal<bool>,
    session: StoredValue<Option<OpenSession>>,
    /// The course of the session closed when the page was hidden, to reopen if it comes back.
    hidden_session: StoredValue<Option<(Arc<Course>, String)>>,
    lms: LmsSession,
    /// A launch by an LMS that takes statements is one session: opened once, and nothing is
    /// sent once it has ended.
    launch_opened: StoredValue<bool>,
    launch_ended: StoredValue<bool>,
    /// Told when the cmi5 LMS took the AU's `completed` or `passed` (the course's progress
    /// keeps it, so that a lost one is sent again at the next launch and only a lost one).
    results_acknowledged: StoredValue<Option<AcknowledgedListener>, LocalStorage>,
    page: StoredValue<Rc<PageState>, LocalStorage>,
}

/// Where statements go: the LRS's statements and `about` resources, and the credentials.
struct Destination {
    statements_url: String,
    about_url: String,
    authorization: Option<String>,
}

type AcknowledgedListener = std::rc::Rc<dyn Fn(LmsResults)>;

/// How often sending is tried (besides the events that try at once).
const SEND_TICK: Duration = Duration::from_secs(5);
/// Browsers cap the bodies of `keepalive` requests at 64 KiB in all.
const KEEPALIVE_BYTES: usize = 60_000;

/// What this page's tracking keeps for its own life, beside the signals the interface reads.
struct PageState {
    /// Statements and sender state the browser refused to store, kept for the page's life.
    memory: MemoryStore,
    /// This tab's name in the lease and in queue keys.
    tab: String,
    /// Statements queued by this page so far: orders those queued in the same millisecond.
    queued: Cell<u32>,
    /// Ids of statements in requests that have not answered yet.
    in_flight: RefCell<Vec<String>>,
    /// The page is being put away: only `keepalive` requests may leave (others are cancelled).
    hiding: Cell<bool>,
    /// The xAPI version the LRS speaks, by statements URL, once its `about` has said (or could not).
    xapi_version: RefCell<Option<(String, XapiVersion)>>,
    /// The LRS's `about` is being asked.
    asking_version: Cell<bool>,
}

impl PageState {
    /// The outbox, in the browser's storage and, for what it refused, in the page's memory.
    fn with_store<R>(&self, use_store: impl FnOnce(&OutboxStore) -> R) -> R {
        let durable = BrowserStore::local();
        use_store(&OutboxStore { durable: &durable, memory: &self.memory })
    }
}

/// How long the LRS's `about` may take: sending waits for it (1.0.3 after that).
const ABOUT_TIMEOUT_MS: f64 = 5_000.0;

/// Where this tab keeps the version an LRS's `about` gave, so that each page does not ask again.
fn version_key(statements_url: &str) -> String {
    format!("parcours:xapi:version:{statements_url}")
}

/// How long "Quitter" waits for the last statements to reach the LMS before leaving.
const EXIT_WAIT_MS: f64 = 5_000.0;

fn new_id() -> String {
    uuid_v4(random_bytes())
}

/// Starts tracking for the whole player: reads the configuration and the outbox, then sends.
pub fn provide_tracking() -> Tracking {
    let learner = load_learner(&BrowserStore::local(), new_id);
    // Keep the new id: every statement of this browser names the same learner.
    let _ = save_learner(&BrowserStore::local(), &learner);
    let page = Rc::new(PageState {
        memory: MemoryStore::default(),
        tab: uuid_v4(random_bytes())[..8].to_owned(),
        queued: Cell::new(0),
        in_flight: RefCell::new(Vec::new()),
        hiding: Cell::new(false),
        xapi_version: RefCell::new(None),
        asking_version: Cell::new(false),
    });
    let tracking = Tracking {
        config: RwSignal::new(ConfigState::Loading),
        outbox: RwSignal::new(page.with_store(|store| store.resume(now()))),
        last_error: RwSignal::new(None),
        learner: RwSignal::new(learner),
        online: RwSignal::new(crate::web::is_online()),
        session: StoredValue::new(None),
        hidden_session: StoredValue::new(None),
        lms: super::lms::expect_lms_session(),
        launch_opened: StoredValue::new(false),
        launch_ended: StoredValue::new(false),
        results_acknowledged: StoredValue::new_local(None),
        page: StoredValue::new_local(page),
    };
    provide_context(tracking);
    if !crate::web::IN_BROWSER {
        // Pre-rendering a page: no learner, nothing to send.
        return tracking;
    }

    spawn_local(load_config(tracking));
    follow_the_page(tracking);
    tracking
}

/// Where statements go: the LMS's endpoint when it gave one at launch, else `config.json`'s.
/// What was made while it loaded is discarded when the site sends nothing.
async fn load_config(tracking: Tracking) {
    if let Some(lrs) = tracking.lms.lrs() {
        tracking.config.set(ConfigState::Ready(TrackingConfig { lrs: Some(lrs), ..TrackingConfig::default() }));
        tracking.send();
        return;
    }
    if let Some(failure) = tracking.lms.launch_failure() {
        tracking.config.set(ConfigState::Invalid(failure));
        return;
    }
    let state = match fetch_text(&format!("{}/{CONFIG_FILE}", crate::web::site_base())).await {
        Ok(text) => match TrackingConfig::parse(&text) {
            Ok(config) => ConfigState::Ready(config),
            Err(error) => ConfigState::Invalid(error.to_string()),
        },
        Err(error) => ConfigState::Missing(error.to_string()),
    };
    tracking.config.set(state);
    if tracking.sends_nothing() {
        // Made while the configuration was loading: nothing will ever send them.
        tracking.with_store(|store| store.discard_all());
        tracking.refresh();
    }
    tracking.identify_if_asked();
    tracking.send();
}

/// Sends every few seconds and when the page's state calls for it: back online, shown again,
/// storage changed by another tab; hidden or closed, flushes with `keepalive`. All of it stops
/// with the player.
fn follow_the_page(tracking: Tracking) {
    let ticker = set_interval_with_handle(move || tracking.send(), SEND_TICK).ok();
    let online = window_event_listener_untyped("online", move |_| {
        tracking.online.set(true);
        tracking.outbox.set(tracking.with_store(|store| store.resume(now())));
        tracking.send();
    });
    let offline = window_event_listener_untyped("offline", move |_| tracking.online.set(false));
    // Another tab added or delivered statements: show it.
    when_another_tab_changes(|key| key.starts_with(QUEUE_PREFIX) || key == STATE_KEY, move || tracking.refresh());
    let hidden = window_event_listener_untyped("visibilitychange", move |_| {
        // On leaving, browsers fire `pagehide` first, then this: the page's flush is done by then.
        if !crate::web::page_visible() && !tracking.hiding() {
            let _ = tracking.flush(false);
        } else if crate::web::page_visible() {
            // The learner is back (a laptop woken, a tab shown): try now rather than at the
            // next retry, which may be minutes away after a refusal.
            tracking.outbox.set(tracking.with_store(|store| store.resume(now())));
            tracking.send();
        }
    });
    let page_hide = window_event_listener(leptos::ev::pagehide, move |_| {
        tracking.page().hiding.set(true);
        tracking.hide_session();
        // Requests in flight are cancelled with the page: send them again (the LRS takes an
        // identical resend as the same statement).
        let posted = tracking.flush(true);
        // The next page (a reload, the next launch from an LMS) sends as soon as these last
        // requests have landed, not when the lease would have expired.
        let from = if posted { now() + HANDOVER_MS } else { now() };
        let tab = tracking.tab();
        tracking.with_store(|store| store.hand_over_lease(&tab, from));
    });
    let page_show = window_event_listener(leptos::ev::pageshow, move |event| {
        tracking.page().hiding.set(false);
        if event.persisted() {
            if let Some((course, registration)) = tracking.hidden_session.get_value() {
                tracking.open(course, registration);
            }
            tracking.send();
        }
    });
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
        for listener in [online, offline, hidden, page_hide, page_show] {
            listener.remove();
        }
    });
}

/// The tracking provided by the app.
#[track_caller]
pub fn expect_tracking() -> Tracking {
    expect_context::<Tracking>()
}

impl Tracking {
    fn page(self) -> Rc<PageState> {
        self.page.get_value()
    }

    fn with_store<R>(self, use_store: impl FnOnce(&OutboxStore) -> R) -> R {
        self.page().with_store(use_store)
    }

    fn tab(self) -> String {
        self.page().tab.clone()
    }

    fn in_flight(self) -> Vec<String> {
        self.page().in_flight.borrow().clone()
    }

    fn hiding(self) -> bool {
        self.page().hiding.get()
    }

    fn ready_config(self) -> Option<TrackingConfig> {
        match self.config.get_untracked() {
            ConfigState::Ready(config) => Some(config),
            _ => None,
        }
    }

    /// Whether the deployment wants an e-mail address this learner has not given yet.
    pub fn needs_email(self) -> bool {
        self.ready_config().is_some_and(|c| c.actor.identify_by == IdentifyBy::Mbox)
            && self.learner.with_untracked(|l| l.email.is_none())
    }

    /// The learner as statements name them.
    fn actor(self) -> Agent {
        if let Some(launch) = self.lms.statement_launch() {
            return launch.actor().clone();
        }
        let learner = self.learner.get_untracked();
        let config = self.ready_config().unwrap_or_default();
        if let (IdentifyBy::Mbox, Some(email)) = (config.actor.identify_by, &learner.email) {
            return Agent::mbox(email, learner.name);
        }
        let home_page = config
            .actor
            .home_page
            .or_else(crate::web::page_origin)
            .unwrap_or_else(|| "https://parcours.invalid".to_owned());
        Agent::account(&home_page, &learner.id, learner.name)
    }

    /// Records the learner's e-mail address and gives it to the statements waiting for it.
    pub fn set_email(self, email: String) {
        let learner = Learner { email: Some(email), ..load_learner(&BrowserStore::local(), new_id) };
        let _ = save_learner(&BrowserStore::local(), &learner);
        self.learner.set(learner);
        self.identify_if_asked();
        self.send();
    }

    /// The learner changed their name elsewhere (the attestation): later statements carry it.
    pub fn reload_learner(self) {
        self.learner.set(load_learner(&BrowserStore::local(), new_id));
    }

    fn identify_if_asked(self) {
        if self.ready_config().is_some_and(|c| c.actor.identify_by == IdentifyBy::Mbox) {
            let actor = self.actor();
            if actor.mbox.is_some() {
                self.with_store(|store| store.identify(&actor));
                self.refresh();
            }
        }
    }

    fn refresh(self) {
        self.outbox.set(self.with_store(|store| store.load()));
    }

    /// Puts statements in the outbox, then tries to send.
    fn record(self, statements: Vec<Statement>) {
        // A failed launch has nowhere to send them; an ended one must send nothing more.
        let failed_launch = self.lms.launch_failure().is_some();
        if statements.is_empty() || failed_launch || self.launch_ended.get_value() || self.sends_nothing() {
            return;
        }
        let tab = self.tab();
        for statement in &statements {
            let page = self.page();
            page.queued.set(page.queued.get() + 1);
            let key = queue_key(now(), page.queued.get(), &tab, &statement.id);
            self.with_store(|store| store.enqueue(&key, statement));
        }
        self.refresh();
        self.send();
    }

    fn with_session<R>(self, course: &Course, registration: &str, build: impl FnOnce(&Session) -> R) -> R {
        let registration = self.sending_registration().unwrap_or_else(|| registration.to_owned());
        let session = Session { course, actor: self.actor(), registration };
        build(&session)
    }

    /// A statement about the session, as the LMS that takes statements wants it (`None`: not to send).
    fn session_statement(self, course: &Course, statement: Statement) -> Option<Statement> {
        match self.lms.statement_launch() {
            Some(launch) => launch.adapt(statement, course),
            None => Some(statement),
        }
    }

    /// Opens a course session (closing another course's first). A cmi5 launch has one session.
    pub fn open(self, course: Arc<Course>, registration: String) {
        if self.lms.takes_statements() {
            if self.launch_opened.get_value() {
                return;
            }
            self.launch_opened.set_value(true);
        } else {
            self.close();
        }
        let statement =
            self.with_session(&course, &registration, |s| s.initialized(Stamp { id: new_id(), at_ms: now() }));
        self.session.set_value(Some(OpenSession { course: course.clone(), registration, started_at: now() }));
        self.record(self.session_statement(&course, statement).into_iter().collect());
    }

    /// Once the session of a launch by an LMS that takes statements is open: what earlier
    /// sessions of the registration left unsent (their page closed first) is sent in this one,
    /// and results the LMS never took are made again (see [`StatementLaunch::carry_over`],
    /// [`StatementLaunch::results_to_reissue`]).
    pub fn catch_up_launch(self, course: &Course, progress: &CourseProgress) {
        let Some(launch) = self.lms.statement_launch() else { return };
        if self.launch_ended.get_value() {
            return;
        }
        let mut waiting = Vec::new();
        if launch.records_learning() {
            let leftovers = self.with_store(|store| store.take_waiting(|s| launch.is_from_earlier_session(s)));
            waiting = launch.carry_over(leftovers, course).unwrap_or_default();
        }
        let registration = launch.registration().to_owned();
        let queued = self.outbox.with_untracked(|o| o.sendable(Some(&registration)).cloned().collect::<Vec<_>>());
        let all_waiting: Vec<Statement> = queued.into_iter().chain(waiting.iter().cloned()).collect();
        let due = self
            .with_session(course, &registration, |s| launch.results_to_reissue(s, progress, &all_waiting, &mut new_id));
        waiting.extend(due);
        self.record(waiting);
    }

    /// Who keeps the results the cmi5 LMS took (the course's progress).
    pub fn on_results_acknowledged(self, listener: impl Fn(LmsResults) + 'static) {
        self.results_acknowledged.set_value(Some(std::rc::Rc::new(listener)));
    }

    /// The learner left the course's pages. In a cmi5 launch the session goes on until the
    /// learner leaves the AU ("Quitter", or closing the page).
    pub fn close(self) {
        if !self.lms.takes_statements() {
            self.end_session();
        }
    }

    /// Ends the course session: `terminated`, with its duration. In a cmi5 launch the progress
    /// is saved in the LMS first: nothing may use the launch's token after `terminated`.
    fn end_session(self) {
        let Some(open) = self.session.get_value() else { return };
        self.session.set_value(None);
        self.lms.finish_saving(true);
        let duration = (now() - open.started_at).max(0.0) as u64;
        let statement = self.with_session(&open.course, &open.registration, |s| {
            s.terminated(Stamp { id: new_id(), at_ms: now() }, duration)
        });
        self.record(self.session_statement(&open.course, statement).into_iter().collect());
        if self.lms.takes_statements() {
            self.launch_ended.set_value(true);
        }
    }

    fn hide_session(self) {
        if let Some(open) = self.session.get_value() {
            self.hidden_session.set_value(Some((open.course.clone(), open.registration.clone())));
            self.end_session();
        }
    }

    /// The learner leaves a cmi5 launch: `terminated`, sent (waiting a few seconds at most),
    /// then back to the LMS's `returnURL` when it gave one.
    pub fn exit(self, return_url: Option<String>) {
        spawn_local(async move {
            let started = now();
            // The last progress saved before `terminated` (a page that stays can wait).
            self.lms.finish_saving(false);
            while now() - started < EXIT_WAIT_MS / 2.0 && !self.lms.progress_settled() {
                crate::web::sleep_ms(50).await;
            }
            self.end_session();
            while now() - started < EXIT_WAIT_MS
                && (self.outbox.with_untracked(|o| !o.queue.is_empty()) || !self.in_flight().is_empty())
            {
                crate::web::sleep_ms(100).await;
            }
            if let Some(url) = return_url {
                crate::web::go_to(&url);
            }
        });
    }

    /// The pass marks of this session: a cmi5 LMS's mastery score replaces the course's.
    pub fn pass_marks(self) -> PassMarks {
        self.lms.statement_launch().map_or(PassMarks::COURSE, |launch| launch.pass_marks())
    }

    /// The learner started the course afresh (reset, or an import of another enrolment).
    pub fn registration_changed(self, registration: &str) {
        if self.lms.takes_statements() {
            return;
        }
        if let Some(open) = self.session.get_value().filter(|open| open.registration != registration) {
            self.open(open.course, registration.to_owned());
        }
    }

    /// Records what a change of progress means (see [`statements_for_change`]).
    pub fn progress_changed(self, course: &Course, before: &CourseProgress, after: &CourseProgress) {
        let launch = self.lms.statement_launch();
        let statements = self.with_session(course, &after.registration, |s| match &launch {
            Some(launch) => launch.statements_for_change(s, before, after, &mut new_id),
            None => statements_for_change(s, before, after, new_id),
        });
        self.record(statements);
    }

    /// The statements of a video's or a sound's events (the ADL video profile), made cmi5 ones
    /// in a cmi5 launch. `session_id` is the viewing session's: set by its `initialized`.
    #[allow(clippy::too_many_arguments)]
    pub fn record_media(
        self,
        course: &Course,
        registration: &str,
        lesson: &crate::course::Lesson,
        media: &crate::course::Media,
        events: &[crate::progress::media::MediaEvent],
        progress: &crate::progress::media::MediaProgress,
        session_id: &mut Option<String>,
    ) {
        use crate::progress::media::MediaEvent;
        use crate::xapi::statement::video::MediaFacts;
        let threshold = course.media_completion_threshold;
        let at = now();
        let statements = events
            .iter()
            .enumerate()
            .filter_map(|(index, event)| {
                // One millisecond apart: the order of events is the order of their timestamps.
                let stamp = Stamp { id: new_id(), at_ms: at + index as f64 };
                if matches!(event, MediaEvent::Initialized) {
                    *session_id = Some(stamp.id.clone());
                }
                let session = session_id.clone().unwrap_or_default();
                let facts = MediaFacts { lesson, media, session_id: &session, progress, threshold };
                let statement = self.with_session(course, registration, |s| s.media_statement(stamp, event, &facts));
                self.session_statement(course, statement)
            })
            .collect();
        self.record(statements);
    }

    /// Whether this site sends no statement at all (`"lrs": null`, as in every LMS package opened
    /// without a cmi5 launch): then none is made or kept.
    fn sends_nothing(self) -> bool {
        !self.lms.takes_statements() && self.ready_config().is_some_and(|config| config.lrs.is_none())
    }

    /// The registration whose statements this page may send: a cmi5 launch's own (its token is
    /// refused for another's); any on a site.
    fn sending_registration(self) -> Option<String> {
        self.lms.statement_launch().map(|launch| launch.registration().to_owned())
    }

    fn destination(self) -> Option<Destination> {
        let config = self.ready_config()?;
        let (statements_url, about_url) = (config.statements_url()?, config.about_url()?);
        if self.needs_email() {
            return None;
        }
        Some(Destination { statements_url, about_url, authorization: config.lrs.and_then(|lrs| lrs.authorization) })
    }

    /// The xAPI version to speak to the LRS at `destination`, or `None` while its `about` is
    /// asked (then sending starts again). A cmi5 LMS is spoken to in 1.0.3, as cmi5 requires; the
    /// site's LRS in the version its `about` lists (`XapiVersion::for_about`), 1.0.3 when it
    /// does not answer.
    fn xapi_version(self, destination: &Destination) -> Option<XapiVersion> {
        use crate::progress::store::KeyValueStore;
        if self.lms.takes_statements() {
            return Some(XapiVersion::V1_0_3);
        }
        let statements_url = &destination.statements_url;
        let page = self.page();
        let known =
            page.xapi_version.borrow().as_ref().filter(|(url, _)| url == statements_url).map(|(_, version)| *version);
        if known.is_some() {
            return known;
        }
        let remembered = BrowserStore::session().get(&version_key(statements_url)).ok().flatten();
        if let Some(version) = remembered.as_deref().map(XapiVersion::for_header) {
            page.xapi_version.replace(Some((statements_url.clone(), version)));
            return Some(version);
        }
        if !page.asking_version.replace(true) {
            let (statements_url, about_url) = (statements_url.clone(), destination.about_url.clone());
            spawn_local(async move {
                let answer = crate::web::http::get(&about_url, &[], ABOUT_TIMEOUT_MS).await;
                let version = match answer.status {
                    Some(200) => {
                        let version = XapiVersion::for_about(&answer.body);
                        let _ = BrowserStore::session().set(&version_key(&statements_url), version.header());
                        version
                    }
                    // No `about` (a proxy that forwards only statements, an LRS down): 1.0.3,
                    // for this page only.
                    _ => XapiVersion::V1_0_3,
                };
                let page = self.page();
                page.xapi_version.replace(Some((statements_url, version)));
                page.asking_version.set(false);
                self.send();
            });
        }
        None
    }

    /// Sends the next batch if it is time, this tab holds the lease, and nothing is in flight.
    pub fn send(self) {
        let Some(destination) = self.destination() else { return };
        if !self.in_flight().is_empty() || self.hiding() {
            return;
        }
        let Some(version) = self.xapi_version(&destination) else { return };
        let at = now();
        let tab = self.tab();
        let registration = self.sending_registration();
        let (outbox, batch) = self.with_store(|store| {
            let outbox = store.load();
            let batch = outbox.next_batch(at, registration.as_deref()).filter(|_| store.take_lease(&tab, at));
            (outbox, batch)
        });
        self.outbox.set(outbox);
        if let Some(batch) = batch {
            self.post(destination, version, batch, false);
        }
    }

    /// The page is being hidden or closed: send what waits now, with `keepalive` so the request
    /// outlives the page (within the browser's 64 KiB limit), backoff or not. Whether anything
    /// was sent.
    fn flush(self, resend_in_flight: bool) -> bool {
        let Some(destination) = self.destination() else { return false };
        // A closing page cannot wait for the LRS's `about`.
        let version = self.xapi_version(&destination).unwrap_or(XapiVersion::V1_0_3);
        let at = now();
        let flying = if resend_in_flight { Vec::new() } else { self.in_flight() };
        let tab = self.tab();
        let batch = self.with_store(|store| {
            let outbox = store.load();
            if outbox.paused.is_some() {
                return Vec::new();
            }
            let mut size = 0;
            let registration = self.sending_registration();
            let batch: Vec<_> = outbox
                .sendable(registration.as_deref())
                .filter(|s| !flying.contains(&s.id))
                .cloned()
                .take_while(|s| {
                    size += crate::wire::to_string(s).map_or(KEEPALIVE_BYTES, |json| json.len() + 1);
                    size < KEEPALIVE_BYTES
                })
                .collect();
            // The lease is only taken to send something: a page with nothing to send leaves it free.
            if batch.is_empty() || !store.take_lease(&tab, at) {
                return Vec::new();
            }
            batch
        });
        let posting = !batch.is_empty();
        if posting {
            self.post(destination, version, batch, true);
        }
        posting
    }

    fn post(self, destination: Destination, version: XapiVersion, batch: Vec<Statement>, keepalive: bool) {
        let ids: Vec<String> = batch.iter().map(|s| s.id.clone()).collect();
        let results = self.lms.statement_launch().map(|launch| launch.results_in(&batch)).unwrap_or_default();
        let Ok(body) = crate::wire::to_string(&batch) else { return };
        self.page().in_flight.borrow_mut().extend(ids.iter().cloned());
        spawn_local(async move {
            let mut headers = vec![("X-Experience-API-Version", version.header())];
            if let Some(authorization) = &destination.authorization {
                headers.push(("Authorization", authorization.as_str()));
            }
            let answer = post_json(&destination.statements_url, &body, &headers, keepalive, REQUEST_TIMEOUT_MS).await;
            self.page().in_flight.borrow_mut().retain(|id| !ids.contains(id));
            let classified = Answer::from_http(answer.status, &answer.body, answer.retry_after_ms);
            let progressed = matches!(classified, Answer::Stored | Answer::AlreadyStored | Answer::Invalid { .. });
            self.last_error.set(match (&classified, answer.error) {
                (Answer::RetryLater { status: None, .. }, Some(error)) => Some(error),
                (Answer::RetryLater { status: Some(status), .. }, _) => Some(format!("HTTP {status}")),
                _ => None,
            });
            // A 409 for a batch of several says only that one of them is known (see `settle`).
            let stored =
                matches!(classified, Answer::Stored) || (matches!(classified, Answer::AlreadyStored) && ids.len() == 1);
            let outbox = self.with_store(|store| store.settle(&ids, classified, now(), crate::web::random_fraction()));
            self.outbox.set(outbox);
            if stored && !results.is_empty() {
                if let Some(listener) = self.results_acknowledged.get_value() {
                    listener(results);
                }
            }
            if progressed {
                self.send();
            }
        });
    }
}
