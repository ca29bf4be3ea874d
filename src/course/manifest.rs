//! `course.toml`: the course manifest, as the author writes it.
//!
//! Parsing is strict: an unknown key is an error with its line, column and the expected keys,
//! so a typo never silently drops a setting. Values that later checks must locate are `Spanned`.

use super::diagnostic::{closest, Diagnostic};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use toml::Spanned;

/// The manifest's file name inside a course folder.
pub const MANIFEST_FILE: &str = "course.toml";

/// The top level of `course.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Manifest {
    /// An absolute IRI; it becomes the course's xAPI activity id.
    pub id: Spanned<String>,
    pub title: String,
    /// A BCP 47 language tag: `fr`, `en`, `fr-FR` …
    pub language: Spanned<String>,
    #[serde(default)]
    pub description: String,
    /// What a learner will be able to do after the course, one sentence each, shown on its page.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Estimated time to follow the whole course.
    pub duration_minutes: Option<Spanned<u32>>,
    /// The content version; progress is tied to it (with stable ids, it survives edits).
    #[serde(default = "default_version")]
    pub version: String,
    pub modules: Vec<ManifestModule>,
    /// Graded assessments, shown after the modules.
    #[serde(default)]
    pub assessments: Vec<ManifestAssessment>,
    /// Whether practice questions show the accepted answers after a wrong check.
    #[serde(default = "default_true")]
    pub reveal_practice_answers: bool,
    /// In a cmi5 package, what satisfies the course for the LMS (`cmi5.xml`'s `moveOn`).
    pub move_on: Option<super::MoveOn>,
    /// The share of a video or a sound to play for it to count as watched.
    #[serde(default = "default_media_threshold_spanned")]
    pub media_completion_threshold: Spanned<f64>,
    /// The satisfaction survey offered once the course is completed.
    #[serde(default)]
    pub satisfaction: super::Satisfaction,
}

/// 90 %: the credits and the last seconds need not be watched.
pub fn default_media_threshold() -> f64 {
    0.9
}

fn default_media_threshold_spanned() -> Spanned<f64> {
    Spanned::new(0..0, default_media_threshold())
}

/// The keys an `[[assessments]]` table accepts.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ManifestAssessment {
    /// A stable id; defaults to the file name without its extension.
    pub id: Option<Spanned<String>>,
    pub title: String,
    /// A `.gift` file, or a `.md` lesson whose ```gift blocks are the questions.
    pub file: Spanned<String>,
    /// The share of the marks needed to pass, between 0 and 1.
    #[serde(default = "default_pass_mark")]
    pub pass_mark: Spanned<f64>,
    /// How many attempts a learner has; unlimited when absent.
    pub attempts: Option<Spanned<u32>>,
    /// Shuffle the answers of choice questions (the order stays the same within an attempt).
    #[serde(default)]
    pub shuffle: bool,
    /// Show the right answers once the last attempt is used (or the assessment passed).
    #[serde(default = "default_true")]
    pub reveal_answers: bool,
    /// Minutes after which an attempt left under way is closed and scored as it stands; an
    /// attempt is kept however long the learner is away when absent.
    pub attempt_timeout: Option<Spanned<u32>>,
}

fn default_pass_mark() -> Spanned<f64> {
    Spanned::new(0..0, 0.7)
}

fn default_true() -> bool {
    true
}

fn default_version() -> String {
    "1".to_owned()
}

/// The keys a `[[modules]]` table accepts.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ManifestModule {
    /// A stable id; defaults to a slug of the title.
    pub id: Option<Spanned<String>>,
    pub title: Spanned<String>,
    pub lessons: Vec<Spanned<ManifestLesson>>,
}

/// A lesson: either just its file (`"intro.md"`) or a table `{ file = "intro.md", id = "…", title = "…" }`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestLesson {
    /// Path of the Markdown file, relative to the course folder.
    pub file: String,
    /// A stable id; defaults to the file name without `.md`.
    pub id: Option<String>,
    /// Defaults to the lesson's first level-1 heading.
    pub title: Option<String>,
}

// A string or a table: serde's `untagged` would lose the precise error of a bad table, so the
// visitor dispatches itself and keeps `deny_unknown_fields` working inside tables.
struct LessonVisitor;

impl<'de> Visitor<'de> for LessonVisitor {
    type Value = ManifestLesson;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a file name like \"intro.md\" or a table { file = \"intro.md\", id = \"intro\" }")
    }

    fn visit_str<E: de::Error>(self, file: &str) -> Result<ManifestLesson, E> {
        Ok(ManifestLesson { file: file.to_owned(), ..ManifestLesson::default() })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ManifestLesson, A::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "kebab-case", deny_unknown_fields)]
        struct Table {
            file: String,
            id: Option<String>,
            title: Option<String>,
        }
        let Table { file, id, title } = Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(ManifestLesson { file, id, title })
    }
}

