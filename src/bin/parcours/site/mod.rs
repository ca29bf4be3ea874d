//! A site, assembled in one place for every way Parcours publishes courses: the player's files,
//! each course's published files and compiled form, the catalog, `config.json`, and a
//! pre-rendered page per route of the player. The [`Target`] is the only difference between a
//! static site (`build`), an LMS package (`package`) and the author's preview (`preview`, which
//! keeps the files in memory and renders a page when it is asked for).
//!
//! - [`page`]: the player's page, in its courses' language, with a pre-rendered page set in it;
//! - [`csp`]: the page's Content-Security-Policy;
//! - [`pages`]: the page of each route, rendered by the player's own components.

pub mod csp;
pub mod page;
pub mod pages;

use crate::course_folder::published_files;
use crate::player::Player;
use parcours::course::catalog::{Catalog, CatalogEntry, CATALOG_FILE};
use parcours::course::compiled::{compiled_file_name, CompiledCourse};
use parcours::course::{Course, CourseSlug, PAGE_FILE_SUFFIX};
use parcours::lms::Standard;
use parcours::xapi::config::{Cmi5Config, TrackingConfig, CONFIG_FILE};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where a site keeps its courses, from its root (the player reads them there: `ui::data::courses_url`).
pub const COURSES_FOLDER: &str = "courses";

/// The catalog's path in a site.
pub fn catalog_path() -> String {
    format!("{COURSES_FOLDER}/{CATALOG_FILE}")
}

/// The compiled course's path in a site: beside its folder, where no file of the author's can be.
pub fn compiled_path(slug: &CourseSlug) -> String {
    format!("{COURSES_FOLDER}/{}", compiled_file_name(slug))
}

/// The path in a site of a course's published file (`relative` to its folder).
pub fn course_file_path(slug: &CourseSlug, relative: &str) -> String {
    format!("{COURSES_FOLDER}/{slug}/{relative}")
}

/// What a site is assembled for.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A folder any web server hosts (`build`): each route a folder with its `index.html`, and
    /// the catalog's page also sent for addresses that are no file.
    StaticSite { author_mode: bool },
    /// A zip an LMS imports (`package`): one course, no service worker (the LMS serves the
    /// files, under its own rules), each route a file of its own, `index.html` the course's
    /// overview, and the standard's manifest. A cmi5 package accepts launches from
    /// `lms_origins` when given (else any one https origin per launch).
    Package { standard: Standard, lms_origins: &'a [String] },
    /// The author's preview of one course (`preview`): author mode, told of changes at
    /// `changes_path`. Its pages are rendered when asked for ([`pages::preview_page`]), and the
    /// player's files are served from the binary as they are.
    Preview { changes_path: &'static str },
}

impl Target<'_> {
    /// The site's `config.json`. A package's LMS records progress and results (SCORM through its
    /// API, cmi5 through the endpoint of each launch); opened without a launch, it sends nothing.
    pub fn config(&self) -> Result<TrackingConfig, String> {
        Ok(match *self {
            Target::StaticSite { author_mode: true } => TrackingConfig::author(None),
            Target::StaticSite { author_mode: false } => TrackingConfig::site(),
            Target::Package { standard: Standard::Scorm12, .. } => TrackingConfig::package(None),
            Target::Package { standard: Standard::Cmi5, lms_origins } => {
                for origin in lms_origins {
                    if parcours::lms::cmi5::origin_of(origin).as_deref() != Some(origin.trim_end_matches('/')) {
                        return Err(format!(
                            "`--lms-origin {origin}` is not an origin: write the LMS's address up to its host, like `https://lms.example.gouv.fr`"
                        ));
                    }
                }
                TrackingConfig::package(Some(Cmi5Config { allowed_origins: lms_origins.to_vec() }))
            }
            Target::Preview { changes_path } => TrackingConfig::author(Some(changes_path)),
        })
    }

    /// What ends the address of each page (see `Urls::page_suffix`).
    pub fn page_suffix(&self) -> &'static str {
        match self {
            Target::Package { .. } => PAGE_FILE_SUFFIX,
            Target::StaticSite { .. } | Target::Preview { .. } => "",
        }
    }

    /// The player the site is assembled with: only a package's is launched by an LMS.
    pub fn player(&self) -> Player {
        match self {
            Target::Package { .. } => Player::Lms,
            Target::StaticSite { .. } | Target::Preview { .. } => Player::Site,
        }
    }

    /// Whether the player's file `path` belongs in the site (the player's page is written per route).
    fn takes_player_file(&self, path: &str) -> bool {
        match self {
            Target::StaticSite { .. } => path != "index.html",
            Target::Package { .. } => !matches!(path, "index.html" | "sw.js" | CONFIG_FILE),
            Target::Preview { .. } => false,
        }
    }
}

