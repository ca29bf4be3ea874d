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

/// Writes the site's pages with `write(file, html)`, the catalog first. `template` is the
/// player's page. Each page is rendered and written on its own, so the pages of a long course
/// share the machine's cores (rendering and compressing take about as long as each other).
pub fn write_site_pages(
    template: &str,
    language: &str,
    catalog: &Catalog,
    courses: &[Arc<Course>],
    write: &(dyn Fn(&str, &str) -> Result<(), String> + Sync),
) -> Result<(), String> {
    let mut pages = vec![("/".to_owned(), Site { language, catalog: Some(catalog), course: None })];
    for course in courses {
        for route in routes_of(course) {
            pages.push((route, Site { language, catalog: None, course: Some(course) }));
        }
    }
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(pages.len()).max(1);
    let pages = &pages;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    pages.iter().skip(worker).step_by(workers).try_for_each(|(route, site)| {
                        let page = relative_to(template, &way_to_root(route));
                        write(&file_of(route), &crate::page::with_prerendered(&page, &render(route, site)))
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|handle| handle.join().unwrap_or_else(|_| Err("a page failed to render".into())))
    })
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
