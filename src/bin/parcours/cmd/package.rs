//! `parcours package <dir> --scorm12` or `--cmi5`: one zip an LMS imports, with the player, the
//! course and the manifest the standard asks for. Self-contained: nothing is fetched from elsewhere when
//! the course is played, and every path is relative, since an LMS serves the package under a
//! path of its own (`/pluginfile.php/…/index.html`).

use crate::course_folder::passing_course_with_pages_ending;
use crate::site::{self, Target};
use parcours::course::PAGE_FILE_SUFFIX;
use parcours::lms::Standard;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The command's options, as the command line gives them (`parcours package --help`).
#[derive(clap::Args)]
pub struct Args {
    /// The course folder.
    pub dir: PathBuf,
    #[command(flatten)]
    pub standard: StandardFlag,
    /// The zip to write (`<course>-scorm12.zip` or `-cmi5.zip` in the current folder when absent).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// cmi5: the LMS allowed to launch the package (`https://lms.example.gouv.fr`); repeat for
    /// several. Without it, a launch is accepted from any one https platform.
    #[arg(long = "lms-origin", value_name = "ORIGIN")]
    pub lms_origins: Vec<String>,
}

/// The standard asked for, by its flag: one flag per [`Standard`] (`--scorm12`, `--cmi5`), exactly
/// one of them required, so that a new standard is a new flag with no change here.
pub struct StandardFlag(pub Standard);

impl clap::FromArgMatches for StandardFlag {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let asked = Standard::ALL.into_iter().find(|standard| matches.get_flag(standard.flag()));
        asked.map(StandardFlag).ok_or_else(|| clap::Error::new(clap::error::ErrorKind::MissingRequiredArgument))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for StandardFlag {
    fn augment_args(command: clap::Command) -> clap::Command {
        let flags = Standard::ALL.map(Standard::flag);
        Standard::ALL
            .into_iter()
            .fold(command, |command, standard| {
                let flag = clap::Arg::new(standard.flag()).long(standard.flag()).action(clap::ArgAction::SetTrue);
                command.arg(flag.help(standard.description()))
            })
            .group(clap::ArgGroup::new("standard").required(true).args(flags))
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

/// Where a file goes in the zip: the manifest first (some LMSs look for it there), then
/// `index.html` (where the LMS launches the player), the rest by path, so that a package is the
/// same zip each time.
fn zip_order(path: &str, standard: Standard) -> (u8, &str) {
    let rank = match path {
        _ if path == standard.manifest_file() => 0,
        "index.html" => 1,
        _ => 2,
    };
    (rank, path)
}

/// Writes the package; returns where.
pub fn run(args: &Args) -> Result<PathBuf, String> {
    let Args { dir, standard: StandardFlag(standard), output, lms_origins } = args;
    let (standard, output) = (*standard, output.as_deref());
    let target = Target::Package { standard, lms_origins };
    target.config()?;
    let course = passing_course_with_pages_ending(dir, PAGE_FILE_SUFFIX)
        .map_err(|message| format!("{message}: no package was written"))?;
    target.player().require()?;
    let output = output
        .map_or_else(|| PathBuf::from(format!("{}-{}.zip", course.slug, standard.file_suffix())), Path::to_path_buf);
    if output.is_dir() {
        return Err(format!("`{}` is a folder: give the zip file to write, like `course.zip`", output.display()));
    }
    let title = course.title.clone();
    let mut files = site::in_memory(dir, course, target)?;
    files.sort_by(|(a, _), (b, _)| zip_order(a, standard).cmp(&zip_order(b, standard)));

    let file = std::fs::File::create(&output).map_err(|e| format!("cannot write `{}`: {e}", output.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let failed = |e: &dyn std::fmt::Display| format!("cannot write `{}`: {e}", output.display());
    for (path, bytes) in &files {
        zip.start_file(path.as_str(), options).map_err(|e| failed(&e))?;
        zip.write_all(bytes).map_err(|e| failed(&e))?;
    }
    zip.finish().map_err(|e| failed(&e))?;
    eprintln!(
        "{} written ({} files, {title}): import it in the LMS as a {} package",
        output.display(),
        files.len(),
        standard.name()
    );
    Ok(output)
}
