//! `parcours package <dir> --scorm12` or `--cmi5`: one zip an LMS imports, with the player, the
//! course and the manifest the standard asks for. Self-contained: nothing is fetched from elsewhere when
//! the course is played, and every path is relative, since an LMS serves the package under a
//! path of its own (`/pluginfile.php/…/index.html`).

use crate::course_folder::{passing_course_with_pages_ending, published_files};
use crate::csp::with_content_security_policy;
use crate::player;
use parcours::course::catalog::{Catalog, CatalogEntry};
use parcours::course::compiled::{compiled_file_name, CompiledCourse};
use parcours::course::{Course, PAGE_FILE_SUFFIX};
use parcours::lms::manifest::{cmi5_manifest, scorm12_manifest};
use parcours::xapi::config::{Cmi5Config, TrackingConfig};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The packaging standards Parcours writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// SCORM 1.2: `imsmanifest.xml`, one SCO; the player talks to the LMS's `window.API`.
    Scorm12,
    /// cmi5: `cmi5.xml`, one AU; the LMS launches the player with an xAPI endpoint and a token.
    Cmi5,
}

impl Standard {
    fn suffix(self) -> &'static str {
        match self {
            Standard::Scorm12 => "scorm12",
            Standard::Cmi5 => "cmi5",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Standard::Scorm12 => "SCORM 1.2",
            Standard::Cmi5 => "cmi5",
        }
    }
}

/// The player's page for a package of the course `slug`, in its language, files still named from
/// the root (each page names them from where it is, `prerendered::relative_to`).
fn packaged_page_template(html: &str, slug: &str, language: &str) -> String {
    crate::page::with_language(html, language).replacen(
        "<meta charset=\"utf-8\">",
        &format!("<meta charset=\"utf-8\">\n    <meta name=\"parcours-course\" content=\"{slug}\">"),
        1,
    )
}

/// The files of the package, by path, the manifest excepted: the player, the course, and a page
/// per route of the player, each a file the LMS serves as it is (`learn/<course>/<lesson>.html`),
/// so that a lesson reloaded in the LMS's window is there to show.
fn package_files(dir: &Path, course: &Course, config: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    let mut template = String::new();
    for (path, bytes) in player::PLAYER_FILES {
        match *path {
            // No service worker in an LMS: the LMS serves the files, under its own rules.
            "sw.js" | "config.json" => {}
            "index.html" => {
                template =
                    packaged_page_template(&String::from_utf8_lossy(bytes), course.slug.as_str(), &course.language)
            }
            _ => files.push((path.to_string(), bytes.to_vec())),
        }
    }
    // Only published files, by names checked to stay inside the folder: an LMS unpacks the zip,
    // and an entry `../x` would land outside the package (zip-slip).
    for (relative, bytes) in published_files(dir)? {
        files.push((format!("courses/{}/{relative}", course.slug), bytes));
    }
    let compiled = CompiledCourse::playable(course).to_json();
    let played = crate::prerendered::as_played(&compiled, &course.slug, PAGE_FILE_SUFFIX)?;
    files.push((format!("courses/{}", compiled_file_name(&course.slug)), compiled.into_bytes()));
    let catalog = Catalog { courses: vec![CatalogEntry::from(course)] };
    files.push(("courses/index.json".into(), serde_json::to_vec_pretty(&catalog).map_err(|e| e.to_string())?));
    files.push(("config.json".into(), config.as_bytes().to_vec()));
    let pages = std::sync::Mutex::new(Vec::new());
    let write_page = |file: &str, page: &str| {
        let page = with_content_security_policy(page).into_bytes();
        pages.lock().map_err(|_| "a page failed to render".to_owned())?.push((file.to_owned(), page));
        Ok(())
    };
    crate::prerendered::write_package_pages(&template, &played, &write_page)?;
    let mut pages = pages.into_inner().map_err(|_| "a page failed to render".to_owned())?;
    // `index.html` first (the LMS launches it), the rest in a stable order.
    pages.sort_by(|(a, _), (b, _)| (a != "index.html", a).cmp(&(b != "index.html", b)));
    files.splice(0..0, pages);
    Ok(files)
}

/// The package's `config.json`. The LMS records progress and results: SCORM through its API,
/// cmi5 through the endpoint of each launch; opened without a launch, the player sends nothing.
/// Only a cmi5 package accepts cmi5 launches, from `lms_origins` when given (else any one https
/// origin per launch).
pub fn package_config(standard: Standard, lms_origins: &[String]) -> Result<String, String> {
    let mut cmi5 = None;
    if standard == Standard::Cmi5 {
        for origin in lms_origins {
            if parcours::lms::cmi5::origin_of(origin).as_deref() != Some(origin.trim_end_matches('/')) {
                return Err(format!(
                    "`--lms-origin {origin}` is not an origin: write the LMS's address up to its host, like `https://lms.example.gouv.fr`"
                ));
            }
        }
        cmi5 = Some(Cmi5Config { allowed_origins: lms_origins.to_vec() });
    }
    Ok(TrackingConfig::package(cmi5).to_json())
}

/// Writes the package; returns where.
pub fn run(dir: &Path, standard: Standard, output: Option<&Path>, lms_origins: &[String]) -> Result<PathBuf, String> {
    let config = package_config(standard, lms_origins)?;
    let course = passing_course_with_pages_ending(dir, PAGE_FILE_SUFFIX)
        .map_err(|message| format!("{message}: no package was written"))?;
    player::require()?;
    let output =
        output.map_or_else(|| PathBuf::from(format!("{}-{}.zip", course.slug, standard.suffix())), Path::to_path_buf);
    if output.is_dir() {
        return Err(format!("`{}` is a folder: give the zip file to write, like `course.zip`", output.display()));
    }
    let mut files = package_files(dir, &course, &config)?;
    let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    let manifest = match standard {
        Standard::Scorm12 => ("imsmanifest.xml".to_owned(), scorm12_manifest(&course, &paths)),
        Standard::Cmi5 => ("cmi5.xml".to_owned(), cmi5_manifest(&course)),
    };
    files.insert(0, (manifest.0, manifest.1.into_bytes()));

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
        "{} written ({} files, {}): import it in the LMS as a {} package",
        output.display(),
        files.len(),
        course.title,
        standard.name()
    );
    Ok(output)
}