/// Where the assembled files go, one `(path in the site, bytes)` at a time, from several threads
/// (pages are rendered on every core).
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> Result<(), String> + Sync + 'a;

/// Assembles the site of `courses` (each checked and passing, from its folder) for `target`,
/// giving every file to `sink`; a package's manifest comes last, once every file is known.
pub fn assemble(courses: &[(PathBuf, Course)], target: Target, sink: &Sink) -> Result<(), String> {
    let player = target.player();
    player.require()?;
    let written = Mutex::new(Vec::new());
    let sink = |path: &str, bytes: &[u8]| {
        sink(path, bytes)?;
        written.lock().map_err(|_| "a file failed to be written".to_owned())?.push(path.to_owned());
        Ok(())
    };
    let mut template = String::new();
    for (path, bytes) in player.files() {
        if *path == "index.html" {
            template = String::from_utf8_lossy(bytes).into_owned();
        } else if target.takes_player_file(path) {
            sink(path, bytes)?;
        }
    }
    let mut catalog = Catalog::default();
    let mut played = Vec::new();
    for (dir, course) in courses {
        for (relative, bytes) in published_files(dir)? {
            sink(&course_file_path(&course.slug, &relative), &bytes)?;
        }
        let compiled = CompiledCourse::playable(course).to_json();
        sink(&compiled_path(&course.slug), compiled.as_bytes())?;
        catalog.courses.push(CatalogEntry::from(course));
        played.push(pages::as_played(&compiled, &course.slug, target.page_suffix())?);
    }
    sink(&catalog_path(), catalog_json(&catalog)?.as_bytes())?;
    sink(CONFIG_FILE, target.config()?.to_json().as_bytes())?;
    let write_page = |file: &str, html: &str| sink(file, csp::with_content_security_policy(html).as_bytes());
    match target {
        Target::StaticSite { .. } => {
            let language = page::site_language(courses.iter().map(|(_, course)| course.language.as_str()));
            let template = match language {
                Some(language) => page::with_language(&template, language),
                None => template,
            };
            pages::write_site_pages(&template, language.unwrap_or("fr"), &catalog, &played, &write_page)?;
        }
        Target::Package { standard, .. } => {
            let [course] = played.as_slice() else {
                return Err("a package holds one course".to_owned());
            };
            let template = page::first_in_head(
                &page::with_language(&template, &course.language),
                &format!("<meta name=\"parcours-course\" content=\"{}\">", course.slug),
            );
            pages::write_package_pages(&template, course, &write_page)?;
            let mut files = written.lock().map_err(|_| "a file failed to be written".to_owned())?.clone();
            files.sort();
            let (manifest, text) = standard.manifest(&courses[0].1, &files);
            sink(manifest, text.as_bytes())?;
        }
        // The preview renders its pages when they are asked for, with the version it serves.
        Target::Preview { .. } => {}
    }
    Ok(())
}

/// The catalog as the player reads it.
pub fn catalog_json(catalog: &Catalog) -> Result<String, String> {
    serde_json::to_string_pretty(catalog).map_err(|e| format!("cannot write the catalog: {e}"))
}

/// The files of the site of the course in `dir`, in memory (the preview serves them, a package
/// zips them), by path in the site.
pub fn in_memory(dir: &Path, course: Course, target: Target) -> Result<Vec<(String, Vec<u8>)>, String> {
    let files = Mutex::new(Vec::new());
    let keep = |path: &str, bytes: &[u8]| {
        files.lock().map_err(|_| "a file failed to be kept".to_owned())?.push((path.to_owned(), bytes.to_vec()));
        Ok(())
    };
    assemble(&[(dir.to_path_buf(), course)], target, &keep)?;
    files.into_inner().map_err(|_| "a file failed to be kept".to_owned())
}
