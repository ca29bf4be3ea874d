use super::store::*;
use super::*;
use crate::course::{check_course, CourseSlug, MemoryFiles, Urls};
use crate::quiz::{grade, score_attempt};

const MANIFEST: &str = r#"id = "https://example.org/courses/p"
title = "P"
language = "fr"
version = "1"

[[modules]]
title = "Un"
lessons = ["a.md", "b.md"]

[[modules]]
title = "Deux"
lessons = ["c.md"]

[[assessments]]
title = "Final"
file = "final.gift"
attempts = 2
"#;

fn course_with(manifest: &str, extra_lesson: Option<(&str, &str)>) -> Course {
    let mut files = MemoryFiles::default()
        .with("course.toml", manifest)
        .with("a.md", "# A\n\nTexte.\n")
        .with("b.md", "# B\n\n```gift\n::Q1:: Vrai ? {T}\n\n::Q2:: Faux ? {F}\n```\n")
        .with("c.md", "# C\n\nFin.\n")
        .with("final.gift", "::F1:: Oui ? {T}\n\n::F2:: Deux ? {#2}\n");
    if let Some((path, text)) = extra_lesson {
        files = files.with(path, text);
    }
    crate::course::test_course("p", &files)
}

fn course() -> Course {
    course_with(MANIFEST, None)
}

fn id(raw: &str) -> LessonId {
    LessonId::parse(raw).unwrap()
}

fn registration() -> String {
    uuid_v4([7; 16])
}

fn answer(course: &Course, progress: &mut CourseProgress, question: &str, response: Response, now: Millis) {
    let q = course.lessons().flat_map(|l| l.questions()).find(|q| q.id.as_str() == question).unwrap();
    let graded = grade(q, &response).unwrap();
    progress.record_answer(course, &q.id, response, graded, now);
}

fn attempt(course: &Course, right: bool, at: Millis) -> AttemptRecord {
    let questions: Vec<_> = course.assessments[0].questions().cloned().collect();
    let responses = if right {
        vec![Some(Response::TrueFalse(true)), Some(Response::Number("2".into()))]
    } else {
        vec![Some(Response::TrueFalse(false)), None]
    };
    let score = score_attempt(&questions, &responses, course.assessments[0].pass_mark);
    let by_id =
        questions.iter().zip(&responses).filter_map(|(q, r)| r.clone().map(|r| (q.id.to_string(), r))).collect();
    AttemptRecord { score, responses: by_id, started_at: at - 10.0, finished_at: at }
}

#[test]
fn lessons_are_visited_then_completed_and_the_course_completed_and_passed() {
    let course = course();
    let mut p = CourseProgress::new(&course, registration(), 1.0);
    p.visit_lesson(&course, &id("a"), 2.0);
    assert_eq!(p.position, Some(Position::Lesson("a".into())));
    assert!(!p.lesson_completed(&id("a")));
    p.complete_lesson(&course, &id("a"), 3.0);
    p.complete_lesson(&course, &id("a"), 9.0);
    assert_eq!(p.lessons["a"], LessonProgress { visited_at: 2.0, completed_at: Some(3.0), end_reached_at: Some(3.0) });

    // Checking every practice question of a lesson completes it.
    answer(&course, &mut p, "q1", Response::TrueFalse(true), 4.0);
    assert!(!p.lesson_completed(&id("b")));
    answer(&course, &mut p, "q2", Response::TrueFalse(true), 5.0);
    assert!(p.lesson_completed(&id("b")));
    assert_eq!(p.answers["q2"].grade.credit, Some(0.0));

    p.complete_lesson(&course, &id("c"), 6.0);
    let summary = p.summary(&course);
    assert_eq!(
        (summary.lessons_completed, summary.lessons_total, summary.modules.clone()),
        (3, 3, vec![(2, 2), (1, 1)])
    );
    assert!(summary.completed && !summary.passed);
    assert_eq!(p.completed_at, Some(6.0));

    p.record_attempt(&course, &AssessmentId::parse("final").unwrap(), attempt(&course, false, 7.0));
    assert_eq!(p.attempts_left(&course, &AssessmentId::parse("final").unwrap()), Some(1));
    assert!(!p.summary(&course).passed);
    p.record_attempt(&course, &AssessmentId::parse("final").unwrap(), attempt(&course, true, 8.0));
    let summary = p.summary(&course);
    assert!(summary.passed);
    assert_eq!(summary.best_scores, vec![Some(1.0)]);
    assert_eq!(p.passed_at, Some(8.0));
    assert_eq!(p.attempts_left(&course, &AssessmentId::parse("final").unwrap()), Some(0));
}

