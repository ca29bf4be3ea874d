//! `parcours package <dir> --scorm12` or `--cmi5`: one zip an LMS imports, with the player, the
//! course and the manifest the standard asks for. Self-contained: nothing is fetched from elsewhere when
//! the course is played, and every path is relative, since an LMS serves the package under a
//! path of its own (`/pluginfile.php/…/index.html`).

use crate::course_folder::passing_course_with_pages_ending;
use crate::player;
use crate::site::{self, Target};
use parcours::course::PAGE_FILE_SUFFIX;
use parcours::lms::manifest::Standard;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The command's options, as the command line gives them (`parcours package --help`).
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("standard").required(true).args(["scorm12", "cmi5"])))]
pub struct Args {
    /// The course folder.
    pub dir: PathBuf,
    /// A SCORM 1.2 package (imsmanifest.xml): Moodle and most LMSs import it.
    #[arg(long)]
    pub scorm12: bool,
    /// A cmi5 package (cmi5.xml): the LMS launches the course with an xAPI endpoint.
    #[arg(long)]
    pub cmi5: bool,
    /// The zip to write (`<course>-scorm12.zip` or `-cmi5.zip` in the current folder when absent).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// cmi5: the LMS allowed to launch the package (`https://lms.example.gouv.fr`); repeat for
    /// several. Without it, a launch is accepted from any one https platform.
    #[arg(long = "lms-origin", value_name = "ORIGIN")]
    pub lms_origins: Vec<String>,
}

impl Args {
    /// The standard asked for: clap has made sure one of the two flags is set.
    fn standard(&self) -> Standard {
        if self.cmi5 {
            Standard::Cmi5
        } else {
            Standard::Scorm12
        }
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
    let Args { dir, output, lms_origins, .. } = args;
    let output = output.as_deref();
    let standard = args.standard();
    let target = Target::Package { standard, lms_origins };
    target.config()?;
    let course = passing_course_with_pages_ending(dir, PAGE_FILE_SUFFIX)
        .map_err(|message| format!("{message}: no package was written"))?;
    player::require()?;
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
