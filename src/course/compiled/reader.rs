//! Reads a compiled course from JSON by hand.
//!
//! The player reads one compiled file per course. serde's derived `Deserialize` for the course
//! model compiled to about 46 KB gzip of WebAssembly, a tenth of the player, for a format only
//! Parcours writes: a visitor for each struct and enum, for each of serde_json's readers. Here the
//! file is parsed once to a [`serde_json::Value`] (a parser the player has anyway, for xAPI) and
//! each type takes what it needs out of it, in a few lines each.
//!
//! The shape read is exactly the one `Serialize` writes (`parcours check --json`): a test reads
//! back every bundled course and fixture and compares. The checks are those of the trust
//! boundary, the same as when the author wrote the course: ids go through their `parse`, HTML
//! through the sanitizer ([`sanitize`]), addresses and languages through
//! `safe_url`/`is_embeddable`/`is_known_language`, and texts through their format tag.

use super::CompiledCourse;
use crate::course::gift::{
    Answers, MatchPair, NumericAnswer, NumericValue, Question, QuestionId, Text, TextFormat, WeightedAnswer,
};
use crate::course::ids::{AssessmentId, CourseId, CourseSlug, IdError, LessonId, MediaId, ModuleId};
use crate::course::media::{is_embeddable, CaptionTrack, Media, MediaKind, MediaSource};
use crate::course::{Assessment, Course, Lesson, LessonBlock, Module, MoveOn, Quiz, QuizItem, Satisfaction, Urls};
use crate::safe_html::{is_known_language, is_safe_url, sanitize, SafeHtml};
use serde_json::{Map, Value};

/// What is wrong, and where: `modules[0].lessons[2].id: an id cannot be empty`.
pub type ReadError = String;

/// A value read out of the parsed file, taking its strings rather than copying them.
pub trait FromJson: Sized {
    fn from_json(value: Value) -> Result<Self, ReadError>;
}

/// Reads one part of the model from its JSON text (tests read a question or a media alone).
#[cfg(test)]
pub(crate) fn read<T: FromJson>(json: &str) -> Result<T, ReadError> {
    T::from_json(serde_json::from_str(json).map_err(|error| error.to_string())?)
}

/// Reads a whole compiled file.
pub fn read_compiled(value: Value) -> Result<CompiledCourse, ReadError> {
    let mut object = Object::of(value)?;
    let format = object.required("format")?;
    match object.required::<String>("kind")?.as_str() {
        "playable" => Ok(CompiledCourse::Playable {
            format,
            course: Box::new(object.required("course")?),
            shown_files: object.required("shown_files")?,
        }),
        "broken" => Ok(CompiledCourse::Broken { format, errors: object.required("errors")? }),
        other => Err(unknown("kind", other)),
    }
}

/// A JSON object whose fields are taken out one by one.
struct Object(Map<String, Value>);

impl Object {
    fn of(value: Value) -> Result<Object, ReadError> {
        match value {
            Value::Object(map) => Ok(Object(map)),
            other => Err(expected("an object", &other)),
        }
    }

    /// A field that must be there (as serde's derive: an `Option` field may be left out).
    fn required<T: FromJson>(&mut self, key: &str) -> Result<T, ReadError> {
        let value = self.0.remove(key).ok_or_else(|| format!("{key}: this field is missing"))?;
        T::from_json(value).map_err(|error| within(key, error))
    }

    /// A field that may be left out or `null`.
    fn optional<T: FromJson>(&mut self, key: &str) -> Result<Option<T>, ReadError> {
        match self.0.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::from_json(value).map(Some).map_err(|error| within(key, error)),
        }
    }

    /// A field that files written before it existed leave out.
    fn or_else<T: FromJson>(&mut self, key: &str, default: impl FnOnce() -> T) -> Result<T, ReadError> {
        match self.0.remove(key) {
            None => Ok(default()),
            Some(value) => T::from_json(value).map_err(|error| within(key, error)),
        }
    }

    /// A string field that must pass a check of the trust boundary.
    fn checked(&mut self, key: &str, is_valid: fn(&str) -> bool, refusal: &str) -> Result<String, ReadError> {
        let value: String = self.required(key)?;
        if is_valid(&value) {
            Ok(value)
        } else {
            Err(within(key, format!("{refusal}: `{value}`")))
        }
    }
}

