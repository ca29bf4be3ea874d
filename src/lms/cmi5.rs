//! cmi5 ("Quartz"): the LMS launches the player as an Assignable Unit (AU) with a URL that
//! carries `endpoint`, `fetch`, `actor`, `registration` and `activityId` (§8.1). The player POSTs
//! the fetch URL once for its token (§8.2), reads the `LMS.LaunchData` state document (§10) and
//! the learner's preferences (§11), then sends every statement to the LMS's endpoint, built on
//! the launch's context template, with the cmi5 rules (§9): the actor and registration given,
//! `initialized` first and `terminated` last, the cmi5-defined statements about the AU itself
//! with the cmi5 (and moveOn) categories, at most one `completed` and one `passed`, no `failed`
//! after `passed`, and nothing but `initialized` and `terminated` in Browse and Review modes.
//!
//! This module is pure: the launch parameters, the LMS's answers and the statements in, the
//! URLs to call and the statements to send out. The browser glue is in `ui::cmi5`.

use super::StatementLaunch;
use crate::course::Course;
use crate::progress::{CourseProgress, LmsResults, PassMarks};
use crate::xapi::statement::{Activity, Agent, ContextActivities, Score, Session, Stamp, Statement, VerbKind};
use crate::xapi::tracker;
use serde::Deserialize;
use std::collections::BTreeMap;

pub const CMI5_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
pub const MOVEON_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/moveon";
pub const MASTERY_SCORE_EXTENSION: &str = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
/// The session id the LMS puts in the context template (§9.6.3.1): one per launch.
pub const SESSION_ID_EXTENSION: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
pub const LAUNCH_DATA_STATE: &str = "LMS.LaunchData";
pub const LEARNER_PREFERENCES_PROFILE: &str = "cmi5LearnerPreferences";
/// The AU's own state document: the learner's progress in its compact form, so that it follows
/// the learner to another computer (cmi5 §10 leaves other state documents to the AU).
pub const PROGRESS_STATE: &str = "parcours.progress";

