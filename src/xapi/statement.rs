//! xAPI 1.0.3 statements (xAPI-Data §2.4) for the events of a course session, with the cmi5
//! conventions the reference sheet lists: a client UUID and UTC timestamp on every statement,
//! the registration and the course in the context, questions as `cmi.interaction` activities.

use super::{iso_duration, timestamp};
use crate::course::gift::{Answers, NumericValue, Question, Text};
use crate::course::{Assessment, Course, Lesson, Module};
use crate::quiz::{matching_answers, matching_prompts, AttemptScore, Grade, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A language map: `{"fr-FR": "…"}`.
pub type LanguageMap = BTreeMap<String, String>;

const ADL_VERBS: &str = "http://adlnet.gov/expapi/verbs/";
/// The verbs the ADL video profile adds (it reuses ADL's initialized, completed, terminated).
const VIDEO_VERBS: &str = "https://w3id.org/xapi/video/verbs/";
/// The xAPI registry's verbs (`rated` for the satisfaction survey).
const TINCAN_VERBS: &str = "http://id.tincanapi.com/verb/";
const ADL_ACTIVITIES: &str = "http://adlnet.gov/expapi/activities/";
/// cmi5's progress extension (0..100), for `progressed`.
pub const PROGRESS_EXTENSION: &str = "https://w3id.org/xapi/cmi5/result/extensions/progress";

/// One learning record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub id: String,
    pub actor: Agent,
    pub verb: Verb,
    pub object: Activity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<StatementResult>,
    pub context: Context,
    pub timestamp: String,
}

/// The learner: exactly one identifier, an account (default) or an e-mail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// Optional in xAPI (an LMS's cmi5 launch may leave it out): `Agent` then.
    #[serde(rename = "objectType", default = "agent_type")]
    pub object_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mbox: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    #[serde(rename = "homePage")]
    pub home_page: String,
    pub name: String,
}

fn agent_type() -> String {
    "Agent".to_owned()
}

impl Agent {
    /// Whether the agent has exactly one identifier, as xAPI requires.
    pub fn is_identified(&self) -> bool {
        let account = self.account.as_ref().is_some_and(|a| !a.home_page.is_empty() && !a.name.is_empty());
        let mbox = self.mbox.as_ref().is_some_and(|m| m.starts_with("mailto:") && m.len() > 7);
        account != mbox
    }

    /// An account on the deployment's home page, named by the learner's random id.
    pub fn account(home_page: &str, id: &str, name: Option<String>) -> Agent {
        Agent {
            object_type: "Agent".into(),
            name,
            mbox: None,
            account: Some(Account { home_page: home_page.into(), name: id.into() }),
        }
    }

    /// An e-mail identified learner (when a deployment requires it).
    pub fn mbox(email: &str, name: Option<String>) -> Agent {
        Agent { object_type: "Agent".into(), name, mbox: Some(format!("mailto:{email}")), account: None }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verb {
    pub id: String,
    pub display: LanguageMap,
}

/// The verbs Parcours uses: ADL's, and the video profile's for videos and sounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbKind {
    Initialized,
    Experienced,
    Answered,
    Progressed,
    Completed,
    Passed,
    Failed,
    Terminated,
    Played,
    Paused,
    Seeked,
    /// A satisfaction rating of the course (xAPI registry: `http://id.tincanapi.com/verb/rated`).
    Rated,
    /// Cancels another statement (xAPI 1.0.3, Data §2.3.2): an LRS's operator sends it, never the
    /// player; the report leaves out what it cancels.
    Voided,
}

impl VerbKind {
    const ALL: [VerbKind; 13] = [
        VerbKind::Rated,
        VerbKind::Voided,
        VerbKind::Played,
        VerbKind::Paused,
        VerbKind::Seeked,
        VerbKind::Initialized,
        VerbKind::Experienced,
        VerbKind::Answered,
        VerbKind::Progressed,
        VerbKind::Completed,
        VerbKind::Passed,
        VerbKind::Failed,
        VerbKind::Terminated,
    ];

