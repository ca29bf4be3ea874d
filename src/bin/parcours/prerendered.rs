//! The pre-rendered pages of a site: one HTML file per route of the player (the catalog, and
//! each course's overview, lessons, assessments and attestation), rendered by the player's own
//! components (`parcours::ui::prerender`) and set in the player's page.

use parcours::course::catalog::Catalog;
use parcours::course::compiled::CompiledCourse;
use parcours::course::{Course, CourseSlug, Urls};
use parcours::ui::prerender::{render, routes_of, way_to_root, Site};
use std::sync::Arc;

/// The course as the player gets it: read back from its compiled form (so the pages hold the
/// very markup the player renders), with the player's addresses at the root of a site.
pub fn as_played(compiled_json: &str, slug: &CourseSlug) -> Result<Arc<Course>, String> {
    match CompiledCourse::from_json(compiled_json) {
        Ok(CompiledCourse::Playable { mut course, .. }) => {
            course.set_urls(Urls::player_at("", slug));
            Ok(Arc::new(*course))
        }
        Ok(CompiledCourse::Broken { .. }) => Err(format!("`{slug}` cannot be played")),
        Err(error) => Err(format!("`{slug}`: {error}")),
    }
}

/// The file a route is served from: `learn/demo/intro` → `learn/demo/intro/index.html` (a
/// server sends it for `/learn/demo/intro`, see docs/deploying.md), `/` → `index.html`.
pub fn file_of(route: &str) -> String {
    let route = route.trim_matches('/');
    if route.is_empty() {
        "index.html".to_owned()
    } else {
        format!("{route}/index.html")
    }
}

/// The site's pages: (file, HTML), the catalog first. `template` is the player's page.
pub fn site_pages(template: &str, language: &str, catalog: &Catalog, courses: &[Arc<Course>]) -> Vec<(String, String)> {
    let page = |route: &str, site: &Site| {
        crate::page::with_prerendered(&relative_to(template, &way_to_root(route)), &render(route, site))
    };
    let mut pages = Vec::new();
    let site = Site { language, catalog: Some(catalog), course: None };
    pages.push((file_of("/"), page("/", &site)));
    for course in courses {
        let site = Site { language, catalog: None, course: Some(course) };
        for route in routes_of(course) {
            pages.push((file_of(&route), page(&route, &site)));
        }
    }
    pages
}

/// The player's page with its files named from `base`, the way from the page to the site's
/// root: Trunk writes them from the host's root (`/main-….css`, public_url `/`), and a site
/// may be served under any path.
pub fn relative_to(template: &str, base: &str) -> String {
    template
        .replace("href=\"/", &format!("href=\"{base}/"))
        .replace("'/parcours-player", &format!("'{base}/parcours-player"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_player_files_are_named_from_the_page() {
        let template = "<link rel=\"stylesheet\" href=\"/main-1.css\">\n\
                        import init from '/parcours-player-1.js'; init({ module_or_path: '/parcours-player-1_bg.wasm' })";
        let page = relative_to(template, "../..");
        assert!(page.contains("href=\"../../main-1.css\""));
        assert!(
            page.contains("from '../../parcours-player-1.js'") && page.contains("'../../parcours-player-1_bg.wasm'")
        );
        assert!(!page.contains("'/") && !page.contains("\"/"), "{page}");
    }

    #[test]
    fn each_route_has_a_file_of_its_own() {
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/learn/demo"), "learn/demo/index.html");
        assert_eq!(file_of("/learn/demo/assessment/final"), "learn/demo/assessment/final/index.html");
    }
}
