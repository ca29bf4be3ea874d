//! `parcours`: the authoring tool. This file hands each command of the command line (defined in
//! `cmd/`) over to its module there; what several commands share lives beside it:
//! - [`course_folder`]: a course folder's address, its check, and its files under the publishing rules;
//! - [`diagnostics`]: problems printed as `check` prints them;
//! - [`player`]: the player embedded at build time;
//! - [`site`]: a site assembled from the player and courses, the one assembler of `build`,
//!   `package` and `preview` (the target is the only difference): its pages, their language
//!   and policy.

#[cfg(not(target_arch = "wasm32"))]
mod cmd;
#[cfg(not(target_arch = "wasm32"))]
mod course_folder;
#[cfg(not(target_arch = "wasm32"))]
mod diagnostics;
#[cfg(not(target_arch = "wasm32"))]
mod player;
// Used by build.rs (through `#[path]`); compiled here for its tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod player_build;
#[cfg(not(target_arch = "wasm32"))]
mod site;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser as _;
    use cmd::Command;
    let outcome = match cmd::Cli::parse().command {
        Command::Check { courses, json } => return cmd::check::run(&courses, json),
        Command::Catalog { courses_dir, output } => cmd::catalog::run(&courses_dir, output.as_deref()),
        Command::New { dir, guide: true, .. } => cmd::new::guide(&dir),
        Command::New { dir, title, language, guide: false } => cmd::new::run(&dir, title.as_deref(), &language),
        Command::Preview { dir, port, open } => cmd::preview::run(&dir, port, open),
        Command::Build { courses, output, author_mode } => cmd::build::run(&courses, &output, author_mode),
        Command::Package { dir, scorm12: _, cmi5, output, lms_origins } => {
            let standard =
                if cmi5 { parcours::lms::manifest::Standard::Cmi5 } else { parcours::lms::manifest::Standard::Scorm12 };
            cmd::package::run(&dir, standard, output.as_deref(), &lms_origins).map(|_| ())
        }
        Command::Csp { page } => cmd::csp::run(&page),
        Command::SelfCheck => cmd::self_check::run(),
        Command::Reference => cmd::reference::run(),
        Command::Report { endpoint, course, since, until, cache, credentials, ca_file, csv, json, html, page_size } => {
            let output = match (csv, json, html) {
                (true, _, _) => cmd::report::Output::Csv,
                (_, true, _) => cmd::report::Output::Json,
                (_, _, Some(path)) => cmd::report::Output::Html(path),
                _ => cmd::report::Output::Table,
            };
            let options =
                cmd::report::Options { endpoint, course, since, until, cache, credentials, ca_file, output, page_size };
            cmd::report::run(&options)
        }
    };
    match outcome {
        Ok(()) => std::process::ExitCode::from(cmd::EXIT_SUCCESS),
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::from(cmd::EXIT_FAILURE)
        }
    }
}

// The authoring tool is native only; this keeps `cargo test --target wasm32-unknown-unknown` building.
#[cfg(target_arch = "wasm32")]
fn main() {}