    /// The verb's name, the last segment of its ADL IRI (`completed`).
    pub fn name(self) -> &'static str {
        self.names().0
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            VerbKind::Initialized => ("initialized", "a commencé"),
            VerbKind::Experienced => ("experienced", "a consulté"),
            VerbKind::Answered => ("answered", "a répondu à"),
            VerbKind::Progressed => ("progressed", "a progressé dans"),
            VerbKind::Completed => ("completed", "a terminé"),
            VerbKind::Passed => ("passed", "a réussi"),
            VerbKind::Failed => ("failed", "a échoué à"),
            VerbKind::Terminated => ("terminated", "a quitté"),
            VerbKind::Played => ("played", "a lu"),
            VerbKind::Paused => ("paused", "a mis en pause"),
            VerbKind::Seeked => ("seeked", "a déplacé la lecture de"),
            VerbKind::Rated => ("rated", "a évalué"),
            VerbKind::Voided => ("voided", "a annulé"),
        }
    }

    /// The IRI's prefix: ADL's, the video profile's, or the xAPI registry's (id.tincanapi.com).
    fn namespace(self) -> &'static str {
        match self {
            VerbKind::Played | VerbKind::Paused | VerbKind::Seeked => VIDEO_VERBS,
            VerbKind::Rated => TINCAN_VERBS,
            _ => ADL_VERBS,
        }
    }

    /// The verb's IRI (`http://adlnet.gov/expapi/verbs/completed`).
    pub fn iri(self) -> String {
        format!("{}{}", self.namespace(), self.name())
    }

    /// Which of Parcours's verbs `iri` is; `None` for any other verb. Statements are stored and
    /// read back as JSON (the outbox, an LRS's answer to the report), so the kind is recovered
    /// here, in one place.
    pub fn of_iri(iri: &str) -> Option<VerbKind> {
        VerbKind::ALL.into_iter().find(|kind| iri.strip_prefix(kind.namespace()) == Some(kind.name()))
    }

    fn verb(self) -> Verb {
        let (name, fr) = self.names();
        let display = [("en-US".to_owned(), name.to_owned()), ("fr-FR".to_owned(), fr.to_owned())].into();
        Verb { id: self.iri(), display }
    }

    /// Whether the verb records a result of the course or an assessment.
    pub fn is_result(self) -> bool {
        matches!(self, VerbKind::Completed | VerbKind::Passed | VerbKind::Failed)
    }

    /// Whether the verb opens or closes a session.
    pub fn is_session(self) -> bool {
        matches!(self, VerbKind::Initialized | VerbKind::Terminated)
    }
}

impl Verb {
    /// Which of Parcours's verbs this is ([`VerbKind::of_iri`]); `None` for any other verb.
    pub fn kind(&self) -> Option<VerbKind> {
        VerbKind::of_iri(&self.id)
    }
}

/// An activity. Read as xAPI allows it to be written (an LMS's context template, an LRS's
/// answer): every property but `id` may be missing, unknown ones are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Optional in xAPI: `Activity` when left out.
    #[serde(rename = "objectType", default = "activity_type")]
    pub object_type: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<ActivityDefinition>,
}

fn activity_type() -> String {
    "Activity".to_owned()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityDefinition {
    /// Parcours's own activities always have a type and a name; one read from elsewhere may
    /// have neither, and is written back without them (never as an empty IRI or map).
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub activity_type: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub name: LanguageMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<LanguageMap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interaction_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct_responses_pattern: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<InteractionComponent>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Vec<InteractionComponent>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Vec<InteractionComponent>>,
}

/// A choice, or a source or target of a matching question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InteractionComponent {
    pub id: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub description: LanguageMap,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatementResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extensions: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub scaled: f64,
    pub raw: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Context {
    pub registration: String,
    /// Left out when empty: xAPI forbids empty objects outside extensions.
    #[serde(skip_serializing_if = "ContextActivities::is_empty", default)]
    pub context_activities: ContextActivities,
    pub language: String,
    pub platform: String,
    /// Left out when empty, like `contextActivities`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// Each list may be written by others as one activity instead of an array (xAPI-Data
/// §2.4.6.2); Parcours always writes arrays.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContextActivities {
    #[serde(skip_serializing_if = "Vec::is_empty", default, deserialize_with = "one_or_many")]
    pub parent: Vec<Activity>,
    #[serde(skip_serializing_if = "Vec::is_empty", default, deserialize_with = "one_or_many")]
    pub grouping: Vec<Activity>,
    #[serde(skip_serializing_if = "Vec::is_empty", default, deserialize_with = "one_or_many")]
    pub category: Vec<Activity>,
    #[serde(skip_serializing_if = "Vec::is_empty", default, deserialize_with = "one_or_many")]
    pub other: Vec<Activity>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<Activity>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<Activity>),
        One(Box<Activity>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::Many(list) => list,
        OneOrMany::One(activity) => vec![*activity],
    })
}

