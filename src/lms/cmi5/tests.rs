use super::*;
use crate::course::{AssessmentId, LessonId, MemoryFiles};
use crate::progress::AttemptRecord;
use crate::quiz::{score_attempt, Response};

const ACTOR: &str =
    r#"{"objectType":"Agent","account":{"homePage":"https://lms.example.org","name":"marie"},"name":"Marie Dupont"}"#;
const AU: &str = "https://lms.example.org/au/42";
const SESSION_EXTENSION: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";

fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
    query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn launch_query() -> Vec<(String, String)> {
    pairs(&[
        ("endpoint", "https://lms.example.org/xapi"),
        ("fetch", "https://lms.example.org/fetch/abc"),
        ("actor", ACTOR),
        ("registration", "6f1b1c76-5a3e-4e0b-9a53-1c2d3e4f5a6b"),
        ("activityId", AU),
    ])
}

fn launch_data(mode: &str, mastery: Option<f64>, move_on: &str) -> LaunchData {
    let mastery = mastery.map_or(String::new(), |m| format!(r#""masteryScore": {m},"#));
    let json = format!(
        r#"{{"contextTemplate": {{"contextActivities": {{"grouping": [{{"objectType": "Activity", "id": "{AU}/parent"}}]}},
            "extensions": {{"{SESSION_EXTENSION}": "s-1"}}}},
            "launchMode": "{mode}", {mastery} "moveOn": "{move_on}", "returnURL": "https://lms.example.org/course/7",
            "entitlementKey": {{"courseStructure": "x"}}}}"#
    );
    LaunchData::parse(Some(200), &json, None).unwrap()
}

fn launch(mode: &str, mastery: Option<f64>, move_on: &str) -> Cmi5Launch {
    let params = LaunchParams::from_query(&launch_query()).unwrap().unwrap();
    Cmi5Launch {
        params,
        data: launch_data(mode, mastery, move_on),
        preferences: LearnerPreferences::default(),
        saved_progress: None,
    }
}

fn course(with_assessment: bool) -> Course {
    course_with_pass_mark(with_assessment, 0.5)
}

fn course_with_pass_mark(with_assessment: bool, pass_mark: f64) -> Course {
    let assessment = format!("\n[[assessments]]\ntitle = \"Final\"\nfile = \"final.gift\"\npass-mark = {pass_mark}\n");
    let manifest = format!(
        "id = \"https://example.org/courses/c\"\ntitle = \"C\"\nlanguage = \"fr\"\n\n[[modules]]\ntitle = \"Un\"\nlessons = [\"a.md\"]\n{}",
        if with_assessment { assessment.as_str() } else { "" }
    );
    let files = MemoryFiles::default()
        .with("course.toml", &manifest)
        .with("a.md", "# A\n\n```gift\n::Q1:: Vrai ? {T}\n```\n")
        .with("final.gift", "::F1:: Oui ? {T}\n\n::F2:: Deux ? {#2}\n");
    crate::course::test_course("c", &files)
}

fn attempt(course: &Course, right: usize, pass_mark: f64, at: f64) -> AttemptRecord {
    let questions: Vec<_> = course.assessments[0].questions().cloned().collect();
    let responses =
        vec![Some(Response::TrueFalse(right > 0)), Some(Response::Number(if right > 1 { "2" } else { "0" }.into()))];
    let score = score_attempt(&questions, &responses, pass_mark);
    let by_id = questions.iter().zip(&responses).filter_map(|(q, r)| Some((q.id.to_string(), r.clone()?)));
    AttemptRecord { score, responses: by_id.collect(), started_at: at - 1000.0, finished_at: at }
}

fn ids(list: &[Activity]) -> Vec<&str> {
    list.iter().map(|a| a.id.as_str()).collect()
}

fn verb(statement: &Statement) -> &str {
    statement.verb.id.rsplit('/').next().unwrap()
}

