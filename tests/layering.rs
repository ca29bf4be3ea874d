//! The layers of the code, as the README's "Architecture" draws them, read from the sources:
//! the pure core names no browser or UI crate, and the Leptos app reaches the browser only
//! through `web`. A `use web_sys::…` slipped into a page, or a core module that starts calling
//! the UI, fails here.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_sources(path: &Path, found: &mut Vec<(PathBuf, String)>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).expect("src is readable") {
            rust_sources(&entry.expect("entry").path(), found);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        found.push((path.to_path_buf(), fs::read_to_string(path).expect("source is UTF-8")));
    }
}

fn sources_of(parts: &[&str]) -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for part in parts {
        rust_sources(&src.join(part), &mut found);
    }
    assert!(!found.is_empty(), "no source found under {parts:?}");
    found
}

/// The code of a file, its comments left out (they may name what they avoid).
fn code(text: &str) -> String {
    text.lines().map(|line| line.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

fn assert_none_names(parts: &[&str], forbidden: &[&str], why: &str) {
    for (file, text) in sources_of(parts) {
        let code = code(&text);
        for name in forbidden {
            assert!(!code.contains(name), "{}: names `{name}`: {why}", file.display());
        }
    }
}

#[test]
fn the_core_is_pure() {
    assert_none_names(
        &["course", "quiz", "progress", "xapi", "lms", "safe_html.rs", "safe_html", "i18n.rs"],
        &["web_sys", "js_sys", "wasm_bindgen", "leptos", "crate::ui", "crate::web", "gloo"],
        "the core is tested with plain `cargo test` and knows nothing of the browser or the UI",
    );
}

#[test]
fn the_app_reaches_the_browser_only_through_web() {
    assert_none_names(
        &["ui"],
        &["web_sys", "js_sys", "wasm_bindgen", "gloo"],
        "browser calls belong in `web`, behind small functions with plain Rust types",
    );
}

#[test]
fn the_browser_glue_knows_nothing_of_the_app() {
    assert_none_names(&["web"], &["crate::ui"], "`web` is the lower layer: `ui` uses it, not the reverse");
}