/// What can go wrong in a launch, in words for the learner's banner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Cmi5Error {
    #[error("the launch address lacks `{0}`")]
    MissingParameter(&'static str),
    #[error("the launch address has an unreadable `{name}`: {problem}")]
    BadParameter { name: &'static str, problem: String },
    /// The fetch URL answered with a cmi5 error (§8.2.3: 1 already used, 2 security, 3 other).
    #[error("the platform refused the launch (error {code}: {text})")]
    FetchRefused { code: String, text: String },
    #[error("the platform could not be reached ({0})")]
    Network(String),
    /// The launch's `fetch` or `endpoint` breaks the site's rule: nothing is sent there.
    #[error("the launch comes from a platform this module does not accept ({0})")]
    UntrustedPlatform(String),
    #[error("the platform answered {status} to {what}")]
    Status { what: &'static str, status: u16 },
    #[error("the platform's {what} is unreadable: {problem}")]
    Unreadable { what: &'static str, problem: String },
    /// This tab already ended the launch's session (`terminated`: the learner left the module,
    /// or the page was reloaded): its token may not be used again (8.1.2.0-2).
    #[error("this launch's session has ended")]
    SessionEnded,
}

/// The launch URL's parameters (§8.1).
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchParams {
    /// The xAPI endpoint, ending with `/`.
    pub endpoint: String,
    pub fetch: String,
    pub actor: Agent,
    /// The actor exactly as given, for the State and Agent Profile queries.
    pub actor_json: String,
    pub registration: String,
    pub activity_id: String,
}

impl LaunchParams {
    /// Reads the query's pairs (decoded). `None` when this is not a cmi5 launch (neither
    /// `fetch` nor `endpoint` given); an error when it is one with a missing or wrong parameter.
    pub fn from_query(pairs: &[(String, String)]) -> Option<Result<LaunchParams, Cmi5Error>> {
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
        if get("fetch").is_none() && get("endpoint").is_none() {
            return None;
        }
        Some((|| {
            let required =
                |name: &'static str| get(name).filter(|v| !v.is_empty()).ok_or(Cmi5Error::MissingParameter(name));
            let mut endpoint = required("endpoint")?;
            if !endpoint.ends_with('/') {
                endpoint.push('/');
            }
            let fetch = required("fetch")?;
            let actor_json = required("actor")?;
            let registration = required("registration")?;
            let activity_id = required("activityId")?;
            let actor: Agent = serde_json::from_str(&actor_json)
                .map_err(|e| Cmi5Error::BadParameter { name: "actor", problem: e.to_string() })?;
            if !actor.is_identified() {
                let problem = "an agent needs exactly one identifier (an account or an mbox)".to_owned();
                return Err(Cmi5Error::BadParameter { name: "actor", problem });
            }
            Ok(LaunchParams { endpoint, fetch, actor, actor_json, registration, activity_id })
        })())
    }

    /// Whether this launch may be followed, by the site's rule (`allowed_origins` from
    /// `config.json`; empty: any). The `fetch` URL and the `endpoint` receive the learner's
    /// records and set their registration: both must be absolute http(s) URLs of one origin (https
    /// unless on the learner's own machine), and that origin an allowed one.
    pub fn check_origins(&self, allowed_origins: &[String]) -> Result<(), Cmi5Error> {
        // The origin is named as the launch gave it, shortened: it comes from an untrusted link.
        let refused = |url: &str| Cmi5Error::UntrustedPlatform(url.chars().take(80).collect());
        let endpoint = origin_of(&self.endpoint).ok_or_else(|| refused(&self.endpoint))?;
        let fetch = origin_of(&self.fetch).ok_or_else(|| refused(&self.fetch))?;
        let secure = endpoint.starts_with("https://") || is_loopback_origin(&endpoint);
        let allowed = allowed_origins.is_empty()
            || allowed_origins.iter().any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(&endpoint));
        if fetch != endpoint || !secure || !allowed {
            return Err(refused(&endpoint));
        }
        Ok(())
    }

    /// The State API address of a document of this launch (xAPI-Communication §2.3).
    pub fn state_url(&self, state_id: &str) -> String {
        format!(
            "{}activities/state?stateId={}&activityId={}&agent={}&registration={}",
            self.endpoint,
            encode(state_id),
            encode(&self.activity_id),
            encode(&self.actor_json),
            encode(&self.registration)
        )
    }

    /// The Agent Profile address of the learner's preferences (§11).
    pub fn learner_preferences_url(&self) -> String {
        format!(
            "{}agents/profile?agent={}&profileId={}",
            self.endpoint,
            encode(&self.actor_json),
            LEARNER_PREFERENCES_PROFILE
        )
    }
}

/// `scheme://host[:port]` of an absolute http(s) URL, lowercased; `None` for anything else
/// (relative, another scheme, credentials in the address).
pub fn origin_of(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let valid = !authority.is_empty()
        && authority.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

fn is_loopback_origin(origin: &str) -> bool {
    let host_port = origin.split_once("://").map_or("", |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map_or("", |h| h.trim_start_matches('['))
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}

/// Whether a `returnURL` may be followed: an http(s) address or a path, never `javascript:` or
/// another scheme that would run in the player's page.
pub fn is_safe_return_url(url: &str) -> bool {
    crate::safe_html::url_scheme(url).is_none_or(|scheme| scheme == "http" || scheme == "https")
        && !url.trim().is_empty()
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The token in the fetch URL's answer (§8.2.2), or why there is none.
pub fn auth_token(status: Option<u16>, body: &str, network_error: Option<&str>) -> Result<String, Cmi5Error> {
    let Some(status) = status else {
        return Err(Cmi5Error::Network(network_error.unwrap_or("no answer").to_owned()));
    };
    #[derive(Deserialize)]
    struct FetchAnswer {
        #[serde(rename = "auth-token")]
        auth_token: Option<String>,
        #[serde(rename = "error-code")]
        error_code: Option<serde_json::Value>,
        #[serde(rename = "error-text")]
        error_text: Option<String>,
    }
    let answer: Option<FetchAnswer> = serde_json::from_str(body).ok();
    match answer {
        Some(FetchAnswer { error_code: Some(code), error_text, .. }) => Err(Cmi5Error::FetchRefused {
            code: code.as_str().map_or_else(|| code.to_string(), str::to_owned),
            text: error_text.unwrap_or_default(),
        }),
        Some(FetchAnswer { auth_token: Some(token), .. }) if (200..300).contains(&status) && !token.is_empty() => {
            Ok(token)
        }
        _ if !(200..300).contains(&status) => Err(Cmi5Error::Status { what: "the fetch URL", status }),
        _ => Err(Cmi5Error::Unreadable { what: "fetch answer", problem: "no `auth-token`".into() }),
    }
}

/// `launchMode` (§10.0): only Normal records learning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum LaunchMode {
    Normal,
    Browse,
    Review,
}

pub use crate::course::MoveOn;

/// The part of `contextTemplate` Parcours merges into every statement.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextTemplate {
    #[serde(default)]
    pub context_activities: ContextActivities,
    #[serde(default)]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// The `LMS.LaunchData` state document (§10), read as the spec allows it to be written: only
/// `launchMode` and `moveOn` are needed (the reference player leaves out `masteryScore`,
/// `returnURL`, `launchParameters` and `entitlementKey` when it has none, and `objectType` in
/// the template's activities), and unknown properties are ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LaunchData {
    #[serde(default)]
    pub context_template: ContextTemplate,
    pub launch_mode: LaunchMode,
    #[serde(default)]
    pub mastery_score: Option<f64>,
    pub move_on: MoveOn,
    #[serde(default, rename = "returnURL")]
    pub return_url: Option<String>,
    #[serde(default)]
    pub launch_parameters: Option<String>,
}

impl LaunchData {
    pub fn parse(status: Option<u16>, body: &str, network_error: Option<&str>) -> Result<LaunchData, Cmi5Error> {
        match status {
            None => Err(Cmi5Error::Network(network_error.unwrap_or("no answer").to_owned())),
            Some(status) if !(200..300).contains(&status) => Err(Cmi5Error::Status { what: LAUNCH_DATA_STATE, status }),
            Some(_) => {
                let data: LaunchData = serde_json::from_str(body)
                    .map_err(|e| Cmi5Error::Unreadable { what: LAUNCH_DATA_STATE, problem: e.to_string() })?;
                let mut data = data;
                // The LMS's answer is untrusted: "Quitter" navigates to returnURL.
                data.return_url = data.return_url.filter(|url| is_safe_return_url(url));
                if data.mastery_score.is_some_and(|m| !(0.0..=1.0).contains(&m)) {
                    let problem = "masteryScore is not between 0 and 1".to_owned();
                    return Err(Cmi5Error::Unreadable { what: LAUNCH_DATA_STATE, problem });
                }
                Ok(data)
            }
        }
    }
}

/// The learner's preferences (§11); a missing document (403, 404) is no error.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LearnerPreferences {
    /// Comma-separated language tags, preferred first.
    #[serde(default)]
    pub language_preference: Option<String>,
}

impl LearnerPreferences {
    pub fn parse(status: Option<u16>, body: &str) -> LearnerPreferences {
        match status {
            Some(200..=299) => serde_json::from_str(body).unwrap_or_default(),
            _ => LearnerPreferences::default(),
        }
    }

    /// The first preferred language among `supported` (`fr-FR` matches `fr`).
    pub fn language<'a>(&self, supported: &[&'a str]) -> Option<&'a str> {
        let tags = self.language_preference.as_deref()?.split(',');
        tags.map(|tag| tag.trim().split('-').next().unwrap_or_default().to_ascii_lowercase())
            .find_map(|primary| supported.iter().find(|s| **s == primary).copied())
    }
}

