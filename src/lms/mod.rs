//! Playing inside a learning management system (pure): what Parcours tells an LMS about the
//! learner's progress, and how it gets progress back from it. Each standard is a module here
//! (its data model and rules), with its browser glue in `web/` and its place in the player's one
//! LMS session (`ui::lms`), which is all that progress and tracking talk to.

pub mod cmi5;
pub mod scorm12;

use crate::course::Course;
use crate::progress::{CourseProgress, LmsResults, PassMarks};
use crate::xapi::statement::{Agent, Session, Statement};

/// A launch by an LMS that takes the learner's statements itself (cmi5 today), as tracking sees
/// it: the LMS names the learner and the enrolment, and has rules of its own for what is sent,
/// and when. A launch by an LMS that keeps progress through a runtime API (SCORM) has none of
/// this: tracking then follows `config.json` alone.
pub trait StatementLaunch {
    /// The learner, as the LMS names them: replaces the browser's own learner.
    fn actor(&self) -> &Agent;

    /// The enrolment: the progress's registration, and the only one this launch may send.
    fn registration(&self) -> &str;

    /// Whether learning is recorded, or only the session (a launch to browse or review).
    fn records_learning(&self) -> bool;

    /// The pass marks of this launch: the LMS's mastery score may replace the course's.
    fn pass_marks(&self) -> PassMarks;

    /// A statement made by Parcours, as the LMS wants it; `None`: not to be sent in this launch.
    fn adapt(&self, statement: Statement, course: &Course) -> Option<Statement>;

    /// The statements a change of progress calls for in this launch, adapted.
    fn statements_for_change(
        &self,
        session: &Session,
        before: &CourseProgress,
        after: &CourseProgress,
        new_id: &mut dyn FnMut() -> String,
    ) -> Vec<Statement>;

    /// Whether `statement`, waiting in the outbox, was left by an earlier session of this enrolment.
    fn is_from_earlier_session(&self, statement: &Statement) -> bool;

    /// What to send in this session of statements an earlier one left unsent; `None`: leave
    /// them waiting for another launch.
    fn carry_over(&self, leftovers: Vec<Statement>, course: &Course) -> Option<Vec<Statement>>;

    /// Results earned and never acknowledged by the LMS, nor waiting in `waiting`, made again.
    fn results_to_reissue(
        &self,
        session: &Session,
        progress: &CourseProgress,
        waiting: &[Statement],
        new_id: &mut dyn FnMut() -> String,
    ) -> Vec<Statement>;

    /// Which of the course's results are among `delivered`, statements the LMS took.
    fn results_in(&self, delivered: &[Statement]) -> LmsResults;
}

/// The standards an LMS package is written for (`parcours package`), each with its manifest
/// (written by its module); the player finds at run time which one launched it (`ui::lms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// SCORM 1.2: `imsmanifest.xml`, one SCO; the player talks to the LMS's `window.API`.
    Scorm12,
    /// cmi5: `cmi5.xml`, one AU; the LMS launches the player with an xAPI endpoint and a token.
    Cmi5,
}

impl Standard {
    /// Every standard, in the order `parcours package` lists them.
    pub const ALL: [Standard; 2] = [Standard::Scorm12, Standard::Cmi5];

    /// The `parcours package` flag that asks for it (`--scorm12`).
    pub fn flag(self) -> &'static str {
        self.file_suffix()
    }

    /// What that flag's help says.
    pub fn description(self) -> &'static str {
        match self {
            Standard::Scorm12 => "A SCORM 1.2 package (imsmanifest.xml): Moodle and most LMSs import it",
            Standard::Cmi5 => "A cmi5 package (cmi5.xml): the LMS launches the course with an xAPI endpoint",
        }
    }

    /// Its name, as LMSs write it.
    pub fn name(self) -> &'static str {
        match self {
            Standard::Scorm12 => "SCORM 1.2",
            Standard::Cmi5 => "cmi5",
        }
    }

    /// What ends a package's default file name (`<course>-scorm12.zip`).
    pub fn file_suffix(self) -> &'static str {
        match self {
            Standard::Scorm12 => "scorm12",
            Standard::Cmi5 => "cmi5",
        }
    }

    /// The manifest's path in a package.
    pub fn manifest_file(self) -> &'static str {
        match self {
            Standard::Scorm12 => "imsmanifest.xml",
            Standard::Cmi5 => "cmi5.xml",
        }
    }

    /// The manifest of a package of `course` holding `files`: its path in the package, and its text.
    pub fn manifest(self, course: &Course, files: &[String]) -> (&'static str, String) {
        let text = match self {
            Standard::Scorm12 => scorm12::manifest(course, files),
            Standard::Cmi5 => cmi5::manifest(course),
        };
        (self.manifest_file(), text)
    }
}

/// Text for the XML of a manifest, which an LMS parses: the course's texts are escaped here.
pub(crate) fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
