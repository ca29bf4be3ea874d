//! SCORM 1.2: the LMS gives the content a JavaScript API (`window.API` in a parent frame); the
//! content calls `LMSInitialize`, reads and writes the `cmi.*` data model, `LMSCommit`s and
//! `LMSFinish`es. Here is the whole conversation, written against a small trait so that it is
//! tested natively against an in-memory LMS that applies the specification's rules.
//!
//! What Parcours reports: `cmi.core.lesson_status` (`incomplete` → `completed` when the course
//! has no assessment, `passed`, or `failed` once an assessment has no attempt left without a
//! pass), `cmi.core.score.raw/min/max` (the best score of each assessment, averaged, 0-100),
//! `cmi.core.lesson_location` (where the learner is), `cmi.suspend_data` (progress in its
//! compact form, [`crate::progress::compact`]), and on exit `cmi.core.session_time` and
//! `cmi.core.exit = suspend` so that the LMS keeps the data for the next launch.

use crate::course::Course;
use crate::progress::compact::{self, SUSPEND_DATA_MAX_CHARS};
use crate::progress::{CourseProgress, Millis, Position};
use std::collections::BTreeMap;

/// The calls of the SCORM 1.2 runtime API that Parcours makes (RTE 3.3), with Rust types:
/// `"true"`/`"false"` answers become `bool`.
pub trait Scorm12Api {
    fn initialize(&mut self) -> bool;
    fn get_value(&mut self, element: &str) -> String;
    fn set_value(&mut self, element: &str, value: &str) -> bool;
    fn commit(&mut self) -> bool;
    fn finish(&mut self) -> bool;
    /// `LMSGetLastError` with `LMSGetErrorString` of it.
    fn last_error(&mut self) -> (String, String);
}

/// A borrowed API is an API: a session can run on an LMS its caller keeps (as the tests do).
impl<T: Scorm12Api + ?Sized> Scorm12Api for &mut T {
    fn initialize(&mut self) -> bool {
        (**self).initialize()
    }
    fn get_value(&mut self, element: &str) -> String {
        (**self).get_value(element)
    }
    fn set_value(&mut self, element: &str, value: &str) -> bool {
        (**self).set_value(element, value)
    }
    fn commit(&mut self) -> bool {
        (**self).commit()
    }
    fn finish(&mut self) -> bool {
        (**self).finish()
    }
    fn last_error(&mut self) -> (String, String) {
        (**self).last_error()
    }
}

/// An LMS call that failed, with what the LMS said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{call} was refused by the LMS (error {code}: {description})")]
pub struct LmsError {
    pub call: String,
    pub code: String,
    pub description: String,
}

/// The data-model elements Parcours writes, in the order it writes them.
const STATUS: &str = "cmi.core.lesson_status";
const SCORE_MIN: &str = "cmi.core.score.min";
const SCORE_MAX: &str = "cmi.core.score.max";
const SCORE_RAW: &str = "cmi.core.score.raw";
const LOCATION: &str = "cmi.core.lesson_location";
const SUSPEND_DATA: &str = "cmi.suspend_data";

/// `cmi.core.lesson_location` is a CMIString255.
const LOCATION_MAX_CHARS: usize = 255;

/// What the LMS should hold for this progress.
pub fn data_model(course: &Course, progress: &CourseProgress) -> Vec<(&'static str, String)> {
    let summary = progress.summary(course);
    let failed = course.assessments.iter().any(|a| {
        let attempts = progress.attempts.get(a.id.as_str());
        let passed = attempts.is_some_and(|list| list.iter().any(|r| r.score.passed));
        !passed && attempts.is_some() && progress.attempts_left(course, &a.id) == Some(0)
    });
    let status = if course.assessments.is_empty() {
        if summary.completed {
            "completed"
        } else {
            "incomplete"
        }
    } else if summary.passed {
        "passed"
    } else if failed {
        "failed"
    } else {
        "incomplete"
    };
    let mut values = vec![(STATUS, status.to_owned())];
    let best: Vec<f64> = summary.best_scores.iter().flatten().copied().collect();
    if !best.is_empty() {
        let mean = best.iter().sum::<f64>() / course.assessments.len() as f64;
        values.push((SCORE_MIN, "0".to_owned()));
        values.push((SCORE_MAX, "100".to_owned()));
        values.push((SCORE_RAW, format_score(mean * 100.0)));
    }
    let location = match &progress.position {
        Some(Position::Lesson(id)) => id.clone(),
        Some(Position::Assessment(id)) => format!("assessment/{id}"),
        None => String::new(),
    };
    values.push((LOCATION, location.chars().take(LOCATION_MAX_CHARS).collect()));
    if let Ok(data) = compact::encode(progress, course, SUSPEND_DATA_MAX_CHARS) {
        values.push((SUSPEND_DATA, data));
    }
    values
}