/// Puts the field's name before what is wrong inside it: `lessons` + `[2].id: …`.
fn within(place: &str, error: ReadError) -> ReadError {
    if error.starts_with(['[', ':']) {
        format!("{place}{error}")
    } else {
        format!("{place}.{error}")
    }
}

fn expected(what: &str, found: &Value) -> ReadError {
    let found = match found {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    format!(": {what} was expected, not {found}")
}

fn unknown(key: &str, found: &str) -> ReadError {
    format!("{key}: `{found}` is not known to this player")
}

impl FromJson for String {
    fn from_json(value: Value) -> Result<String, ReadError> {
        match value {
            Value::String(text) => Ok(text),
            other => Err(expected("a string", &other)),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<bool, ReadError> {
        value.as_bool().ok_or_else(|| expected("true or false", &value))
    }
}

impl FromJson for f64 {
    fn from_json(value: Value) -> Result<f64, ReadError> {
        value.as_f64().ok_or_else(|| expected("a number", &value))
    }
}

impl FromJson for u32 {
    fn from_json(value: Value) -> Result<u32, ReadError> {
        value.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| expected("a whole number", &value))
    }
}

impl FromJson for usize {
    fn from_json(value: Value) -> Result<usize, ReadError> {
        value.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| expected("a whole number", &value))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Vec<T>, ReadError> {
        let Value::Array(items) = value else { return Err(expected("a list", &value)) };
        let read =
            items.into_iter().enumerate().map(|(i, item)| T::from_json(item).map_err(|e| within(&format!("[{i}]"), e)));
        read.collect()
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Result<Option<T>, ReadError> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

/// An id is read through its `parse`, like one the author wrote.
fn parsed<T>(value: Value, parse: fn(&str) -> Result<T, IdError>) -> Result<T, ReadError> {
    parse(&String::from_json(value)?).map_err(|error| format!(": {error}"))
}

macro_rules! from_json_by_parse {
    ($($id:ty),*) => {$(
        impl FromJson for $id {
            fn from_json(value: Value) -> Result<$id, ReadError> {
                parsed(value, <$id>::parse)
            }
        }
    )*};
}

from_json_by_parse!(CourseSlug, CourseId, LessonId, AssessmentId, ModuleId, MediaId, QuestionId);

impl FromJson for SafeHtml {
    /// HTML from a file crosses the boundary again: sanitized on the way in.
    fn from_json(value: Value) -> Result<SafeHtml, ReadError> {
        Ok(sanitize(&String::from_json(value)?).html)
    }
}

impl FromJson for Text {
    /// Written as GIFT writes it: its format's tag, then its body.
    fn from_json(value: Value) -> Result<Text, ReadError> {
        Ok(Text::from(String::from_json(value)?.as_str()))
    }
}

/// An enum written as one of its lower-case names.
fn named<T: Copy>(value: Value, names: &[(&str, T)]) -> Result<T, ReadError> {
    let name = String::from_json(value)?;
    names.iter().find(|(known, _)| *known == name).map(|(_, item)| *item).ok_or_else(|| unknown("", &name))
}

impl FromJson for TextFormat {
    fn from_json(value: Value) -> Result<TextFormat, ReadError> {
        let names = [
            ("moodle", TextFormat::Moodle),
            ("markdown", TextFormat::Markdown),
            ("html", TextFormat::Html),
            ("plain", TextFormat::Plain),
        ];
        named(value, &names)
    }
}

impl FromJson for MoveOn {
    fn from_json(value: Value) -> Result<MoveOn, ReadError> {
        let names = [
            ("Passed", MoveOn::Passed),
            ("Completed", MoveOn::Completed),
            ("CompletedAndPassed", MoveOn::CompletedAndPassed),
            ("CompletedOrPassed", MoveOn::CompletedOrPassed),
            ("NotApplicable", MoveOn::NotApplicable),
        ];
        named(value, &names)
    }
}

impl FromJson for MediaKind {
    fn from_json(value: Value) -> Result<MediaKind, ReadError> {
        named(value, &[("video", MediaKind::Video), ("audio", MediaKind::Audio)])
    }
}

impl FromJson for Course {
    fn from_json(value: Value) -> Result<Course, ReadError> {
        let mut o = Object::of(value)?;
        Ok(Course {
            slug: o.required("slug")?,
            id: o.required("id")?,
            title: o.required("title")?,
            language: o.required("language")?,
            description: o.required("description")?,
            objectives: o.or_else("objectives", Vec::new)?,
            duration_minutes: o.optional("duration_minutes")?,
            version: o.required("version")?,
            modules: o.required("modules")?,
            assessments: o.required("assessments")?,
            reveal_practice_answers: o.required("reveal_practice_answers")?,
            media_completion_threshold: o
                .or_else("media_completion_threshold", crate::course::manifest::default_media_threshold)?,
            urls: Urls::default(),
            move_on: o.required("move_on")?,
            satisfaction: o.or_else("satisfaction", Satisfaction::default)?,
        })
    }
}

impl FromJson for Satisfaction {
    fn from_json(value: Value) -> Result<Satisfaction, ReadError> {
        let mut o = Object::of(value)?;
        let defaults = Satisfaction::default();
        let satisfaction = Satisfaction {
            enabled: o.or_else("enabled", || defaults.enabled)?,
            comment_max_length: o.or_else("comment-max-length", || defaults.comment_max_length)?,
        };
        // As in `course.toml`: a key this player does not know is a mistake, not a default.
        match o.0.keys().next() {
            Some(key) => Err(unknown("", key)),
            None => Ok(satisfaction),
        }
    }
}

impl FromJson for Module {
    fn from_json(value: Value) -> Result<Module, ReadError> {
        let mut o = Object::of(value)?;
        Ok(Module { id: o.required("id")?, title: o.required("title")?, lessons: o.required("lessons")? })
    }
}

impl FromJson for Lesson {
    fn from_json(value: Value) -> Result<Lesson, ReadError> {
        let mut o = Object::of(value)?;
        Ok(Lesson {
            id: o.required("id")?,
            title: o.required("title")?,
            file: o.required("file")?,
            body: o.required("body")?,
            words: o.required("words")?,
        })
    }
}

impl FromJson for LessonBlock {
    fn from_json(value: Value) -> Result<LessonBlock, ReadError> {
        let mut o = Object::of(value)?;
        match o.required::<String>("kind")?.as_str() {
            "html" => Ok(LessonBlock::Html { html: o.required("html")? }),
            "quiz" => Ok(LessonBlock::Quiz { quiz: o.required("quiz")? }),
            "media" => Ok(LessonBlock::Media { media: o.required("media")? }),
            other => Err(unknown("kind", other)),
        }
    }
}

impl FromJson for Quiz {
    fn from_json(value: Value) -> Result<Quiz, ReadError> {
        Ok(Quiz { items: Object::of(value)?.required("items")? })
    }
}

impl FromJson for QuizItem {
    /// Written as serde writes an enum: `{"question": {…}}` or `{"broken": {"error": …}}`.
    fn from_json(value: Value) -> Result<QuizItem, ReadError> {
        let mut o = Object::of(value)?;
        let variant = o.0.keys().next().cloned().unwrap_or_default();
        match variant.as_str() {
            _ if o.0.len() != 1 => Err(": one of `question` or `broken` was expected".to_owned()),
            "question" => Ok(QuizItem::Question(o.required("question")?)),
            "broken" => {
                let broken = Object::of(o.0.remove("broken").unwrap_or_default());
                let error = broken.and_then(|mut broken| broken.required("error"));
                Ok(QuizItem::Broken { error: error.map_err(|error| within("broken", error))? })
            }
            other => Err(unknown("", other)),
        }
    }
}

impl FromJson for Assessment {
    fn from_json(value: Value) -> Result<Assessment, ReadError> {
        let mut o = Object::of(value)?;
        Ok(Assessment {
            id: o.required("id")?,
            title: o.required("title")?,
            file: o.required("file")?,
            pass_mark: o.required("pass_mark")?,
            attempts: o.optional("attempts")?,
            shuffle: o.required("shuffle")?,
            reveal_answers: o.required("reveal_answers")?,
            attempt_timeout_minutes: o.optional("attempt_timeout_minutes")?,
            intro_html: o.required("intro_html")?,
            items: o.required("items")?,
        })
    }
}

impl FromJson for Media {
    fn from_json(value: Value) -> Result<Media, ReadError> {
        let mut o = Object::of(value)?;
        let poster: Option<String> = o.optional("poster")?;
        if let Some(poster) = poster.as_deref().filter(|url| !is_safe_url(url)) {
            return Err(within("poster", format!("unsafe address: `{poster}`")));
        }
        Ok(Media {
            kind: o.required("kind")?,
            id: o.required("id")?,
            title: o.required("title")?,
            source: o.required("source")?,
            captions: o.or_else("captions", Vec::new)?,
            transcript: o.optional("transcript")?,
            poster,
            duration_seconds: o.optional("duration_seconds")?,
        })
    }
}

impl FromJson for MediaSource {
    fn from_json(value: Value) -> Result<MediaSource, ReadError> {
        let mut o = Object::of(value)?;
        match o.required::<String>("type")?.as_str() {
            "file" => Ok(MediaSource::File {
                url: o.checked("url", is_safe_url, "unsafe address")?,
                mime: o.required("mime")?,
            }),
            "embed" => Ok(MediaSource::Embed {
                url: o.checked("url", is_embeddable, "a hosted player is shown from an https address")?,
                host: o.required("host")?,
            }),
            other => Err(unknown("type", other)),
        }
    }
}

impl FromJson for CaptionTrack {
    fn from_json(value: Value) -> Result<CaptionTrack, ReadError> {
        let mut o = Object::of(value)?;
        Ok(CaptionTrack {
            language: o.checked("language", is_known_language, "not a language code")?,
            url: o.checked("url", is_safe_url, "unsafe address")?,
        })
    }
}

impl FromJson for Question {
    fn from_json(value: Value) -> Result<Question, ReadError> {
        let mut o = Object::of(value)?;
        Ok(Question {
            id: o.required("id")?,
            title: o.optional("title")?,
            category: o.optional("category")?,
            format: o.required("format")?,
            stem: o.required("stem")?,
            after_gap: o.optional("after_gap")?,
            answers: o.required("answers")?,
            general_feedback: o.optional("general_feedback")?,
            tags: o.or_else("tags", Vec::new)?,
            idnumber: o.optional("idnumber")?,
            span: 0..0,
        })
    }
}

impl FromJson for Answers {
    fn from_json(value: Value) -> Result<Answers, ReadError> {
        let mut o = Object::of(value)?;
        match o.required::<String>("type")?.as_str() {
            "description" => Ok(Answers::Description),
            "essay" => Ok(Answers::Essay),
            "true-false" => Ok(Answers::TrueFalse {
                correct: o.required("correct")?,
                feedback_when_wrong: o.optional("feedback_when_wrong")?,
                feedback_when_right: o.optional("feedback_when_right")?,
            }),
            "choice" => Ok(Answers::Choice { multiple: o.required("multiple")?, choices: o.required("choices")? }),
            "short-answer" => Ok(Answers::ShortAnswer { answers: o.required("answers")? }),
            "matching" => Ok(Answers::Matching { pairs: o.required("pairs")? }),
            "numeric" => Ok(Answers::Numeric { answers: o.required("answers")? }),
            other => Err(unknown("type", other)),
        }
    }
}

impl FromJson for WeightedAnswer {
    fn from_json(value: Value) -> Result<WeightedAnswer, ReadError> {
        let mut o = Object::of(value)?;
        Ok(WeightedAnswer {
            text: o.required("text")?,
            weight: o.required("weight")?,
            feedback: o.optional("feedback")?,
        })
    }
}

impl FromJson for NumericAnswer {
    fn from_json(value: Value) -> Result<NumericAnswer, ReadError> {
        let mut o = Object::of(value)?;
        Ok(NumericAnswer {
            value: o.required("value")?,
            weight: o.required("weight")?,
            feedback: o.optional("feedback")?,
        })
    }
}

impl FromJson for NumericValue {
    fn from_json(value: Value) -> Result<NumericValue, ReadError> {
        let mut o = Object::of(value)?;
        match o.required::<String>("kind")?.as_str() {
            "exact" => Ok(NumericValue::Exact { value: o.required("value")?, tolerance: o.required("tolerance")? }),
            "range" => Ok(NumericValue::Range { min: o.required("min")?, max: o.required("max")? }),
            "any" => Ok(NumericValue::Any),
            other => Err(unknown("kind", other)),
        }
    }
}

impl FromJson for MatchPair {
    fn from_json(value: Value) -> Result<MatchPair, ReadError> {
        let mut o = Object::of(value)?;
        Ok(MatchPair { prompt: o.required("prompt")?, answer: o.required("answer")? })
    }
}
