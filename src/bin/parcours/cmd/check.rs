//! `parcours check <dir>…`: every problem of each course, with file:line:col, a snippet and a
//! hint; `--json` prints the parsed courses (a stable interface for tools).

use crate::course_folder::check_folder;
use crate::diagnostics::report;
use parcours::course::Course;
use std::path::PathBuf;
use std::process::ExitCode;

/// The command's options, as the command line gives them (`parcours check --help`).
#[derive(clap::Args)]
pub struct Args {
    /// Course folders (each holds a course.toml).
    #[arg(required = true)]
    pub courses: Vec<PathBuf>,
    /// Print the parsed course as JSON on stdout (an array when several folders are given).
    #[arg(long)]
    pub json: bool,
}

/// Checks each folder. Fails when one of them has an error: the problems printed are the whole
/// answer, so nothing is added to them.
pub fn run(Args { courses: dirs, json }: &Args) -> ExitCode {
    let json = *json;
    let mut failed = 0;
    let mut courses: Vec<Course> = Vec::new();
    for dir in dirs {
        let result = match check_folder(dir) {
            Ok(result) => result,
            Err(message) => {
                eprintln!("error: {message}");
                failed += 1;
                continue;
            }
        };
        report(dir, &result.diagnostics);
        let errors = result.errors().count();
        let warnings = result.diagnostics.len() - errors;
        match result.course {
            Some(course) if errors == 0 => {
                let questions = course.lessons().flat_map(|l| l.questions()).count()
                    + course.assessments.iter().map(|a| a.questions().count()).sum::<usize>();
                eprintln!(
                    "{}: {} module(s), {} lesson(s), {} assessment(s), {} question(s), {} warning(s)",
                    dir.display(),
                    course.modules.len(),
                    course.lessons().count(),
                    course.assessments.len(),
                    questions,
                    warnings
                );
                courses.push(course);
            }
            _ => {
                eprintln!("{}: {errors} error(s), {warnings} warning(s)", dir.display());
                failed += 1;
            }
        }
    }
    if failed > 0 {
        return ExitCode::FAILURE;
    }
    if json {
        let text = if courses.len() == 1 {
            serde_json::to_string_pretty(&courses[0])
        } else {
            serde_json::to_string_pretty(&courses)
        };
        match text {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("error: cannot write JSON: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
