use super::*;
use crate::course::{AssessmentId, LessonId, MemoryFiles};
use crate::progress::AttemptRecord;
use crate::quiz::{grade, score_attempt, Response};

/// An LMS's SCORM 1.2 runtime in memory, with the specification's rules for what Parcours
/// calls: nothing before `LMSInitialize` or after `LMSFinish`, read-only and write-only
/// elements, vocabularies and formats, and only committed data kept for the next launch.
#[derive(Default)]
struct MemoryLms {
    initialized: bool,
    finished: bool,
    values: BTreeMap<String, String>,
    /// What the last `LMSCommit` (or `LMSFinish`) saved: what the next launch starts from.
    committed: BTreeMap<String, String>,
    error: &'static str,
    calls: Vec<String>,
}

impl MemoryLms {
    fn with_learner(name: &str) -> MemoryLms {
        let mut lms = MemoryLms::default();
        lms.values.insert("cmi.core.student_name".into(), name.into());
        lms.values.insert("cmi.core.lesson_status".into(), "not attempted".into());
        lms
    }

    /// The next launch, as an LMS starts it from what was committed with `exit = suspend`.
    fn relaunch(&self) -> MemoryLms {
        let mut next = MemoryLms { values: self.committed.clone(), ..MemoryLms::default() };
        next.values.remove("cmi.core.session_time");
        next.values.insert("cmi.core.entry".into(), "resume".into());
        next
    }

    fn running(&mut self) -> bool {
        self.error = if self.initialized && !self.finished { "0" } else { "301" };
        self.error == "0"
    }
}

fn is_timespan(value: &str) -> bool {
    let parts: Vec<&str> = value.split(':').collect();
    parts.len() == 3
        && (2..=4).contains(&parts[0].len())
        && parts[0].chars().all(|c| c.is_ascii_digit())
        && parts[1].len() == 2
        && parts[1].parse::<u8>().is_ok_and(|m| m < 60)
        && parts[2].split('.').next().is_some_and(|s| s.len() == 2 && s.parse::<u8>().is_ok_and(|s| s < 60))
}

impl Scorm12Api for MemoryLms {
    fn initialize(&mut self) -> bool {
        self.calls.push("LMSInitialize".into());
        if self.initialized {
            self.error = "101";
            return false;
        }
        self.initialized = true;
        true
    }

    fn get_value(&mut self, element: &str) -> String {
        self.calls.push(format!("LMSGetValue {element}"));
        if !self.running() {
            return String::new();
        }
        if matches!(element, "cmi.core.session_time" | "cmi.core.exit") {
            self.error = "404";
            return String::new();
        }
        self.values.get(element).cloned().unwrap_or_default()
    }

    fn set_value(&mut self, element: &str, value: &str) -> bool {
        self.calls.push(format!("LMSSetValue {element}={}", value.chars().take(40).collect::<String>()));
        if !self.running() {
            return false;
        }
        let decimal_0_100 = || value.is_empty() || value.parse::<f64>().is_ok_and(|v| (0.0..=100.0).contains(&v));
        let valid = match element {
            "cmi.core.student_name" | "cmi.core.entry" | "cmi.core.student_id" => {
                self.error = "403";
                return false;
            }
            "cmi.core.lesson_status" => ["passed", "completed", "failed", "incomplete", "browsed"].contains(&value),
            "cmi.core.score.raw" | "cmi.core.score.min" | "cmi.core.score.max" => decimal_0_100(),
            "cmi.core.lesson_location" => value.chars().count() <= 255,
            "cmi.suspend_data" => value.chars().count() <= 4096,
            "cmi.core.session_time" => is_timespan(value),
            "cmi.core.exit" => ["", "time-out", "suspend", "logout"].contains(&value),
            _ => {
                self.error = "401";
                return false;
            }
        };
        if !valid {
            self.error = "405";
            return false;
        }
        self.values.insert(element.into(), value.into());
        true
    }

    fn commit(&mut self) -> bool {
        self.calls.push("LMSCommit".into());
        if !self.running() {
            return false;
        }
        self.committed = self.values.clone();
        true
    }

    fn finish(&mut self) -> bool {
        self.calls.push("LMSFinish".into());
        if !self.running() {
            return false;
        }
        self.committed = self.values.clone();
        self.finished = true;
        true
    }

    fn last_error(&mut self) -> (String, String) {
        let text = match self.error {
            "0" => "No error",
            "101" => "General exception",
            "301" => "Not initialized",
            "401" => "Not implemented error",
            "403" => "Element is read only",
            "404" => "Element is write only",
            _ => "Incorrect Data Type",
        };
        (self.error.to_owned(), text.to_owned())
    }
}

const MANIFEST: &str = r#"id = "https://example.org/courses/p"
title = "P"
language = "fr"

[[modules]]
title = "Un"
lessons = ["a.md", "b.md"]