impl ContextActivities {
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty() && self.grouping.is_empty() && self.category.is_empty() && self.other.is_empty()
    }
}

/// What every statement of a session shares.
pub struct Session<'a> {
    pub course: &'a Course,
    pub actor: Agent,
    pub registration: String,
}

/// The id and time of one statement, given by the caller (a UUID from the browser's random
/// source, `Date.now()`), so that builders stay pure and testable.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub id: String,
    pub at_ms: f64,
}

fn language_map(language: &str, text: &str) -> LanguageMap {
    [(language.to_owned(), text.to_owned())].into()
}

/// The activity types Parcours writes, from ADL's vocabulary (`http://adlnet.gov/expapi/activities/course`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    Course,
    Module,
    Lesson,
    Assessment,
    /// A question (`cmi.interaction`).
    Interaction,
}

impl ActivityKind {
    const ALL: [ActivityKind; 5] = [
        ActivityKind::Course,
        ActivityKind::Module,
        ActivityKind::Lesson,
        ActivityKind::Assessment,
        ActivityKind::Interaction,
    ];

    fn name(self) -> &'static str {
        match self {
            ActivityKind::Course => "course",
            ActivityKind::Module => "module",
            ActivityKind::Lesson => "lesson",
            ActivityKind::Assessment => "assessment",
            ActivityKind::Interaction => "cmi.interaction",
        }
    }

    /// The type's IRI, as an activity's `definition.type`.
    pub fn iri(self) -> String {
        format!("{ADL_ACTIVITIES}{}", self.name())
    }

    /// Which of these types `iri` is; `None` for any other.
    pub fn of_iri(iri: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|kind| iri.strip_prefix(ADL_ACTIVITIES) == Some(kind.name()))
    }
}

fn activity(id: String, kind: ActivityKind, name: &str, language: &str) -> Activity {
    Activity {
        object_type: "Activity".into(),
        id,
        definition: Some(ActivityDefinition {
            activity_type: kind.iri(),
            name: language_map(language, name),
            ..ActivityDefinition::default()
        }),
    }
}