#[test]
fn unknown_ids_change_nothing() {
    let course = course();
    let mut p = CourseProgress::new(&course, registration(), 1.0);
    p.visit_lesson(&course, &id("nope"), 2.0);
    p.complete_lesson(&course, &id("nope"), 2.0);
    p.visit_assessment(&course, &AssessmentId::parse("nope").unwrap(), 2.0);
    assert_eq!(p, CourseProgress::new(&course, registration(), 1.0));
}

#[test]
fn edits_keep_progress_on_unchanged_items_and_drop_removed_ones() {
    let course = course();
    let mut p = CourseProgress::new(&course, registration(), 1.0);
    for lesson in ["a", "b", "c"] {
        p.complete_lesson(&course, &id(lesson), 2.0);
    }
    answer(&course, &mut p, "q1", Response::TrueFalse(true), 3.0);
    p.visit_lesson(&course, &id("c"), 4.0);
    assert!(p.completed_at.is_some());

    // The author removes lesson c, adds lesson d and bumps the version.
    let edited =
        MANIFEST.replace("lessons = [\"c.md\"]", "lessons = [\"d.md\"]").replace("version = \"1\"", "version = \"2\"");
    let edited = course_with(&edited, Some(("d.md", "# D\n\nNouveau.\n")));
    assert!(p.reconcile(&edited));
    assert_eq!(p.lessons.keys().collect::<Vec<_>>(), ["a", "b"]);
    assert!(p.answers.contains_key("q1"));
    assert_eq!(p.position, None);
    assert_eq!(p.content_version, "2");
    assert_eq!(p.completed_at, None, "a new lesson to follow: no longer complete");
    assert!(!p.reconcile(&edited), "reconciling twice changes nothing");
}

#[test]
fn merging_two_tabs_loses_nothing() {
    let course = course();
    let base = CourseProgress::new(&course, registration(), 1.0);
    let mut left = base.clone();
    let mut right = base.clone();
    left.complete_lesson(&course, &id("a"), 2.0);
    answer(&course, &mut left, "q1", Response::TrueFalse(false), 3.0);
    right.complete_lesson(&course, &id("c"), 4.0);
    answer(&course, &mut right, "q1", Response::TrueFalse(true), 5.0);
    right.record_attempt(&course, &AssessmentId::parse("final").unwrap(), attempt(&course, true, 6.0));
    left.merge(&right);
    assert!(left.lesson_completed(&id("a")) && left.lesson_completed(&id("c")));
    assert_eq!(left.answers["q1"].response, Response::TrueFalse(true), "the latest answer wins");
    assert_eq!(left.attempts["final"].len(), 1);
    left.merge(&right);
    assert_eq!(left.attempts["final"].len(), 1, "merging twice adds nothing");
    assert_eq!(left.updated_at, 6.0);
}

#[test]
fn uuids_are_version_4() {
    let uuid = uuid_v4([0xff; 16]);
    assert_eq!(uuid, "ffffffff-ffff-4fff-bfff-ffffffffffff");
    assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
}

#[test]
fn saved_progress_loads_back_and_other_courses_are_untouched() {
    let course = course();
    let store = MemoryStore::default();
    store.set("parcours:progress:https://example.org/other", "{\"keep\": true}").unwrap();
    let loaded = load_progress(&store, &course, registration, 1.0);
    assert_eq!(loaded.notice, None);
    let mut progress = loaded.progress;
    update_progress(&store, &course, &mut progress, |p| p.complete_lesson(&course, &id("a"), 2.0)).unwrap();
    let again = load_progress(&store, &course, || unreachable!("the stored registration is kept"), 3.0);
    assert_eq!(again.progress, progress);
    assert_eq!(again.notice, None);
    assert_eq!(store.get("parcours:progress:https://example.org/other").unwrap().as_deref(), Some("{\"keep\": true}"));
}

