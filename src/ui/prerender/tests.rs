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
    let site = Site { language: "fr", catalog: None, course: Some(&course) };
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
        let site = Site { language: "fr", catalog: None, course: Some(&course) };
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
    let page = render("/", &Site { language: "fr", catalog: Some(&catalog), course: None });
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
    let site = Site { language: "fr", catalog: None, course: Some(&course) };
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
