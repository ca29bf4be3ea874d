//! Every place the player writes HTML into the page takes a `SafeHtml` from the sanitizing
//! boundary (`src/safe_html.rs`). This test reads the sources: a new `inner_html` fed with a plain
//! string, or another way of writing markup, fails here before it reaches a learner.

use std::fs;
use std::path::Path;

fn rust_sources(folder: &Path, found: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(folder).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push((path.display().to_string(), fs::read_to_string(&path).expect("source is UTF-8")));
        }
    }
}

#[test]
fn inner_html_only_ever_takes_sanitized_html() {
    let mut sources = Vec::new();
    rust_sources(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(), &mut sources);
    let mut sinks = 0;
    for (file, text) in &sources {
        for (offset, _) in text.match_indices("inner_html=") {
            sinks += 1;
            let value = &text[offset + "inner_html=".len()..];
            let expression = value.split('}').next().unwrap_or_default();
            assert!(
                expression.starts_with('{') && expression.ends_with(".into_inner_html()"),
                "{file}: inner_html must take `{{html.into_inner_html()}}` of a SafeHtml, not `{}`",
                &value[..value.len().min(40)]
            );
        }
        for other in ["set_inner_html", "set_outer_html", "insert_adjacent_html", "prop:innerHTML", "document.write"] {
            assert!(!text.contains(other), "{file}: {other} writes HTML around the sanitizing boundary");
        }
    }
    assert!(sinks >= 8, "the player shows lessons and questions through inner_html ({sinks} found)");
}