#[test]
fn corrupted_or_future_data_is_backed_up_and_the_course_starts_afresh() {
    let course = course();
    let key = progress_key(course.id.as_str());
    for (raw, expected) in [
        ("{not json", "invalid JSON"),
        ("{\"version\": 1, \"lessons\": 3}", "unexpected shape"),
        ("[1, 2]", "no schema version"),
    ] {
        let store = MemoryStore::default();
        store.set(&key, raw).unwrap();
        let loaded = load_progress(&store, &course, registration, 42.0);
        let Some(LoadNotice::Corrupted { backup_key: Some(backup), reason }) = loaded.notice else {
            panic!("{raw}: {:?}", loaded.notice)
        };
        assert!(reason.starts_with(expected), "{raw}: {reason}");
        assert_eq!(backup, format!("{key}:backup:42"));
        assert_eq!(store.get(&backup).unwrap().as_deref(), Some(raw));
        assert!(loaded.progress.lessons.is_empty());
    }
    let store = MemoryStore::default();
    store.set(&key, "{\"version\": 99}").unwrap();
    let loaded = load_progress(&store, &course, registration, 42.0);
    assert!(matches!(loaded.notice, Some(LoadNotice::FutureVersion { found: 99, backup_key: Some(_) })));
}

#[test]
fn denied_and_full_storage_keep_the_state_in_memory() {
    let course = course();
    let denied = MemoryStore::denied();
    let loaded = load_progress(&denied, &course, registration, 1.0);
    assert_eq!(loaded.notice, Some(LoadNotice::Unavailable(StoreError::Denied)));
    let mut progress = loaded.progress;
    let result = update_progress(&denied, &course, &mut progress, |p| p.complete_lesson(&course, &id("a"), 2.0));
    assert_eq!(result, Err(StoreError::Denied));
    assert!(progress.lesson_completed(&id("a")), "the change is kept in memory");

    let full = MemoryStore::with_quota(64);
    let result = update_progress(&full, &course, &mut progress, |p| p.complete_lesson(&course, &id("b"), 3.0));
    assert_eq!(result, Err(StoreError::Full));
    assert!(progress.lesson_completed(&id("b")));
}

#[test]
fn a_change_takes_in_what_another_tab_saved_first() {
    let course = course();
    let store = MemoryStore::default();
    let mut tab_one = load_progress(&store, &course, registration, 1.0).progress;
    save_progress(&store, &tab_one).unwrap();
    let mut tab_two = load_progress(&store, &course, || unreachable!(), 1.0).progress;
    update_progress(&store, &course, &mut tab_two, |p| p.complete_lesson(&course, &id("c"), 2.0)).unwrap();
    update_progress(&store, &course, &mut tab_one, |p| p.complete_lesson(&course, &id("a"), 3.0)).unwrap();
    let stored = load_progress(&store, &course, || unreachable!(), 4.0).progress;
    assert!(stored.lesson_completed(&id("a")) && stored.lesson_completed(&id("c")), "no lost update");
}

#[test]
fn export_and_import_check_the_file() {
    let course = course();
    let mut progress = CourseProgress::new(&course, registration(), 1.0);
    progress.complete_lesson(&course, &id("a"), 2.0);
    let file = export_progress(&progress);
    assert_eq!(import_progress(&file, &course, 5.0, PassMarks::COURSE), Ok(progress.clone()));
    assert_eq!(import_progress("not json", &course, 5.0, PassMarks::COURSE), Err(ImportError::NotProgress));
    assert_eq!(
        import_progress("{\"format\": \"other\"}", &course, 5.0, PassMarks::COURSE),
        Err(ImportError::NotProgress)
    );
    let other = file.replace("https://example.org/courses/p", "https://example.org/courses/other");
    assert_eq!(
        import_progress(&other, &course, 5.0, PassMarks::COURSE),
        Err(ImportError::OtherCourse("https://example.org/courses/other".into()))
    );
    let future = file.replace("\"version\": 1", "\"version\": 7");
    assert_eq!(import_progress(&future, &course, 5.0, PassMarks::COURSE), Err(ImportError::FutureVersion(7)));
    let huge = format!("{{\"format\": \"{}\"}}", "x".repeat(MAX_IMPORT_BYTES));
    assert_eq!(import_progress(&huge, &course, 5.0, PassMarks::COURSE), Err(ImportError::TooLarge(2048)));
}

