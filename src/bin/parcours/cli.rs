//! The CLI's commands (native only).

use annotate_snippets::{Level, Renderer, Snippet};
use clap::{Parser, Subcommand};
use parcours::course::catalog::{Catalog, CatalogEntry};
use parcours::course::{check_course, CourseCheck, CourseSlug, Diagnostic, LineIndex, Severity, Urls};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "parcours",
    version,
    about = "Parcours: check and publish e-learning courses written in Markdown and GIFT"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate course folders and report every problem with its place and a hint.
    Check {
        /// Course folders (each holds a course.toml).
        #[arg(required = true)]
        courses: Vec<PathBuf>,
        /// Print the parsed course as JSON on stdout (an array when several folders are given).
        #[arg(long)]
        json: bool,
    },
    /// Create a new course folder that passes `check`, to start from.
    New {
        /// The folder to create; its name becomes the course's address.
        dir: PathBuf,
        /// The course's title.
        #[arg(long)]
        title: Option<String>,
        /// The course's language: `fr` or `en`.
        #[arg(long, default_value = "fr")]
        language: String,
    },
    /// Serve a course in the player on 127.0.0.1, re-check it at every save and reload the page.
    Preview {
        /// The course folder.
        dir: PathBuf,
        /// The port (a free one when absent).
        #[arg(long)]
        port: Option<u16>,
        /// Open the course in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Write a static site (player, courses, catalog, config.json) that any web server can host.
    Build {
        /// Course folders.
        #[arg(required = true)]
        courses: Vec<PathBuf>,
        /// The site's folder (created; a previous Parcours site there is replaced).
        #[arg(short, long)]
        output: PathBuf,
        /// Show question ids and right answers, and send no learning record.
        #[arg(long)]
        author_mode: bool,
    },
    /// Write a zip to import in an LMS: the player and the course, with the standard's manifest.
    #[command(group(clap::ArgGroup::new("standard").required(true).args(["scorm12", "cmi5"])))]
    Package {
        /// The course folder.
        dir: PathBuf,
        /// A SCORM 1.2 package (imsmanifest.xml): Moodle and most LMSs import it.
        #[arg(long)]
        scorm12: bool,
        /// A cmi5 package (cmi5.xml): the LMS launches the course with an xAPI endpoint.
        #[arg(long)]
        cmi5: bool,
        /// The zip to write (`<course>-scorm12.zip` or `-cmi5.zip` in the current folder when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// cmi5: the LMS allowed to launch the package (`https://lms.example.gouv.fr`); repeat for
        /// several. Without it, a launch is accepted from any one https platform.
        #[arg(long = "lms-origin", value_name = "ORIGIN")]
        lms_origins: Vec<String>,
    },
    /// Write the Content-Security-Policy into a player page (the player's build runs it).
    #[command(hide = true)]
    Csp {
        /// The `index.html` to rewrite in place.
        page: PathBuf,
    },
    /// Write the catalog index of every course under a folder.
    Catalog {
        /// The folder that holds one sub-folder per course.
        courses_dir: PathBuf,
        /// Where to write the index (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check { courses, json } => check(&courses, json),
        Command::Catalog { courses_dir, output } => catalog(&courses_dir, output.as_deref()),
        Command::New { dir, title, language } => match crate::scaffold::new_course(&dir, title.as_deref(), &language) {
            Ok(()) => {
                eprintln!(
                    "created {}: check it with `parcours check {0}`, preview it with `parcours preview {0}`",
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        },
        Command::Preview { dir, port, open } => {
            crate::preview::preview(&dir, port, open).map_or_else(|m| fail(&m), |()| ExitCode::SUCCESS)
        }
        Command::Package { dir, scorm12: _, cmi5, output, lms_origins } => {
            let standard = if cmi5 { crate::package::Standard::Cmi5 } else { crate::package::Standard::Scorm12 };
            crate::package::package(&dir, standard, output.as_deref(), &lms_origins)
                .map_or_else(|m| fail(&m), |_| ExitCode::SUCCESS)
        }
        Command::Csp { page } => match std::fs::read_to_string(&page) {
            Ok(html) => match std::fs::write(&page, crate::csp::with_content_security_policy(&html)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("cannot write `{}`: {e}", page.display())),
            },
            Err(e) => fail(&format!("cannot read `{}`: {e}", page.display())),
        },
        Command::Build { courses, output, author_mode } => {
            crate::site::build(&courses, &output, author_mode).map_or_else(|m| fail(&m), |()| ExitCode::SUCCESS)
        }
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// Checks one folder; `Err` carries a message when it is not even a candidate course folder.
pub fn check_folder(dir: &Path) -> Result<CourseCheck, String> {
    if !dir.is_dir() {
        return Err(format!("`{}` is not a folder", dir.display()));
    }
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let slug = CourseSlug::parse(&name).map_err(|e| format!("the folder name becomes the course's address: {e}"))?;
    let urls = Urls::player(&slug);
    Ok(check_course(&slug, &crate::folder::DiskFiles { root: dir.to_path_buf() }, &urls))
}

fn check(dirs: &[PathBuf], json: bool) -> ExitCode {
    let mut failed = false;
    let mut courses = Vec::new();
    for dir in dirs {
        match check_folder(dir) {
            Err(message) => {
                eprintln!("error: {message}");
                failed = true;
            }
            Ok(result) => {
                report(dir, &result.diagnostics);
                let errors = result.errors().count();
                let warnings = result.diagnostics.len() - errors;
                match &result.course {
                    Some(course) if result.passes() => {
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
                        courses.push(course.clone());
                    }
                    _ => {
                        eprintln!("{}: {errors} error(s), {warnings} warning(s)", dir.display());
                        failed = true;
                    }
                }
            }
        }
    }
    if json && !failed {
        let value = if courses.len() == 1 {
            serde_json::to_string_pretty(&courses[0])
        } else {
            serde_json::to_string_pretty(&courses)
        };
        match value {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("error: cannot write JSON: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn catalog(courses_dir: &Path, output: Option<&Path>) -> ExitCode {
    let mut folders: Vec<PathBuf> = match std::fs::read_dir(courses_dir) {
        Ok(entries) => {
            entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join("course.toml").is_file()).collect()
        }
        Err(error) => {
            eprintln!("error: cannot read `{}`: {error}", courses_dir.display());
            return ExitCode::FAILURE;
        }
    };
    folders.sort();
    let mut catalog = Catalog::default();
    for folder in &folders {
        match check_folder(folder) {
            Ok(CourseCheck { course: Some(course), diagnostics }) => {
                // Errors inside lessons are shown in place by the player; the author still sees them here.
                report(folder, &diagnostics);
                catalog.courses.push(CatalogEntry::from(&course));
            }
            Ok(CourseCheck { diagnostics, .. }) => {
                report(folder, &diagnostics);
                eprintln!("warning: `{}` has errors and is left out of the catalog", folder.display());
            }
            Err(message) => eprintln!("warning: `{}` left out of the catalog: {message}", folder.display()),
        }
    }
    let json = match serde_json::to_string_pretty(&catalog) {
        Ok(json) => json,
        Err(error) => {
            eprintln!("error: cannot write JSON: {error}");
            return ExitCode::FAILURE;
        }
    };
    match output {
        None => println!("{json}"),
        Some(path) => {
            if let Err(error) = std::fs::write(path, json) {
                eprintln!("error: cannot write `{}`: {error}", path.display());
                return ExitCode::FAILURE;
            }
            eprintln!("catalog: {} course(s) written to {}", catalog.courses.len(), path.display());
        }
    }
    ExitCode::SUCCESS
}

/// Prints diagnostics as snippets of their files (colours only on a terminal).
pub fn report(dir: &Path, diagnostics: &[Diagnostic]) {
    for text in render_diagnostics(dir, diagnostics, std::io::stderr().is_terminal()) {
        eprintln!("{text}\n");
    }
}

/// Diagnostics as `check` shows them: a snippet of the file at file:line:col, and the hint.
pub fn render_diagnostics(dir: &Path, diagnostics: &[Diagnostic], styled: bool) -> Vec<String> {
    let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
    // Each file is read and indexed once, however many problems it has.
    let mut sources: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for diagnostic in diagnostics {
        sources.entry(diagnostic.file.as_str()).or_insert_with(|| {
            std::fs::read(dir.join(&diagnostic.file))
                .ok()
                .filter(|bytes| bytes.len() <= parcours::course::MAX_TEXT_FILE_BYTES)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        });
    }
    let indexes: std::collections::HashMap<&str, LineIndex> =
        sources.iter().map(|(file, source)| (*file, LineIndex::new(source))).collect();
    let mut rendered = Vec::new();
    for diagnostic in diagnostics {
        let level = match diagnostic.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let shown_path = dir.join(&diagnostic.file).display().to_string();
        let source = &sources[diagnostic.file.as_str()];
        let title = match diagnostic.span {
            Some(_) => diagnostic.message.clone(),
            None => format!("{shown_path}: {}", diagnostic.message),
        };
        let mut message = level.title(&title);
        if let Some(span) = diagnostic.span.clone().filter(|_| !source.is_empty()) {
            // Only the lines of the span go to the renderer: giving it the whole file for each
            // diagnostic made a file with thousands of problems take minutes.
            let lines = &indexes[diagnostic.file.as_str()];
            let start = span.start.min(source.len());
            let end = span.end.clamp(start, source.len());
            let (first, last) = (lines.location(start).line, lines.location(end).line);
            let shown = lines.lines(first, last);
            let excerpt = &source[shown.clone()];
            let annotated = (start - shown.start).min(excerpt.len())..(end - shown.start).min(excerpt.len());
            message = message.snippet(
                Snippet::source(excerpt)
                    .line_start(first)
                    .origin(&shown_path)
                    .fold(true)
                    .annotation(level.span(annotated)),
            );
        }
        if let Some(hint) = &diagnostic.hint {
            message = message.footer(Level::Help.title(hint));
        }
        rendered.push(renderer.render(message).to_string());
    }
    rendered
}
