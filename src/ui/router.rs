//! The player's router: which page an address shows, and the address as context for the pages.
//!
//! The player has five kinds of page (see the module above), so a router of its own is a match
//! on path segments; leptos_router's general one (nested route trees, transitions, forms) weighed
//! about 18 KB gzip of the learner's download. Links stay plain `<a href>`: a click on one that
//! leads to a page of the player is followed without reloading (`web::navigation`), and the
//! pre-rendered pages and the browser's own history work with the same addresses.

use leptos::prelude::*;

/// A page of the player, read from its path under the site's base. Parameters are kept as
/// written: each page parses its own ([`route_param`](super::route_param)), and shows "not
/// found" for one that is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: the catalog.
    Catalog,
    /// `/learn/:course…`: a page of a course.
    Course { course: String, page: CoursePage },
    /// Any other address.
    NotFound,
}

/// A page inside a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoursePage {
    /// `/learn/:course`
    Overview,
    /// `/learn/:course/:lesson`
    Lesson(String),
    /// `/learn/:course/assessment/:assessment`
    Assessment(String),
    /// `/learn/:course/attestation` (`attestation.html` in an LMS package)
    Attestation,
}

/// What a change of address rebuilds, at the top: the frame of a course stays while the learner
/// moves from one of its pages to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    Catalog,
    Course,
    NotFound,
}

/// What a change of address rebuilds inside a course: a page stays while only its parameter
/// changes (lesson to lesson).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoursePageKind {
    Overview,
    Lesson,
    Assessment,
    Attestation,
}

impl Route {
    /// The page `path` names, under the router's base (`/learn/demo/intro`). A trailing slash
    /// names the same page (`/learn/demo/`, as a web server redirects a folder).
    pub fn of(path: &str) -> Route {
        let path = path.strip_prefix('/').unwrap_or(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        if path.is_empty() {
            return Route::Catalog;
        }
        let segments: Vec<&str> = path.split('/').collect();
        let page = match segments.as_slice() {
            ["learn", _] => CoursePage::Overview,
            ["learn", _, "attestation" | "attestation.html"] => CoursePage::Attestation,
            ["learn", _, "assessment", assessment] => CoursePage::Assessment((*assessment).to_owned()),
            ["learn", _, lesson] => CoursePage::Lesson((*lesson).to_owned()),
            _ => return Route::NotFound,
        };
        Route::Course { course: segments[1].to_owned(), page }
    }

    /// The page `path` names, `path` being a full path in the browser (`base` included): a path
    /// outside the base is no page of the player.
    pub fn under_base(path: &str, base: &str) -> Route {
        match path.strip_prefix(base) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => Route::of(rest),
            _ => Route::NotFound,
        }
    }

    pub fn frame(&self) -> Frame {
        match self {
            Route::Catalog => Frame::Catalog,
            Route::Course { .. } => Frame::Course,
            Route::NotFound => Frame::NotFound,
        }
    }

    pub fn course_page_kind(&self) -> Option<CoursePageKind> {
        let Route::Course { page, .. } = self else { return None };
        Some(match page {
            CoursePage::Overview => CoursePageKind::Overview,
            CoursePage::Lesson(_) => CoursePageKind::Lesson,
            CoursePage::Assessment(_) => CoursePageKind::Assessment,
            CoursePage::Attestation => CoursePageKind::Attestation,
        })
    }

    /// A parameter of the route, as written: `course`, `lesson` or `assessment`.
    pub fn param(&self, name: &str) -> Option<&str> {
        let Route::Course { course, page } = self else { return None };
        match (name, page) {
            ("course", _) => Some(course),
            ("lesson", CoursePage::Lesson(lesson)) => Some(lesson),
            ("assessment", CoursePage::Assessment(assessment)) => Some(assessment),
            _ => None,
        }
    }
}

/// Whether a query (`?details`, `?a=1&details=`) holds the parameter `name`.
pub fn query_has(search: &str, name: &str) -> bool {
    let query = search.strip_prefix('?').unwrap_or(search);
    query.split('&').any(|pair| pair.split('=').next() == Some(name))
}

/// The address being rendered by the native binary (a pre-rendered page): `/learn/demo/intro`.
#[derive(Clone)]
pub struct ServerAddress(pub String);

/// The current address and the route it names, for the pages below the router.
#[derive(Clone, Copy)]
struct Current {
    address: RwSignal<crate::web::Address>,
    route: Memo<Route>,
}