impl Session<'_> {
    pub fn course_activity(&self) -> Activity {
        activity(self.course.id.to_string(), ActivityKind::Course, &self.course.title, &self.course.language)
    }

    pub fn lesson_activity(&self, lesson: &Lesson) -> Activity {
        activity(
            format!("{}/lessons/{}", self.course.id, lesson.id),
            ActivityKind::Lesson,
            &lesson.title,
            &self.course.language,
        )
    }

    pub fn module_activity(&self, module: &Module) -> Activity {
        activity(
            format!("{}/modules/{}", self.course.id, module.id),
            ActivityKind::Module,
            &module.title,
            &self.course.language,
        )
    }

    pub fn assessment_activity(&self, assessment: &Assessment) -> Activity {
        let id = format!("{}/assessments/{}", self.course.id, assessment.id);
        activity(id, ActivityKind::Assessment, &assessment.title, &self.course.language)
    }

    fn statement(
        &self,
        stamp: Stamp,
        verb: VerbKind,
        object: Activity,
        parent: Option<Activity>,
        result: Option<StatementResult>,
    ) -> Statement {
        let grouping = if object.id == self.course.id.as_str() { Vec::new() } else { vec![self.course_activity()] };
        Statement {
            id: stamp.id,
            actor: self.actor.clone(),
            verb: verb.verb(),
            object,
            result,
            context: Context {
                registration: self.registration.clone(),
                context_activities: ContextActivities {
                    parent: parent.into_iter().collect(),
                    grouping,
                    ..ContextActivities::default()
                },
                language: self.course.language.clone(),
                platform: "Parcours".into(),
                extensions: BTreeMap::new(),
            },
            timestamp: timestamp(stamp.at_ms),
        }
    }

    /// The learner opened a session of the course.
    pub fn initialized(&self, stamp: Stamp) -> Statement {
        self.statement(stamp, VerbKind::Initialized, self.course_activity(), None, None)
    }

    /// The learner read a lesson.
    pub fn experienced(&self, stamp: Stamp, lesson: &Lesson) -> Statement {
        let parent = self
            .course
            .modules
            .iter()
            .find(|m| m.lessons.iter().any(|l| l.id == lesson.id))
            .map(|m| self.module_activity(m));
        self.statement(stamp, VerbKind::Experienced, self.lesson_activity(lesson), parent, None)
    }

    /// The learner checked an answer; `parent` is the lesson or assessment the question is in.
    pub fn answered(
        &self,
        stamp: Stamp,
        question: &Question,
        parent: Activity,
        response: &Response,
        grade: &Grade,
    ) -> Statement {
        let object = interaction(self.course, question);
        let graded = grade.credit.map(|credit| Score { scaled: credit, raw: credit, min: 0.0, max: 1.0 });
        let result = StatementResult {
            success: grade.credit.map(|c| c >= 0.999_999),
            score: graded,
            response: Some(encode_response(response)),
            ..StatementResult::default()
        };
        self.statement(stamp, VerbKind::Answered, object, Some(parent), Some(result))
    }

    /// Progress through the course at a module boundary, as cmi5's progress extension (0..100).
    pub fn progressed(&self, stamp: Stamp, percent: u8) -> Statement {
        let extensions = [(PROGRESS_EXTENSION.to_owned(), serde_json::Value::from(percent.min(100)))].into();
        let result = StatementResult { extensions: Some(extensions), ..StatementResult::default() };
        self.statement(stamp, VerbKind::Progressed, self.course_activity(), None, Some(result))
    }

    /// Every lesson completed (once per registration).
    pub fn completed(&self, stamp: Stamp, duration_ms: u64) -> Statement {
        let result = StatementResult {
            completion: Some(true),
            duration: Some(iso_duration(duration_ms)),
            ..StatementResult::default()
        };
        self.statement(stamp, VerbKind::Completed, self.course_activity(), None, Some(result))
    }

    /// A finished attempt at an assessment: `passed` or `failed`, with its score.
    pub fn assessed(&self, stamp: Stamp, assessment: &Assessment, score: &AttemptScore, duration_ms: u64) -> Statement {
        let verb = if score.passed { VerbKind::Passed } else { VerbKind::Failed };
        let result = StatementResult {
            score: Some(Score { scaled: score.scaled.clamp(0.0, 1.0), raw: score.raw, min: 0.0, max: score.max }),
            success: Some(score.passed),
            duration: Some(iso_duration(duration_ms)),
            ..StatementResult::default()
        };
        let parent = Some(self.course_activity());
        self.statement(stamp, verb, self.assessment_activity(assessment), parent, Some(result))
    }

    /// The course as a whole judged (cmi5's `passed`/`failed` of the assignable unit), with the
    /// score when there is one.
    pub fn course_assessed(&self, stamp: Stamp, score: Option<Score>, passed: bool, duration_ms: u64) -> Statement {
        let verb = if passed { VerbKind::Passed } else { VerbKind::Failed };
        let result = StatementResult {
            score,
            success: Some(passed),
            duration: Some(iso_duration(duration_ms)),
            ..StatementResult::default()
        };
        self.statement(stamp, verb, self.course_activity(), None, Some(result))
    }

    /// The learner's satisfaction with the course: `rating` from 1 to 5 as a score, the optional
    /// comment as the response. Not a cmi5-defined statement, so it carries no cmi5 category and
    /// no `success` or `completion` (cmi5 §9.5 keeps those for its own verbs).
    pub fn rated(&self, stamp: Stamp, rating: u8, comment: Option<&str>) -> Statement {
        let rating = rating.clamp(1, 5);
        let result = StatementResult {
            score: Some(Score { scaled: f64::from(rating - 1) / 4.0, raw: f64::from(rating), min: 1.0, max: 5.0 }),
            response: comment.map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned),
            ..StatementResult::default()
        };
        self.statement(stamp, VerbKind::Rated, self.course_activity(), None, Some(result))
    }

    /// The session ended.
    pub fn terminated(&self, stamp: Stamp, duration_ms: u64) -> Statement {
        let result = StatementResult { duration: Some(iso_duration(duration_ms)), ..StatementResult::default() };
        self.statement(stamp, VerbKind::Terminated, self.course_activity(), None, Some(result))
    }
}

fn choice_id(index: usize) -> String {
    format!("choice-{index}")
}