[[assessments]]
title = "Final"
file = "final.gift"
pass-mark = 0.5
attempts = 2
"#;

fn course(manifest: &str) -> Course {
    let files = MemoryFiles::default()
        .with("course.toml", manifest)
        .with("a.md", "# A\n\nTexte.\n")
        .with("b.md", "# B\n\n```gift\n::Q1:: Vrai ? {T}\n```\n")
        .with("final.gift", "::F1:: Oui ? {T}\n\n::F2:: Deux ? {#2}\n");
    crate::course::test_course("p", &files)
}

fn lesson(raw: &str) -> LessonId {
    LessonId::parse(raw).unwrap()
}

fn attempt(course: &Course, right: usize, at: Millis) -> AttemptRecord {
    let questions: Vec<_> = course.assessments[0].questions().cloned().collect();
    let responses =
        vec![Some(Response::TrueFalse(right > 0)), Some(Response::Number(if right > 1 { "2" } else { "3" }.into()))];
    let score = score_attempt(&questions, &responses, course.assessments[0].pass_mark);
    let by_id = questions.iter().zip(&responses).filter_map(|(q, r)| Some((q.id.to_string(), r.clone()?)));
    AttemptRecord { score, responses: by_id.collect(), started_at: at - 10_000.0, finished_at: at }
}

fn committed<'a>(lms: &'a MemoryLms, element: &str) -> &'a str {
    lms.committed.get(element).map_or("", String::as_str)
}

#[test]
fn a_run_reports_status_score_and_location_and_resumes_where_the_learner_stopped() {
    let course = course(MANIFEST);
    let mut lms = MemoryLms::with_learner("Dupont, Marie");
    let mut p = CourseProgress::new(&course, "reg".into(), 1_000_000.0);
    {
        let mut session = Scorm12Session::start(&mut lms, 1_000_000.0).unwrap();
        assert_eq!(session.learner_name().as_deref(), Some("Marie Dupont"));
        assert_eq!(session.resume(&course, None), None, "nothing kept on a first launch");
        p.visit_lesson(&course, &lesson("a"), 1_001_000.0);
        session.report(&course, &p).unwrap();
        p.complete_lesson(&course, &lesson("a"), 1_002_000.0);
        p.visit_lesson(&course, &lesson("b"), 1_003_000.0);
        let q1 = course.lessons().nth(1).unwrap().questions().next().unwrap().clone();
        let response = Response::TrueFalse(true);
        p.record_answer(&course, &q1.id, response.clone(), grade(&q1, &response).unwrap(), 1_004_000.0);
        p.record_attempt(&course, &AssessmentId::parse("final").unwrap(), attempt(&course, 1, 1_100_000.0));
        session.report(&course, &p).unwrap();
        session.finish(&course, &p, 1_000_000.0 + 3_723_450.0).unwrap();
        assert!(session.finish(&course, &p, 9e9).is_ok(), "a second finish does nothing");
    }
    // Every lesson completed, the assessment passed at 50 %: passed, not failed.
    assert_eq!(committed(&lms, "cmi.core.lesson_status"), "passed");
    assert_eq!(committed(&lms, "cmi.core.score.raw"), "50");
    assert_eq!((committed(&lms, "cmi.core.score.min"), committed(&lms, "cmi.core.score.max")), ("0", "100"));
    assert_eq!(committed(&lms, "cmi.core.lesson_location"), "b");
    assert_eq!(committed(&lms, "cmi.core.session_time"), "0001:02:03.45");
    assert_eq!(committed(&lms, "cmi.core.exit"), "suspend");
    assert_eq!(lms.calls.iter().filter(|c| *c == "LMSFinish").count(), 1);
    assert!(lms.finished);

    // The next launch, in another browser: progress comes back from the LMS alone.
    let mut next = lms.relaunch();
    let mut session = Scorm12Session::start(&mut next, 0.0).unwrap();
    let resumed = session.resume(&course, None).unwrap();
    assert_eq!(resumed.summary(&course), p.summary(&course));
    assert_eq!(resumed.answers["q1"].response, Response::TrueFalse(true));
    assert_eq!(resumed.position, p.position);
    assert_eq!(resumed.registration, "reg");
    // Nothing changed: nothing is written again.
    let calls = next_calls(&mut session, &course, &resumed);
    assert!(calls.iter().all(|c| !c.contains("suspend_data") && !c.contains("lesson_status")), "{calls:?}");
}

fn next_calls(session: &mut Scorm12Session<&mut MemoryLms>, course: &Course, p: &CourseProgress) -> Vec<String> {
    let before = session.api.calls.len();
    session.report(course, p).unwrap();
    session.api.calls[before..].to_vec()
}

