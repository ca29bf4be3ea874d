//! The catalog: the list of courses a deployment hosts, generated at build time
//! (`parcours catalog courses -o …/index.json`) so that adding a course folder needs no code change.

use super::Course;
use serde::{Deserialize, Serialize};

/// File name of the catalog index, at the root of the courses folder.
pub const CATALOG_FILE: &str = "index.json";

/// One course as the catalog lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub slug: String,
    pub id: String,
    pub title: String,
    pub language: String,
    pub description: String,
    pub duration_minutes: u32,
    pub lessons: usize,
}

/// Every course of a deployment, in the order of their folder names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub courses: Vec<CatalogEntry>,
}

impl From<&Course> for CatalogEntry {
    fn from(course: &Course) -> CatalogEntry {
        CatalogEntry {
            slug: course.slug.to_string(),
            id: course.id.to_string(),
            title: course.title.clone(),
            language: course.language.clone(),
            description: course.description.clone(),
            duration_minutes: course.estimated_minutes(),
            lessons: course.lessons().count(),
        }
    }
}

impl Catalog {
    /// Parses the catalog index fetched by the player.
    pub fn from_json(json: &str) -> Result<Catalog, serde_json::Error> {
        serde_json::from_str(json)
    }
}
