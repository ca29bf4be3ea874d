//! Loading the catalog and courses: the catalog index and each course as the CLI compiled it
//! with the same core as `parcours check` (`course::compiled`), so the player sees a course
//! exactly as `check` does, without parsing it again.

use crate::course::catalog::{Catalog, CATALOG_FILE};
use crate::course::compiled::{compiled_file_name, CompiledCourse};
use crate::course::{Course, CourseSlug};
use crate::web::fetch_text;
use std::sync::Arc;

/// What the page holds already, so that its first render needs no request: given to the
/// server rendering (`prerender`), which has the catalog and the course in hand.
#[derive(Clone, Default)]
pub struct Preloaded {
    pub catalog: Option<Catalog>,
    pub course: Option<Arc<Course>>,
}

impl Preloaded {
    pub fn catalog() -> Option<Catalog> {
        leptos::prelude::use_context::<Preloaded>().and_then(|p| p.catalog)
    }

    pub fn course() -> Option<Arc<Course>> {
        leptos::prelude::use_context::<Preloaded>().and_then(|p| p.course)
    }
}

/// Where the deployment serves course folders.
pub fn courses_url() -> String {
    format!("{}/courses", crate::web::site_base())
}

/// Why a course cannot be played.
#[derive(Debug, Clone, PartialEq)]
pub enum CourseLoadError {
    /// No course has this address.
    NotFound(String),
    /// The course's files have errors: each names its file and line, as `check` writes it.
    Invalid(Vec<String>),
    /// The files could not be fetched.
    Network(String),
}

/// Fetches the catalog index generated at build time.
pub async fn load_catalog() -> Result<Catalog, String> {
    let json = fetch_text(&format!("{}/{CATALOG_FILE}", courses_url())).await.map_err(|e| e.to_string())?;
    Catalog::from_json(&json).map_err(|e| format!("{CATALOG_FILE}: {e}"))
}

/// Fetches a course, compiled by the CLI (`courses/<slug>.json`): one request, nothing to parse
/// but JSON. Its HTML is sanitized again on the way in (see `course::compiled`).
pub async fn load_course(slug: CourseSlug) -> Result<Arc<Course>, CourseLoadError> {
    let url = format!("{}/{}", courses_url(), compiled_file_name(&slug));
    let text = match fetch_text(&url).await {
        Ok(text) => text,
        Err(error) if error.is_not_found() => return Err(CourseLoadError::NotFound(slug.to_string())),
        Err(error) => return Err(CourseLoadError::Network(error.to_string())),
    };
    match CompiledCourse::from_json(&text) {
        Ok(CompiledCourse::Playable { mut course, shown_files, .. }) => {
            course.set_urls(crate::web::player_urls(&slug));
            let base = format!("{}/{slug}", courses_url());
            let mut urls: Vec<String> = shown_files.iter().map(|file| format!("{base}/{file}")).collect();
            urls.extend([
                url,
                format!("{}/config.json", crate::web::site_base()),
                format!("{}/{CATALOG_FILE}", courses_url()),
            ]);
            // Its pages too: a page opened offline for the first time is the course's own.
            urls.extend(
                super::routes_of(&course).into_iter().map(|route| format!("{}{route}", crate::web::site_base())),
            );
            crate::web::keep_offline(urls);
            Ok(Arc::new(*course))
        }
        Ok(CompiledCourse::Broken { errors, .. }) => Err(CourseLoadError::Invalid(errors)),
        Err(error) => Err(CourseLoadError::Invalid(vec![error.to_string()])),
    }
}