/// A number without float noise: `3.14 - 0.01` is written `3.13`, not `3.1300000000000003`.
fn number(value: f64) -> String {
    let rounded = (value * 1e9).round() / 1e9;
    format!("{rounded}")
}

/// A question as a `cmi.interaction` activity: its type, its choices or sources and targets, and
/// its correct responses encoded as xAPI-Data §2.4.4.1.1 says.
pub fn interaction(course: &Course, question: &Question) -> Activity {
    let language = &course.language;
    // Descriptions are plain text: an LRS's reports show them as they are, markup included.
    let components = |texts: Vec<&Text>, prefix: &str| -> Vec<InteractionComponent> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| InteractionComponent {
                id: format!("{prefix}-{i}"),
                description: language_map(language, &t.to_plain()),
            })
            .collect()
    };
    let stem = question.stem.to_plain();
    let mut definition = ActivityDefinition {
        activity_type: ActivityKind::Interaction.iri(),
        name: language_map(language, question.title.as_deref().unwrap_or(&stem)),
        description: Some(language_map(language, &stem)),
        ..ActivityDefinition::default()
    };
    let (kind, pattern): (&str, Option<Vec<String>>) = match &question.answers {
        Answers::Description => ("other", None),
        Answers::Essay => ("long-fill-in", None),
        Answers::TrueFalse { correct, .. } => ("true-false", Some(vec![correct.to_string()])),
        Answers::Choice { multiple, choices } => {
            definition.choices = Some(components(choices.iter().map(|c| &c.text).collect(), "choice"));
            let right: Vec<String> = if *multiple {
                vec![choices
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.weight > 0.0)
                    .map(|(i, _)| choice_id(i))
                    .collect::<Vec<_>>()
                    .join("[,]")]
            } else {
                choices.iter().enumerate().filter(|(_, c)| c.weight >= 0.999_999).map(|(i, _)| choice_id(i)).collect()
            };
            ("choice", Some(right))
        }
        Answers::ShortAnswer { answers } => (
            "fill-in",
            Some(
                answers
                    .iter()
                    .filter(|a| a.weight >= 0.999_999)
                    .map(|a| format!("{{case_matters=false}}{}", a.text.body))
                    .collect(),
            ),
        ),
        Answers::Numeric { answers } => (
            "numeric",
            Some(
                answers
                    .iter()
                    .filter(|a| a.weight >= 0.999_999)
                    .filter_map(|a| match a.value {
                        NumericValue::Exact { value, tolerance } if tolerance > 0.0 => {
                            Some(format!("{}[:]{}", number(value - tolerance), number(value + tolerance)))
                        }
                        NumericValue::Exact { value, .. } => Some(number(value)),
                        NumericValue::Range { min, max } => Some(format!("{}[:]{}", number(min), number(max))),
                        // A catch-all is never a correct response.
                        NumericValue::Any => None,
                    })
                    .collect(),
            ),
        ),
        Answers::Matching { pairs } => {
            let prompts = matching_prompts(pairs);
            let offered = matching_answers(pairs);
            definition.source = Some(components(prompts.iter().map(|p| &p.prompt).collect(), "source"));
            definition.target = Some(components(offered.clone(), "target"));
            let pattern = prompts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    offered.iter().position(|a| **a == p.answer).map(|t| format!("source-{i}[.]target-{t}"))
                })
                .collect::<Vec<_>>()
                .join("[,]");
            ("matching", Some(vec![pattern]))
        }
    };
    definition.interaction_type = Some(kind.to_owned());
    definition.correct_responses_pattern = pattern;
    Activity {
        object_type: "Activity".into(),
        id: format!("{}/questions/{}", course.id, question.id),
        definition: Some(definition),
    }
}

/// A response encoded like the correct responses pattern.
pub fn encode_response(response: &Response) -> String {
    match response {
        Response::TrueFalse(value) => value.to_string(),
        Response::Choices(chosen) => chosen.iter().map(|&i| choice_id(i)).collect::<Vec<_>>().join("[,]"),
        Response::Text(text) => text.trim().to_owned(),
        Response::Number(raw) => {
            crate::quiz::parse_learner_number(raw).map(number).unwrap_or_else(|_| raw.trim().to_owned())
        }
        Response::Matching(chosen) => chosen
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.map(|t| format!("source-{i}[.]target-{t}")))
            .collect::<Vec<_>>()
            .join("[,]"),
    }
}

pub mod video;

#[cfg(test)]
mod tests;
