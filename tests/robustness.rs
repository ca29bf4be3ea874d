//! Hostile and broken input, generated: every parser and renderer of the core terminates without
//! panicking, and whatever HTML comes out cannot run script once a browser-grade parser
//! (html5ever, through scraper) has read it. `PROPTEST_CASES` sets the number of cases per property
//! (256 by default; `make test` runs 1,000).
#![cfg(not(target_arch = "wasm32"))]

use parcours::course::compiled::CompiledCourse;
use parcours::course::gift::{parse_gift, Text, TextFormat};
use parcours::course::{check_course, render_markdown, Course, CourseSlug, LessonBlock, Manifest, MemoryFiles, Urls};
use parcours::progress::compact;
use parcours::progress::store::{export_progress, import_progress};
use parcours::progress::{CourseProgress, PassMarks};
use parcours::safe_html::{sanitize, url_scheme};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// What a browser would build from `html` that could run script or load another document.
fn script_in(html: &str) -> Option<String> {
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else { continue };
        let name = element.name().to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "script"
                | "iframe"
                | "object"
                | "embed"
                | "style"
                | "link"
                | "meta"
                | "base"
                | "form"
                | "svg"
                | "math"
                | "frame"
                | "frameset"
                | "template"
                | "textarea"
                | "select"
                | "button"
        ) {
            return Some(format!("<{name}>"));
        }
        for (attribute, value) in element.attrs() {
            let attribute = attribute.to_ascii_lowercase();
            if attribute.starts_with("on") || matches!(attribute.as_str(), "srcdoc" | "formaction" | "action") {
                return Some(format!("{attribute} on <{name}>"));
            }
            if attribute == "style" && !value.starts_with("text-align: ") {
                return Some(format!("style={value:?} on <{name}>"));
            }
            let scheme = url_scheme(value);
            if matches!(attribute.as_str(), "href" | "src" | "xlink:href" | "poster" | "data")
                && scheme.as_deref().is_some_and(|s| !matches!(s, "http" | "https" | "mailto" | "tel"))
            {
                return Some(format!("{attribute}={value:?} on <{name}>"));
            }
        }
    }
    None
}

fn pieces(of: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(of), 0..60).prop_map(|parts| parts.concat())
}

/// Markdown as authors write it, and as an attacker would.
const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "\n",
    "\n\n",
    " ",
    "texte",
    "é",
    "*",
    "_",
    "`",
    "```",
    "```gift\n",
    "```\n",
    "> ",
    "- ",
    "1. ",
    "[lien](",
    "![image](",
    ")",
    "]",
    "[",
    "javascript:alert(1)",
    "JaVa\tScript:x",
    "data:text/html,x",
    "img/a.png",
    "https://ok.example/",
    "{#id",
    " .classe",
    " onclick=alert(1)",
    " style=color:red",
    "}",
    "\\{",
    "\\}",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:x\">",
    "<svg onload=x>",
    "<!--",
    "-->",
    "|a|b|\n|-|-|\n",
    "[^1]",
    "[^1]: note\n",
    "- [x] ",
    "> [!NOTE]\n",
    "&#106;",
    "&lt;",
    "{=4 ~5}",
    "::T::",
    "[markdown]",
    "[html]",
    "\"",
    "'",
    "<",
    ">",
    "&",
];

/// GIFT as Moodle exports it, and broken in every way.
const GIFT: &[&str] = &[
    "::T::",
    "::",
    "Question ?",
    " {",
    "{",
    "}",
    "=",
    "~",
    "#",
    "####",
    "%50%",
    "%-100%",
    "->",
    "T",
    "F",
    "TRUE",
    "#3:1",
    "#1..2",
    "[markdown]",
    "[html]",
    "[plain]",
    "[moodle]",
    "\\{",
    "\\}",
    "\\=",
    "\\~",
    "\\#",
    "\\:",
    "\n",
    "\n\n",
    "$CATEGORY: x\n",
    "// commentaire\n",
    "<b>",
    "<script>alert(1)</script>",
    "**gras**",
    "[x](javascript:alert(1))",
    "## T {onclick=x}",
    "*",
    "0",
    "1.5",
    "-",
    " ",
    "é",
];

