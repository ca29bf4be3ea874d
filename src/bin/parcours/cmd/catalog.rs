//! `parcours catalog <courses-dir> -o index.json`: the index of every course under a folder, as
//! the player's catalog lists them, and beside it each course compiled for the player
//! (`<slug>.json`, see `parcours::course::compiled`). The player's build runs it on the bundled
//! courses.

use crate::course_folder::check_folder;
use crate::diagnostics::report;
use parcours::course::catalog::{Catalog, CatalogEntry};
use parcours::course::compiled::{compiled_file_name, CompiledCourse};
use parcours::course::CourseCheck;
use std::path::{Path, PathBuf};

/// The command's options, as the command line gives them (`parcours catalog --help`).
#[derive(clap::Args)]
pub struct Args {
    /// The folder that holds one sub-folder per course.
    pub courses_dir: PathBuf,
    /// Where to write the index (standard output when absent).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// The course folders directly under `courses_dir` (those with a `course.toml`), hidden ones
/// left out as everywhere else, in name order.
fn course_folders(courses_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(courses_dir).map_err(|e| format!("cannot read `{}`: {e}", courses_dir.display()))?;
    let mut folders: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .map(|entry| entry.path())
        .filter(|path| path.join("course.toml").is_file())
        .collect();
    folders.sort();
    Ok(folders)
}

/// Writes the index (to standard output when `output` is `None`), and the compiled courses
/// beside the index when it is written to a file.
pub fn run(Args { courses_dir, output }: &Args) -> Result<(), String> {
    let output = output.as_deref();
    let mut catalog = Catalog::default();
    let compiled_dir = output.map(|path| path.parent().unwrap_or(Path::new(".")).to_path_buf());
    for folder in course_folders(courses_dir)? {
        let check = check_folder(&folder);
        if let (Some(dir), Ok(check)) = (&compiled_dir, &check) {
            // A course that cannot be built is compiled too, to its errors: the player shows them.
            let slug = crate::course_folder::course_slug(&folder)?;
            let path = dir.join(compiled_file_name(&slug));
            std::fs::write(&path, CompiledCourse::of(check).to_json())
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        }
        match check {
            // A course that could be read is listed even with errors inside a lesson: the player
            // shows them in place (the bundled authoring fixtures rely on it); `build` refuses it.
            Ok(CourseCheck { course: Some(course), diagnostics }) => {
                report(&folder, &diagnostics);
                catalog.courses.push(CatalogEntry::from(&course));
            }
            Ok(CourseCheck { diagnostics, .. }) => {
                report(&folder, &diagnostics);
                eprintln!("warning: `{}` has errors and is left out of the catalog", folder.display());
            }
            Err(message) => eprintln!("warning: `{}` left out of the catalog: {message}", folder.display()),
        }
    }
    let json = crate::site::catalog_json(&catalog)?;
    match output {
        None => println!("{json}"),
        Some(path) => {
            std::fs::write(path, json).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
            eprintln!("catalog: {} course(s) written to {}", catalog.courses.len(), path.display());
        }
    }
    Ok(())
}
