//! Benchmark (`cargo bench --bench course`, run by `make bench`): checking and building a whole
//! course, as the player does when a course opens, for the flagship one-hour course and for a
//! generated 300-lesson course. Prints figures against the budget; asserts nothing about time.

use parcours::course::{check_course, CourseSlug, MemoryFiles, Urls};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 21;
/// Budget for a one-hour course (issue "Learner experience").
const BUDGET_MS: f64 = 5.0;

/// 300 lessons in 30 modules, each with prose, a table, a callout and two practice questions.
fn generated_course() -> MemoryFiles {
    let mut manifest = String::from(
        "id = \"https://example.org/courses/grand\"\ntitle = \"Grand parcours\"\nlanguage = \"fr\"\nduration-minutes = 900\n",
    );
    let mut files = MemoryFiles::default();
    for module in 0..30 {
        let lessons: Vec<String> = (0..10).map(|l| format!("\"m{module}/l{module}-{l}.md\"")).collect();
        manifest += &format!(
            "\n[[modules]]\nid = \"m{module}\"\ntitle = \"Module {module}\"\nlessons = [{}]\n",
            lessons.join(", ")
        );
        for lesson in 0..10 {
            let body = format!(
                "# Leçon {module}.{lesson}\n\nUn paragraphe avec du **gras**, un [lien](https://example.org) et du `code`.\n\n\
                 | a | b |\n|---|---|\n| 1 | 2 |\n\n> [!NOTE]\n> Un encadré.\n\n- un\n- deux\n\n\
                 ```gift\n::q{module}x{lesson}a:: Vrai ? {{T}}\n\n::q{module}x{lesson}b:: Lequel ? {{=a ~b ~c}}\n```\n"
            );
            files.insert(format!("m{module}/l{module}-{lesson}.md"), Ok(body.into_bytes()));
        }
    }
    files.insert("course.toml", Ok(manifest.into_bytes()));
    files
}

fn median_ms(slug: &str, files: &MemoryFiles) -> (f64, usize) {
    let slug = CourseSlug::parse(slug).unwrap();
    let urls = Urls::player(&slug);
    let mut times = Vec::with_capacity(RUNS);
    let mut lessons = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let check = black_box(check_course(&slug, files, &urls));
        times.push(started.elapsed());
        let course = check.course.unwrap_or_else(|| {
            panic!("the course is invalid: {:?}", &check.diagnostics[..3.min(check.diagnostics.len())])
        });
        lessons = course.lessons().count();
    }
    times.sort();
    let median: Duration = times[RUNS / 2];
    (median.as_secs_f64() * 1000.0, lessons)
}

fn main() {
    let flagship = Path::new(env!("CARGO_MANIFEST_DIR")).join("courses/ia-generatives");
    let (ms, lessons) = median_ms("ia-generatives", &MemoryFiles::read_dir(&flagship).expect("readable course folder"));
    let verdict = if ms <= BUDGET_MS { "within" } else { "OVER" };
    println!("course check+build, flagship ({lessons} lessons): {ms:.2} ms median of {RUNS} (native; budget {BUDGET_MS} ms: {verdict})");
    let (ms, lessons) = median_ms("grand", &generated_course());
    println!("course check+build, generated ({lessons} lessons, 600 questions): {ms:.2} ms median of {RUNS} (native)");
}