const TOML: &[&str] = &[
    "id = ",
    "title = ",
    "language = ",
    "\"urn:x\"",
    "\"T\"",
    "\"fr\"",
    "\n",
    "[[modules]]\n",
    "lessons = [",
    "\"l.md\"",
    "]",
    "[[assessments]]\n",
    "file = ",
    "pass-mark = ",
    "0.8",
    "attempts = ",
    "3",
    "'",
    "\"",
    "{",
    "}",
    "=",
    "[",
    "x",
    "é",
    "#",
    ",",
    "\\u0000",
    "\"\"\"",
    "inconnu = 1\n",
];

fn demo() -> &'static Course {
    static DEMO: OnceLock<Course> = OnceLock::new();
    DEMO.get_or_init(|| {
        let files = MemoryFiles::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("courses/demo")).unwrap();
        let slug = CourseSlug::parse("demo").unwrap();
        check_course(&slug, &files, &Urls::player(&slug)).course.expect("the demo course builds")
    })
}

proptest! {
    #[test]
    fn markdown_renders_without_panic_and_never_as_script(source in pieces(MARKDOWN)) {
        let rendered = render_markdown(&source, "fr", &|link| link.url.clone());
        let html = rendered.html();
        prop_assert_eq!(script_in(html.as_str()), None, "{}", html);
    }

    #[test]
    fn gift_parses_without_panic_and_its_texts_never_render_as_script(source in pieces(GIFT)) {
        let parsed = parse_gift(&source);
        for question in &parsed.questions {
            for format in [TextFormat::Markdown, TextFormat::Html, TextFormat::Moodle, question.stem.format] {
                let html = Text::new(format, question.stem.body.clone()).to_html("fr");
                prop_assert_eq!(script_in(html.as_str()), None, "{}", html);
            }
        }
    }

    #[test]
    fn any_html_at_all_comes_out_of_the_boundary_without_script(source in pieces(MARKDOWN)) {
        let html = sanitize(&source).html;
        prop_assert_eq!(script_in(html.as_str()), None, "{}", html);
    }

    #[test]
    fn a_course_manifest_parses_or_fails_without_panic(source in pieces(TOML)) {
        let _ = Manifest::parse(&source);
    }

    #[test]
    fn a_whole_course_of_hostile_files_checks_without_panic(
        manifest_tail in pieces(TOML), lesson in pieces(MARKDOWN), quiz in pieces(GIFT)
    ) {
        let manifest = format!(
            "id = \"urn:x\"\ntitle = \"T\"\nlanguage = \"fr\"\n[[modules]]\ntitle = \"M\"\nlessons = [\"l.md\"]\n\
             [[assessments]]\nfile = \"q.gift\"\ntitle = \"Q\"\n{manifest_tail}"
        );
        let files = MemoryFiles::default()
            .with("course.toml", &manifest)
            .with("l.md", &lesson)
            .with("q.gift", &quiz);
        let slug = CourseSlug::parse("x").unwrap();
        let check = check_course(&slug, &files, &Urls::player(&slug));
        if let Some(course) = check.course {
            for lesson in course.lessons() {
                let html = lesson.html();
                prop_assert_eq!(script_in(html.as_str()), None, "{}", html);
            }
        }
    }

    #[test]
    fn an_imported_progress_file_is_read_or_refused_without_panic(text in any::<String>(), json in pieces(&[
        "{", "}", "[", "]", ",", ":", "\"format\"", "\"parcours-progress\"", "\"progress\"", "\"course_id\"",
        "\"https://parcours.example.org/courses/demo\"", "\"schema\"", "1", "99", "-1", "1e308", "null", "true",
        "\"lessons\"", "\"attempts\"", "\"answers\"", "\"score\"", "\"x\"",
    ])) {
        let _ = import_progress(&text, demo(), 1.8e12, PassMarks::COURSE);
        let _ = import_progress(&json, demo(), 1.8e12, PassMarks::COURSE);
    }

    #[test]
    fn a_compact_progress_from_an_lms_is_read_or_refused_without_panic(text in any::<String>(), compact_like in pieces(&[
        "1", "2", ".", "~", "|", ";", ":", ",", "a", "z", "0", "-", "!", "_", "=", "é",
    ])) {
        let _ = compact::decode(&text, demo(), PassMarks::COURSE);
        let _ = compact::decode(&compact_like, demo(), PassMarks::COURSE);
    }
}

