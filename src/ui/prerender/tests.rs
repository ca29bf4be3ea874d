use super::*;
use crate::course::{check_course, CourseSlug, MemoryFiles, Urls};
use std::path::Path;

fn bundled(slug: &str) -> Arc<Course> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("courses").join(slug);
    let slug = CourseSlug::parse(slug).unwrap();
    Arc::new(check_course(&slug, &MemoryFiles::read_dir(&dir).unwrap(), &Urls::player(&slug)).course.unwrap())
}

#[test]
fn a_lesson_page_holds_its_text_the_table_of_contents_and_the_way_on() {
    let course = bundled("demo");
    let site = Site { language: "fr", course: Some(&course), ..Site::default() };
    let page = render("/learn/demo/bienvenue", &site);
    assert!(page.body.contains("Bienvenue dans Parcours"), "{}", page.body);
    // Every link relative to the page (served at /learn/demo/bienvenue, under any path).
    assert!(page.body.contains("href=\"../../learn/demo/naviguer\""), "the next lesson: {}", page.body);
    assert!(page.body.contains("href=\"../../learn/demo\""), "the overview");
    assert!(page.body.contains("href=\"../../\""), "the catalog");
    assert!(!page.body.contains("href=\"/"), "no address from the host's root");
    assert_eq!(page.head.language, "fr");
    assert!(page.head.title.contains("Bienvenue"), "{:?}", page.head);
}

#[test]
fn every_page_of_the_bundled_courses_renders_whole_in_its_language() {
    for slug in ["demo", "ia-generatives", "writing-a-course"] {
        let course = bundled(slug);
        let site = Site { language: "fr", course: Some(&course), ..Site::default() };
        for route in routes_of(&course) {
            let page = render(&route, &site);
            assert_eq!(page.head.language, course.language, "{route}");
            assert!(page.head.title.ends_with(&format!("{} — Parcours", course.title)), "{route}: {:?}", page.head);
            assert!(page.body.contains("id=\"page-title\""), "{route}: a page with its heading");
            assert!(!page.body.contains("Chargement"), "{route}: nothing left loading");
        }
    }
}

#[test]
fn the_catalog_page_lists_the_courses() {
    let courses = ["demo", "ia-generatives"].map(bundled);
    let catalog = Catalog { courses: courses.iter().map(|c| c.as_ref().into()).collect() };
    let page = render("/", &Site { language: "fr", catalog: Some(&catalog), ..Site::default() });
    assert_eq!(page.head.title, "Catalogue des parcours — Parcours");
    for course in &courses {
        assert!(page.body.contains(&format!("href=\"./learn/{}\"", course.slug)), "{}", page.body);
    }
}

#[test]
fn the_way_to_the_root_climbs_one_folder_per_level_of_the_route() {
    assert_eq!(way_to_root("/"), ".");
    assert_eq!(way_to_root("/learn/demo"), "..");
    assert_eq!(way_to_root("/learn/demo/intro"), "../..");
    assert_eq!(way_to_root("/learn/demo/assessment/final"), "../../..");
}

#[test]
fn a_hostile_course_reaches_no_pre_rendered_page_as_script() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let slug = CourseSlug::parse("hostile").unwrap();
    let course = check_course(&slug, &MemoryFiles::read_dir(&dir).unwrap(), &Urls::player(&slug)).course.unwrap();
    let course = Arc::new(course);
    let site = Site { language: "fr", course: Some(&course), ..Site::default() };
    for route in routes_of(&course) {
        // Read as a browser reads it: the author's attempts may show as text, never as markup.
        let page = scraper::Html::parse_fragment(&render(&route, &site).body);
        for element in page.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let name = element.value().name();
            assert!(!["script", "iframe", "object", "embed"].contains(&name), "{route}: a <{name}>");
            for (attribute, value) in element.value().attrs() {
                assert!(!attribute.starts_with("on"), "{route}: <{name} {attribute}>");
                let value = value.trim().to_ascii_lowercase();
                assert!(
                    !value.starts_with("javascript:") && !value.starts_with("data:text"),
                    "{route}: {attribute}={value}"
                );
            }
        }
    }
}

#[test]
fn a_package_page_links_to_files_the_lms_serves_as_they_are() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("courses/demo");
    let slug = CourseSlug::parse("demo").unwrap();
    let urls = Urls::player(&slug).with_page_suffix(crate::course::PAGE_FILE_SUFFIX);
    let course = Arc::new(check_course(&slug, &MemoryFiles::read_dir(&dir).unwrap(), &urls).course.unwrap());
    let site = Site { language: "fr", course: Some(&course), packaged: true, ..Site::default() };
    let lesson = render("/learn/demo/bienvenue", &site).body;
    assert!(lesson.contains("href=\"../../learn/demo/naviguer.html\""), "the next lesson: {lesson}");
    assert!(lesson.contains("href=\"../../learn/demo.html\""), "the overview");
    // Home is the course's overview: loading the package's index.html again would end the LMS
    // session and start another.
    assert!(!lesson.contains("index.html"), "{lesson}");
    let brand = scraper::Selector::parse("a.brand").unwrap();
    let fragment = scraper::Html::parse_fragment(&lesson);
    let home = fragment.select(&brand).next().and_then(|a| a.value().attr("href"));
    assert_eq!(home, Some("../../learn/demo.html"));
    // A link written in the lesson's Markdown too.
    assert!(lesson.contains("href=\"./naviguer.html\""), "{lesson}");
    let navigating = render("/learn/demo/conclusion", &site).body;
    assert!(navigating.contains("href=\"./bienvenue.html\""), "{navigating}");
    // The package's index.html, at its root, is the course's overview.
    let index = render_at("/learn/demo", ".", &site).body;
    assert!(index.contains("href=\"./learn/demo/bienvenue.html\""), "{index}");
    for page in [&lesson, &navigating, &index] {
        let html = scraper::Html::parse_fragment(page);
        let links = scraper::Selector::parse("a[href]").unwrap();
        for href in html.select(&links).filter_map(|a| a.value().attr("href")) {
            let path = href.split('#').next().unwrap_or_default();
            assert!(
                path.is_empty()
                    || path.ends_with(".html")
                    || path.starts_with("../../courses/")
                    || href.starts_with("http"),
                "a link the LMS has no file for: {href}"
            );
        }
    }
}