/// A successful launch: everything statements are built with.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmi5Launch {
    pub params: LaunchParams,
    pub data: LaunchData,
    pub preferences: LearnerPreferences,
    /// The progress this registration saved in the LMS ([`PROGRESS_STATE`]), if any.
    pub saved_progress: Option<String>,
}

fn category(id: &str) -> Activity {
    Activity { object_type: "Activity".into(), id: id.to_owned(), definition: None }
}

fn append_new(list: &mut Vec<Activity>, extra: impl IntoIterator<Item = Activity>) {
    for activity in extra {
        if !list.iter().any(|a| a.id == activity.id) {
            list.push(activity);
        }
    }
}

impl Cmi5Launch {
    /// The progress to start from: the one saved in the LMS for this registration when it is
    /// newer than this browser's (the learner went on elsewhere), else this browser's.
    pub fn resume(&self, course: &Course, local: CourseProgress) -> CourseProgress {
        let saved = self
            .saved_progress
            .as_deref()
            .and_then(|text| crate::progress::compact::decode(text, course, self.pass_marks()).ok());
        match saved.filter(|saved| saved.registration == self.params.registration) {
            Some(saved) => {
                let mut acknowledged = saved.lms_acknowledged;
                if local.registration == saved.registration {
                    acknowledged = acknowledged.union(local.lms_acknowledged);
                }
                let mut resumed = crate::progress::compact::newer_of(Some(local), saved);
                resumed.lms_acknowledged = acknowledged;
                resumed
            }
            None => local,
        }
    }