#[test]
fn a_hand_edited_file_earns_only_what_its_responses_earn() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("courses/demo");
    let slug = CourseSlug::parse("demo").unwrap();
    let course = check_course(&slug, &MemoryFiles::read_dir(&dir).unwrap(), &Urls::player(&slug)).course.unwrap();
    let now = 1_800_000_000_000.0;
    let mut forged = CourseProgress::new(&course, registration(), now - 1_000.0);
    let assessment = &course.assessments[0];
    let perfect = crate::quiz::AttemptScore { raw: 99.0, max: 99.0, scaled: 1.0, passed: true, pass_mark: Some(0.0) };
    let wrong: BTreeMap<String, Response> =
        assessment.questions().map(|q| (q.id.to_string(), Response::Text("n'importe quoi".into()))).collect();
    for _ in 0..5 {
        let attempt = AttemptRecord {
            score: perfect.clone(),
            responses: wrong.clone(),
            started_at: now * 2.0,
            finished_at: now * 3.0,
        };
        forged.attempts.entry(assessment.id.to_string()).or_default().push(attempt);
    }
    let question =
        course.lessons().flat_map(|l| l.questions()).find(|q| grade(q, &Response::TrueFalse(false)).is_ok()).unwrap();
    let mut right = grade(question, &Response::TrueFalse(true)).unwrap();
    let wrong_grade = grade(question, &Response::TrueFalse(false)).unwrap();
    right.feedback = vec!["<img src=x onerror=alert(1)>".into()];
    forged.answers.insert(
        question.id.to_string(),
        AnswerRecord { response: Response::TrueFalse(false), grade: right, at: 1e300 },
    );
    for lesson in course.lessons() {
        forged.lessons.insert(
            lesson.id.to_string(),
            LessonProgress { visited_at: now * 10.0, completed_at: Some(now * 10.0), end_reached_at: None },
        );
    }
    forged.completed_at = Some(now * 10.0);
    forged.passed_at = Some(now * 10.0);

    let imported = import_progress(&export_progress(&forged), &course, now, PassMarks::COURSE).unwrap();
    let attempts = &imported.attempts[assessment.id.as_str()];
    assert_eq!(attempts.len(), assessment.attempts.unwrap() as usize, "no more attempts than allowed");
    assert!(attempts.iter().all(|a| !a.score.passed && a.score.raw == 0.0), "{attempts:?}");
    assert!(attempts.iter().all(|a| a.finished_at <= now && a.started_at <= a.finished_at));
    let fits = |id: &String, r: &Response| assessment.questions().any(|q| q.id.as_str() == id && grade(q, r).is_ok());
    assert!(
        attempts.iter().all(|a| a.responses.iter().all(|(id, r)| fits(id, r))),
        "responses that fit no question are dropped"
    );
    assert!(attempts.iter().all(|a| a.responses.len() < wrong.len()));
    assert_eq!(imported.answers[question.id.as_str()].grade, wrong_grade, "the grade comes from the course");
    assert!(imported.answers[question.id.as_str()].at <= now);
    assert!(imported.lessons.values().all(|l| l.visited_at <= now && l.completed_at.is_some_and(|c| c <= now)));
    assert_eq!(imported.completed_at, Some(now), "every lesson is done: completed, on the date it was checked");
    assert_eq!(imported.passed_at, None, "no attestation without a passed attempt");
    assert!(!imported.summary(&course).passed);
}

