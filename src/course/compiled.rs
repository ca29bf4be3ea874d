//! The compiled form of a course: what the player fetches, one file per course, written by the
//! CLI (`build`, `package`, `preview`, `catalog`) from the same check `parcours check` runs. The
//! player then parses no TOML, no lesson Markdown and no GIFT file, and fetches one file instead
//! of the manifest and every lesson.
//!
//! The file sits beside the course's folder (`courses/<slug>.json`, the folder holding its images),
//! where no file of the author's can be: the publishing rules only ever write inside the folder.
//! Reading it crosses the trust boundary again: ids are re-parsed and every HTML string is
//! sanitized on the way in, by [`reader`], which reads the file by hand.

use super::gift::{Text, TextFormat};
use super::{render_markdown, Course, CourseCheck, CourseSlug, LessonBlock, QuizItem};
use reader::FromJson;
use serde::Serialize;

pub(crate) mod reader;

/// The shape of the compiled file; the player refuses another (a stale cached file, or a file
/// from another version of Parcours), and says to rebuild. Format 2: every question text carries
/// its own format tag (format 1 left it to the question's format).
pub const COMPILED_FORMAT: u32 = 2;

/// The compiled file of a course, relative to the `courses/` folder.
pub fn compiled_file_name(slug: &CourseSlug) -> String {
    format!("{slug}.json")
}

/// A course as the player receives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum CompiledCourse {
    /// A course to play. Problems inside its lessons (a broken link, a broken question) are in
    /// its model, shown in place.
    Playable {
        format: u32,
        course: Box<Course>,
        /// The course's own files its pages show (paths in its folder), to keep offline.
        shown_files: Vec<String>,
    },
    /// A course whose structure has errors (`build` and `package` refuse it; the player's dev
    /// site and `preview` show why): each error as `check` writes it, with file:line:col.
    Broken { format: u32, errors: Vec<String> },
}

/// Renders every question text written in Markdown (by the question's format or a part's own
/// `[markdown]` tag) to HTML: the player shows it through the sanitizer and reads its plain text
/// the same way, and needs no Markdown parser (the lessons are HTML already).
fn render_markdown_texts(course: &mut Course) {
    let language = course.language.clone();
    let lessons = course.modules.iter_mut().flat_map(|m| m.lessons.iter_mut()).flat_map(|l| l.body.iter_mut());
    let lesson_items = lessons.flat_map(|block| match block {
        LessonBlock::Quiz { quiz } => quiz.items.iter_mut().collect::<Vec<_>>(),
        LessonBlock::Html { .. } | LessonBlock::Media { .. } => Vec::new(),
    });
    let items = lesson_items.chain(course.assessments.iter_mut().flat_map(|a| a.items.iter_mut()));
    for item in items {
        let QuizItem::Question(question) = item else { continue };
        // Short answers are patterns typed responses are matched with, in Moodle's format: never
        // Markdown. An empty text means something (a matching distractor's prompt): it stays empty.
        for text in question.texts_mut() {
            if text.format == TextFormat::Markdown && !text.is_empty() {
                let html = render_markdown(&text.body, &language, &|link| link.url.clone()).html();
                *text = Text::new(TextFormat::Html, html.as_str());
            }
        }
    }
}

/// Why a compiled file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompiledError {
    #[error("the compiled course is not readable ({0}): build the site again with `parcours build`")]
    Unreadable(String),
    #[error(
        "the compiled course is in format {found}, this player reads format {COMPILED_FORMAT}: \
         build the site again with `parcours build` of the same version as the player"
    )]
    OtherFormat { found: u32 },
}

impl CompiledCourse {
    /// A course to play, its question texts written in Markdown rendered to HTML now (see
    /// [`render_markdown_texts`]).
    pub fn playable(course: &Course) -> CompiledCourse {
        let mut compiled = course.clone();
        render_markdown_texts(&mut compiled);
        CompiledCourse::Playable {
            format: COMPILED_FORMAT,
            shown_files: course.shown_files(),
            course: Box::new(compiled),
        }
    }