    /// Whether the AU is passed (cmi5 §9.3.4): every assessment has a passing attempt; for a
    /// course without assessment, when it is completed and its moveOn needs a pass.
    fn au_passed(&self, course: &Course, progress: &CourseProgress) -> bool {
        if course.assessments.is_empty() {
            self.data.move_on.needs_passed() && progress.summary(course).completed
        } else {
            course
                .assessments
                .iter()
                .all(|a| progress.attempts.get(a.id.as_str()).is_some_and(|list| list.iter().any(|r| r.score.passed)))
        }
    }

    /// `passed` of the AU, with the mean of the best scores (not yet adapted).
    fn au_passed_statement(&self, session: &Session, progress: &CourseProgress, id: String) -> Statement {
        let summary = progress.summary(session.course);
        let best: Vec<f64> = summary.best_scores.iter().flatten().copied().collect();
        let score = (!best.is_empty()).then(|| {
            let scaled = best.iter().sum::<f64>() / best.len() as f64;
            Score { scaled, raw: (scaled * 100.0).round(), min: 0.0, max: 100.0 }
        });
        let at = progress.passed_at.or(progress.completed_at).unwrap_or(progress.updated_at);
        session.course_assessed(Stamp { id, at_ms: at }, score, true, progress.active_ms)
    }
}

impl StatementLaunch for Cmi5Launch {
    fn actor(&self) -> &Agent {
        &self.params.actor
    }

    fn registration(&self) -> &str {
        &self.params.registration
    }

    /// Whether learning is recorded (Normal mode), or only the session (Browse, Review).
    fn records_learning(&self) -> bool {
        self.data.launch_mode == LaunchMode::Normal
    }

    /// The pass marks of this launch: the LMS's mastery score, when it gives one, replaces every
    /// assessment's (§9.3.4: `passed` needs a score at or above it); else the course's own.
    fn pass_marks(&self) -> PassMarks {
        PassMarks { lms_mastery_score: self.data.mastery_score }
    }