#[test]
fn the_learner_is_kept_across_loads() {
    let store = MemoryStore::default();
    let learner = load_learner(&store, || "id-1".into());
    save_learner(&store, &Learner { name: Some("Camille".into()), ..learner }).unwrap();
    let again = load_learner(&store, || unreachable!());
    assert_eq!(again, Learner { id: "id-1".into(), name: Some("Camille".into()), email: None });
    store.set(LEARNER_KEY, "garbage").unwrap();
    assert_eq!(load_learner(&store, || "id-2".into()).id, "id-2");
}

fn course_with_video() -> Course {
    let manifest = MANIFEST.replace("version = \"1\"", "version = \"1\"\nmedia-completion-threshold = 0.8");
    let files = MemoryFiles::default()
        .with("course.toml", &manifest)
        .with("a.md", "# A\n\n```video\nsrc = \"v.webm\"\ntitle = \"V\"\ncaptions = { fr = \"v.vtt\" }\ntranscript = \"v.md\"\n```\n")
        .with("v.webm", "")
        .with("v.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nUn.\n")
        .with("v.md", "Texte.\n")
        .with("b.md", "# B\n\nTexte.\n")
        .with("c.md", "# C\n\nFin.\n")
        .with("final.gift", "::F1:: Oui ? {T}\n");
    crate::course::test_course("p", &files)
}

#[test]
fn a_lesson_with_a_video_is_completed_once_its_end_is_reached_and_the_video_watched() {
    use media::{MediaSession, MediaSignal as S};
    let course = course_with_video();
    assert_eq!(course.media_completion_threshold, 0.8);
    let video = crate::course::MediaId::parse("v").unwrap();
    let mut p = CourseProgress::new(&course, registration(), 1.0);
    p.complete_lesson(&course, &id("a"), 2.0);
    assert!(!p.lesson_completed(&id("a")), "the video is not watched yet");
    let mut session = MediaSession::default();
    for signal in [S::Length(100.0), S::Play(0.0), S::Time(50.0), S::Pause(50.0)] {
        p.record_media(&course, &id("a"), &video, &mut session, signal, 3.0);
    }
    assert!(!p.lesson_completed(&id("a")), "half of it");
    assert_eq!(p.media_progress(&id("a"), &video).unwrap().position, 50.0);
    let events: Vec<_> = [S::Play(50.0), S::Time(80.0)]
        .into_iter()
        .flat_map(|signal| p.record_media(&course, &id("a"), &video, &mut session, signal, 4.0))
        .collect();
    assert!(events.contains(&media::MediaEvent::Completed { time: 80.0 }), "{events:?}");
    assert!(p.lesson_completed(&id("a")), "80 % is the course's threshold");

    // Another learner reads the transcript instead: the lesson completes too.
    let mut q = CourseProgress::new(&course, registration(), 1.0);
    q.complete_lesson(&course, &id("a"), 2.0);
    q.read_transcript(&course, &id("a"), &video, 3.0);
    assert!(q.lesson_completed(&id("a")));

    // Kept through the SCORM compact form, the export, and a merge.
    let compact = compact::decode(&compact::encode(&p, &course, 4096).unwrap(), &course, PassMarks::COURSE).unwrap();
    let kept = compact.media_progress(&id("a"), &video).unwrap();
    assert_eq!((kept.position, kept.completed_at.is_some()), (80.0, true));
    assert!(compact.lesson_completed(&id("a")));
    let imported = import_progress(&export_progress(&p), &course, 10.0, PassMarks::COURSE).unwrap();
    assert!(imported.media_progress(&id("a"), &video).unwrap().completed_at.is_some(), "earned by its played parts");
    let mut forged = q.clone();
    forged.media.get_mut("a/v").unwrap().completed_at = Some(1.0);
    forged.media.get_mut("a/v").unwrap().transcript_read = false;
    let imported = import_progress(&export_progress(&forged), &course, 10.0, PassMarks::COURSE).unwrap();
    assert!(
        imported.media_progress(&id("a"), &video).unwrap().completed_at.is_none(),
        "a date in a file earns nothing"
    );
    q.merge(&p);
    assert_eq!(q.media_progress(&id("a"), &video).unwrap().played.progress(100.0), 0.8);
}