#[test]
fn launch_parameters_are_read_and_checked() {
    let params = LaunchParams::from_query(&launch_query()).unwrap().unwrap();
    assert_eq!(params.endpoint, "https://lms.example.org/xapi/", "a slash is added for the resources");
    assert_eq!(params.actor.account.as_ref().unwrap().name, "marie");
    assert_eq!(params.activity_id, AU);
    assert!(params.state_url(LAUNCH_DATA_STATE).starts_with(
        "https://lms.example.org/xapi/activities/state?stateId=LMS.LaunchData&activityId=https%3A%2F%2Flms.example.org%2Fau%2F42&agent=%7B%22objectType%22"
    ));
    assert!(params.state_url(LAUNCH_DATA_STATE).ends_with("&registration=6f1b1c76-5a3e-4e0b-9a53-1c2d3e4f5a6b"));
    assert!(params.learner_preferences_url().ends_with("&profileId=cmi5LearnerPreferences"));

    assert_eq!(LaunchParams::from_query(&pairs(&[("lang", "fr")])), None, "not a cmi5 launch");
    let mut without = launch_query();
    without.retain(|(k, _)| k != "registration");
    assert_eq!(LaunchParams::from_query(&without), Some(Err(Cmi5Error::MissingParameter("registration"))));
    let mut two_ids = launch_query();
    two_ids[2].1 = r#"{"mbox":"mailto:a@b.fr","account":{"homePage":"https://x","name":"y"}}"#.into();
    assert!(matches!(LaunchParams::from_query(&two_ids), Some(Err(Cmi5Error::BadParameter { name: "actor", .. }))));
    let mut broken = launch_query();
    broken[2].1 = "{marie".into();
    let error = LaunchParams::from_query(&broken).unwrap().unwrap_err();
    assert!(error.to_string().contains("unreadable `actor`"), "{error}");
}