    /// The compiled form of a check's result.
    pub fn of(check: &CourseCheck) -> CompiledCourse {
        match &check.course {
            Some(course) => CompiledCourse::playable(course),
            None => CompiledCourse::Broken {
                format: COMPILED_FORMAT,
                errors: check.errors().map(ToString::to_string).collect(),
            },
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a course always serializes")
    }

    /// Reads a compiled file (untrusted: see the module's documentation), with [`reader`].
    pub fn from_json(text: &str) -> Result<CompiledCourse, CompiledError> {
        let unreadable = |error: String| CompiledError::Unreadable(error.trim_start_matches(": ").to_owned());
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| unreadable(e.to_string()))?;
        // The format first: a file of another version may not even have this version's shape.
        match value.get("format").map(|format| u32::from_json(format.clone())) {
            Some(Ok(COMPILED_FORMAT)) => {}
            Some(Ok(found)) => return Err(CompiledError::OtherFormat { found }),
            Some(Err(error)) => return Err(unreadable(format!("format{error}"))),
            None => return Err(unreadable("format: this field is missing".to_owned())),
        }
        reader::read_compiled(value).map_err(unreadable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::gift::Answers;
    use crate::course::{check_course, MemoryFiles, Urls};
    use crate::safe_html::SafeHtml;

    fn checked(lesson: &str) -> CourseCheck {
        let slug = CourseSlug::parse("c").unwrap();
        let files = MemoryFiles::default()
            .with(
                "course.toml",
                "id = \"https://example.org/c\"\ntitle = \"C\"\nlanguage = \"fr\"\nduration-minutes = 5\n\n\
                 [[modules]]\ntitle = \"M\"\nlessons = [\"a.md\", \"b.md\"]\n\n\
                 [[assessments]]\ntitle = \"Final\"\nfile = \"final.md\"\npass-mark = 0.5\n",
            )
            .with("a.md", lesson)
            .with("b.md", "# B\n\n![Schéma](img/s.svg)\n")
            .with("img/s.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")
            .with("final.md", "# Final\n\nVoir ![le schéma](img/s.svg).\n\n```gift\n::Q:: Deux et deux ? {#4}\n```\n");
        check_course(&slug, &files, &Urls::player(&slug))
    }

    #[test]
    fn a_compiled_course_reads_back_as_the_same_course() {
        let check = checked("# A\n\nVers [la suite](b.md#fin).\n\n```gift\n::Q1:: Vrai ? {T}\n```\n");
        let compiled = CompiledCourse::of(&check);
        let json = compiled.to_json();
        let read = CompiledCourse::from_json(&json).expect("reads back");
        assert_eq!(read.to_json(), json, "nothing lost or changed on the way");
        let CompiledCourse::Playable { course, shown_files, .. } = read else { panic!("playable") };
        assert_eq!(shown_files, ["img/s.svg"], "each shown file once, from lessons and assessments");
        assert_eq!(course.lessons().count(), 2);
        assert_eq!(course.assessments[0].questions().count(), 1);
    }

    #[test]
    fn links_are_relative_to_the_page_that_shows_them() {
        let check = checked("# A\n\nVers [la suite](b.md#fin).\n");
        let course = check.course.expect("builds");
        let html = |lesson: usize| course.lessons().nth(lesson).unwrap().html().as_str().to_owned();
        assert!(html(0).contains(r##"href="./b#fin""##), "{}", html(0));
        // From /learn/c/b, ../../courses/c/… is /courses/c/… (and the same under an LMS's path).
        assert!(html(1).contains(r#"src="../../courses/c/img/s.svg""#), "{}", html(1));
        // An assessment's page is one level deeper: /learn/c/assessment/final.
        let intro = course.assessments[0].intro_html.as_str();
        assert!(intro.contains(r#"src="../../../courses/c/img/s.svg""#), "{intro}");
    }

    #[test]
    fn a_tampered_compiled_file_gets_no_markup_past_the_boundary() {
        let check = checked("# A\n\nTexte.\n");
        let json = CompiledCourse::of(&check).to_json();
        let tampered = json.replacen("Texte.", r#"Texte.<img src=x onerror=alert(1)><script>alert(2)</script>"#, 1);
        assert_ne!(tampered, json);
        let CompiledCourse::Playable { course, .. } = CompiledCourse::from_json(&tampered).unwrap() else { panic!() };
        let html: SafeHtml = course.lessons().next().unwrap().html();
        assert!(!html.as_str().contains("onerror") && !html.as_str().contains("<script"), "{}", html.as_str());
        assert!(html.as_str().contains("Texte."));
    }

    #[test]
    fn ids_in_a_compiled_file_are_checked_again() {
        let json = CompiledCourse::of(&checked("# A\n")).to_json();
        let tampered = json.replacen(r#""id":"a""#, r#""id":"../../etc""#, 1);
        assert_ne!(tampered, json);
        assert!(matches!(CompiledCourse::from_json(&tampered), Err(CompiledError::Unreadable(_))));
    }

    #[test]
    fn a_file_written_before_the_later_fields_existed_reads_with_their_defaults() {
        let json = CompiledCourse::of(&checked("# A\n\n```gift\n// [tag:t]\n::Q1:: Vrai ? {T}\n```\n")).to_json();
        assert!(json.contains(r#""tags":["t"]"#), "{json}");
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let course = value["course"].as_object_mut().unwrap();
        for later in ["objectives", "media_completion_threshold", "satisfaction"] {
            course.remove(later).expect(later);
        }
        let question = &mut course["modules"][0]["lessons"][0]["body"][0]["quiz"]["items"][0]["question"];
        question.as_object_mut().unwrap().remove("tags").expect("tags");
        let read = CompiledCourse::from_json(&value.to_string()).expect("an older file still reads");
        let CompiledCourse::Playable { course, .. } = read else { panic!("playable") };
        assert_eq!(course.media_completion_threshold, crate::course::manifest::default_media_threshold());
        assert_eq!(course.satisfaction, crate::course::Satisfaction::default());
        assert!(course.lessons().next().unwrap().questions().next().unwrap().tags.is_empty());
    }

    #[test]
    fn a_missing_field_or_a_wrong_kind_is_refused_with_where_it_is() {
        let json = CompiledCourse::of(&checked("# A\n")).to_json();
        let unreadable = |tampered: String| match CompiledCourse::from_json(&tampered) {
            Err(CompiledError::Unreadable(why)) => why,
            other => panic!("{other:?}"),
        };
        let why = unreadable(json.replacen(r#""words":"#, r#""wordz":"#, 1));
        assert_eq!(why, "course.modules[0].lessons[0].words: this field is missing");
        let why = unreadable(json.replacen(r#""kind":"html""#, r#""kind":"iframe""#, 1));
        assert_eq!(why, "course.modules[0].lessons[1].body[0].kind: `iframe` is not known to this player");
        let why = unreadable(json.replacen(r#""pass_mark":0.5"#, r#""pass_mark":"half""#, 1));
        assert_eq!(why, "course.assessments[0].pass_mark: a number was expected, not a string");
        // `[satisfaction]` refuses a key it does not know, in the file as in `course.toml`.
        let why = unreadable(json.replacen(r#""enabled":true"#, r#""enabled":true,"stars":5"#, 1));
        assert_eq!(why, "course.satisfaction: `stars` is not known to this player");
    }

    #[test]
    fn another_format_or_not_json_is_refused_with_what_to_do() {
        let other = CompiledCourse::Broken { format: COMPILED_FORMAT + 1, errors: vec![] }.to_json();
        let error = CompiledCourse::from_json(&other).unwrap_err();
        assert_eq!(error, CompiledError::OtherFormat { found: COMPILED_FORMAT + 1 });
        assert!(error.to_string().contains("parcours build"));
        assert!(matches!(CompiledCourse::from_json("<html>"), Err(CompiledError::Unreadable(_))));
    }

    #[test]
    fn question_texts_in_markdown_are_rendered_and_show_and_grade_the_same() {
        let lesson = "# A\n\n```gift\n[markdown]::Q1:: Le **gras** ou l'*italique* ? {\n\
                      =**gras**#Oui, `**`.\n~*italique*#[plain]Non : *un* astérisque.\n}\n\n\
                      [markdown]::Q2:: Reliez. {\n=**A** -> *un*\n=B -> deux\n= -> *trois*\n}\n\n\
                      [markdown]::Q3:: Le mot **gras** s'écrit ? {=gras =*gras*}\n```\n";
        let check = checked(lesson);
        let original = check.course.clone().unwrap();
        let CompiledCourse::Playable { course: compiled, .. } = CompiledCourse::playable(&original) else { panic!() };
        let questions = |course: &Course| course.lessons().flat_map(|l| l.questions().cloned()).collect::<Vec<_>>();
        let (before, after) = (questions(&original), questions(&compiled));
        assert_eq!(before.len(), 3);
        for (was, now) in before.iter().zip(&after) {
            for (text, compiled_text) in was.texts().into_iter().zip(now.texts()) {
                assert!(compiled_text.format != TextFormat::Markdown || compiled_text.is_empty(), "{compiled_text:?}");
                assert_eq!(text.to_html("fr"), compiled_text.to_html("fr"), "{text:?}");
                assert_eq!(text.to_plain(), compiled_text.to_plain(), "{text:?}");
            }
        }
        // A short answer's pattern is kept as written; the matching distractor keeps its empty
        // prompt; the `[plain]` feedback stays plain text.
        let Answers::ShortAnswer { answers } = &after[2].answers else { panic!("a short answer") };
        assert_eq!(answers[1].text, Text::new(TextFormat::Moodle, "*gras*"));
        assert!(after[1].texts().iter().any(|t| t.body.is_empty()));
        assert!(after[0].texts().iter().any(|t| t.format == TextFormat::Plain));
        assert_eq!(after[0].stem.format, TextFormat::Html);
        assert!(after[0].stem.body.contains("<strong>gras</strong>"));
        // Written to the compiled file as GIFT writes it, and read back the same.
        let json = CompiledCourse::playable(&original).to_json();
        assert!(json.contains(r#""stem":"[html]<p>::Q1:: Le <strong>gras</strong>"#), "{json}");
        let CompiledCourse::Playable { course: read, .. } = CompiledCourse::from_json(&json).unwrap() else { panic!() };
        let texts = |questions: &[crate::course::gift::Question]| -> Vec<Vec<Text>> {
            questions.iter().map(|q| q.texts().into_iter().cloned().collect()).collect()
        };
        assert_eq!(texts(&questions(&read)), texts(&after));
        // Grading reads the same answers.
        use crate::quiz::{grade, Response};
        for typed in ["gras", "engraissé", "maigre"] {
            let typed = Response::Text(typed.into());
            assert_eq!(grade(&before[2], &typed), grade(&after[2], &typed));
        }
    }

    #[test]
    fn a_course_that_cannot_be_built_compiles_to_its_errors() {
        let slug = CourseSlug::parse("c").unwrap();
        let files = MemoryFiles::default().with("course.toml", "titel = \"x\"\n");
        let compiled = CompiledCourse::of(&check_course(&slug, &files, &Urls::player(&slug)));
        let CompiledCourse::Broken { errors, .. } = compiled else { panic!("broken") };
        assert!(errors[0].starts_with("course.toml:1:1: error:"), "{errors:?}");
    }
}