#[test]
fn a_satisfaction_answer_is_checked_trimmed_and_replaced_by_the_next_one() {
    let course = course();
    let mut progress = CourseProgress::new(&course, registration(), 1_000.0);
    assert_eq!(progress.record_satisfaction(&course, 0, "", 2_000.0), Err(SatisfactionError::RatingOutOfRange));
    assert_eq!(progress.record_satisfaction(&course, 6, "", 2_000.0), Err(SatisfactionError::RatingOutOfRange));
    let long = "é".repeat(1001);
    assert_eq!(progress.record_satisfaction(&course, 4, &long, 2_000.0), Err(SatisfactionError::CommentTooLong(1000)));
    assert_eq!(progress.satisfaction, None, "nothing is recorded from a refused answer");

    progress.record_satisfaction(&course, 2, "  Trop long  ", 3_000.0).unwrap();
    assert_eq!(
        progress.satisfaction,
        Some(SatisfactionAnswer { rating: 2, comment: Some("Trop long".into()), at: 3_000.0 })
    );
    progress.record_satisfaction(&course, 4, "   ", 4_000.0).unwrap();
    assert_eq!(progress.satisfaction, Some(SatisfactionAnswer { rating: 4, comment: None, at: 4_000.0 }));
    assert_eq!(progress.updated_at, 4_000.0, "a new answer is a change the newest copy carries");
}

#[test]
fn a_course_may_turn_the_survey_off_or_ask_for_no_comment() {
    let off = course_with(&format!("{MANIFEST}\n[satisfaction]\nenabled = false\n"), None);
    let mut progress = CourseProgress::new(&off, registration(), 1_000.0);
    assert_eq!(progress.record_satisfaction(&off, 5, "", 2_000.0), Err(SatisfactionError::Disabled));
    let no_comment = course_with(&format!("{MANIFEST}\n[satisfaction]\ncomment-max-length = 0\n"), None);
    let mut progress = CourseProgress::new(&no_comment, registration(), 1_000.0);
    assert_eq!(progress.record_satisfaction(&no_comment, 5, "x", 2_000.0), Err(SatisfactionError::CommentTooLong(0)));
    progress.record_satisfaction(&no_comment, 5, "", 2_000.0).unwrap();
}

#[test]
fn the_compact_form_keeps_the_rating_but_not_the_comment() {
    let course = course();
    let mut progress = CourseProgress::new(&course, registration(), 1_000_000.0);
    progress.record_satisfaction(&course, 3, "Correct", 1_060_000.0).unwrap();
    let encoded = crate::progress::compact::encode(&progress, &course, 4096).unwrap();
    let back = crate::progress::compact::decode(&encoded, &course, PassMarks::COURSE).unwrap();
    assert_eq!(back.satisfaction, Some(SatisfactionAnswer { rating: 3, comment: None, at: 1_060_000.0 }));
}

/// The export is indented by hand (see `indent_json`): exactly as serde_json's pretty writer
/// would, strings with braces, commas, colons, quotes and backslashes included.
#[test]
fn the_exported_file_reads_as_serde_json_pretty_prints_it() {
    let course = course();
    let mut progress = CourseProgress::new(&course, registration(), 1.0);
    progress.complete_lesson(&course, &id("a"), 2.0);
    let file = export_progress(&progress);
    let pretty = serde_json::to_string_pretty(&progress).unwrap().replace('\n', "\n  ");
    assert_eq!(file, format!("{{\n  \"format\": \"parcours-progress\",\n  \"progress\": {pretty}\n}}"));
    let tricky = serde_json::json!({
        "a": "{[,:]} \" \\ \\\" é\n",
        "empty": {"o": {}, "l": [], "s": ""},
        "nested": [[1, [2]], {"k": [true, null, -1.5e-7]}]
    });
    let compact = serde_json::to_string(&tricky).unwrap();
    assert_eq!(super::store::indent_json(&compact), serde_json::to_string_pretty(&tricky).unwrap());
}
