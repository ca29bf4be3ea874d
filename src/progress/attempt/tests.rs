use super::*;
use crate::course::{test_course, MemoryFiles};

fn course(timeout: Option<u32>) -> Course {
    let timeout = timeout.map_or(String::new(), |m| format!("attempt-timeout = {m}\n"));
    let manifest = format!(
        "id = \"https://example.org/courses/c\"\ntitle = \"C\"\nlanguage = \"fr\"\n\n[[modules]]\ntitle = \"Un\"\n\
         lessons = [\"a.md\"]\n\n[[assessments]]\ntitle = \"Final\"\nfile = \"final.gift\"\npass-mark = 0.5\n\
         shuffle = true\n{timeout}"
    );
    let files = MemoryFiles::default()
        .with("course.toml", &manifest)
        .with("a.md", "# A\n\nTexte.\n")
        .with("final.gift", "::F1:: Oui ? {T}\n\n::F2:: Deux ? {#2}\n\n::F3:: Lequel ? {=a ~b ~c}\n");
    test_course("c", &files)
}

fn final_id() -> AssessmentId {
    AssessmentId::parse("final").unwrap()
}

/// An attempt started at 1,000 with F3's choices shown as c, a, b, and two answers given.
fn under_way(course: &Course) -> CourseProgress {
    let mut progress = CourseProgress::new(course, "r".into(), 500.0);
    progress.start_attempt(course, &final_id(), [("f3".to_owned(), vec![2, 0, 1])].into(), 1_000.0);
    progress.answer_in_attempt(&final_id(), "f1", Some(Response::TrueFalse(true)), 2_000.0);
    progress.answer_in_attempt(&final_id(), "f3", Some(Response::Choices(vec![0])), 3_000.0);
    progress.move_in_attempt(&final_id(), 2, 3_000.0);
    progress
}

#[test]
fn an_attempt_under_way_keeps_its_order_answers_and_place() {
    let course = course(None);
    let progress = under_way(&course);
    let attempt = progress.attempt_under_way(&final_id()).unwrap();
    assert_eq!(attempt.questions, ["f1", "f2", "f3"]);
    assert_eq!(attempt.choice_orders["f3"], [2, 0, 1]);
    assert_eq!(attempt.step(), (3, 3), "question 3 of 3");
    assert_eq!(attempt.responses_in_order(), [Some(Response::TrueFalse(true)), None, Some(Response::Choices(vec![0]))]);
    assert!(progress.attempts.is_empty(), "no attempt counted while under way");

    // The stored form, read back: the same attempt.
    let stored = serde_json::to_string(&progress).unwrap();
    let back: CourseProgress = serde_json::from_str(&stored).unwrap();
    assert_eq!(back, progress);
}

#[test]
fn finishing_scores_the_answers_given_and_ends_the_attempt_under_way() {
    let course = course(None);
    let mut progress = under_way(&course);
    let record = progress.finish_attempt(&course, &final_id(), 0.5, 9_000.0).unwrap();
    assert_eq!((record.score.raw, record.score.max), (2.0, 3.0), "F1 and F3 right, F2 unanswered");
    assert!(record.score.passed && record.started_at == 1_000.0 && record.finished_at == 9_000.0);
    assert_eq!(progress.attempts["final"], [record]);
    assert!(progress.attempt_under_way(&final_id()).is_none());
    assert_eq!(progress.finish_attempt(&course, &final_id(), 0.5, 9_500.0), None, "finished once");
}

#[test]
fn an_attempt_left_longer_than_the_timeout_is_closed_as_it_stands() {
    let course = course(Some(1));
    let mut progress = under_way(&course);
    assert!(progress.close_timed_out_attempts(&course, PassMarks::COURSE, 3_000.0 + 60_000.0).is_empty());
    let closed = progress.close_timed_out_attempts(&course, PassMarks::COURSE, 3_000.0 + 60_001.0);
    assert_eq!(closed, [final_id()]);
    assert_eq!(progress.attempts["final"][0].score.raw, 2.0);
    assert!(progress.attempts_under_way.is_empty());

    let mut without_timeout = under_way(&self::course(None));
    assert!(without_timeout.close_timed_out_attempts(&self::course(None), PassMarks::COURSE, 1e15).is_empty());
}

#[test]
fn between_two_copies_the_later_answer_wins_and_a_finished_attempt_is_no_longer_under_way() {
    let course = course(None);
    let mut here = under_way(&course);
    let mut there = here.clone();
    there.answer_in_attempt(&final_id(), "f2", Some(Response::Number("2".into())), 4_000.0);
    here.merge(&there);
    assert_eq!(here.attempt_under_way(&final_id()).unwrap().responses["f2"], Response::Number("2".into()));

    let mut older = under_way(&course);
    older.answer_in_attempt(&final_id(), "f2", Some(Response::Number("7".into())), 3_500.0);
    here.merge(&older);
    assert_eq!(here.attempt_under_way(&final_id()).unwrap().responses["f2"], Response::Number("2".into()));

    there.finish_attempt(&course, &final_id(), 0.5, 5_000.0);
    here.merge(&there);
    assert!(here.attempts_under_way.is_empty(), "finished in the other tab");
    assert_eq!(here.attempts["final"].len(), 1);
}