    /// A statement made by Parcours, made a cmi5 one: the launch's actor and registration, the
    /// context template merged in, the AU as the object of the statements about the course,
    /// and the cmi5 categories and mastery score on the cmi5-defined ones. `None`: not to be
    /// sent in this launch mode.
    fn adapt(&self, mut statement: Statement, course: &Course) -> Option<Statement> {
        let verb = statement.verb.kind();
        let about_course = statement.object.id == course.id.as_str();
        // The AU's own session; a video's `initialized` is learning, not a session of the AU.
        let session_verb = about_course && verb.is_some_and(VerbKind::is_session);
        if !self.records_learning() && !session_verb {
            return None;
        }
        statement.actor = self.params.actor.clone();
        let context = &mut statement.context;
        context.registration = self.params.registration.clone();
        let template = &self.data.context_template;
        let ours = std::mem::take(&mut context.context_activities);
        let mut merged = template.context_activities.clone();
        append_new(&mut merged.parent, ours.parent);
        append_new(&mut merged.grouping, ours.grouping);
        append_new(&mut merged.category, ours.category);
        append_new(&mut merged.other, ours.other);
        // The template's values win: the LMS checks them (a statement carried over from an
        // earlier session takes this session's id).
        for (key, value) in &template.extensions {
            context.extensions.insert(key.clone(), value.clone());
        }

        if about_course {
            // The course, as the LMS knows it: the AU.
            statement.object.id = self.params.activity_id.clone();
            // The course is the AU itself, not a grouping of it.
            merged.grouping.retain(|a| a.id != course.id.as_str());
        }
        let cmi5_defined = about_course && verb.is_some_and(|v| v.is_session() || v.is_result());
        if cmi5_defined {
            append_new(&mut merged.category, [category(CMI5_CATEGORY)]);
            if verb.is_some_and(VerbKind::is_result) {
                append_new(&mut merged.category, [category(MOVEON_CATEGORY)]);
            }
            let graded = matches!(verb, Some(VerbKind::Passed | VerbKind::Failed));
            if let (true, Some(mastery)) = (graded, self.data.mastery_score) {
                context.extensions.insert(MASTERY_SCORE_EXTENSION.to_owned(), serde_json::Value::from(mastery));
            }
        }
        context.context_activities = merged;
        Some(statement)
    }

    /// The statements a change of progress calls for in this launch (§9.3): Parcours's own
    /// (lessons experienced, questions answered, progress), with the assessments' outcomes
    /// replaced by the AU's: `passed` once every assessment is passed (with the mean of the
    /// best scores), `failed` for a failed attempt before that; for a course without
    /// assessment whose moveOn needs a pass, `passed` with `completed`. All adapted.
    fn statements_for_change(
        &self,
        session: &Session,
        before: &CourseProgress,
        after: &CourseProgress,
        new_id: &mut dyn FnMut() -> String,
    ) -> Vec<Statement> {
        let course = session.course;
        let mut statements: Vec<Statement> = tracker::statements_for_change(session, before, after, &mut *new_id)
            .into_iter()
            .filter(|s| !matches!(s.verb.kind(), Some(VerbKind::Passed | VerbKind::Failed)))
            .collect();

        let was_passed = self.au_passed(course, before);
        if !was_passed && self.au_passed(course, after) {
            statements.push(self.au_passed_statement(session, after, new_id()));
        } else if !was_passed {
            for assessment in &course.assessments {
                let old = before.attempts.get(assessment.id.as_str()).map(Vec::as_slice).unwrap_or_default();
                let new = after.attempts.get(assessment.id.as_str()).map(Vec::as_slice).unwrap_or_default();
                for attempt in new.iter().filter(|a| !a.score.passed && !old.contains(a)) {
                    let score = Some(Score {
                        scaled: attempt.score.scaled.clamp(0.0, 1.0),
                        raw: attempt.score.raw,
                        min: 0.0,
                        max: attempt.score.max,
                    });
                    let duration = (attempt.finished_at - attempt.started_at).max(0.0) as u64;
                    let stamp = Stamp { id: new_id(), at_ms: attempt.finished_at };
                    statements.push(session.course_assessed(stamp, score, false, duration));
                }
            }
        }
        statements.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
        statements.into_iter().filter_map(|s| self.adapt(s, course)).collect()
    }