#[test]
fn the_fetch_answer_gives_the_token_or_says_why_not() {
    assert_eq!(auth_token(Some(200), r#"{"auth-token": "QWxhZGRpbjpvcGVu"}"#, None), Ok("QWxhZGRpbjpvcGVu".into()));
    assert_eq!(
        auth_token(Some(200), r#"{"error-code": "1", "error-text": "already in use"}"#, None),
        Err(Cmi5Error::FetchRefused { code: "1".into(), text: "already in use".into() })
    );
    let refused = auth_token(Some(400), r#"{"error-code": 2, "error-text": "security"}"#, None).unwrap_err();
    assert_eq!(refused.to_string(), "the platform refused the launch (error 2: security)");
    assert_eq!(auth_token(Some(500), "oops", None), Err(Cmi5Error::Status { what: "the fetch URL", status: 500 }));
    assert_eq!(auth_token(None, "", Some("Failed to fetch")), Err(Cmi5Error::Network("Failed to fetch".into())));
    assert!(matches!(auth_token(Some(200), "{}", None), Err(Cmi5Error::Unreadable { .. })));
}

#[test]
fn launch_data_and_preferences_are_read_leniently_but_checked() {
    let data = launch_data("Normal", Some(0.8), "CompletedAndPassed");
    assert_eq!(
        (data.launch_mode, data.move_on, data.mastery_score),
        (LaunchMode::Normal, MoveOn::CompletedAndPassed, Some(0.8))
    );
    assert_eq!(data.return_url.as_deref(), Some("https://lms.example.org/course/7"));
    assert_eq!(data.context_template.extensions[SESSION_EXTENSION], "s-1");
    assert_eq!(LaunchData::parse(Some(404), "", None), Err(Cmi5Error::Status { what: LAUNCH_DATA_STATE, status: 404 }));
    let bad = r#"{"contextTemplate": {}, "launchMode": "Normal", "masteryScore": 80, "moveOn": "Passed"}"#;
    assert!(matches!(LaunchData::parse(Some(200), bad, None), Err(Cmi5Error::Unreadable { .. })));
    let no_mode = r#"{"contextTemplate": {}, "moveOn": "Passed"}"#;
    assert!(LaunchData::parse(Some(200), no_mode, None).unwrap_err().to_string().contains("launchMode"));

    let preferences = LearnerPreferences::parse(
        Some(200),
        r#"{"languagePreference": "de-DE, en-US, fr-FR", "audioPreference": "on"}"#,
    );
    assert_eq!(preferences.language(&["fr", "en"]), Some("en"));
    assert_eq!(LearnerPreferences::parse(Some(404), "not found"), LearnerPreferences::default());
    assert_eq!(LearnerPreferences::default().language(&["fr"]), None);
}

/// A run: open, read the lesson, fail then pass the assessment, leave.
fn run(launch: &Cmi5Launch, course: &Course) -> Vec<Statement> {
    let session =
        Session { course, actor: crate::xapi::statement::Agent::mbox("x@y.fr", None), registration: "local".into() };
    let mut n = 0;
    let mut new_id = || {
        n += 1;
        format!("id-{n}")
    };
    let mut statements = Vec::new();
    statements.extend(launch.adapt(session.initialized(Stamp { id: new_id(), at_ms: 1_000.0 }), course));
    let mut p = CourseProgress::new(course, "local".into(), 1_000.0);
    let mut step = |p: &mut CourseProgress, change: &dyn Fn(&mut CourseProgress)| {
        let before = p.clone();
        change(p);
        statements.extend(launch.statements_for_change(&session, &before, p, &mut new_id));
    };
    let lesson = LessonId::parse("a").unwrap();
    step(&mut p, &|p| p.visit_lesson(course, &lesson, 2_000.0));
    step(&mut p, &|p| p.complete_lesson(course, &lesson, 3_000.0));
    if !course.assessments.is_empty() {
        let pass_mark = launch.pass_marks().of(&course.assessments[0]);
        step(&mut p, &|p| {
            p.record_attempt(course, &AssessmentId::parse("final").unwrap(), attempt(course, 1, pass_mark, 4_000.0))
        });
        step(&mut p, &|p| {
            p.record_attempt(course, &AssessmentId::parse("final").unwrap(), attempt(course, 2, pass_mark, 5_000.0))
        });
        step(&mut p, &|p| {
            p.record_attempt(course, &AssessmentId::parse("final").unwrap(), attempt(course, 0, pass_mark, 6_000.0))
        });
    }
    statements.extend(launch.adapt(session.terminated(Stamp { id: new_id(), at_ms: 9_000.0 }, 8_000), course));
    statements
}

#[test]
fn a_normal_launch_follows_the_cmi5_statement_rules() {
    let course = course(true);
    let launch = launch("Normal", Some(0.8), "CompletedAndPassed");
    let statements = run(&launch, &course);
    let verbs: Vec<&str> = statements.iter().map(verb).collect();
    assert_eq!(
        verbs,
        [
            "initialized",
            "experienced",
            "progressed",
            "completed", // the lesson, its module, the course
            "answered",
            "answered",
            "failed", // 50 % < 80 %
            "answered",
            "answered",
            "passed", // 100 %
            "answered",
            "answered", // a third attempt after the pass: no `failed`
            "terminated"
        ]
    );
    for statement in &statements {
        assert_eq!(statement.actor, launch.params.actor);
        assert_eq!(statement.context.registration, launch.params.registration);
        let activities = &statement.context.context_activities;
        assert!(ids(&activities.grouping).contains(&format!("{AU}/parent").as_str()), "the template's grouping");
        assert_eq!(statement.context.extensions[SESSION_EXTENSION], "s-1", "the template's session id");
        let defined = ["initialized", "completed", "passed", "failed", "terminated"].contains(&verb(statement));
        assert_eq!(ids(&activities.category).contains(&CMI5_CATEGORY), defined, "{}", verb(statement));
        if defined {
            assert_eq!(statement.object.id, AU, "cmi5-defined statements are about the AU");
        }
        let moves_on = ["completed", "passed", "failed"].contains(&verb(statement));
        assert_eq!(ids(&activities.category).contains(&MOVEON_CATEGORY), moves_on);
        let result = statement.result.clone().unwrap_or_default();
        match verb(statement) {
            "completed" => {
                assert!(result.completion == Some(true) && result.success.is_none() && result.score.is_none())
            }
            "passed" | "failed" => {
                assert_eq!(result.success, Some(verb(statement) == "passed"));
                assert!(result.duration.is_some() && result.completion.is_none());
                assert_eq!(statement.context.extensions[MASTERY_SCORE_EXTENSION], 0.8);
            }
            "terminated" => assert!(result.duration.is_some()),
            _ => assert!(!statement.context.extensions.contains_key(MASTERY_SCORE_EXTENSION)),
        }
    }
    let passed = statements.iter().find(|s| verb(s) == "passed").unwrap();
    assert!(passed.result.as_ref().unwrap().score.as_ref().unwrap().scaled >= 0.8, "passed at or above mastery");
    let failed = statements.iter().find(|s| verb(s) == "failed").unwrap();
    assert_eq!(failed.result.as_ref().unwrap().score.as_ref().unwrap().scaled, 0.5, "50 % is under the LMS's 80 %");
}

#[test]
fn browse_and_review_send_only_the_session() {
    for mode in ["Browse", "Review"] {
        let statements = run(&launch(mode, None, "Passed"), &course(true));
        assert_eq!(statements.iter().map(verb).collect::<Vec<_>>(), ["initialized", "terminated"], "{mode}");
    }
}

#[test]
fn without_assessment_moveon_passed_is_met_at_completion_and_completed_alone_otherwise() {
    let course = course(false);
    let passed = run(&launch("Normal", None, "Passed"), &course);
    let verbs: Vec<&str> = passed.iter().map(verb).collect();
    assert_eq!(verbs, ["initialized", "experienced", "progressed", "completed", "passed", "terminated"]);
    assert!(passed.iter().find(|s| verb(s) == "passed").unwrap().result.as_ref().unwrap().score.is_none());
    let completed = run(&launch("Normal", None, "Completed"), &course);
    assert!(!completed.iter().any(|s| verb(s) == "passed"));
}

#[test]
fn the_mastery_score_is_the_pass_mark() {
    let course = course(true);
    assert_eq!(course.assessments[0].pass_mark, 0.5);
    assert_eq!(launch("Normal", Some(0.75), "Passed").pass_marks().of(&course.assessments[0]), 0.75);
    assert_eq!(launch("Normal", None, "Passed").pass_marks().of(&course.assessments[0]), 0.5);
}

#[test]
fn query_values_are_percent_encoded() {
    assert_eq!(encode("a b/é{\"}"), "a%20b%2F%C3%A9%7B%22%7D");
    assert_eq!(encode("LMS.LaunchData-_~"), "LMS.LaunchData-_~");
}

#[test]
fn progress_saved_in_the_lms_is_resumed_when_newer_and_of_this_registration() {
    let course = course(true);
    let mut launch = launch("Normal", None, "Passed");
    let registration = launch.params.registration.clone();
    let mut elsewhere = CourseProgress::new(&course, registration.clone(), 1_000_000.0);
    elsewhere.visit_lesson(&course, &LessonId::parse("a").unwrap(), 2_000_000.0);
    let here = CourseProgress::new(&course, registration.clone(), 1_500_000.0);
    assert_eq!(launch.resume(&course, here.clone()), here, "nothing saved in the LMS");

    launch.saved_progress = Some(crate::progress::compact::encode(&elsewhere, &course, 4096).unwrap());
    assert!(launch.resume(&course, here.clone()).lessons.contains_key("a"), "the LMS's is newer");
    let mut newer_here = elsewhere.clone();
    newer_here.complete_lesson(&course, &LessonId::parse("a").unwrap(), 3_000_000.0);
    assert_eq!(launch.resume(&course, newer_here.clone()), newer_here, "this browser's is newer");

    launch.saved_progress = Some("{broken".into());
    assert_eq!(launch.resume(&course, here.clone()), here, "an unreadable save is no save");
    let mut other = elsewhere.clone();
    other.registration = "another".into();
    launch.saved_progress = Some(crate::progress::compact::encode(&other, &course, 4096).unwrap());
    assert_eq!(launch.resume(&course, here.clone()), here, "another registration's is not ours");
}

#[test]
fn a_launch_is_followed_only_to_one_secure_allowed_platform() {
    let params = |endpoint: &str, fetch: &str| {
        let mut query = launch_query();
        query.retain(|(k, _)| k != "endpoint" && k != "fetch");
        query.extend(pairs(&[("endpoint", endpoint), ("fetch", fetch)]));
        LaunchParams::from_query(&query).unwrap().unwrap()
    };
    let good = params("https://lms.example.org/xapi/", "https://lms.example.org/fetch/1");
    assert_eq!(good.check_origins(&[]), Ok(()));
    assert_eq!(good.check_origins(&["https://LMS.example.org/".into()]), Ok(()));
    assert!(good.check_origins(&["https://autre.example.org".into()]).is_err());
    assert_eq!(params("http://127.0.0.1:8000/xapi/", "http://127.0.0.1:8000/f").check_origins(&[]), Ok(()));
    for (endpoint, fetch) in [
        ("https://evil.example/xapi/", "https://lms.example.org/fetch/1"),
        ("http://lms.example.org/xapi/", "http://lms.example.org/fetch/1"),
        ("http://127.0.0.1.evil.example/xapi/", "http://127.0.0.1.evil.example/f"),
        ("/xapi/", "https://lms.example.org/fetch/1"),
        ("javascript:alert(1)//", "javascript:alert(1)"),
        ("https://user:pw@lms.example.org/xapi/", "https://user:pw@lms.example.org/f"),
    ] {
        let launch = params(endpoint, fetch);
        assert!(launch.check_origins(&[]).is_err(), "{endpoint} {fetch}");
    }
}

#[test]
fn a_return_url_that_would_run_script_is_dropped() {
    let body = |url: &str| {
        format!(
            r#"{{"contextTemplate":{{}},"launchMode":"Normal","moveOn":"Completed","returnURL":{}}}"#,
            serde_json::to_string(url).unwrap()
        )
    };
    for bad in ["javascript:alert(document.cookie)", " JaVa\tScript:x", "data:text/html,x", "vbscript:x", ""] {
        assert_eq!(LaunchData::parse(Some(200), &body(bad), None).unwrap().return_url, None, "{bad:?}");
    }
    for good in ["https://lms.example.org/course/1", "/mod/cmi5/view.php?id=3"] {
        assert_eq!(LaunchData::parse(Some(200), &body(good), None).unwrap().return_url.as_deref(), Some(good));
    }
}

/// The statements of one session of a launch: `changes` applied in turn to `progress`.
fn session_of(
    launch: &Cmi5Launch,
    course: &Course,
    progress: &mut CourseProgress,
    changes: &[&dyn Fn(&mut CourseProgress)],
) -> Vec<Statement> {
    let session = Session { course, actor: launch.params.actor.clone(), registration: progress.registration.clone() };
    let mut n = 0;
    let mut new_id = || {
        n += 1;
        format!("id-{n}")
    };
    let mut statements = Vec::new();
    for change in changes {
        let before = progress.clone();
        change(progress);
        statements.extend(launch.statements_for_change(&session, &before, progress, &mut new_id));
    }
    statements
}

/// Two sessions of one registration, the second in a browser with empty storage (another
/// computer): it resumes from the progress the first saved in the LMS. `first_right` questions
/// right in the first session's attempt, then a perfect attempt in the second. The verbs about
/// the AU's result, per session.
fn two_sessions(mastery: f64, course_pass_mark: f64, first_right: usize) -> (Vec<String>, Vec<String>, CourseProgress) {
    let course = course_with_pass_mark(true, course_pass_mark);
    let first = launch("Normal", Some(mastery), "CompletedAndPassed");
    let registration = first.params.registration.clone();
    let final_id = AssessmentId::parse("final").unwrap();
    let lesson = LessonId::parse("a").unwrap();
    let mark = first.pass_marks().of(&course.assessments[0]);
    let mut progress = CourseProgress::new(&course, registration.clone(), 1_000_000.0);
    let in_first = session_of(
        &first,
        &course,
        &mut progress,
        &[&|p| p.complete_lesson(&course, &lesson, 2_000_000.0), &|p| {
            p.record_attempt(&course, &final_id, attempt(&course, first_right, mark, 3_000_000.0))
        }],
    );
    let saved = crate::progress::compact::encode(&progress, &course, 4096).unwrap();

    let mut second = launch("Normal", Some(mastery), "CompletedAndPassed");
    second.saved_progress = Some(saved);
    let empty_storage = CourseProgress::new(&course, registration, 4_000_000.0);
    let mut resumed = second.resume(&course, empty_storage);
    let mark = second.pass_marks().of(&course.assessments[0]);
    let in_second = session_of(
        &second,
        &course,
        &mut resumed,
        &[&|p| p.record_attempt(&course, &final_id, attempt(&course, 2, mark, 5_000_000.0))],
    );
    let results = |statements: Vec<Statement>| {
        let about_au = statements.into_iter().filter(|s| s.object.id == AU);
        about_au.map(|s| verb(&s).to_owned()).filter(|v| v != "progressed").collect::<Vec<_>>()
    };
    (results(in_first), results(in_second), resumed)
}

#[test]
fn a_registration_passed_under_a_low_mastery_score_is_not_passed_again_when_resumed_elsewhere() {
    // Mastery 0.5, the course's own pass mark 0.8: 50 % passes in this registration.
    let (first, second, resumed) = two_sessions(0.5, 0.8, 1);
    assert_eq!(first, ["completed", "passed"]);
    assert_eq!(second, Vec::<String>::new(), "`passed` once per registration (cmi5 §9.3.4)");
    let kept = &resumed.attempts["final"][0].score;
    assert!(kept.passed && kept.pass_mark == Some(0.5), "the verdict resumed is the one given: {kept:?}");
}

#[test]
fn a_registration_failed_under_a_high_mastery_score_sends_passed_when_earned_after_a_resume() {
    // Mastery 0.8, the course's own pass mark 0.5: 50 % fails in this registration.
    let (first, second, resumed) = two_sessions(0.8, 0.5, 1);
    assert_eq!(first, ["completed", "failed"]);
    assert_eq!(second, ["passed"], "the perfect attempt of the second session passes, and says so");
    let kept = &resumed.attempts["final"][0].score;
    assert!(!kept.passed && kept.pass_mark == Some(0.8), "the failed attempt stays failed: {kept:?}");
}

#[test]
fn an_attempt_saved_before_pass_marks_were_kept_is_judged_with_the_mastery_score_in_force() {
    let course = course_with_pass_mark(true, 0.8);
    let mut launch = launch("Normal", Some(0.5), "Passed");
    let registration = launch.params.registration.clone();
    let mut progress = CourseProgress::new(&course, registration.clone(), 1_000_000.0);
    progress.record_attempt(&course, &AssessmentId::parse("final").unwrap(), attempt(&course, 1, 0.5, 2_000_000.0));
    let saved = crate::progress::compact::encode(&progress, &course, 4096).unwrap();
    // The form as players before this one wrote it: four elements an attempt, no pass mark.
    let older = saved.replace(",0.5]", "]");
    assert_ne!(older, saved);
    launch.saved_progress = Some(older);
    let resumed = launch.resume(&course, CourseProgress::new(&course, registration, 3_000_000.0));
    assert!(resumed.attempts["final"][0].score.passed, "50 % under this launch's mastery score of 0.5");

    // A copy that says its attempt was decided with a mark lower than the one in force is not
    // believed: an LMS's or a learner's copy cannot lower the bar.
    let lowered = saved.replace(",0.5]", ",0.1]");
    let strict = self::launch("Normal", Some(0.8), "Passed");
    let progress = crate::progress::compact::decode(&lowered, &course, strict.pass_marks()).unwrap();
    let score = &progress.attempts["final"][0].score;
    assert!(!score.passed && score.pass_mark == Some(0.8), "{score:?}");
}

/// A `LMS.LaunchData` with every property cmi5 and xAPI allow in it.
fn full_launch_data() -> serde_json::Value {
    let activity = |id: &str| {
        serde_json::json!({
            "objectType": "Activity",
            "id": format!("{AU}/{id}"),
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/course",
                "name": {"fr-FR": id},
                "description": {"fr-FR": "…"},
                "moreInfo": "https://lms.example.org/more",
                "extensions": {"https://lms.example.org/x": [1, 2.5, null]}
            }
        })
    };
    serde_json::json!({
        "contextTemplate": {
            "contextActivities": {
                "parent": [activity("parent")],
                "grouping": [activity("grouping")],
                "category": [activity("category")],
                "other": [activity("other")]
            },
            "extensions": {SESSION_EXTENSION: "s-1", "https://lms.example.org/tenant": {"id": 7}},
            "platform": "LMS",
            "language": "fr-FR",
            "revision": "3"
        },
        "launchMode": "Normal",
        "launchParameters": "{\"level\": 2}",
        "masteryScore": 0.8,
        "moveOn": "CompletedAndPassed",
        "returnURL": "https://lms.example.org/course/7",
        "entitlementKey": {"courseStructure": "x", "alternate": "y"}
    })
}

/// Every property's path in a JSON document, parents before children (array items by index).
fn property_paths(value: &serde_json::Value, at: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
    let children: Vec<(String, &serde_json::Value)> = match value {
        serde_json::Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        serde_json::Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        at.push(key);
        if !matches!(value, serde_json::Value::Array(_)) {
            found.push(at.clone());
        }
        property_paths(child, at, found);
        at.pop();
    }
}

fn without(document: &serde_json::Value, path: &[String]) -> serde_json::Value {
    let mut copy = document.clone();
    let (last, parents) = path.split_last().unwrap();
    let mut here = &mut copy;
    for key in parents {
        here = match here {
            serde_json::Value::Array(items) => &mut items[key.parse::<usize>().unwrap()],
            other => &mut other[key.as_str()],
        };
    }
    here.as_object_mut().unwrap().remove(last);
    copy
}

/// What a launch with `document` as its launch data sends: `initialized`, adapted.
fn launched_with(document: &serde_json::Value) -> Result<Statement, Cmi5Error> {
    let data = LaunchData::parse(Some(200), &document.to_string(), None)?;
    let launch = Cmi5Launch { data, ..launch("Normal", None, "Passed") };
    let course = course(false);
    let session = Session { course: &course, actor: launch.params.actor.clone(), registration: "r".into() };
    let initialized = session.initialized(Stamp { id: "id-1".into(), at_ms: 1_000.0 });
    Ok(launch.adapt(initialized, &course).expect("initialized is sent in every mode"))
}

#[test]
fn launch_data_launches_without_any_of_its_optional_properties() {
    let full = full_launch_data();
    assert!(launched_with(&full).is_ok());
    let mut paths = Vec::new();
    property_paths(&full, &mut Vec::new(), &mut paths);
    // What cmi5 §10 requires of the LMS (and xAPI of an activity): the rest may be left out.
    let required = |path: &[String]| {
        let activity_id = path.len() == 5 && path[1] == "contextActivities" && path[4] == "id";
        matches!(path, [one] if one == "launchMode" || one == "moveOn") || activity_id
    };
    let mut tried = 0;
    for path in paths.iter().filter(|p| !required(p)) {
        let document = without(&full, path);
        let sent = launched_with(&document).unwrap_or_else(|e| panic!("without {path:?}: {e}"));
        serde_json::to_string(&sent).unwrap();
        tried += 1;
        // What remains of the template is in the statement, at the template's own places.
        if path.first().is_some_and(|k| k == "contextTemplate") {
            let kept = &document["contextTemplate"]["contextActivities"];
            for list in ["parent", "grouping", "category", "other"] {
                if let Some(first) = kept[list].get(0) {
                    let ours = match list {
                        "parent" => &sent.context.context_activities.parent,
                        "grouping" => &sent.context.context_activities.grouping,
                        "category" => &sent.context.context_activities.category,
                        _ => &sent.context.context_activities.other,
                    };
                    assert_eq!(ours[0].id, first["id"], "without {path:?}: {list}");
                }
            }
        }
    }
    assert!(tried > 40, "every optional property was left out in turn ({tried})");
    for path in paths.iter().filter(|p| required(p)) {
        assert!(launched_with(&without(&full, path)).is_err(), "{path:?} is required");
    }
}

#[test]
fn launch_data_as_the_reference_player_writes_it_launches() {
    // As ADL's reference player (CATAPULT) writes it: no objectType, no entitlementKey or
    // returnURL unless it has one, the LMS's own grouping activity, one list as an object.
    let written = serde_json::json!({
        "launchMode": "Normal",
        "moveOn": "CompletedAndPassed",
        "contextTemplate": {
            "contextActivities": {"grouping": {"id": "https://example.org/course-structure/au"}},
            "extensions": {SESSION_EXTENSION: "6a1d2b9c-0e6f-4c36-9b7e-2f5a8d4c1e07"}
        }
    });
    let sent = launched_with(&written).unwrap();
    let grouping = &sent.context.context_activities.grouping;
    assert_eq!(grouping[0].id, "https://example.org/course-structure/au");
    assert_eq!(grouping[0].object_type, "Activity", "written with its default");
    let json = serde_json::to_value(&sent).unwrap();
    assert_eq!(
        json["context"]["contextActivities"]["grouping"][0],
        serde_json::json!({"objectType": "Activity", "id": "https://example.org/course-structure/au"})
    );

    // Unknown properties anywhere are ignored.
    let mut extended = full_launch_data();
    extended["futureProperty"] = serde_json::json!({"a": 1});
    extended["contextTemplate"]["contextActivities"]["parent"][0]["futureProperty"] = serde_json::json!(true);
    extended["contextTemplate"]["contextActivities"]["parent"][0]["definition"]["interactionType"] = "other".into();
    assert!(launched_with(&extended).is_ok());
}

/// A launch of the same registration as `launch("Normal", …)`, in another session.
fn next_session(mastery: Option<f64>) -> Cmi5Launch {
    let mut next = launch("Normal", mastery, "CompletedAndPassed");
    next.data.context_template.extensions.insert(SESSION_EXTENSION.into(), "s-2".into());
    next
}

/// The first session of a registration: the lesson read and the assessment passed at 100 %.
/// Its statements, and the progress it leaves.
fn first_session_passed(course: &Course) -> (Vec<Statement>, CourseProgress) {
    let first = launch("Normal", Some(0.8), "CompletedAndPassed");
    let mut progress = CourseProgress::new(course, first.params.registration.clone(), 1_000_000.0);
    let lesson = LessonId::parse("a").unwrap();
    let final_id = AssessmentId::parse("final").unwrap();
    let mut statements = session_of(
        &first,
        course,
        &mut progress,
        &[&|p| p.complete_lesson(course, &lesson, 2_000_000.0), &|p| {
            p.record_attempt(course, &final_id, attempt(course, 2, 0.8, 3_000_000.0))
        }],
    );
    let session = Session { course, actor: first.params.actor.clone(), registration: progress.registration.clone() };
    statements.extend(first.adapt(session.terminated(Stamp { id: "t-1".into(), at_ms: 3_500_000.0 }, 9), course));
    (statements, progress)
}

/// The verbs of the statements about the AU, `progressed` left out.
fn au_verbs(statements: &[Statement]) -> Vec<&str> {
    statements.iter().filter(|s| s.object.id == AU).map(verb).filter(|v| *v != "progressed").collect()
}

#[test]
fn results_left_unsent_by_a_closed_page_are_sent_in_the_next_session_of_the_registration() {
    let course = course(true);
    let (sent, progress) = first_session_passed(&course);
    assert_eq!(au_verbs(&sent), ["completed", "passed", "terminated"]);
    // The LMS took `completed`; `passed` and `terminated` were still waiting when the page closed.
    let mut progress = progress;
    progress.lms_acknowledged =
        first_launch().results_in(&sent[..sent.iter().position(|s| verb(s) == "passed").unwrap()]);
    assert_eq!(progress.lms_acknowledged, LmsResults { completed: true, passed: false });
    let leftovers: Vec<Statement> =
        sent.iter().filter(|s| ["passed", "terminated"].contains(&verb(s))).cloned().collect();

    // The same browser, the same registration launched again.
    let next = next_session(Some(0.8));
    assert!(leftovers.iter().all(|s| next.is_from_earlier_session(s)));
    let carried = next.carry_over(leftovers, &course).unwrap();
    assert_eq!(au_verbs(&carried), ["passed"], "the earlier session's own `terminated` is not sent again");
    assert_eq!(carried[0].context.extensions[SESSION_EXTENSION], "s-2", "sent in this session");
    assert_eq!(carried[0].context.extensions[MASTERY_SCORE_EXTENSION], 0.8);
    assert!(!next.is_from_earlier_session(&carried[0]));
    let session = Session { course: &course, actor: next.params.actor.clone(), registration: "r".into() };
    let mut n = 0;
    let again = next.results_to_reissue(&session, &progress, &carried, &mut || {
        n += 1;
        format!("re-{n}")
    });
    assert!(again.is_empty(), "`passed` waits to be sent already: not made twice: {:?}", au_verbs(&again));

    // Browse and Review send no result: the leftovers wait for a Normal launch.
    let mut browse = next_session(None);
    browse.data.launch_mode = LaunchMode::Browse;
    assert_eq!(browse.carry_over(carried.clone(), &course), None);
}

fn first_launch() -> Cmi5Launch {
    launch("Normal", Some(0.8), "CompletedAndPassed")
}

#[test]
fn results_the_lms_never_took_are_made_again_on_another_computer_once() {
    let course = course(true);
    let (_, progress) = first_session_passed(&course);
    let next = next_session(Some(0.8));
    let session = Session { course: &course, actor: next.params.actor.clone(), registration: "r".into() };
    let reissue = |progress: &CourseProgress| {
        let mut n = 0;
        next.results_to_reissue(&session, progress, &[], &mut || {
            n += 1;
            format!("re-{n}")
        })
    };
    // Nothing acknowledged: the LMS never took `completed` nor `passed` (another computer, its
    // storage empty: only the progress saved in the LMS says so).
    let saved = crate::progress::compact::encode(&progress, &course, 4096).unwrap();
    let mut elsewhere = next_session(Some(0.8));
    elsewhere.saved_progress = Some(saved);
    let resumed = elsewhere.resume(&course, CourseProgress::new(&course, progress.registration.clone(), 4e6));
    let made = reissue(&resumed);
    assert_eq!(au_verbs(&made), ["completed", "passed"]);
    for statement in &made {
        assert_eq!(statement.context.extensions[SESSION_EXTENSION], "s-2");
        assert!(ids(&statement.context.context_activities.category).contains(&MOVEON_CATEGORY));
    }
    let passed = made.iter().find(|s| verb(s) == "passed").unwrap();
    assert_eq!(passed.result.as_ref().unwrap().score.as_ref().unwrap().scaled, 1.0);

    // What the LMS took is known from the progress it keeps, and is not made again.
    let mut acknowledged = resumed.clone();
    acknowledged.lms_acknowledged = next.results_in(&made[..1]);
    assert_eq!(au_verbs(&reissue(&acknowledged)), ["passed"]);
    acknowledged.lms_acknowledged = next.results_in(&made);
    assert!(reissue(&acknowledged).is_empty());
    let saved = crate::progress::compact::encode(&acknowledged, &course, 4096).unwrap();
    let back = crate::progress::compact::decode(&saved, &course, next.pass_marks()).unwrap();
    assert_eq!(back.lms_acknowledged, LmsResults { completed: true, passed: true }, "kept in the LMS's copy");
    assert!(reissue(&back).is_empty());

    // Nothing earned, nothing made.
    let fresh = CourseProgress::new(&course, progress.registration.clone(), 4e6);
    assert!(reissue(&fresh).is_empty());
}