/// A CMIDecimal with at most two decimals and no trailing zeros: `87.5`, `100`.
fn format_score(score: f64) -> String {
    let rounded = (score.clamp(0.0, 100.0) * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A CMITimespan, `HHHH:MM:SS.SS`.
pub fn timespan(ms: Millis) -> String {
    let centis = (ms.max(0.0) / 10.0).round() as u64;
    let (hours, rest) = (centis / 360_000, centis % 360_000);
    let (minutes, rest) = (rest / 6_000, rest % 6_000);
    format!("{:04}:{:02}:{:02}.{:02}", hours.min(9999), minutes, rest / 100, rest % 100)
}

/// One launch of the course by the LMS, from `LMSInitialize` to `LMSFinish`.
pub struct Scorm12Session<A> {
    api: A,
    started_at: Millis,
    /// What was written last, so that only changes are sent and committed.
    written: BTreeMap<&'static str, String>,
    finished: bool,
}

impl<A: Scorm12Api> Scorm12Session<A> {
    /// Opens the session (`LMSInitialize`).
    pub fn start(mut api: A, now: Millis) -> Result<Self, LmsError> {
        if !api.initialize() {
            return Err(error(&mut api, "LMSInitialize"));
        }
        Ok(Scorm12Session { api, started_at: now, written: BTreeMap::new(), finished: false })
    }

    /// The learner's name as the LMS knows it (`cmi.core.student_name` is "Last, First"),
    /// written the usual way round: "First Last".
    pub fn learner_name(&mut self) -> Option<String> {
        let name = self.api.get_value("cmi.core.student_name");
        let name = match name.split_once(',') {
            Some((last, first)) => format!("{} {}", first.trim(), last.trim()),
            None => name,
        };
        let name = name.trim().to_owned();
        (!name.is_empty()).then_some(name)
    }

    /// The progress to resume from: what the LMS kept (`cmi.suspend_data`) against what this
    /// browser kept ([`compact::newer_of`]). `None` when the LMS kept nothing readable: then
    /// this browser's progress stands.
    pub fn resume(&mut self, course: &Course, local: Option<CourseProgress>) -> Option<CourseProgress> {
        let data = self.api.get_value(SUSPEND_DATA);
        if data.trim().is_empty() {
            return None;
        }
        // SCORM 1.2 launches are scored with the course's pass marks (`cmi.student_data.mastery_score` is not read).
        let from_lms = compact::decode(&data, course, crate::progress::PassMarks::COURSE).ok()?;
        self.written.insert(SUSPEND_DATA, data);
        // What the LMS holds already is not written again.
        for element in [STATUS, SCORE_MIN, SCORE_MAX, SCORE_RAW, LOCATION] {
            let value = self.api.get_value(element);
            self.written.insert(element, value);
        }
        let mut resumed = compact::newer_of(local, from_lms);
        resumed.reconcile(course);
        Some(resumed)
    }

    /// Tells the LMS about `progress`: writes what changed since the last report and commits.
    /// Returns the first refusal; later values are still written.
    pub fn report(&mut self, course: &Course, progress: &CourseProgress) -> Result<(), LmsError> {
        if self.finished {
            return Ok(());
        }
        let mut first_error = None;
        let mut changed = false;
        for (element, value) in data_model(course, progress) {
            if self.written.get(element) == Some(&value) {
                continue;
            }
            changed = true;
            if self.api.set_value(element, &value) {
                self.written.insert(element, value);
            } else if first_error.is_none() {
                first_error = Some(error(&mut self.api, &format!("LMSSetValue(\"{element}\")")));
            }
        }
        if changed && !self.api.commit() && first_error.is_none() {
            first_error = Some(error(&mut self.api, "LMSCommit"));
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Ends the session: the last report, the session's time, `exit = suspend` so that the LMS
    /// keeps the data, `LMSCommit` and `LMSFinish`. Only the first call does anything.
    pub fn finish(&mut self, course: &Course, progress: &CourseProgress, now: Millis) -> Result<(), LmsError> {
        if self.finished {
            return Ok(());
        }
        let reported = self.report(course, progress);
        self.finished = true;
        self.api.set_value("cmi.core.session_time", &timespan(now - self.started_at));
        self.api.set_value("cmi.core.exit", "suspend");
        self.api.commit();
        if !self.api.finish() {
            return Err(error(&mut self.api, "LMSFinish"));
        }
        reported
    }
}

fn error(api: &mut impl Scorm12Api, call: &str) -> LmsError {
    let (code, description) = api.last_error();
    LmsError { call: call.to_owned(), code, description }
}

/// The SCORM 1.2 manifest (IMS Content Packaging 1.1.2 with the ADL extensions): one
/// organization, one item, one SCO resource listing every file of the package.
pub fn manifest(course: &Course, files: &[String]) -> String {
    let title = super::xml_escape(&course.title);
    // With one assessment its pass mark is the LMS's mastery score; with several, the course's
    // own status (passed when every assessment is passed) is the only one that holds.
    let mastery = match course.assessments.as_slice() {
        [only] => format!("\n        <adlcp:masteryscore>{}</adlcp:masteryscore>", (only.pass_mark * 100.0).round()),
        _ => String::new(),
    };
    let file_list: String =
        files.iter().map(|f| format!("      <file href=\"{}\"/>\n", super::xml_escape(f))).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="parcours-{slug}" version="{version}"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="parcours">
    <organization identifier="parcours">
      <title>{title}</title>
      <item identifier="course" identifierref="player" isvisible="true">
        <title>{title}</title>{mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="player" type="webcontent" adlcp:scormtype="sco" href="index.html">
{file_list}    </resource>
  </resources>
</manifest>
"#,
        slug = course.slug,
        version = super::xml_escape(if course.version.is_empty() { "1" } else { &course.version }),
    )
}

#[cfg(test)]
mod tests;