#[test]
fn an_edited_course_or_a_forged_copy_leaves_only_what_fits() {
    let course = course(None);
    let mut forged = under_way(&course);
    {
        let attempt = forged.attempts_under_way.get_mut("final").unwrap();
        attempt.questions = vec!["f3".into(), "gone".into(), "f3".into()];
        attempt.choice_orders.insert("f3".into(), vec![0, 0, 1]);
        attempt.choice_orders.insert("f1".into(), vec![1, 0]);
        attempt.responses.insert("f2".into(), Response::Choices(vec![1]));
        attempt.responses.insert("gone".into(), Response::TrueFalse(true));
        attempt.position = 99;
        attempt.updated_at = 1e20;
    }
    forged.regrade_untrusted(&course, 10_000.0, PassMarks::COURSE);
    let attempt = forged.attempt_under_way(&final_id()).unwrap();
    assert_eq!(attempt.questions, ["f3", "f1", "f2"], "known questions kept in their order, the others added");
    assert!(attempt.choice_orders.is_empty(), "orders that are no order of the choices are forgotten");
    assert_eq!(attempt.responses.keys().collect::<Vec<_>>(), ["f1", "f3"], "answers that fit their question");
    assert_eq!((attempt.position, attempt.updated_at), (2, 10_000.0));
    assert!(forged.attempts.is_empty(), "nothing was counted");
}

#[test]
fn progress_stored_before_attempts_under_way_were_kept_reads_with_none() {
    let course = course(None);
    let before = serde_json::json!({
        "version": 1, "course_id": "https://example.org/courses/c", "content_version": "1",
        "registration": "r", "started_at": 1.0, "updated_at": 2.0, "position": {"kind": "assessment", "id": "final"},
        "completed_at": null, "passed_at": null,
        "attempts": {"final": [{"score": {"raw": 1.0, "max": 3.0, "scaled": 0.34, "passed": false},
            "responses": {"f1": {"type": "true-false", "value": true}}, "started_at": 1.0, "finished_at": 2.0}]}
    });
    use crate::progress::store::{load_progress, progress_key, KeyValueStore, MemoryStore};
    let store = MemoryStore::default();
    store.set(&progress_key(course.id.as_str()), &before.to_string()).unwrap();
    let loaded = load_progress(&store, &course, || "other".into(), 3.0);
    assert_eq!(loaded.notice, None, "read as it is, not set aside");
    let loaded = loaded.progress;
    assert!(loaded.attempts_under_way.is_empty());
    assert_eq!(loaded.attempts["final"][0].score.pass_mark, None, "scored before marks were kept");
}

#[test]
fn an_imported_file_carries_the_attempt_under_way_under_the_same_rules() {
    use crate::progress::store::{export_progress, import_progress};
    let course = course(None);
    let exported = under_way(&course);
    let file = export_progress(&exported);
    let imported = import_progress(&file, &course, 10_000.0, PassMarks::COURSE).unwrap();
    assert_eq!(imported.attempt_under_way(&final_id()), exported.attempt_under_way(&final_id()));

    // Taken into this browser's progress: resumed where it was, nothing counted.
    let mut here = CourseProgress::new(&course, "r".into(), 500.0);
    here.merge(&imported);
    assert_eq!(here.attempt_under_way(&final_id()), exported.attempt_under_way(&final_id()));
    assert!(here.attempts.is_empty());

    // A hand-edited file: what does not fit the assessment is dropped, dates are brought back.
    let mut forged = under_way(&course);
    {
        let attempt = forged.attempts_under_way.get_mut("final").unwrap();
        attempt.responses.insert("f2".into(), Response::TrueFalse(true));
        attempt.choice_orders.insert("f3".into(), vec![5, 5, 5]);
        attempt.updated_at = 1e30;
    }
    let imported = import_progress(&export_progress(&forged), &course, 10_000.0, PassMarks::COURSE).unwrap();
    let attempt = imported.attempt_under_way(&final_id()).unwrap();
    assert_eq!(attempt.responses.keys().collect::<Vec<_>>(), ["f1", "f3"], "a true/false answer to a number question");
    assert!(attempt.choice_orders.is_empty(), "an order that is no order of the choices");
    assert_eq!(attempt.updated_at, 10_000.0, "no date after the import");

    // An attempt this browser already finished stays finished.
    let mut finished_here = under_way(&course);
    finished_here.finish_attempt(&course, &final_id(), 0.5, 4_000.0);
    finished_here.merge(&import_progress(&file, &course, 10_000.0, PassMarks::COURSE).unwrap());
    assert!(finished_here.attempt_under_way(&final_id()).is_none());
    assert_eq!(finished_here.attempts["final"].len(), 1);
}