    /// Whether `statement` is this registration's, made in an earlier session of it (another
    /// launch's session id): left waiting when that session's page closed.
    fn is_from_earlier_session(&self, statement: &Statement) -> bool {
        let ours = self.data.context_template.extensions.get(SESSION_ID_EXTENSION);
        statement.context.registration == self.params.registration
            && ours.is_some()
            && statement.context.extensions.get(SESSION_ID_EXTENSION) != ours
    }

    /// What to do with statements an earlier session of this registration left unsent: that
    /// session's token ended with it (§8.1.2), so they are sent in this one, after its
    /// `initialized`, carrying this launch's context template; that session's own
    /// `initialized` and `terminated` are dropped (they were its own). In Browse and Review
    /// nothing is carried over (nothing but the session may be sent): `None`, leave them for a
    /// Normal launch.
    fn carry_over(&self, leftovers: Vec<Statement>, course: &Course) -> Option<Vec<Statement>> {
        if !self.records_learning() {
            return None;
        }
        let own_session =
            |s: &Statement| s.object.id == self.params.activity_id && s.verb.kind().is_some_and(VerbKind::is_session);
        Some(leftovers.into_iter().filter(|s| !own_session(s)).filter_map(|s| self.adapt(s, course)).collect())
    }

    /// The AU's results this registration earned that the LMS never acknowledged and that are
    /// not waiting to be sent (`waiting`): `completed` and `passed` are made again, for this
    /// session, at the time they were earned. They are sent once per registration (§9.3), so a
    /// result lost with a closing page must be sent again, and only once.
    fn results_to_reissue(
        &self,
        session: &Session,
        progress: &CourseProgress,
        waiting: &[Statement],
        new_id: &mut dyn FnMut() -> String,
    ) -> Vec<Statement> {
        let course = session.course;
        let waits = |verb: VerbKind| {
            waiting.iter().any(|s| s.object.id == self.params.activity_id && s.verb.kind() == Some(verb))
        };
        let acknowledged = progress.lms_acknowledged;
        let mut due = Vec::new();
        if progress.summary(course).completed && !acknowledged.completed && !waits(VerbKind::Completed) {
            let at = progress.completed_at.unwrap_or(progress.updated_at);
            due.push(session.completed(Stamp { id: new_id(), at_ms: at }, progress.active_ms));
        }
        if self.au_passed(course, progress) && !acknowledged.passed && !waits(VerbKind::Passed) {
            due.push(self.au_passed_statement(session, progress, new_id()));
        }
        due.into_iter().filter_map(|s| self.adapt(s, course)).collect()
    }

    /// Which of the AU's results are among `delivered`, statements the LMS took.
    fn results_in(&self, delivered: &[Statement]) -> LmsResults {
        let about_au = |verb: VerbKind| {
            delivered.iter().any(|s| s.object.id == self.params.activity_id && s.verb.kind() == Some(verb))
        };
        LmsResults { completed: about_au(VerbKind::Completed), passed: about_au(VerbKind::Passed) }
    }
}

/// The cmi5 course structure (cmi5 §13-14): the course and one AU, `index.html`, with the
/// course's `moveOn` and, for a course with one assessment, its pass mark as mastery score.
pub fn manifest(course: &Course) -> String {
    let text = |value: &str| {
        format!(
            "<langstring lang=\"{}\">{}</langstring>",
            super::xml_escape(&course.language),
            super::xml_escape(value)
        )
    };
    let description = if course.description.is_empty() { course.title.as_str() } else { course.description.as_str() };
    let mastery = match course.assessments.as_slice() {
        [only] => format!(" masteryScore=\"{}\"", only.pass_mark),
        _ => String::new(),
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="{course_id}">
    <title>{title}</title>
    <description>{description}</description>
  </course>
  <au id="{course_id}/au" moveOn="{move_on:?}"{mastery} launchMethod="AnyWindow">
    <title>{title}</title>
    <description>{description}</description>
    <url>index.html</url>
  </au>
</courseStructure>
"#,
        course_id = super::xml_escape(course.id.as_str()),
        title = text(&course.title),
        description = text(description),
        move_on = course.move_on,
    )
}

#[cfg(test)]
mod tests;
