//! The operator's report: the campus's figures (learners, completions, passes, scores, hours of
//! training, satisfaction, the hardest questions) aggregated from xAPI statements read back from
//! any LRS.
//!
//! Statements are fed one at a time ([`Aggregator::add`]) and never kept: what grows is one small
//! record per learner and month, never the statements, so a report over millions of statements
//! needs no more memory than the number of learners does. The rules:
//!
//! - a **learner** is an actor (account, e-mail, its hash or OpenID): several registrations of one
//!   person count once;
//! - **completed** and **passed** count learners, once each, in the month of their statement;
//!   `passed` is read on the course or on any of its assessments;
//! - the **best score** is each learner's best scaled score of the month (a retaken assessment
//!   counts once, at its best), averaged over the learners who have one;
//! - **hours** add up the durations of `terminated` statements (one per session);
//! - **satisfaction** keeps the latest `rated` statement of each registration (a learner may change
//!   their answer), in the month it was given;
//! - **questions** are the course's assessment questions (`answered` under an assessment), ranked
//!   by their share of successful answers, lowest first;
//! - a statement another one **voids** is left out; the caller gives the voided ids first
//!   ([`Aggregator::new`]), since a voiding statement may come after the one it voids.

pub mod render;

use super::statement::{ActivityKind, VerbKind};
use crate::safe_text::{plain, plain_lines};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What one learner did in one course in one month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LearnerMonth {
    pub completed: bool,
    pub passed: bool,
    pub best_scaled: Option<f64>,
    pub active_ms: u64,
}

/// The latest rating of one registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub timestamp: String,
    pub value: u8,
    pub comment: Option<String>,
}

/// One assessment question's answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionTally {
    pub name: String,
    pub answers: u64,
    pub successes: u64,
}

/// Everything kept about one course.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseState {
    pub title: String,
    /// Month (`2026-12`) → learner → what they did that month.
    pub months: BTreeMap<String, BTreeMap<String, LearnerMonth>>,
    /// Registration → its latest rating.
    pub ratings: BTreeMap<String, Rating>,
    /// Question IRI → its answers.
    pub questions: BTreeMap<String, QuestionTally>,
}

/// The running aggregation; serializable, so that a nightly run resumes from a cache.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Aggregator {
    pub courses: BTreeMap<String, CourseState>,
    /// Statements read, and how many were left out as voided or not about a course.
    pub read: u64,
    pub skipped_voided: u64,
    pub skipped_other: u64,
    /// The latest `stored` instant seen: where the next run starts (`since`).
    #[serde(default)]
    pub watermark: Option<Watermark>,
    /// The watermark this run resumed from: what is stored before it, or at it with an id it
    /// holds, was counted by an earlier run (an LRS may send again the statements of the
    /// watermark's second, or apply `since` to another time).
    #[serde(skip)]
    resumed_from: Option<Watermark>,
    /// Statements sent again that an earlier run had counted, left out.
    #[serde(skip)]
    pub skipped_counted: u64,
    #[serde(skip)]
    voided: HashSet<String>,
}

/// The latest `stored` instant an aggregation has read, and the ids stored at that very instant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Watermark {
    /// As the LRS wrote it: the next run's `since`.
    pub stored: String,
    /// The same, in nanoseconds since the epoch (`xapi::instant_ns`): compared as instants.
    pub at_ns: i128,
    pub ids: BTreeSet<String>,
}

/// The figures of one course for one month (or for the whole period).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub learners: usize,
    pub completed: usize,
    pub passed: usize,
    /// Mean of the learners' best scaled scores (0..1), when any learner has one.
    pub mean_best_score: Option<f64>,
    pub hours: f64,
    /// Mean rating (1..5) and the count of each rating, 1 to 5.
    pub satisfaction_mean: Option<f64>,
    pub satisfaction_answers: usize,
    pub satisfaction_distribution: [usize; 5],
}

/// A question with its success rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionFigures {
    pub id: String,
    pub name: String,
    pub answers: u64,
    pub success_rate: f64,
}

/// The figures of one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthFigures {
    pub month: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The figures of one course.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseFigures {
    pub id: String,
    pub title: String,
    pub months: Vec<MonthFigures>,
    pub total: Figures,
    pub questions: Vec<QuestionFigures>,
    /// The comments learners left with their rating, newest first.
    pub comments: Vec<String>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub courses: Vec<CourseFigures>,
    pub statements_read: u64,
    pub statements_voided: u64,
}