impl<'de> Deserialize<'de> for ManifestLesson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LessonVisitor)
    }
}

impl Manifest {
    /// Parses `course.toml`. The error is located and, for a misspelt key, names the key meant.
    pub fn parse(source: &str) -> Result<Manifest, Box<Diagnostic>> {
        toml::from_str(source).map_err(|error| Box::new(diagnose_toml_error(source, &error)))
    }
}

fn diagnose_toml_error(source: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().to_owned();
    let mut diagnostic = Diagnostic::error(MANIFEST_FILE, message.clone());
    if let Some(span) = error.span() {
        diagnostic = diagnostic.at(source, span);
    }
    if let Some(hint) = hint_for(&message) {
        diagnostic = diagnostic.hint(hint);
    }
    diagnostic
}

/// A hint for serde's messages: "unknown field `titel`, expected one of `id`, `title`" → "write `title`".
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (unknown, expected) = rest.split_once('`')?;
        let expected: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return Some(match closest(unknown, expected.iter().copied()) {
            Some(meant) => format!("did you mean `{meant}`?"),
            None => format!("the keys allowed here are {}", quoted_list(&expected)),
        });
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next()?;
        return Some(match field {
            "id" => "add `id = \"https://example.org/courses/my-course\"` (an IRI that names the course)".to_owned(),
            "title" => "add `title = \"…\"`".to_owned(),
            "language" => "add `language = \"fr\"` (or \"en\", …)".to_owned(),
            "modules" => "add at least one module: [[modules]] title = \"…\" lessons = [\"intro.md\"]".to_owned(),
            "lessons" => "list the module's lessons: lessons = [\"intro.md\"]".to_owned(),
            "file" => "give the file: file = \"intro.md\"".to_owned(),
            other => format!("add `{other} = …`"),
        });
    }
    None
}

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "https://example.org/courses/demo"
title = "Démo"
language = "fr"
description = "Une démo."
duration-minutes = 15
version = "2"

[[modules]]
title = "Premiers pas"
lessons = ["intro.md", { file = "suite.md", id = "next", title = "La suite" }]
"#;

    #[test]
    fn parses_strings_and_tables_for_lessons() {
        let manifest = Manifest::parse(GOOD).unwrap();
        assert_eq!(manifest.title, "Démo");
        assert_eq!(manifest.duration_minutes.unwrap().into_inner(), 15);
        let lessons: Vec<_> = manifest.modules[0].lessons.iter().map(|l| l.get_ref().clone()).collect();
        assert_eq!(lessons[0].file, "intro.md");
        assert_eq!(lessons[0].id, None);
        assert_eq!(lessons[1].id.as_deref(), Some("next"));
        assert_eq!(lessons[1].title.as_deref(), Some("La suite"));
    }

    #[test]
    fn unknown_key_is_located_and_names_the_key_meant() {
        let source = GOOD.replace("title = \"Démo\"", "titel = \"Démo\"");
        let error = Manifest::parse(&source).unwrap_err();
        assert_eq!(error.file, "course.toml");
        assert_eq!(error.location.unwrap().line, 3);
        assert_eq!(error.location.unwrap().column, 1);
        assert!(error.message.starts_with("unknown field `titel`, expected one of"), "{}", error.message);
        assert_eq!(error.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn unknown_key_in_a_lesson_table_is_located() {
        let source = GOOD.replace("id = \"next\"", "identifier = \"next\"");
        let error = Manifest::parse(&source).unwrap_err();
        assert_eq!(error.location.unwrap().line, 11);
        assert!(error.message.starts_with("unknown field `identifier`"), "{}", error.message);
        assert_eq!(error.hint.as_deref(), Some("the keys allowed here are `file`, `id`, `title`"));
    }

    #[test]
    fn wrong_type_and_missing_key_and_bad_syntax() {
        let error = Manifest::parse(&GOOD.replace("= 15", "= \"quinze\"")).unwrap_err();
        assert_eq!(error.location.unwrap().line, 6);
        assert!(error.message.contains("invalid type"), "{}", error.message);

        let error = Manifest::parse(&GOOD.replace("language = \"fr\"\n", "")).unwrap_err();
        assert!(error.message.contains("missing field `language`"), "{}", error.message);
        assert_eq!(error.hint.as_deref(), Some("add `language = \"fr\"` (or \"en\", …)"));

        let error = Manifest::parse("title = \"unterminated\n").unwrap_err();
        assert_eq!(error.location.unwrap().line, 1);
    }
}
