//! Which statements a change of progress calls for.
//!
//! Every learning event already goes through the progress state machine, so the statements are
//! derived from the difference between progress before and after a change: a lesson opened for
//! the first time is `experienced`, a checked question `answered`, a finished attempt gives one
//! `answered` per question then `passed` or `failed`, a module finished gives `progressed`, the
//! last lesson `completed`. Deriving them this way keeps two tabs honest: a tab first takes in
//! what the other saved, so only the tab that made a change reports it.

use super::statement::{Session, Stamp, Statement};
use crate::progress::CourseProgress;
use crate::quiz::grade;

/// The statements for the change from `before` to `after`, oldest first. `new_id` gives each a
/// fresh UUID; timestamps are the times the progress records.
pub fn statements_for_change(
    session: &Session,
    before: &CourseProgress,
    after: &CourseProgress,
    mut new_id: impl FnMut() -> String,
) -> Vec<Statement> {
    let course = session.course;
    let mut stamp = |at_ms: f64| Stamp { id: new_id(), at_ms };
    let mut statements = Vec::new();

    for lesson in course.lessons() {
        let id = lesson.id.as_str();
        if let (None, Some(visit)) = (before.lessons.get(id), after.lessons.get(id)) {
            statements.push(session.experienced(stamp(visit.visited_at), lesson));
        }
        for question in lesson.questions() {
            let qid = question.id.as_str();
            let Some(record) = after.answers.get(qid) else { continue };
            if before.answers.get(qid).is_some_and(|old| old.at >= record.at) {
                continue;
            }
            let parent = session.lesson_activity(lesson);
            statements.push(session.answered(stamp(record.at), question, parent, &record.response, &record.grade));
        }
    }

    for assessment in &course.assessments {
        let id = assessment.id.as_str();
        let old = before.attempts.get(id).map(Vec::as_slice).unwrap_or_default();
        let mut passed_already = old.iter().any(|a| a.score.passed);
        let new_attempts = after.attempts.get(id).into_iter().flatten().filter(|attempt| {
            !old.iter().any(|a| a.started_at == attempt.started_at && a.finished_at == attempt.finished_at)
        });
        for attempt in new_attempts {
            for question in assessment.questions() {
                let Some(response) = attempt.responses.get(question.id.as_str()) else { continue };
                let Ok(grade) = grade(question, response) else { continue };
                let parent = session.assessment_activity(assessment);
                statements.push(session.answered(stamp(attempt.finished_at), question, parent, response, &grade));
            }
            // cmi5 §9.3: at most one `passed`, and no `failed` once passed.
            if passed_already {
                continue;
            }
            passed_already = attempt.score.passed;
            let duration = (attempt.finished_at - attempt.started_at).max(0.0) as u64;
            statements.push(session.assessed(stamp(attempt.finished_at), assessment, &attempt.score, duration));
        }
    }

    let (old, new) = (before.summary(course), after.summary(course));
    let module_finished = old.modules.iter().zip(&new.modules).any(|(o, n)| o.0 < o.1 && n.0 == n.1);
    if module_finished && new.lessons_total > 0 {
        let percent = (new.lessons_completed * 100 / new.lessons_total) as u8;
        statements.push(session.progressed(stamp(after.updated_at), percent));
    }
    if let (None, Some(at)) = (before.completed_at, after.completed_at) {
        statements.push(session.completed(stamp(at), after.active_ms));
    }
    // A new or changed satisfaction answer (the LRS keeps each; the report reads the latest).
    if let Some(answer) =
        after.satisfaction.as_ref().filter(|a| before.satisfaction.as_ref().is_none_or(|b| b.at < a.at))
    {
        statements.push(session.rated(stamp(answer.at), answer.rating, answer.comment.as_deref()));
    }

    // Timestamps never go backwards in the queue (a stable sort keeps the order of equal times).
    crate::small_sort::sort_by(&mut statements, |a, b| a.timestamp < b.timestamp);
    statements
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::{AssessmentId, Course, LessonId, MemoryFiles, QuestionId};
    use crate::progress::AttemptRecord;
    use crate::quiz::{score_attempt, Response};
    use crate::xapi::statement::Agent;

    fn course() -> Course {
        let files = MemoryFiles::default()
            .with(
                "course.toml",
                "id = \"https://example.org/courses/t\"\ntitle = \"T\"\nlanguage = \"fr\"\n\n[[modules]]\nid = \"m1\"\ntitle = \"Un\"\nlessons = [\"a.md\", \"b.md\"]\n\n[[modules]]\nid = \"m2\"\ntitle = \"Deux\"\nlessons = [\"c.md\"]\n\n[[assessments]]\ntitle = \"Final\"\nfile = \"final.gift\"\npass-mark = 0.5\n",
            )
            .with("a.md", "# A\n\n```gift\n::Q1:: Vrai ? {T}\n```\n")
            .with("b.md", "# B\n")
            .with("c.md", "# C\n")
            .with("final.gift", "::F1:: Oui ? {T}\n\n::F2:: Deux ? {#2}\n");
        crate::course::test_course("t", &files)
    }

    fn verbs(statements: &[Statement]) -> Vec<&str> {
        statements.iter().map(|s| s.verb.id.rsplit('/').next().unwrap()).collect()
    }

    struct Run {
        course: Course,
        progress: CourseProgress,
        statements: Vec<Statement>,
        next_id: u32,
    }

    impl Run {
        fn new() -> Run {
            let course = course();
            let progress = CourseProgress::new(&course, "reg".into(), 1_000.0);
            Run { course, progress, statements: Vec::new(), next_id: 0 }
        }

        fn change(&mut self, change: impl FnOnce(&mut CourseProgress, &Course)) -> Vec<Statement> {
            let before = self.progress.clone();
            change(&mut self.progress, &self.course);
            let session = Session {
                course: &self.course,
                actor: Agent::account("https://example.org", "l", None),
                registration: self.progress.registration.clone(),
            };
            let next_id = &mut self.next_id;
            let made = statements_for_change(&session, &before, &self.progress, || {
                *next_id += 1;
                format!("00000000-0000-4000-8000-{:012}", *next_id)
            });
            self.statements.extend(made.clone());
            made
        }
    }

    fn lesson(id: &str) -> LessonId {
        LessonId::parse(id).unwrap()
    }

    #[test]
    fn a_first_visit_is_experienced_once() {
        let mut run = Run::new();
        let made = run.change(|p, c| p.visit_lesson(c, &lesson("a"), 2_000.0));
        assert_eq!(verbs(&made), ["experienced"]);
        assert_eq!(made[0].object.id, "https://example.org/courses/t/lessons/a");
        assert_eq!(made[0].context.context_activities.parent[0].id, "https://example.org/courses/t/modules/m1");
        assert!(run.change(|p, c| p.visit_lesson(c, &lesson("a"), 3_000.0)).is_empty(), "a second visit");
        assert!(run.change(|p, _| p.add_active_time(15_000, 4_000.0)).is_empty(), "time alone is no event");
    }

    #[test]
    fn each_check_is_answered_and_a_finished_module_progresses() {
        let mut run = Run::new();
        run.change(|p, c| p.visit_lesson(c, &lesson("a"), 2_000.0));
        let question = run.course.lessons().next().unwrap().questions().next().unwrap().clone();
        let response = Response::TrueFalse(true);
        let graded = grade(&question, &response).unwrap();
        let made = run.change(|p, c| {
            p.record_answer(c, &QuestionId::parse("q1").unwrap(), response.clone(), graded.clone(), 3_000.0)
        });
        assert_eq!(verbs(&made), ["answered"], "a's only question checked: lesson a completed, module not yet");
        assert_eq!(made[0].result.as_ref().unwrap().response.as_deref(), Some("true"));
        let again = run.change(|p, c| {
            p.record_answer(c, &QuestionId::parse("q1").unwrap(), response.clone(), graded.clone(), 4_000.0)
        });
        assert_eq!(verbs(&again), ["answered"], "checking again is a new answer");
        let made = run.change(|p, c| p.complete_lesson(c, &lesson("b"), 5_000.0));
        assert_eq!(verbs(&made), ["experienced", "progressed"]);
        let progress = made[1].result.as_ref().unwrap().extensions.as_ref().unwrap();
        assert_eq!(progress[crate::xapi::statement::PROGRESS_EXTENSION], 66);
    }

    #[test]
    fn the_last_lesson_completes_the_course_once() {
        let mut run = Run::new();
        run.change(|p, c| {
            p.complete_lesson(c, &lesson("a"), 2_000.0);
            p.complete_lesson(c, &lesson("b"), 2_000.0);
        });
        run.change(|p, _| p.add_active_time(60_000, 2_500.0));
        let made = run.change(|p, c| p.complete_lesson(c, &lesson("c"), 3_000.0));
        assert_eq!(verbs(&made), ["experienced", "progressed", "completed"]);
        let completed = made[2].result.as_ref().unwrap();
        assert_eq!((completed.completion, completed.duration.as_deref()), (Some(true), Some("PT1M0S")));
        assert!(run.change(|p, c| p.complete_lesson(c, &lesson("c"), 4_000.0)).is_empty());
        assert_eq!(verbs(&run.statements).iter().filter(|v| **v == "completed").count(), 1);
    }

    fn attempt(course: &Course, responses: [Response; 2], at: f64) -> AttemptRecord {
        let questions: Vec<_> = course.assessments[0].questions().cloned().collect();
        let score = score_attempt(&questions, &responses.clone().map(Some), 0.5);
        let responses = questions.iter().map(|q| q.id.to_string()).zip(responses).collect();
        AttemptRecord { score, responses, started_at: at - 30_000.0, finished_at: at }
    }

    #[test]
    fn attempts_answer_each_question_then_pass_or_fail_with_no_failed_after_passed() {
        let mut run = Run::new();
        let failing = attempt(&run.course, [Response::TrueFalse(false), Response::Number("3".into())], 100_000.0);
        let made = run.change(|p, c| p.record_attempt(c, &AssessmentId::parse("final").unwrap(), failing));
        assert_eq!(verbs(&made), ["answered", "answered", "failed"]);
        assert_eq!(made[0].context.context_activities.parent[0].id, "https://example.org/courses/t/assessments/final");
        let failed = made[2].result.as_ref().unwrap();
        assert_eq!((failed.success, failed.duration.as_deref()), (Some(false), Some("PT30S")));

        let passing = attempt(&run.course, [Response::TrueFalse(true), Response::Number("2".into())], 200_000.0);
        assert_eq!(
            verbs(&run.change(|p, c| p.record_attempt(c, &AssessmentId::parse("final").unwrap(), passing))),
            ["answered", "answered", "passed"]
        );
        let after_pass = attempt(&run.course, [Response::TrueFalse(false), Response::Number("1".into())], 300_000.0);
        assert_eq!(
            verbs(&run.change(|p, c| p.record_attempt(c, &AssessmentId::parse("final").unwrap(), after_pass))),
            ["answered", "answered"],
            "cmi5: no failed after passed"
        );
    }

    #[test]
    fn a_satisfaction_answer_is_rated_once_and_again_when_changed() {
        let mut run = Run::new();
        let first = run.change(|p, c| p.record_satisfaction(c, 4, "Clair", 5_000.0).unwrap());
        assert_eq!(verbs(&first), ["rated"]);
        let result = first[0].result.as_ref().unwrap();
        assert_eq!((result.score.as_ref().unwrap().raw, result.response.as_deref()), (4.0, Some("Clair")));
        assert!(run
            .change(|p, c| p.visit_lesson(c, &LessonId::parse("b").unwrap(), 6_000.0))
            .iter()
            .all(|s| s.verb.kind() != Some(crate::xapi::statement::VerbKind::Rated)));
        let changed = run.change(|p, c| p.record_satisfaction(c, 5, "", 7_000.0).unwrap());
        assert_eq!(verbs(&changed), ["rated"]);
        assert_eq!(changed[0].result.as_ref().unwrap().response, None);
    }

    #[test]
    fn what_another_tab_did_is_not_reported_twice() {
        let mut run = Run::new();
        run.change(|p, c| p.visit_lesson(c, &lesson("a"), 2_000.0));
        let mut other_tab = run.progress.clone();
        other_tab.visit_lesson(&run.course, &lesson("b"), 3_000.0);
        // The player takes in the other tab's save before each change, so the other tab's first
        // visit of b is already in `before`: this tab's visit of b is not a first one.
        run.progress.merge(&other_tab);
        let made = run.change(|p, c| p.visit_lesson(c, &lesson("b"), 4_000.0));
        assert!(made.is_empty(), "{:?}", verbs(&made));
    }
}