fn text<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(value, |v, key| v.get(*key)).and_then(Value::as_str)
}

/// A stable key for an actor: its one identifier, whichever xAPI allows.
pub fn actor_key(actor: &Value) -> Option<String> {
    if let (Some(home), Some(name)) = (text(actor, &["account", "homePage"]), text(actor, &["account", "name"])) {
        return Some(format!("account:{home}|{name}"));
    }
    ["mbox", "mbox_sha1sum", "openid"]
        .iter()
        .find_map(|key| actor.get(*key).and_then(Value::as_str).map(|v| format!("{key}:{}", v.to_lowercase())))
}

/// An ISO 8601 duration (`PT1H4M35.14S`, `P1DT2H`) in milliseconds; `None` when unreadable.
pub fn duration_ms(text: &str) -> Option<u64> {
    let rest = text.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut ms = 0.0_f64;
    for (part, units) in [
        (date, &[('Y', 365.0 * 86_400.0), ('M', 30.0 * 86_400.0), ('W', 7.0 * 86_400.0), ('D', 86_400.0)][..]),
        (time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)][..]),
    ] {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
            } else {
                let seconds = units.iter().find(|(unit, _)| *unit == c)?.1;
                ms += number.parse::<f64>().ok()? * seconds * 1000.0;
                number.clear();
            }
        }
        if !number.is_empty() {
            return None;
        }
    }
    (ms.is_finite() && ms >= 0.0).then(|| ms.round() as u64)
}

/// The activity's type, when it is one Parcours writes.
fn activity_type(activity: &Value) -> Option<ActivityKind> {
    text(activity, &["definition", "type"]).and_then(ActivityKind::of_iri)
}

fn activity_name(activity: &Value) -> String {
    activity
        .pointer("/definition/name")
        .and_then(Value::as_object)
        .and_then(|names| names.values().find_map(Value::as_str))
        .unwrap_or_default()
        .to_owned()
}

fn context_activities<'a>(statement: &'a Value, kind: &str) -> impl Iterator<Item = &'a Value> {
    statement.pointer(&format!("/context/contextActivities/{kind}")).into_iter().flat_map(|v| match v {
        Value::Array(items) => items.iter().collect::<Vec<_>>(),
        other => vec![other],
    })
}

/// The course a statement is about: its object when that is a course, or the course among its
/// context activities (Parcours puts it in `grouping`, assessments have it as `parent`).
fn course_of(statement: &Value) -> Option<&Value> {
    let object = statement.get("object")?;
    if activity_type(object) == Some(ActivityKind::Course) {
        return Some(object);
    }
    ["grouping", "parent", "other"]
        .iter()
        .flat_map(|kind| context_activities(statement, kind))
        .find(|a| activity_type(a) == Some(ActivityKind::Course))
}

fn month_of(timestamp: &str) -> Option<String> {
    let month = timestamp.get(..7)?;
    let valid = month.len() == 7
        && month.as_bytes()[4] == b'-'
        && month.bytes().enumerate().all(|(i, b)| i == 4 || b.is_ascii_digit());
    valid.then(|| month.to_owned())
}

/// A statement's score on 0..1. `scaled` is what xAPI defines for that, but an LRS may keep it in
/// single precision (xapi-rs stores 9/13 as 0.6923077): when `raw`, `min` and `max` give the same
/// fraction to within single precision, the exact fraction is taken, so that every LRS yields
/// the same figures; a `scaled` that says otherwise (a weighted score) is taken as it is.
fn scaled_score(statement: &Value) -> Option<f64> {
    let score = statement.pointer("/result/score")?;
    let fraction = (|| {
        let (raw, min, max) = (
            score.get("raw")?.as_f64()?,
            score.get("min").and_then(Value::as_f64).unwrap_or(0.0),
            score.get("max")?.as_f64()?,
        );
        (max > min).then(|| ((raw - min) / (max - min)).clamp(0.0, 1.0))
    })();
    match (score.get("scaled").and_then(Value::as_f64), fraction) {
        (Some(scaled), Some(fraction)) if (scaled - fraction).abs() <= SINGLE_PRECISION => Some(fraction),
        (Some(scaled), _) => Some(scaled.clamp(-1.0, 1.0)),
        (None, fraction) => fraction,
    }
}

/// How far a score kept in single precision may be from its exact value (f32 keeps 24 bits).
const SINGLE_PRECISION: f64 = 1e-6;

impl Aggregator {
    /// An aggregation that leaves out the statements whose ids are `voided`.
    pub fn new(voided: HashSet<String>) -> Aggregator {
        Aggregator { voided, ..Aggregator::default() }
    }

