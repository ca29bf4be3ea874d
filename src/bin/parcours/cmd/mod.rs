//! The command line, and one module per command, each with a `run` that returns what went wrong
//! in words for the author.

pub mod build;
pub mod catalog;
pub mod check;
pub mod csp;
pub mod import;
pub mod new;
pub mod opener;
pub mod package;
pub mod preview;
pub mod reference;
pub mod report;
pub mod self_check;

use clap::{Parser, Subcommand};

/// What `parcours` exits with (`docs/cli.md` lists them from here).
pub const EXIT_SUCCESS: u8 = 0;
pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_CODES: &[(u8, &str)] = &[
    (EXIT_SUCCESS, "Done; for `check`, no error (warnings may have been printed)."),
    (EXIT_FAILURE, "Something went wrong, said on standard error; for `check`, the course has errors."),
    (2, "The command line itself is wrong (an unknown option, a missing argument): the usage is printed."),
];

/// Environment variables the commands read besides their options' own (`env = …` below).
pub const ENVIRONMENT: &[(&str, &str, &str)] = &[
    (
        report::USERNAME_VARIABLE,
        "report",
        "the LRS account's user name, with `PARCOURS_LRS_PASSWORD` (or `--credentials FILE`)",
    ),
    (report::PASSWORD_VARIABLE, "report", "that account's password"),
    (
        opener::BROWSER_VARIABLE,
        "self-check",
        "on Linux, the browser xdg-open (which `preview --open` calls) uses; when set, a browser counts as found",
    ),
];

#[derive(Parser)]
#[command(
    name = "parcours",
    // The player's build is the content hash of its wasm: two binaries that print the same one
    // serve the same player.
    version = concat!(env!("CARGO_PKG_VERSION"), " (player ", env!("PARCOURS_PLAYER_BUILD"), ")"),
    about = "Parcours: check and publish e-learning courses written in Markdown and GIFT"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Validate course folders and report every problem with its place and a hint.
    Check(check::Args),
    /// Create a new course folder that passes `check`, to start from.
    New(new::Args),
    /// Serve a course in the player on 127.0.0.1, re-check it at every save and reload the page.
    Preview(preview::Args),
    /// Write a static site (player, courses, catalog, config.json) that any web server can host.
    Build(build::Args),
    /// Write a zip to import in an LMS: the player and the course, with the standard's manifest.
    Package(package::Args),
    /// Write a question bank exported from Moodle (Moodle XML) as a GIFT file Parcours plays.
    Import(import::Args),
    /// Write the Content-Security-Policy into a player page (the player's build runs it).
    #[command(hide = true)]
    Csp(csp::Args),
    /// Print the campus's figures from an LRS: learners, completions, passes, scores, hours,
    /// satisfaction and the hardest questions, per course and month.
    ///
    /// Credentials: PARCOURS_LRS_USERNAME and PARCOURS_LRS_PASSWORD, or --credentials FILE.
    Report(report::Args),
    /// Tell whether this machine can preview and build courses (the player, a port, a browser, a folder).
    SelfCheck,
    /// Print this command line's reference in Markdown: every command, option, environment variable and exit code.
    Reference,
    /// Write the catalog index of every course under a folder.
    Catalog(catalog::Args),
}

impl Command {
    /// Runs the command: what went wrong is printed in words for the author, and the exit code
    /// says whether it did ([`EXIT_CODES`]).
    pub fn run(self) -> std::process::ExitCode {
        let outcome = match self {
            // `check`'s printed problems are its whole answer: it chooses its own exit code.
            Command::Check(args) => return check::run(&args),
            Command::New(args) => new::run(&args),
            Command::Preview(args) => preview::run(&args),
            Command::Build(args) => build::run(&args),
            Command::Package(args) => package::run(&args).map(|_| ()),
            Command::Csp(args) => csp::run(&args),
            Command::Import(args) => import::run(&args),
            Command::Report(args) => report::run(&args),
            Command::SelfCheck => self_check::run(),
            Command::Reference => reference::run(),
            Command::Catalog(args) => catalog::run(&args),
        };
        match outcome {
            Ok(()) => std::process::ExitCode::from(EXIT_SUCCESS),
            Err(message) => {
                eprintln!("error: {message}");
                std::process::ExitCode::from(EXIT_FAILURE)
            }
        }
    }
}
