//! Loading the catalog and courses: fetch the files, then let the core check and build them,
//! so the player sees a course exactly as `parcours check` does.

use crate::course::catalog::{Catalog, CATALOG_FILE};
use crate::course::{
    check_course, Course, CourseSlug, Diagnostic, FileError, Manifest, MemoryFiles, Urls, MANIFEST_FILE,
};
use crate::web::{fetch_bytes, fetch_text, FetchError};
use std::sync::Arc;

/// Where the deployment serves course folders.
pub fn courses_url() -> String {
    format!("{}/courses", crate::web::site_base())
}

/// Why a course cannot be played.
#[derive(Debug, Clone, PartialEq)]
pub enum CourseLoadError {
    /// No course folder has this name (or the name is not a valid one).
    NotFound(String),
    /// The course's files have errors: each names its file and line.
    Invalid(Vec<Diagnostic>),
    /// The files could not be fetched.
    Network(String),
}

/// Fetches the catalog index generated at build time.
pub async fn load_catalog() -> Result<Catalog, String> {
    let json = fetch_text(&format!("{}/{CATALOG_FILE}", courses_url())).await.map_err(|e| e.to_string())?;
    Catalog::from_json(&json).map_err(|e| format!("{CATALOG_FILE}: {e}"))
}

/// Fetches a course's manifest and lessons, then builds it.
pub async fn load_course(slug: CourseSlug) -> Result<Arc<Course>, CourseLoadError> {
    let base = format!("{}/{slug}", courses_url());
    let manifest_bytes = match fetch_bytes(&format!("{base}/{MANIFEST_FILE}")).await {
        Ok(bytes) => bytes,
        Err(error) if error.is_not_found() => return Err(CourseLoadError::NotFound(slug.to_string())),
        Err(error) => return Err(CourseLoadError::Network(error.to_string())),
    };
    let mut files = MemoryFiles::default();
    // An unparsable manifest lists no lesson: the check below reports its error.
    let lesson_files: Vec<String> = std::str::from_utf8(&manifest_bytes)
        .ok()
        .and_then(|source| Manifest::parse(source).ok())
        .map(|manifest| manifest.lesson_files().map(str::to_owned).collect())
        .unwrap_or_default();
    files.insert(MANIFEST_FILE, Ok(manifest_bytes));

    let fetches = lesson_files.iter().map(|file| {
        let url = format!("{base}/{file}");
        async move { (file, fetch_bytes(&url).await) }
    });
    for (file, result) in futures::future::join_all(fetches).await {
        let content = match result {
            Ok(bytes) => Ok(bytes),
            Err(error @ FetchError::Network { .. }) => return Err(CourseLoadError::Network(error.to_string())),
            Err(error) if error.is_not_found() => Err(FileError::NotFound),
            Err(error) => Err(FileError::Unreadable(error.to_string())),
        };
        files.insert(file.clone(), content);
    }

    let check = check_course(&slug, &files, &Urls::player_at(crate::web::site_base(), &slug));
    match check.course {
        Some(course) => {
            let mut urls: Vec<String> = std::iter::once(MANIFEST_FILE.to_owned())
                .chain(lesson_files)
                .map(|file| format!("{base}/{file}"))
                .collect();
            urls.extend(course.local_asset_urls());
            urls.extend([
                format!("{}/config.json", crate::web::site_base()),
                format!("{}/{CATALOG_FILE}", courses_url()),
            ]);
            crate::web::keep_offline(urls);
            Ok(Arc::new(course))
        }
        None => Err(CourseLoadError::Invalid(check.errors().cloned().collect())),
    }
}
