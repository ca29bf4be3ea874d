//! Browser tests: run in headless Chromium by wasm-bindgen-test (`make test-browser`).
#![cfg(target_arch = "wasm32")]

use parcours::course::{check_course, CourseSlug, MemoryFiles, Urls};
use parcours::web::{fetch_bytes, FetchError};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// What the player injects into the page stays inert in a real DOM: no script element, no event
/// handler attribute, no `javascript:` link.
#[wasm_bindgen_test]
fn rendered_lessons_cannot_run_script_in_the_page() {
    let lesson = "# Piège\n\n<script>window.pwned = 1</script>\n\n<img src=x onerror=\"window.pwned=1\">\n\n\
                  [clic](javascript:window.pwned=1) ![i](data:text/html,<script>x</script>)\n\n<a href=\"javascript:1\">a</a>\n";
    let files = MemoryFiles::default()
        .with(
            "course.toml",
            "id = \"urn:x\"\ntitle = \"T\"\nlanguage = \"fr\"\n[[modules]]\ntitle = \"M\"\nlessons = [\"l.md\"]\n",
        )
        .with("l.md", lesson);
    let slug = CourseSlug::parse("x").unwrap();
    let check = check_course(&slug, &files, &Urls::player(&slug));
    // The unsafe links are reported to the author, and the course still renders safely.
    assert!(!check.passes());
    let html = check.course.unwrap().lessons().next().unwrap().html();

    let container = document().create_element("div").unwrap();
    container.set_inner_html(html.as_str());
    document().body().unwrap().append_child(&container).unwrap();
    assert_eq!(container.query_selector_all("script").unwrap().length(), 0);
    assert_eq!(container.query_selector_all("img").unwrap().length(), 0);
    let elements = container.query_selector_all("*").unwrap();
    for i in 0..elements.length() {
        let element: web_sys::Element = elements.item(i).unwrap().unchecked_into();
        for name in element.get_attribute_names().iter() {
            let name = name.as_string().unwrap();
            assert!(!name.starts_with("on"), "event handler attribute {name} in {html}");
            let value = element.get_attribute(&name).unwrap_or_default().to_lowercase();
            assert!(!value.contains("javascript:"), "{name}={value} in {html}");
        }
    }
    assert!(container.text_content().unwrap().contains("<script>window.pwned = 1</script>"));
    container.remove();
}

/// A missing file is a 404, told apart from a network failure.
#[wasm_bindgen_test]
async fn fetching_a_missing_file_is_not_found() {
    let error = fetch_bytes("/no-such-file-here.md").await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

/// An unreachable server is a network error (the player says "check your connection").
#[wasm_bindgen_test]
async fn fetching_from_a_closed_port_is_a_network_error() {
    let error = fetch_bytes("http://127.0.0.1:9/x.md").await.unwrap_err();
    assert!(matches!(error, FetchError::Network { .. }), "{error:?}");
}

/// The page language and title follow what the player sets.
#[wasm_bindgen_test]
fn page_language_and_title_are_set() {
    parcours::web::set_page_language("en");
    parcours::web::set_title("Une leçon — Parcours");
    assert_eq!(document().document_element().unwrap().get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(document().title(), "Une leçon — Parcours");
}

mod storage {
    use parcours::course::{check_course, Course, CourseSlug, MemoryFiles, Urls};
    use parcours::progress::store::{
        load_progress, progress_key, update_progress, KeyValueStore, LoadNotice, StoreError,
    };
    use parcours::web::storage::BrowserStore;
    use wasm_bindgen_test::*;

    fn course() -> Course {
        let files = MemoryFiles::default()
            .with("course.toml", "id = \"urn:parcours:web-test\"\ntitle = \"T\"\nlanguage = \"fr\"\n[[modules]]\ntitle = \"M\"\nlessons = [\"l.md\"]\n")
            .with("l.md", "# L\n\nTexte.\n");
        let slug = CourseSlug::parse("t").unwrap();
        check_course(&slug, &files, &Urls::player(&slug)).course.unwrap()
    }

    fn local_storage() -> web_sys::Storage {
        web_sys::window().unwrap().local_storage().unwrap().unwrap()
    }

    #[wasm_bindgen_test]
    fn the_browser_store_reads_writes_and_removes() {
        let store = BrowserStore::local();
        store.set("parcours:test", "valeur").unwrap();
        assert_eq!(store.get("parcours:test").unwrap().as_deref(), Some("valeur"));
        assert_eq!(local_storage().get_item("parcours:test").unwrap().as_deref(), Some("valeur"));
        store.remove("parcours:test").unwrap();
        assert_eq!(store.get("parcours:test").unwrap(), None);
    }

    #[wasm_bindgen_test]
    fn an_injected_corrupted_value_is_backed_up_in_local_storage() {
        let course = course();
        let key = progress_key(course.id.as_str());
        local_storage().set_item(&key, "{\"version\": 1, \"lessons\": [").unwrap();
        let loaded = load_progress(&BrowserStore::local(), &course, || "r".into(), 5.0);
        assert!(
            matches!(loaded.notice, Some(LoadNotice::Corrupted { backup_key: Some(_), .. })),
            "{:?}",
            loaded.notice
        );
        assert_eq!(
            local_storage().get_item(&format!("{key}:backup:5")).unwrap().as_deref(),
            Some("{\"version\": 1, \"lessons\": [")
        );
        local_storage().clear().unwrap();
    }

    #[wasm_bindgen_test]
    fn a_storage_that_throws_quota_errors_is_reported_full_and_nothing_is_lost() {
        let course = course();
        let store = BrowserStore::local();
        let mut progress = load_progress(&store, &course, || "r".into(), 1.0).progress;
        js_sys::eval(
            "window.__setItem = Storage.prototype.setItem; \
             Storage.prototype.setItem = function() { throw new DOMException('full', 'QuotaExceededError'); };",
        )
        .unwrap();
        let lesson = parcours::course::LessonId::parse("l").unwrap();
        let result = update_progress(&store, &course, &mut progress, |p| p.complete_lesson(&course, &lesson, 2.0));
        js_sys::eval("Storage.prototype.setItem = window.__setItem;").unwrap();
        assert_eq!(result, Err(StoreError::Full));
        assert!(progress.lesson_completed(&lesson), "kept in memory");
        update_progress(&store, &course, &mut progress, |_| {}).unwrap();
        assert!(load_progress(&store, &course, || unreachable!(), 3.0).progress.lesson_completed(&lesson));
        local_storage().clear().unwrap();
    }
}
