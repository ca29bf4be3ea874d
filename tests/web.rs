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

/// Every body the player sends reads back identical through `JSON.stringify(JSON.parse(body))`:
/// an LMS that forwards it re-serialized (ADL's reference cmi5 player does, with the original
/// Content-Length) forwards exactly what was announced.
mod bodies_as_javascript_writes_them {
    use super::*;
    use parcours::course::{AssessmentId, Course};
    use parcours::lms::cmi5::{Cmi5Launch, LaunchData, LaunchParams, LearnerPreferences};
    use parcours::lms::StatementLaunch;
    use parcours::progress::{AttemptRecord, CourseProgress};
    use parcours::quiz::{grade, score_attempt, Response};
    use parcours::xapi::statement::{Session, Stamp, Statement};

    fn course() -> Course {
        let gift = |prefix: &str| {
            format!(
                "::{prefix}T:: Vrai ? {{T}}\n\n::{prefix}C:: Lesquels ? {{~%50%a ~%50%b ~%-100%c}}\n\n\
                 ::{prefix}N:: Pi ? {{#3.14:0.01}}\n\n::{prefix}S:: Capitale ? {{=Paris}}\n\n\
                 ::{prefix}P:: Associez {{=chat -> miaou =chien -> ouaf =vache -> meuh}}\n"
            )
        };
        let files = MemoryFiles::default()
            .with(
                "course.toml",
                "id = \"https://example.org/courses/j\"\ntitle = \"Écrire « juste »\"\nlanguage = \"fr\"\n\
                 duration-minutes = 5\n\
                 [[modules]]\ntitle = \"M\"\nlessons = [\"l.md\"]\n\
                 [[assessments]]\ntitle = \"Final\"\nfile = \"final.gift\"\npass-mark = 0.7\n",
            )
            .with("l.md", &format!("# Leçon\n\n```gift\n{}```\n", gift("Q")))
            .with("final.gift", &gift("F"));
        let slug = CourseSlug::parse("j").unwrap();
        let check = check_course(&slug, &files, &Urls::player(&slug));
        assert!(check.passes(), "{:?}", check.diagnostics);
        check.course.unwrap()
    }

    fn launch() -> Cmi5Launch {
        let actor = r#"{"account":{"homePage":"https://lms.example.org","name":"marie"}}"#;
        let query = [
            ("endpoint", "https://lms.example.org/xapi"),
            ("fetch", "https://lms.example.org/fetch/1"),
            ("actor", actor),
            ("registration", "6f1b1c76-5a3e-4e0b-9a53-1c2d3e4f5a6b"),
            ("activityId", "https://lms.example.org/au/1"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let params = LaunchParams::from_query(&query).unwrap().unwrap();
        let data = r#"{"launchMode": "Normal", "moveOn": "CompletedAndPassed", "masteryScore": 0.75,
            "contextTemplate": {"contextActivities": {"grouping": [{"id": "https://lms.example.org/c"}]},
            "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s"}}}"#;
        let data = LaunchData::parse(Some(200), data, None).unwrap();
        Cmi5Launch { params, data, preferences: LearnerPreferences::default(), saved_progress: None }
    }

    fn responses() -> Vec<Response> {
        vec![
            Response::TrueFalse(true),
            Response::Choices(vec![0, 1]),
            Response::Number("3,141".into()),
            Response::Text("Paris".into()),
            Response::Matching(vec![Some(0), Some(2), None]),
        ]
    }

    /// The statements of a whole cmi5 session: every practice question answered, three attempts
    /// (failed at 1/5, passed with a partly right matching, one more after the pass), then
    /// `terminated`; and the progress it leaves.
    fn a_session() -> (Vec<Statement>, CourseProgress) {
        let course = course();
        let launch = launch();
        let session = Session { course: &course, actor: launch.params.actor.clone(), registration: "r".into() };
        let mut n = 0;
        let mut new_id = || {
            n += 1;
            format!("00000000-0000-4000-8000-{n:012}")
        };
        let mut statements: Vec<Statement> =
            launch.adapt(session.initialized(Stamp { id: new_id(), at_ms: 1.8e12 }), &course).into_iter().collect();
        let mut progress = CourseProgress::new(&course, "r".into(), 1.8e12);
        let lesson = course.lessons().next().unwrap();
        let mut at = 1.8e12;
        let mut change = |progress: &mut CourseProgress, apply: &dyn Fn(&mut CourseProgress)| {
            let before = progress.clone();
            apply(progress);
            statements.extend(launch.statements_for_change(&session, &before, progress, &mut new_id));
        };
        for (question, response) in lesson.questions().zip(responses()) {
            at += 1_000.5;
            let graded = grade(question, &response).unwrap();
            change(&mut progress, &|p| p.record_answer(&course, &question.id, response.clone(), graded.clone(), at));
        }
        let assessment = AssessmentId::parse("final").unwrap();
        let questions: Vec<_> = course.assessments[0].questions().cloned().collect();
        let mark = launch.pass_marks().of(&course.assessments[0]);
        for given in [vec![Response::TrueFalse(true)], responses(), responses()] {
            let in_order: Vec<Option<Response>> = given.iter().cloned().map(Some).collect();
            let responses = questions.iter().zip(&given).map(|(q, r)| (q.id.to_string(), r.clone())).collect();
            at += 60_000.25;
            let attempt = AttemptRecord {
                score: score_attempt(&questions, &in_order, mark),
                responses,
                started_at: at - 30_000.0,
                finished_at: at,
            };
            change(&mut progress, &|p| p.record_attempt(&course, &assessment, attempt.clone()));
        }
        let terminated = session.terminated(Stamp { id: new_id(), at_ms: at + 1.0 }, 3_723_456);
        statements.extend(launch.adapt(terminated, &course));
        (statements, progress)
    }

    fn read_back_by_javascript(body: &str) -> String {
        let parsed = js_sys::JSON::parse(body).expect("JavaScript reads the body");
        js_sys::JSON::stringify(&parsed).map(String::from).unwrap_or_default()
    }

    #[wasm_bindgen_test]
    fn every_statement_and_the_saved_progress_read_back_byte_for_byte() {
        let (statements, progress) = a_session();
        let verbs: Vec<&str> = statements.iter().map(|s| s.verb.id.rsplit('/').next().unwrap()).collect();
        for verb in ["initialized", "answered", "completed", "failed", "passed", "terminated"] {
            assert!(verbs.contains(&verb), "the session sends `{verb}`: {verbs:?}");
        }
        let batch = parcours::wire::to_string(&statements).unwrap();
        assert_eq!(read_back_by_javascript(&batch), batch);
        for statement in &statements {
            let body = parcours::wire::to_string(statement).unwrap();
            assert_eq!(read_back_by_javascript(&body), body);
        }
        let saved = parcours::progress::compact::encode(&progress, &course(), 4096).unwrap();
        assert_eq!(read_back_by_javascript(&saved), saved);
        // What this guards against: serde_json's own numbers (`1.0`) are not JavaScript's.
        let plain = serde_json::to_string(&statements).unwrap();
        assert_ne!(read_back_by_javascript(&plain), plain, "the session holds whole numbers written as floats");
        assert!(plain.len() > batch.len());
    }
}