    /// More voided ids, for a run that resumes from a cache.
    pub fn void(&mut self, ids: impl IntoIterator<Item = String>) {
        self.voided.extend(ids);
    }

    /// Whether a statement is one the report reads (client-side filtering, for an LRS that
    /// ignores `activity`): about `course`, or about any course when `course` is `None`.
    pub fn is_about(statement: &Value, course: Option<&str>) -> bool {
        match (course_of(statement), course) {
            (Some(found), Some(wanted)) => found.get("id").and_then(Value::as_str) == Some(wanted),
            (found, None) => found.is_some(),
            (None, Some(_)) => false,
        }
    }

    /// Resumes a cached aggregation: what it has counted (up to its watermark) is not counted
    /// again, however the LRS sends it.
    pub fn resume(&mut self) {
        self.resumed_from = self.watermark.clone();
    }

    /// Reads one statement.
    pub fn add(&mut self, statement: &Value) {
        let id = text(statement, &["id"]).unwrap_or_default();
        let stored = text(statement, &["stored"]).and_then(|stored| Some((stored, super::instant_ns(stored)?)));
        if let (Some(mark), Some((_, at_ns))) = (&self.resumed_from, stored) {
            if at_ns < mark.at_ns || (at_ns == mark.at_ns && mark.ids.contains(id)) {
                self.skipped_counted += 1;
                return;
            }
        }
        self.read += 1;
        if let Some((stored, at_ns)) = stored {
            match &mut self.watermark {
                Some(mark) if at_ns == mark.at_ns => {
                    mark.ids.insert(id.to_owned());
                }
                Some(mark) if at_ns < mark.at_ns => {}
                _ => {
                    let ids = BTreeSet::from([id.to_owned()]);
                    self.watermark = Some(Watermark { stored: stored.to_owned(), at_ns, ids });
                }
            }
        }
        if self.voided.contains(id) {
            self.skipped_voided += 1;
            return;
        }
        let verb = text(statement, &["verb", "id"]).and_then(VerbKind::of_iri);
        let (Some(course), Some(actor), Some(month)) = (
            course_of(statement),
            statement.get("actor").and_then(actor_key),
            text(statement, &["timestamp"]).and_then(month_of),
        ) else {
            self.skipped_other += 1;
            return;
        };
        if verb == Some(VerbKind::Voided) {
            self.skipped_other += 1;
            return;
        }
        let Some(course_id) = course.get("id").and_then(Value::as_str) else {
            self.skipped_other += 1;
            return;
        };
        let state = self.courses.entry(course_id.to_owned()).or_default();
        let title = activity_name(course);
        if !title.is_empty() {
            state.title = title;
        }
        let object = &statement["object"];
        let on_course = object.get("id").and_then(Value::as_str) == Some(course_id);
        let learner = state.months.entry(month).or_default().entry(actor.clone()).or_default();
        match verb {
            Some(VerbKind::Completed) if on_course => learner.completed = true,
            Some(verb @ (VerbKind::Passed | VerbKind::Failed))
                if on_course || activity_type(object) == Some(ActivityKind::Assessment) =>
            {
                learner.passed |= verb == VerbKind::Passed;
                if let Some(scaled) = scaled_score(statement) {
                    learner.best_scaled = Some(learner.best_scaled.map_or(scaled, |best| best.max(scaled)));
                }
            }
            Some(VerbKind::Terminated) if on_course => {
                // A hostile or broken duration saturates; it never wraps the sum around.
                let duration = text(statement, &["result", "duration"]).and_then(duration_ms).unwrap_or(0);
                learner.active_ms = learner.active_ms.saturating_add(duration);
            }
            Some(VerbKind::Answered) => {
                let in_assessment =
                    context_activities(statement, "parent").any(|p| activity_type(p) == Some(ActivityKind::Assessment));
                if let (true, Some(question)) = (in_assessment, object.get("id").and_then(Value::as_str)) {
                    let tally = state.questions.entry(question.to_owned()).or_default();
                    tally.name = activity_name(object);
                    tally.answers += 1;
                    tally.successes += u64::from(statement.pointer("/result/success") == Some(&Value::Bool(true)));
                }
            }
            Some(VerbKind::Rated) if on_course => {
                let value = statement.pointer("/result/score/raw").and_then(Value::as_f64);
                let (Some(value), Some(timestamp)) = (value, text(statement, &["timestamp"])) else { return };
                if !(1.0..=5.0).contains(&value) || value.fract() != 0.0 {
                    return;
                }
                let registration = text(statement, &["context", "registration"]).unwrap_or("").to_owned();
                let key = format!("{actor}#{registration}");
                let rating = Rating {
                    timestamp: timestamp.to_owned(),
                    value: value as u8,
                    comment: text(statement, &["result", "response"])
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned),
                };
                let newer = state.ratings.get(&key).is_none_or(|kept| rating.timestamp >= kept.timestamp);
                if newer {
                    state.ratings.insert(key, rating);
                }
            }
            _ => {}
        }
    }

    /// The report: per course, per month and in total.
    pub fn report(&self) -> Report {
        let courses = self
            .courses
            .iter()
            .map(|(id, state)| {
                let months = state
                    .months
                    .keys()
                    .map(|month| MonthFigures { month: month.clone(), figures: figures(state, Some(month)) })
                    .collect();
                let mut questions: Vec<QuestionFigures> = state
                    .questions
                    .iter()
                    .filter(|(_, t)| t.answers > 0)
                    .map(|(id, t)| QuestionFigures {
                        id: plain(id).into_owned(),
                        name: plain(&t.name).into_owned(),
                        answers: t.answers,
                        success_rate: t.successes as f64 / t.answers as f64,
                    })
                    .collect();
                questions.sort_by(|a, b| a.success_rate.total_cmp(&b.success_rate).then_with(|| a.id.cmp(&b.id)));
                let mut rated: Vec<&Rating> = state.ratings.values().collect();
                rated.sort_by(|a, b| b.timestamp.cmp(&a.timestamp));
                // What the LRS said goes out as text only: the report is read in a terminal, a
                // spreadsheet, a browser (`safe_text`).
                CourseFigures {
                    id: plain(id).into_owned(),
                    title: plain(&state.title).into_owned(),
                    months,
                    total: figures(state, None),
                    questions,
                    comments: rated.into_iter().filter_map(|r| r.comment.as_deref().map(plain_lines)).collect(),
                }
            })
            .collect();
        Report { courses, statements_read: self.read, statements_voided: self.skipped_voided }
    }
}