/// Starts following the address (in the browser, link clicks and history; when pre-rendering,
/// the [`ServerAddress`] provided), and gives the route to show.
pub fn provide_router() -> Memo<Route> {
    let base = crate::web::router_base();
    let first = match use_context::<ServerAddress>() {
        Some(ServerAddress(path)) => crate::web::Address { path, search: String::new() },
        None => crate::web::current_address(),
    };
    let address = RwSignal::new(first);
    let route_base = base.clone();
    let route = Memo::new(move |_| address.with(|address| Route::under_base(&address.path, &route_base)));
    provide_context(Current { address, route });
    let is_page = move |path: &str| Route::under_base(path, &base) != Route::NotFound;
    crate::web::follow_links(is_page, move |moved| address.set(moved));
    route
}

fn current() -> Current {
    expect_context::<Current>()
}

/// The route shown now.
pub fn use_route() -> Memo<Route> {
    current().route
}

/// The path shown now, the site's base included (`/learn/demo/intro`), as links name it.
pub fn use_path() -> Memo<String> {
    let address = current().address;
    Memo::new(move |_| address.with(|address| address.path.clone()))
}

/// Whether the address's query holds `name` (`/learn/demo?details`).
pub fn use_query_has(name: &'static str) -> Memo<bool> {
    let address = current().address;
    Memo::new(move |_| address.with(|address| query_has(&address.search, name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(course: &str, lesson: &str) -> Route {
        Route::Course { course: course.into(), page: CoursePage::Lesson(lesson.into()) }
    }

    #[test]
    fn each_page_of_the_player_has_its_route() {
        assert_eq!(Route::of("/"), Route::Catalog);
        assert_eq!(Route::of(""), Route::Catalog);
        assert_eq!(Route::of("/learn/demo"), Route::Course { course: "demo".into(), page: CoursePage::Overview });
        assert_eq!(Route::of("/learn/demo/"), Route::Course { course: "demo".into(), page: CoursePage::Overview });
        assert_eq!(Route::of("/learn/demo/intro"), lesson("demo", "intro"));
        assert_eq!(Route::of("/learn/demo/intro.html"), lesson("demo", "intro.html"), "a package's page");
        let attestation = Route::Course { course: "demo".into(), page: CoursePage::Attestation };
        assert_eq!(Route::of("/learn/demo/attestation"), attestation);
        assert_eq!(Route::of("/learn/demo/attestation.html"), attestation);
        assert_eq!(
            Route::of("/learn/demo/assessment/final"),
            Route::Course { course: "demo".into(), page: CoursePage::Assessment("final".into()) }
        );
        assert_eq!(Route::of("/learn/demo/assessment"), lesson("demo", "assessment"), "a lesson then, not found");
        for other in ["/learn", "/learn/", "/index.html", "/courses/demo/img/a.svg", "/learn/demo/a/b/c", "/x"] {
            assert_eq!(Route::of(other), Route::NotFound, "{other}");
        }
    }

    #[test]
    fn a_route_is_read_under_the_base_only() {
        let base = "/pluginfile.php/7/mod_scorm/content/1";
        assert_eq!(Route::under_base(&format!("{base}/learn/demo/intro"), base), lesson("demo", "intro"));
        assert_eq!(Route::under_base(&format!("{base}/"), base), Route::Catalog);
        assert_eq!(Route::under_base(base, base), Route::Catalog);
        assert_eq!(Route::under_base("/learn/demo/intro", base), Route::NotFound, "another part of the LMS");
        assert_eq!(Route::under_base(&format!("{base}0/learn/demo"), base), Route::NotFound);
        assert_eq!(Route::under_base("/learn/demo/intro", ""), lesson("demo", "intro"));
    }

    #[test]
    fn parameters_are_read_from_their_route() {
        let route = Route::of("/learn/demo/assessment/final");
        assert_eq!(route.param("course"), Some("demo"));
        assert_eq!(route.param("assessment"), Some("final"));
        assert_eq!(route.param("lesson"), None);
        assert_eq!(Route::of("/").param("course"), None);
        assert_eq!(route.course_page_kind(), Some(CoursePageKind::Assessment));
        assert_eq!(route.frame(), Frame::Course);
    }

    #[test]
    fn a_query_parameter_is_found_with_or_without_a_value() {
        assert!(query_has("?details", "details"));
        assert!(query_has("?a=1&details=", "details"));
        assert!(!query_has("?detailsx=1", "details"));
        assert!(!query_has("", "details"));
    }
}
