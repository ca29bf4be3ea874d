//! The interface's texts in French and English fill the same placeholders, and every place that
//! fills one names a placeholder the text has: `Messages::fill` takes names as strings, so this is
//! where a misspelt `{n}` or a translation that lost one is caught.

use parcours::i18n::{EN, FR};
use std::collections::{BTreeMap, BTreeSet};

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_lowercase() || c == '_') && close > 0 => {
                found.insert(after[..close].to_owned());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

fn texts(messages: &parcours::i18n::Messages) -> BTreeMap<String, String> {
    let value = serde_json::to_value(messages).expect("messages serialise");
    value
        .as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect()
}

#[test]
fn french_and_english_texts_fill_the_same_placeholders() {
    let (french, english) = (texts(&FR), texts(&EN));
    assert_eq!(french.keys().collect::<Vec<_>>(), english.keys().collect::<Vec<_>>());
    let differing: Vec<String> = french
        .iter()
        .filter(|(key, text)| placeholders(text) != placeholders(&english[*key]))
        .map(|(key, text)| format!("{key}: {text:?} / {:?}", english[key]))
        .collect();
    assert!(differing.is_empty(), "placeholders differ:\n{}", differing.join("\n"));
}

#[test]
fn every_fill_names_a_placeholder_its_text_has() {
    let french = texts(&FR);
    let mut checked = 0;
    let mut wrong = Vec::new();
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    for entry in std::fs::read_dir(ui).expect("src/ui") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue; // a page's tests, in a folder of its own
        }
        let source = std::fs::read_to_string(&path).expect("UTF-8");
        // `Messages::fill(messages.name, "placeholder"` (the innermost fill of a chain).
        for (at, _) in source.match_indices("fill(messages.") {
            let rest = &source[at + "fill(messages.".len()..];
            let key: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            let Some(name) = rest[key.len()..].strip_prefix(", \"").and_then(|r| r.split('"').next()) else { continue };
            checked += 1;
            match french.get(&key) {
                Some(text) if placeholders(text).contains(name) => {}
                _ => wrong.push(format!("{}: messages.{key} has no {{{name}}}", path.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 20, "the interface fills placeholders in many places ({checked} found)");
}