/// The figures of a course for one month, or for all of them (learners counted once).
fn figures(state: &CourseState, month: Option<&String>) -> Figures {
    let mut learners: BTreeMap<&str, LearnerMonth> = BTreeMap::new();
    for (_, by_learner) in state.months.iter().filter(|(m, _)| month.is_none_or(|wanted| *m == wanted)) {
        for (actor, done) in by_learner {
            let merged = learners.entry(actor).or_default();
            merged.completed |= done.completed;
            merged.passed |= done.passed;
            merged.active_ms = merged.active_ms.saturating_add(done.active_ms);
            if let Some(score) = done.best_scaled {
                merged.best_scaled = Some(merged.best_scaled.map_or(score, |best| best.max(score)));
            }
        }
    }
    // Summed in ascending order, not the map's: a run resumed from a cache gives the same last digit.
    let mut scores: Vec<f64> = learners.values().filter_map(|l| l.best_scaled).collect();
    scores.sort_by(f64::total_cmp);
    let ratings: Vec<u8> = state
        .ratings
        .values()
        .filter(|r| month.is_none_or(|wanted| month_of(&r.timestamp).as_ref() == Some(wanted)))
        .map(|r| r.value)
        .collect();
    let mut distribution = [0; 5];
    for value in &ratings {
        distribution[usize::from(value - 1)] += 1;
    }
    Figures {
        learners: learners.len(),
        completed: learners.values().filter(|l| l.completed).count(),
        passed: learners.values().filter(|l| l.passed).count(),
        mean_best_score: (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64),
        hours: learners.values().map(|l| l.active_ms as f64).sum::<f64>() / 3_600_000.0,
        satisfaction_mean: (!ratings.is_empty())
            .then(|| ratings.iter().map(|&v| f64::from(v)).sum::<f64>() / ratings.len() as f64),
        satisfaction_answers: ratings.len(),
        satisfaction_distribution: distribution,
    }
}

/// The ids a set of statements voids (the objects of their `voided` statements).
pub fn voided_ids<'a>(statements: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    statements
        .into_iter()
        .filter(|s| {
            text(s, &["verb", "id"]).and_then(VerbKind::of_iri) == Some(VerbKind::Voided)
                && text(s, &["object", "objectType"]) == Some("StatementRef")
        })
        .filter_map(|s| text(s, &["object", "id"]).map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests;