/// A compact form as an LMS could hand it back: the right shape, any numbers and texts.
fn compact_form() -> impl Strategy<Value = String> {
    let number = prop::sample::select(vec![0u64, 1, 59, 1_700_000_000, u64::MAX / 1000 + 1, u64::MAX]);
    let text = prop::sample::select(vec!["", "x", "abcde1", "abcde2abcdf9", "la1b2", "\0", "é"]);
    (number.clone(), number.clone(), number.clone(), text.clone(), prop::collection::vec((text.clone(), number.clone(), number.clone(), text.clone(), text.clone()), 0..4), prop::option::of(number.clone()), prop::option::of(number))
        .prop_map(|(s, u, t, l, x, c, w)| {
            let attempts: Vec<serde_json::Value> =
                x.into_iter().map(|(id, a, b, q, r)| serde_json::json!([id, a, b, { q: r }])).collect();
            serde_json::json!({ "v": 1, "r": "r", "s": s, "u": u, "t": t, "l": l, "x": attempts, "c": c, "w": w, "p": "ax" })
                .to_string()
        })
}

proptest! {
    #[test]
    fn a_compact_form_of_the_right_shape_with_any_values_is_read_without_panic(form in compact_form()) {
        if let Ok(progress) = compact::decode(&form, demo(), PassMarks::COURSE) {
            prop_assert!(progress.passed_at.is_none(), "no pass without a passed attempt");
        }
    }
}

/// The compiled file of every course folder the project has: the bundled courses and the
/// fixtures, broken ones included.
fn every_compiled_course() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folders = ["courses", "tests/fixtures"].into_iter().flat_map(|parent| {
        let entries = std::fs::read_dir(root.join(parent)).unwrap().map(|entry| entry.unwrap().path());
        entries.filter(|folder| folder.join("course.toml").is_file()).collect::<Vec<_>>()
    });
    let compiled = folders.map(|folder| {
        let name = folder.file_name().unwrap().to_str().unwrap().to_owned();
        let files = MemoryFiles::read_dir(&folder).unwrap();
        let slug = CourseSlug::parse(&name).unwrap();
        (name, CompiledCourse::of(&check_course(&slug, &files, &Urls::player(&slug))).to_json())
    });
    compiled.collect()
}

#[test]
fn every_course_and_fixture_reads_back_from_its_compiled_file_exactly_as_written() {
    let compiled = every_compiled_course();
    assert!(compiled.len() >= 12, "the bundled courses and the fixtures: {}", compiled.len());
    let mut playable = 0;
    for (name, json) in &compiled {
        let read = CompiledCourse::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        playable += usize::from(matches!(read, CompiledCourse::Playable { .. }));
        // What `Serialize` writes is the format's definition: read back, nothing differs.
        let again = read.to_json();
        let differs =
            again.bytes().zip(json.bytes()).position(|(a, b)| a != b).or((again.len() != json.len()).then_some(0));
        if let Some(at) = differs {
            let around =
                |text: &str| text.get(at.saturating_sub(80)..(at + 80).min(text.len())).unwrap_or("").to_owned();
            panic!("{name}: differs at byte {at}:\nread back: {}\nwritten:   {}", around(&again), around(json));
        }
    }
    assert!(playable >= 8, "most of them play: {playable}");
}

