//! The pre-rendered pages of a site: one HTML file per route of the player (the catalog, and
//! each course's overview, lessons, assessments and attestation), rendered by the player's own
//! components (`parcours::ui::prerender`) and set in the player's page.

use parcours::course::catalog::Catalog;
use parcours::course::compiled::CompiledCourse;
use parcours::course::{Course, CourseSlug, Urls, PAGE_FILE_SUFFIX};
use parcours::ui::prerender::{render_at, routes_of, way_to_root, Site};
use std::sync::Arc;

/// The course as the player gets it: read back from its compiled form (so the pages hold the
/// very markup the player renders), with the player's addresses at the root of a site (each
/// page's ending with `page_suffix`, see `Urls::page_suffix`).
pub fn as_played(compiled_json: &str, slug: &CourseSlug, page_suffix: &str) -> Result<Arc<Course>, String> {
    match CompiledCourse::from_json(compiled_json) {
        Ok(CompiledCourse::Playable { mut course, .. }) => {
            course.set_urls(Urls::player_at("", slug).with_page_suffix(page_suffix));
            Ok(Arc::new(*course))
        }
        Ok(CompiledCourse::Broken { .. }) => Err(format!("`{slug}` cannot be played")),
        Err(error) => Err(format!("`{slug}`: {error}")),
    }
}

/// The file a route is served from on a site: `learn/demo/intro` →
/// `learn/demo/intro/index.html` (a server sends it for `/learn/demo/intro`, see
/// docs/deploying.md), `/` → `index.html`.
pub fn file_of(route: &str) -> String {
    let route = route.trim_matches('/');
    if route.is_empty() {
        "index.html".to_owned()
    } else {
        format!("{route}/index.html")
    }
}

/// The file a route is in an LMS package, which serves files as they are: `learn/demo/intro` →
/// `learn/demo/intro.html`, the address the player gives that page there.
pub fn package_file_of(route: &str) -> String {
    format!("{}{PAGE_FILE_SUFFIX}", route.trim_matches('/'))
}

/// One page to write: the route it shows, its file, the way from it to the site's root.
struct Page<'a> {
    route: String,
    file: String,
    base: String,
    site: Site<'a>,
    /// Sent too for addresses that are no file (a site's `index.html`).
    stands_in: bool,
}

/// Writes the site's pages with `write(file, html)`, the catalog first. `template` is the
/// player's page.
pub fn write_site_pages(
    template: &str,
    language: &str,
    catalog: &Catalog,
    courses: &[Arc<Course>],
    write: &(dyn Fn(&str, &str) -> Result<(), String> + Sync),
) -> Result<(), String> {
    let page =
        |route: String, site| Page { file: file_of(&route), base: way_to_root(&route), route, site, stands_in: false };
    let catalog_site = Site { language, catalog: Some(catalog), ..Site::default() };
    let mut pages = vec![Page { stands_in: true, ..page("/".to_owned(), catalog_site) }];
    for course in courses {
        for route in routes_of(course) {
            pages.push(page(route, Site { language, course: Some(course), ..Site::default() }));
        }
    }
    write_pages(template, &pages, write)
}

/// Writes an LMS package's pages with `write(file, html)`: `index.html`, where the LMS launches
/// the player, shows the course's overview, and each route is a file of its own.
pub fn write_package_pages(
    template: &str,
    course: &Arc<Course>,
    write: &(dyn Fn(&str, &str) -> Result<(), String> + Sync),
) -> Result<(), String> {
    let site = Site { language: &course.language, course: Some(course), packaged: true, ..Site::default() };
    let overview = format!("/learn/{}", course.slug);
    // An LMS serves no page for an address that is no file: no page stands in for one.
    let mut pages = vec![Page { route: overview, file: "index.html".into(), base: ".".into(), site, stands_in: false }];
    for route in routes_of(course) {
        pages.push(Page { file: package_file_of(&route), base: way_to_root(&route), route, site, stands_in: false });
    }
    write_pages(template, &pages, write)
}

/// Renders and writes `pages`, each on its own, so that the pages of a long course share the
/// machine's cores (rendering and compressing take about as long as each other).
fn write_pages(
    template: &str,
    pages: &[Page],
    write: &(dyn Fn(&str, &str) -> Result<(), String> + Sync),
) -> Result<(), String> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(pages.len()).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    pages.iter().skip(worker).step_by(workers).try_for_each(|page| {
                        let mut html = rendered(template, &page.route, &page.base, &page.site);
                        if page.stands_in {
                            html = super::page::standing_in_for_unknown_addresses(&html);
                        }
                        write(&page.file, &html)
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|handle| handle.join().unwrap_or_else(|_| Err("a page failed to render".into())))
    })
}

/// `template` (the player's page) showing `route` of `site`, pre-rendered, its files named from
/// `base`, the way from the page to the site's root.
fn rendered(template: &str, route: &str, base: &str, site: &Site) -> String {
    super::page::with_prerendered(&relative_to(template, base), &render_at(route, base, site))
}

/// The page the preview sends for `path`: the route of `course` it names, pre-rendered as a
/// built site has it, or the player's bare page for an address no route has (the player shows
/// what it can: the course's errors, or "not found"). `template` already tells the version served.
pub fn preview_page(template: &str, course: Option<&Arc<Course>>, path: &str) -> String {
    let route = path.trim_end_matches('/');
    let page = match course {
        Some(course) if routes_of(course).iter().any(|known| known == route) => {
            let site = Site { language: &course.language, course: Some(course), ..Site::default() };
            rendered(template, route, &way_to_root(route), &site)
        }
        _ => template.to_owned(),
    };
    super::csp::with_content_security_policy(&page)
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
        assert_eq!(package_file_of("/learn/demo"), "learn/demo.html");
        assert_eq!(package_file_of("/learn/demo/attestation"), "learn/demo/attestation.html");
    }
}