#[test]
fn unchanged_progress_is_not_written_or_committed_twice() {
    let course = course(MANIFEST);
    let mut lms = MemoryLms::with_learner("");
    let mut session = Scorm12Session::start(&mut lms, 0.0).unwrap();
    assert_eq!(session.learner_name(), None);
    let mut p = CourseProgress::new(&course, "reg".into(), 0.0);
    p.visit_lesson(&course, &lesson("a"), 1_000.0);
    let first = next_calls(&mut session, &course, &p);
    assert!(
        first.contains(&"LMSCommit".to_owned())
            && first.iter().any(|c| c == "LMSSetValue cmi.core.lesson_status=incomplete")
    );
    assert!(first.iter().all(|c| !c.contains("score")), "no score before an attempt: {first:?}");
    assert_eq!(next_calls(&mut session, &course, &p), Vec::<String>::new());
    p.add_active_time(15_000, 2_000.0);
    let later = next_calls(&mut session, &course, &p);
    assert_eq!(later.iter().filter(|c| c.starts_with("LMSSetValue")).count(), 1, "{later:?}");
}

#[test]
fn the_status_follows_the_course_rules() {
    let with_assessment = course(MANIFEST);
    let status = |course: &Course, p: &CourseProgress| data_model(course, p)[0].1.clone();
    let mut p = CourseProgress::new(&with_assessment, "r".into(), 0.0);
    assert_eq!(status(&with_assessment, &p), "incomplete");
    p.record_attempt(&with_assessment, &AssessmentId::parse("final").unwrap(), attempt(&with_assessment, 0, 10.0));
    assert_eq!(status(&with_assessment, &p), "incomplete", "one attempt left");
    p.record_attempt(&with_assessment, &AssessmentId::parse("final").unwrap(), attempt(&with_assessment, 0, 20.0));
    assert_eq!(status(&with_assessment, &p), "failed", "no attempt left and no pass");
    let model = data_model(&with_assessment, &p);
    assert!(model.contains(&("cmi.core.score.raw", "0".to_owned())));

    let mut passed_not_completed = CourseProgress::new(&with_assessment, "r".into(), 0.0);
    passed_not_completed.record_attempt(
        &with_assessment,
        &AssessmentId::parse("final").unwrap(),
        attempt(&with_assessment, 2, 10.0),
    );
    assert_eq!(status(&with_assessment, &passed_not_completed), "incomplete", "lessons still to do");
    assert!(data_model(&with_assessment, &passed_not_completed).contains(&("cmi.core.score.raw", "100".to_owned())));

    let without = course(
        &MANIFEST
            .replace("[[assessments]]\ntitle = \"Final\"\nfile = \"final.gift\"\npass-mark = 0.5\nattempts = 2\n", ""),
    );
    let mut p = CourseProgress::new(&without, "r".into(), 0.0);
    assert_eq!(status(&without, &p), "incomplete");
    p.complete_lesson(&without, &lesson("a"), 1.0);
    p.complete_lesson(&without, &lesson("b"), 2.0);
    assert_eq!(status(&without, &p), "completed");
}

#[test]
fn refusals_name_the_call_and_the_lms_error() {
    let course = course(MANIFEST);
    let mut lms = MemoryLms::with_learner("X");
    lms.initialized = true;
    assert_eq!(
        Scorm12Session::start(&mut lms, 0.0).err(),
        Some(LmsError { call: "LMSInitialize".into(), code: "101".into(), description: "General exception".into() })
    );

    let mut lms = MemoryLms::with_learner("X");
    let mut session = Scorm12Session::start(&mut lms, 0.0).unwrap();
    session.api.finished = true; // the LMS ended the session on its side
    let p = CourseProgress::new(&course, "r".into(), 0.0);
    let error = session.report(&course, &p).unwrap_err();
    assert_eq!((error.call.as_str(), error.code.as_str()), ("LMSSetValue(\"cmi.core.lesson_status\")", "301"));
    assert!(error.to_string().contains("Not initialized"));
}

#[test]
fn corrupted_suspend_data_leaves_this_browsers_progress_standing() {
    let course = course(MANIFEST);
    let mut lms = MemoryLms::with_learner("X");
    lms.values.insert("cmi.suspend_data".into(), "not ours".into());
    let mut session = Scorm12Session::start(&mut lms, 0.0).unwrap();
    assert_eq!(session.resume(&course, Some(CourseProgress::new(&course, "r".into(), 0.0))), None);
}

#[test]
fn timespans_and_scores_are_written_as_scorm_1_2_types() {
    assert_eq!(timespan(0.0), "0000:00:00.00");
    assert_eq!(timespan(59_999.0), "0000:01:00.00");
    assert_eq!(timespan(-5.0), "0000:00:00.00");
    assert_eq!(timespan(36_000_000_000.0), "9999:00:00.00");
    assert!(is_timespan(&timespan(3_723_450.0)));
    assert_eq!(format_score(87.5), "87.5");
    assert_eq!(format_score(2.0 / 3.0 * 100.0), "66.67");
    assert_eq!(format_score(100.0), "100");
    assert_eq!(format_score(0.0), "0");
}