/// A compiled course's HTML, and every address it gives the page, as the player would show them.
fn shown_html(course: &Course) -> Vec<String> {
    let mut shown: Vec<String> = course.assessments.iter().map(|a| a.intro_html.as_str().to_owned()).collect();
    for block in course.lessons().flat_map(|lesson| &lesson.body) {
        match block {
            LessonBlock::Html { html } => shown.push(html.as_str().to_owned()),
            LessonBlock::Media { media } => {
                shown.extend(media.transcript.iter().map(|t| t.as_str().to_owned()));
                let urls = media.captions.iter().map(|c| &c.url).chain(&media.poster);
                shown.extend(urls.map(|url| format!("<img src=\"{}\">", url.replace('"', "&quot;"))));
            }
            LessonBlock::Quiz { .. } => {}
        }
    }
    shown
}

const COMPILED_PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "\\\"><svg onload=alert(1)>",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "1e400",
    "-1",
    "\"kind\":\"media\"",
    "\"type\":\"embed\"",
    "\"url\":\"javascript:alert(1)\"",
    "\"id\":\"../x\"",
    "\"format\":2",
];

proptest! {
    #[test]
    fn a_tampered_compiled_course_is_refused_or_shows_no_script(
        at in 0usize..1_000_000, piece in proptest::sample::select(COMPILED_PIECES), cut in any::<bool>()
    ) {
        static DEMO_JSON: OnceLock<String> = OnceLock::new();
        let json = DEMO_JSON.get_or_init(|| CompiledCourse::playable(demo()).to_json());
        let mut at = at % json.len();
        while !json.is_char_boundary(at) {
            at -= 1;
        }
        let end = if cut { json[at..].char_indices().nth(piece.len()).map_or(json.len(), |(i, _)| at + i) } else { at };
        let tampered = format!("{}{piece}{}", &json[..at], &json[end..]);
        if let Ok(CompiledCourse::Playable { course, .. }) = CompiledCourse::from_json(&tampered) {
            for html in shown_html(&course) {
                prop_assert_eq!(script_in(&html), None, "{}", html);
            }
        }
    }
}

#[test]
fn very_deep_nesting_is_read_without_overflowing_the_stack() {
    let depth = 50_000;
    for markdown in
        ["> ".repeat(depth) + "x", "- ".repeat(depth) + "x", "[".repeat(depth) + "x" + &"](y)".repeat(depth)]
    {
        let html = render_markdown(&markdown, "fr", &|link| link.url.clone()).html();
        assert_eq!(script_in(html.as_str()), None);
    }
    let html = sanitize(&"<div><b>".repeat(depth)).html;
    assert!(html.as_str().matches("<div>").count() < 100, "nesting is capped");
    let toml = format!("id = {}1{}", "[".repeat(depth), "]".repeat(depth));
    assert!(Manifest::parse(&toml).is_err());
    let json = format!("{{\"format\":\"parcours-progress\",\"progress\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
    assert!(import_progress(&json, demo(), 1.8e12, PassMarks::COURSE).is_err());
    let gift = "{".repeat(depth) + &"}".repeat(depth);
    let _ = parse_gift(&gift);
    let compiled =
        format!("{{\"format\":2,\"kind\":\"playable\",\"course\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
    assert!(CompiledCourse::from_json(&compiled).is_err());
}

#[test]
fn an_exported_progress_file_comes_back_as_it_was() {
    let progress = CourseProgress::new(demo(), "6f1b1c76-5a3e-4e0b-9a53-1c2d3e4f5a6b".into(), 1_700_000_000_000.0);
    let text = export_progress(&progress);
    assert_eq!(import_progress(&text, demo(), 1.8e12, PassMarks::COURSE), Ok(progress));
}
