//! The command line, and one module per command, each with a `run` that returns what went wrong
//! in words for the author.

pub mod build;
pub mod catalog;
pub mod check;
pub mod csp;
pub mod new;
pub mod opener;
pub mod package;
pub mod preview;
pub mod reference;
pub mod report;
pub mod self_check;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
        /// Write the author's guide instead, "Writing a course for Parcours": the course format's documentation, as a course to preview.
        #[arg(long, conflicts_with = "title")]
        guide: bool,
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
    /// Print the campus's figures from an LRS: learners, completions, passes, scores, hours,
    /// satisfaction and the hardest questions, per course and month.
    ///
    /// Credentials: PARCOURS_LRS_USERNAME and PARCOURS_LRS_PASSWORD, or --credentials FILE.
    #[command(group(clap::ArgGroup::new("format").args(["csv", "json", "html"])))]
    Report {
        /// The LRS's xAPI endpoint (`https://lrs.example.gouv.fr/xAPI/`); PARCOURS_LRS_ENDPOINT when absent.
        #[arg(long, env = "PARCOURS_LRS_ENDPOINT")]
        endpoint: String,
        /// Only this course (its IRI, the `id` of course.toml, or the AU's id in a cmi5 LMS).
        #[arg(long)]
        course: Option<String>,
        /// Only statements stored after this time (RFC 3339: `2026-01-01T00:00:00Z`).
        #[arg(long)]
        since: Option<String>,
        /// Only statements stored up to this time.
        #[arg(long)]
        until: Option<String>,
        /// A file to keep the aggregation in: the next run only fetches what is new.
        #[arg(long)]
        cache: Option<PathBuf>,
        /// A file holding one `username:password` line.
        #[arg(long)]
        credentials: Option<PathBuf>,
        /// A PEM file of certificate authorities to trust besides the system's and Mozilla's (a
        /// ministry's own PKI, for an LRS whose certificate it signed).
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
        /// Print CSV: one row per course and month, and a total row per course.
        #[arg(long)]
        csv: bool,
        /// Print the whole report as JSON.
        #[arg(long)]
        json: bool,
        /// Write a self-contained HTML page with charts and their tables.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Statements asked for per page.
        #[arg(long, default_value_t = 500)]
        page_size: u32,
    },
    /// Tell whether this machine can preview and build courses (the player, a port, a browser, a folder).
    SelfCheck,
    /// Print this command line's reference in Markdown: every command, option, environment variable and exit code.
    Reference,
    /// Write the catalog index of every course under a folder.
    Catalog {
        /// The folder that holds one sub-folder per course.
        courses_dir: PathBuf,
        /// Where to write the index (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}
