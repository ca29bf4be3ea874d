//! Benchmark (`cargo bench --bench progress`, run by `make bench`): the stored size of a
//! completed one-hour course's progress, and the time to save one change (read the stored copy,
//! merge, change, write) with the core's store. Prints figures; asserts nothing about time.

use parcours::course::{check_course, AssessmentId, CourseSlug, LessonId, MemoryFiles, Urls};
use parcours::progress::store::{load_progress, update_progress, KeyValueStore, MemoryStore};
use parcours::progress::AttemptRecord;
use parcours::quiz::{grade, score_attempt, Response};
use std::hint::black_box;
use std::time::{Duration, Instant};

const MODULES: usize = 6;
const LESSONS_PER_MODULE: usize = 3;
const QUESTIONS_PER_LESSON: usize = 3;
const ASSESSMENT_QUESTIONS: usize = 20;
const RUNS: usize = 201;

/// A one-hour course shaped like the flagship module: 6 modules of 3 lessons, 3 practice
/// questions a lesson, and a final assessment of 20 questions.
fn one_hour_course() -> parcours::course::Course {
    let mut manifest = String::from(
        "id = \"https://parcours.example.org/courses/une-heure\"\ntitle = \"Une heure\"\nlanguage = \"fr\"\nduration-minutes = 60\n",
    );
    let mut files = MemoryFiles::default();
    for m in 0..MODULES {
        let lessons: Vec<String> = (0..LESSONS_PER_MODULE).map(|l| format!("\"m{m}-l{l}.md\"")).collect();
        manifest.push_str(&format!("\n[[modules]]\ntitle = \"Module {m}\"\nlessons = [{}]\n", lessons.join(", ")));
        for l in 0..LESSONS_PER_MODULE {
            let questions: Vec<String> = (0..QUESTIONS_PER_LESSON)
                .map(|q| format!("::M{m} L{l} Q{q}:: Question ? {{=oui ~non ~peut-être}}"))
                .collect();
            let text = format!(
                "# Leçon {m}.{l}\n\n{}\n\n```gift\n{}\n```\n",
                "Du texte. ".repeat(300),
                questions.join("\n\n")
            );
            files = files.with(&format!("m{m}-l{l}.md"), &text);
        }
    }
    manifest.push_str("\n[[assessments]]\ntitle = \"Évaluation\"\nfile = \"final.gift\"\nattempts = 3\n");
    let final_questions: Vec<String> =
        (0..ASSESSMENT_QUESTIONS).map(|q| format!("::Final {q}:: Question finale ? {{=juste ~faux ~autre}}")).collect();
    files = files.with("final.gift", &final_questions.join("\n\n")).with("course.toml", &manifest);
    let slug = CourseSlug::parse("une-heure").unwrap();
    let check = check_course(&slug, &files, &Urls::player(&slug));
    assert!(check.passes(), "{:?}", check.diagnostics);
    check.course.unwrap()
}

fn main() {
    let course = one_hour_course();
    let store = MemoryStore::default();
    let mut progress = load_progress(&store, &course, || "3f1c2a4e-9b7d-4c6a-8e2f-1a2b3c4d5e6f".into(), 1.0).progress;
    let mut now = 1_795_000_000_000.0;
    let lessons: Vec<LessonId> = course.lessons().map(|l| l.id.clone()).collect();
    for lesson in &lessons {
        now += 60_000.0;
        update_progress(&store, &course, &mut progress, |p| {
            p.visit_lesson(&course, lesson, now);
            p.complete_lesson(&course, lesson, now + 30_000.0);
        })
        .unwrap();
    }
    for question in course.lessons().flat_map(|l| l.questions()) {
        let response = Response::Choices(vec![0]);
        let graded = grade(question, &response).unwrap();
        update_progress(&store, &course, &mut progress, |p| {
            p.record_answer(&course, &question.id, response, graded, now)
        })
        .unwrap();
    }
    let questions: Vec<_> = course.assessments[0].questions().cloned().collect();
    for attempt in 0..2 {
        let responses: Vec<Option<Response>> =
            questions.iter().map(|_| Some(Response::Choices(vec![attempt]))).collect();
        let score = score_attempt(&questions, &responses, course.assessments[0].pass_mark);
        let by_id = questions.iter().zip(&responses).map(|(q, r)| (q.id.to_string(), r.clone().unwrap())).collect();
        let record = AttemptRecord { score, responses: by_id, started_at: now, finished_at: now + 600_000.0 };
        update_progress(&store, &course, &mut progress, |p| {
            p.record_attempt(&course, &AssessmentId::parse("final").unwrap(), record)
        })
        .unwrap();
    }
    progress.add_active_time(3_600_000, now);
    assert!(progress.summary(&course).passed);
    let key = parcours::progress::store::progress_key(course.id.as_str());
    update_progress(&store, &course, &mut progress, |_| {}).unwrap();
    let stored = store.get(&key).unwrap().unwrap_or_default();

    let mut times = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        let start = Instant::now();
        update_progress(&store, &course, &mut progress, |p| p.add_active_time(15_000, now + run as f64)).unwrap();
        times.push(start.elapsed());
        black_box(&progress);
    }
    times.sort_unstable();
    let median: Duration = times[RUNS / 2];
    println!(
        "Progress of a completed one-hour course ({} lessons, {} practice questions, 2 attempts at {} questions): \
         {} bytes stored; one change saved (read, merge, change, write) in {:.3} ms (median of {RUNS})",
        lessons.len(),
        course.lessons().flat_map(|l| l.questions()).count(),
        ASSESSMENT_QUESTIONS,
        stored.len(),
        median.as_secs_f64() * 1000.0
    );
    let max = parcours::progress::compact::SUSPEND_DATA_MAX_CHARS;
    let compact = parcours::progress::compact::encode(&progress, &course, usize::MAX).unwrap_or_default();
    let verdict = if compact.chars().count() <= max { "fits, nothing left out" } else { "too long: details left out" };
    println!(
        "The same progress for an LMS (SCORM 1.2 cmi.suspend_data): {} characters in full (limit {max}: {verdict})",
        compact.chars().count()
    );
}
