//! GIFT, Moodle's quiz text format: a complete parser that keeps positions for diagnostics.
//!
//! Follows Moodle's `question/format/gift/format.php`: questions are separated by blank lines,
//! `//` lines are comments, `$CATEGORY:` lines set the category of the questions that follow,
//! the answer block `{…}` decides the question type, and `\~ \= \# \{ \} \:` are escapes.
//! Errors carry byte ranges into the text given, so callers can report file:line:col.

use super::diagnostic::Severity;
use super::ids::{deserialize_by_parse, slugify};
use crate::safe_html::SafeHtml;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A question's stable id: its title's slug when it has a title, else a hash of its text, so
/// that editing another question of the same block keeps this one's id (progress, xAPI).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct QuestionId(String);

impl QuestionId {
    /// An id as stored or written elsewhere (progress, tests): letters, digits, `-` and `_`.
    pub fn parse(raw: &str) -> Result<QuestionId, super::ids::IdError> {
        super::ids::parse_name(raw).map(QuestionId)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

deserialize_by_parse!(QuestionId);

impl std::fmt::Display for QuestionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How the texts of a question are written (`[markdown]`, `[html]`, `[plain]`, `[moodle]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextFormat {
    /// Moodle's default "auto-format": plain text whose line breaks are kept.
    #[default]
    Moodle,
    Markdown,
    /// HTML, as Moodle's editor writes it: shown through the sanitizing boundary (allowed markup
    /// renders, the rest is dropped and reported by `check`).
    Html,
    Plain,
}

/// The format tags a question or any part of it may start with, as Moodle reads them.
const FORMAT_TAGS: [(&str, TextFormat); 4] = [
    ("[markdown]", TextFormat::Markdown),
    ("[html]", TextFormat::Html),
    ("[plain]", TextFormat::Plain),
    ("[moodle]", TextFormat::Moodle),
];

impl TextFormat {
    /// The format tag a written text starts with, and the text after it.
    fn split_tag(written: &str) -> Option<(TextFormat, &str)> {
        let trimmed = written.trim_start();
        FORMAT_TAGS.iter().find_map(|(tag, format)| trimmed.strip_prefix(tag).map(|rest| (*format, rest.trim_start())))
    }

    /// The tag GIFT writes before a text in this format; none for Moodle's default.
    fn tag(self) -> &'static str {
        match self {
            TextFormat::Moodle => "",
            _ => FORMAT_TAGS.iter().find(|(_, format)| *format == self).map_or("", |(tag, _)| tag),
        }
    }
}

/// A text of a question that learners see (stem, answer, feedback, prompt), with its format:
/// the part's own tag (`=[plain]azote`, `#[html]<b>Oui</b>`) or else the question's, read once
/// by the parser, as Moodle reads the format of each part.
///
/// It is written to JSON (`check --json`, the compiled course) as GIFT writes it: the body, after
/// its format's tag unless it is Moodle's default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub format: TextFormat,
    pub body: String,
}

impl Text {
    pub fn new(format: TextFormat, body: impl Into<String>) -> Text {
        Text { format, body: body.into() }
    }

    /// A text as written in GIFT: its own format tag if it starts with one, else `default`.
    pub fn written(raw: &str, default: TextFormat) -> Text {
        let (format, body) = TextFormat::split_tag(raw).unwrap_or((default, raw));
        Text::new(format, body)
    }

    pub fn is_empty(&self) -> bool {
        self.body.trim().is_empty()
    }

    /// Safe HTML for this text. Markdown goes through the shared renderer, HTML through the
    /// sanitizing boundary; the other formats are shown as text, line breaks kept.
    pub fn to_html(&self, language: &str) -> SafeHtml {
        match self.format {
            // A single paragraph is unwrapped so the text fits inline (labels, legends).
            TextFormat::Markdown => markdown_html(&self.body, language).unwrap_lone_paragraph(),
            TextFormat::Html => crate::safe_html::sanitize(&self.body).html.unwrap_lone_paragraph(),
            TextFormat::Moodle | TextFormat::Plain => SafeHtml::text_with_line_breaks(&self.body),
        }
    }

    /// The text a reader sees, without markup: for a `<select>` option, a list of accepted
    /// answers, an xAPI description.
    pub fn to_plain(&self) -> String {
        match self.format {
            TextFormat::Html => crate::safe_html::text_content(&self.body),
            TextFormat::Markdown => crate::safe_html::text_content(markdown_html(&self.body, "fr").as_str()),
            TextFormat::Moodle | TextFormat::Plain => self.body.clone(),
        }
    }
}

impl std::fmt::Display for Text {
    /// The text as GIFT writes it, its format's tag first (an empty text has none: a matching
    /// distractor's prompt is `""`, whatever the question's format).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.body.is_empty() {
            return Ok(());
        }
        write!(f, "{}{}", self.format.tag(), self.body)
    }
}

/// A text as GIFT writes it: its tag, if any, says its format (Moodle's default otherwise).
impl From<&str> for Text {
    fn from(written: &str) -> Text {
        Text::written(written, TextFormat::Moodle)
    }
}

/// Compares with a text as GIFT writes it (`"[html]<b>Oui</b>"`, `"azote"`).
impl PartialEq<&str> for Text {
    fn eq(&self, written: &&str) -> bool {
        let (format, body) = TextFormat::split_tag(written).unwrap_or((TextFormat::Moodle, written));
        self.format == format && self.body == body
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        Ok(Text::from(String::deserialize(deserializer)?.as_str()))
    }
}

/// One answer of a choice or short-answer question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedAnswer {
    /// For a short answer, the pattern typed responses are compared with (`*` is a wildcard).
    pub text: Text,
    /// Credit as a fraction: 1 for `=`, `%50%` → 0.5, `%-25%` → -0.25, 0 for a plain `~`.
    pub weight: f64,
    pub feedback: Option<Text>,
}

/// A numeric answer: a value with a tolerance, or a range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum NumericValue {
    Exact {
        value: f64,
        tolerance: f64,
    },
    Range {
        min: f64,
        max: f64,
    },
    /// Any number: Moodle's catch-all (`~#feedback` after the answers), always at 0 %.
    Any,
}

impl NumericValue {
    pub fn accepts(&self, number: f64) -> bool {
        match *self {
            NumericValue::Exact { value, tolerance } => (number - value).abs() <= tolerance.abs() + f64::EPSILON * 8.0,
            NumericValue::Range { min, max } => (min..=max).contains(&number),
            NumericValue::Any => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumericAnswer {
    pub value: NumericValue,
    pub weight: f64,
    pub feedback: Option<Text>,
}

/// One pair of a matching question (an empty prompt is a distractor answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchPair {
    pub prompt: Text,
    pub answer: Text,
}

/// What the learner answers, by question type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Answers {
    /// Text with no answer block: nothing to answer.
    Description,
    /// `{}`: free text, not graded.
    Essay,
    TrueFalse {
        correct: bool,
        /// Shown when the learner's answer is wrong.
        feedback_when_wrong: Option<Text>,
        /// Shown when the learner's answer is right.
        feedback_when_right: Option<Text>,
    },
    /// `~` answers: one right answer (`=`), or several with `%N%` weights when no `=` is given.
    Choice {
        multiple: bool,
        choices: Vec<WeightedAnswer>,
    },
    /// Only `=` answers: the learner types text, compared trimmed and case-insensitively.
    ShortAnswer {
        answers: Vec<WeightedAnswer>,
    },
    Matching {
        pairs: Vec<MatchPair>,
    },
    Numeric {
        answers: Vec<NumericAnswer>,
    },
}

impl Answers {
    /// The type's name, as in the JSON output.
    pub fn type_name(&self) -> &'static str {
        match self {
            Answers::Description => "description",
            Answers::Essay => "essay",
            Answers::TrueFalse { .. } => "true-false",
            Answers::Choice { multiple: false, .. } => "choice",
            Answers::Choice { multiple: true, .. } => "multiple-choice",
            Answers::ShortAnswer { .. } => "short-answer",
            Answers::Matching { .. } => "matching",
            Answers::Numeric { .. } => "numeric",
        }
    }
}

/// One GIFT question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub id: QuestionId,
    pub title: Option<String>,
    pub category: Option<String>,
    pub format: TextFormat,
    /// The question's text; for a missing-word question, the text before the gap.
    pub stem: Text,
    /// For a missing-word question (text after the answer block), the text after the gap.
    pub after_gap: Option<Text>,
    pub answers: Answers,
    /// `####…`: shown after checking, whatever the answer.
    pub general_feedback: Option<Text>,
    /// Moodle's `// [tag:…]` comments on the question.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Moodle's `// [id:…]` comment: the question's ID number, which becomes its stable id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idnumber: Option<String>,
    /// Where the question is, in the text given to the parser.
    #[serde(skip)]
    pub span: Range<usize>,
}

impl Question {
    /// Every text of the question that learners may see (stem, answers, feedback, prompts).
    pub fn texts(&self) -> Vec<&Text> {
        question_texts!(self, as_ref, iter, &)
    }

    /// The same texts, to rewrite in place (the compiled form renders Markdown ones to HTML).
    pub fn texts_mut(&mut self) -> Vec<&mut Text> {
        question_texts!(self, as_mut, iter_mut, &mut)
    }
}

/// Every text of a question, borrowed shared or mutable (`$opt`/`$iter`/`$borrow`: `as_ref`,
/// `iter`, `&` or `as_mut`, `iter_mut`, `&mut`): one list for reading and for rewriting them.
macro_rules! question_texts {
    ($question:expr, $opt:ident, $iter:ident, $($borrow:tt)+) => {{
        let question = $question;
        let mut texts = vec![$($borrow)+ question.stem];
        texts.extend(question.after_gap.$opt());
        texts.extend(question.general_feedback.$opt());
        match $($borrow)+ question.answers {
            Answers::Description | Answers::Essay => {}
            Answers::TrueFalse { feedback_when_wrong, feedback_when_right, .. } => {
                texts.extend(feedback_when_wrong.$opt());
                texts.extend(feedback_when_right.$opt());
            }
            Answers::Choice { choices: answers, .. } | Answers::ShortAnswer { answers } => {
                for answer in answers.$iter() {
                    texts.push($($borrow)+ answer.text);
                    texts.extend(answer.feedback.$opt());
                }
            }
            Answers::Matching { pairs } => {
                for pair in pairs.$iter() {
                    texts.push($($borrow)+ pair.prompt);
                    texts.push($($borrow)+ pair.answer);
                }
            }
            Answers::Numeric { answers } => texts.extend(answers.$iter().filter_map(|a| a.feedback.$opt())),
        }
        texts
    }};
}
use question_texts;

/// A question text written in Markdown, as HTML.
#[cfg(not(target_arch = "wasm32"))]
fn markdown_html(text: &str, language: &str) -> SafeHtml {
    super::markdown::render_markdown(text, language, &|link| link.url.clone()).html()
}

/// The player reads compiled courses, whose Markdown texts the CLI has rendered to HTML already
/// (`compiled::CompiledCourse::playable`): none reaches it, so the Markdown parser stays out of the
/// WebAssembly. Were one to come, it is shown as text, never interpreted.
#[cfg(target_arch = "wasm32")]
fn markdown_html(text: &str, _language: &str) -> SafeHtml {
    SafeHtml::text_with_line_breaks(text)
}

/// A problem in GIFT text, located by a byte range of that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftIssue {
    pub severity: Severity,
    pub span: Range<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// Every question that parsed, and every problem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GiftParse {
    pub questions: Vec<Question>,
    pub issues: Vec<GiftIssue>,
}

type Parsed<T> = Result<T, GiftIssue>;

fn error(span: Range<usize>, message: impl Into<String>, hint: &str) -> GiftIssue {
    GiftIssue {
        severity: Severity::Error,
        span,
        message: message.into(),
        hint: (!hint.is_empty()).then(|| hint.to_owned()),
    }
}

fn warning(span: Range<usize>, message: impl Into<String>, hint: &str) -> GiftIssue {
    GiftIssue { severity: Severity::Warning, ..error(span, message, hint) }
}

/// Parses GIFT text (a `.gift` file or the content of a ```` ```gift ```` block).
pub fn parse_gift(text: &str) -> GiftParse {
    let mut parse = GiftParse::default();
    let mut category = None;
    for chunk in chunks(text, &mut category) {
        match parse_question(&chunk.text, chunk.category.clone()) {
            Ok((mut question, warnings)) => {
                question.span = chunk.source_range(0..chunk.text.len());
                question.tags = chunk.metadata.tags.clone();
                if let Some(idnumber) = &chunk.metadata.idnumber {
                    let slug = slugify(idnumber);
                    if !slug.is_empty() {
                        question.id = QuestionId(slug);
                    }
                    question.idnumber = Some(idnumber.clone());
                }
                parse.issues.extend(warnings.into_iter().map(|w| chunk.relocate(w)));
                parse.questions.push(question);
            }
            Err(issue) => parse.issues.push(chunk.relocate(issue)),
        }
    }
    parse
}

/// The lines of one question, comments removed, with where each line starts in the source.
struct Chunk {
    text: String,
    /// (offset in `text`, offset in the source) for each line.
    lines: Vec<(usize, usize)>,
    category: Option<String>,
    metadata: Metadata,
}

/// Moodle's question metadata in a comment: `// [id:Q-12] [tag:ia] [tag:rgpd]` (`\]` for `]`).
#[derive(Default)]
struct Metadata {
    tags: Vec<String>,
    idnumber: Option<String>,
}

impl Metadata {
    fn read(&mut self, comment: &str) {
        for (key, value) in bracketed_values(comment) {
            match key {
                "tag" if !value.is_empty() && !self.tags.contains(&value) => self.tags.push(value),
                // As Moodle's importer: the first ID number stands.
                "id" if !value.is_empty() && self.idnumber.is_none() => self.idnumber = Some(value),
                _ => {}
            }
        }
    }
}

/// `[key:value]` pairs of a comment, `\]` standing for `]` inside a value.
fn bracketed_values(comment: &str) -> Vec<(&str, String)> {
    let mut found = Vec::new();
    let mut rest = comment;
    while let Some(open) = rest.find('[') {
        rest = &rest[open + 1..];
        let Some(colon) = rest.find(':') else { break };
        let key = &rest[..colon];
        if !matches!(key, "id" | "tag") {
            continue;
        }
        let mut value = String::new();
        let mut chars = rest[colon + 1..].char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, next)) => value.push(next),
                    None => break,
                },
                ']' => {
                    end = Some(colon + 1 + i + 1);
                    break;
                }
                other => value.push(other),
            }
        }
        let Some(end) = end else { break };
        found.push((key, value.trim().to_owned()));
        rest = &rest[end..];
    }
    found
}

impl Chunk {
    fn source_offset(&self, offset: usize) -> usize {
        let index = self.lines.partition_point(|(start, _)| *start <= offset).saturating_sub(1);
        let (start, source) = self.lines[index];
        source + (offset - start)
    }

    fn source_range(&self, range: Range<usize>) -> Range<usize> {
        self.source_offset(range.start)..self.source_offset(range.end.max(range.start))
    }

    fn relocate(&self, mut issue: GiftIssue) -> GiftIssue {
        issue.span = self.source_range(issue.span);
        issue
    }
}

fn chunks(text: &str, category: &mut Option<String>) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current: Option<Chunk> = None;
    // Comments just above a question (no blank line between) are its metadata, as in Moodle.
    let mut pending = Metadata::default();
    let mut offset = 0;
    for raw_line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if let Some(comment) = trimmed.strip_prefix("//") {
            match current.as_mut() {
                Some(chunk) => chunk.metadata.read(comment),
                None => pending.read(comment),
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with("$CATEGORY:") {
            pending = Metadata::default();
            chunks.extend(current.take());
            if let Some(path) = trimmed.strip_prefix("$CATEGORY:") {
                *category = Some(path.trim().to_owned()).filter(|p| !p.is_empty());
            }
            continue;
        }
        let chunk = current.get_or_insert_with(|| Chunk {
            text: String::new(),
            lines: Vec::new(),
            category: category.clone(),
            metadata: std::mem::take(&mut pending),
        });
        if !chunk.text.is_empty() {
            chunk.text.push('\n');
        }
        chunk.lines.push((chunk.text.len(), line_start));
        chunk.text.push_str(line);
    }
    chunks.extend(current);
    chunks
}

/// Positions of `pattern` in `text` outside escapes (`\x` is skipped whole).
fn find_unescaped(text: &str, pattern: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        // Byte comparison: the patterns are ASCII, so a match is always on a character boundary.
        if bytes[i..].starts_with(pattern.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Splits `text` before every unescaped marker character of `markers`, keeping the markers.
/// Returns the text before the first marker and each (offset, marker, rest).
fn split_markers<'a>(text: &'a str, markers: &[u8]) -> (&'a str, Vec<(usize, u8, &'a str)>) {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if markers.contains(&bytes[i]) {
            starts.push(i);
        }
        i += 1;
    }
    let head = &text[..starts.first().copied().unwrap_or(text.len())];
    let parts = starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(text.len());
            (start, bytes[start], &text[start + 1..end])
        })
        .collect();
    (head, parts)
}

/// Resolves escapes. `offset` is where `text` starts in the chunk, for locating a bad escape.
fn unescape(text: &str, offset: usize) -> Parsed<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, e @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\'))) => out.push(e),
            Some((_, 'n')) => out.push('\n'),
            // As Moodle: another character after `\` keeps its backslash (`\*` is an asterisk
            // in a short answer); `unknown_escapes` warns about the others.
            Some((_, other)) => {
                out.push('\\');
                out.push(other);
            }
            None => {
                return Err(error(offset + i..offset + i + 1, "a `\\` ends the text", "write `\\\\` for a backslash"))
            }
        }
    }
    Ok(out)
}

/// Where `text` has a `\` before a character that is not a GIFT escape (`\*` aside, which
/// short answers read as an asterisk): Moodle keeps such text as written, backslash included.
fn unknown_escapes(text: &str) -> Vec<GiftIssue> {
    let mut issues = Vec::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        if let Some((_, other)) = chars.next() {
            if !matches!(other, '~' | '=' | '#' | '{' | '}' | ':' | '\\' | 'n' | '*') {
                issues.push(warning(
                    i..i + 1 + other.len_utf8(),
                    format!("unknown escape `\\{other}`: kept as written, backslash included (as Moodle does)"),
                    "the escapes are \\~ \\= \\# \\{ \\} \\: \\n and \\\\; write the character without `\\`",
                ));
            }
        }
    }
    issues
}

/// Unescapes and trims a piece of text that starts at `offset`; `None` when empty.
fn text_at(text: &str, offset: usize) -> Parsed<Option<String>> {
    let value = unescape(text, offset)?;
    let trimmed = value.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

/// A text learners see, unescaped and trimmed, in its own format or else `format`; `None` when empty.
fn shown_at(text: &str, offset: usize, format: TextFormat) -> Parsed<Option<Text>> {
    Ok(text_at(text, offset)?.map(|written| Text::written(&written, format)))
}

/// Splits `text#feedback` at the first unescaped `#`.
fn with_feedback(text: &str, offset: usize, format: TextFormat) -> Parsed<(Text, Option<Text>)> {
    let (text, feedback) = match find_unescaped(text, "#", 0) {
        Some(hash) => (&text[..hash], shown_at(&text[hash + 1..], offset + hash + 1, format)?),
        None => (text, None),
    };
    Ok((shown_at(text, offset, format)?.unwrap_or_default(), feedback))
}

/// A leading `%N%` weight, as a fraction, and the rest of the text.
fn weight_prefix(text: &str, offset: usize) -> Parsed<(Option<f64>, &str, usize)> {
    let skipped = text.len() - text.trim_start().len();
    let rest = &text[skipped..];
    let Some(inner) = rest.strip_prefix('%') else { return Ok((None, text, offset)) };
    let start = offset + skipped;
    let Some(end) = inner.find('%') else {
        return Err(error(start..start + 1, "a weight is not closed", "write it like `%50%`"));
    };
    let raw = &inner[..end];
    let span = start..start + end + 2;
    let percent: f64 = raw.trim().parse().map_err(|_| {
        error(span.clone(), format!("`%{raw}%` is not a weight"), "write a percentage like `%50%` or `%-25%`")
    })?;
    if !(-100.0..=100.0).contains(&percent) {
        return Err(error(span, format!("`%{raw}%` is not a weight"), "a weight is a percentage between -100 and 100"));
    }
    Ok((Some(percent / 100.0), &rest[end + 2..], start + end + 2))
}

fn parse_question(text: &str, category: Option<String>) -> Parsed<(Question, Vec<GiftIssue>)> {
    let mut warnings = unknown_escapes(text);
    let mut pos = text.len() - text.trim_start().len();
    let mut title = None;
    if text[pos..].starts_with("::") {
        let Some(end) = find_unescaped(text, "::", pos + 2) else {
            return Err(error(
                pos..pos + 2,
                "the question title is not closed",
                "close it with `::`, as in `::Title:: Question text`",
            ));
        };
        title = text_at(&text[pos + 2..end], pos + 2)?;
        pos = end + 2;
    }
    pos += text[pos..].len() - text[pos..].trim_start().len();
    let mut format = TextFormat::default();
    for (tag, tag_format) in FORMAT_TAGS {
        if text[pos..].starts_with(tag) {
            format = tag_format;
            pos += tag.len();
            break;
        }
    }

    let open = find_unescaped(text, "{", pos);
    let stray_close = find_unescaped(text, "}", pos).filter(|&close| open.is_none_or(|open| close < open));
    if let Some(close) = stray_close {
        return Err(error(close..close + 1, "`}` without an opening `{`", "write `\\}` for a literal brace"));
    }
    let Some(open) = open else {
        let stem = text_at(&text[pos..], pos)?.unwrap_or_default();
        let question = build(title, category, format, stem, None, Answers::Description, None);
        return Ok((question, warnings));
    };
    let Some(close) = find_unescaped(text, "}", open + 1) else {
        return Err(error(
            open..open + 1,
            "unbalanced braces: this `{` is never closed",
            "close the answers with `}`, or write `\\{` for a literal brace",
        ));
    };
    if let Some(inner_open) = find_unescaped(&text[..close], "{", open + 1) {
        return Err(error(
            inner_open..inner_open + 1,
            "`{` inside an answer block",
            "close the first block with `}` first, or write `\\{`",
        ));
    }
    if let Some(second) = find_unescaped(text, "{", close + 1) {
        return Err(error(
            second..second + 1,
            "a question has only one answer block",
            "separate questions with a blank line",
        ));
    }
    if let Some(stray) = find_unescaped(text, "}", close + 1) {
        return Err(error(stray..stray + 1, "`}` without an opening `{`", "write `\\}` for a literal brace"));
    }
    let stem = text_at(&text[pos..open], pos)?.unwrap_or_default();
    let after_gap = text_at(&text[close + 1..], close + 1)?;

    let (inner_start, inner) = (open + 1, &text[open + 1..close]);
    let (main, general_feedback) = match find_unescaped(inner, "####", 0) {
        Some(at) => (&inner[..at], shown_at(&inner[at + 4..], inner_start + at + 4, format)?),
        None => (inner, None),
    };
    let block = open..close + 1;
    let answers =
        parse_answers(&AnswerBlock { main, offset: inner_start, span: block.clone(), format }, &mut warnings)?;
    if stem.is_empty() && after_gap.is_none() {
        return Err(error(block, "the question has no text", "write the question before its answers"));
    }
    if after_gap.is_some() && matches!(answers, Answers::Essay) {
        return Err(error(
            block,
            "an empty answer block in the middle of a sentence",
            "list the answers, as in `{=right ~wrong}`; only an essay has an empty block, at the end",
        ));
    }
    Ok((build(title, category, format, stem, after_gap, answers, general_feedback), warnings))
}

fn build(
    title: Option<String>,
    category: Option<String>,
    format: TextFormat,
    stem: String,
    after_gap: Option<String>,
    answers: Answers,
    general_feedback: Option<Text>,
) -> Question {
    // The id hashes the texts as written, their format tags included: ids stay as they were.
    let id = match title.as_deref().map(slugify).filter(|s| !s.is_empty()) {
        Some(slug) => slug,
        None => format!("q-{:08x}", fnv1a(&format!("{stem}\u{1f}{}", after_gap.as_deref().unwrap_or_default())) as u32),
    };
    Question {
        id: QuestionId(id),
        title,
        category,
        format,
        stem: Text::written(&stem, format),
        after_gap: after_gap.map(|text| Text::written(&text, format)),
        answers,
        general_feedback,
        tags: Vec::new(),
        idnumber: None,
        span: 0..0,
    }
}

/// FNV-1a over whitespace-normalised text: stable across platforms and Rust versions.
pub(crate) fn fnv1a(text: &str) -> u64 {
    let normalised = text.split_whitespace().collect::<Vec<_>>().join(" ");
    normalised.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The answer block of a question, `{…}`, as its parts are read.
struct AnswerBlock<'a> {
    /// The answers, without the general feedback (`####…`).
    main: &'a str,
    /// Where `main` starts in the question's text.
    offset: usize,
    /// The whole block, braces included: where a problem of the block as a whole is reported.
    span: Range<usize>,
    /// The question's format, for the parts that have no tag of their own.
    format: TextFormat,
}

fn parse_answers(block: &AnswerBlock, warnings: &mut Vec<GiftIssue>) -> Parsed<Answers> {
    let &AnswerBlock { main, offset, format, .. } = block;
    let trimmed = main.trim();
    let lead = main.len() - main.trim_start().len();
    if trimmed.is_empty() {
        return Ok(Answers::Essay);
    }
    if let Some(numeric) = trimmed.strip_prefix('#') {
        return parse_numeric(numeric, offset + lead + 1, block);
    }
    if find_unescaped(main, "~", 0).is_some() {
        return parse_choice(block, warnings);
    }
    if find_unescaped(main, "=", 0).is_some() && find_unescaped(main, "->", 0).is_some() {
        return parse_matching(block, warnings);
    }
    let before_feedback = find_unescaped(main, "#", 0).map_or(main, |hash| &main[..hash]);
    let correct = match before_feedback.trim() {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    };
    if let Some(correct) = correct {
        let (_, feedbacks) = split_markers(main, b"#");
        let feedback = |n: usize| -> Parsed<Option<Text>> {
            match feedbacks.get(n) {
                Some((at, _, text)) => shown_at(text, offset + at + 1, format),
                None => Ok(None),
            }
        };
        return Ok(Answers::TrueFalse {
            correct,
            feedback_when_wrong: feedback(0)?,
            feedback_when_right: feedback(1)?,
        });
    }
    if trimmed.starts_with('=') {
        // What the learner types is compared with the answer's text: a part's format tag
        // (`=[plain]azote`) is not part of it, nor is markup; an untagged answer is taken as
        // written, whatever the question's format (Moodle compares with the raw text).
        let mut answers = weighted_answers(main, offset, b"=", TextFormat::Moodle)?;
        for answer in &mut answers {
            answer.text = Text::new(TextFormat::Moodle, answer.text.to_plain());
        }
        return Ok(Answers::ShortAnswer { answers });
    }
    Err(error(
        offset + lead..offset + main.trim_end().len(),
        format!("`{trimmed}` is not an answer block"),
        "start right answers with `=` and wrong ones with `~`; write {T} or {F} for true/false, {#3.14} for a number",
    ))
}

/// Answers introduced by marker characters, each with an optional `%N%` weight and `#feedback`.
fn weighted_answers(main: &str, offset: usize, markers: &[u8], format: TextFormat) -> Parsed<Vec<WeightedAnswer>> {
    let (head, parts) = split_markers(main, markers);
    if !head.trim().is_empty() {
        let lead = head.len() - head.trim_start().len();
        return Err(error(
            offset + lead..offset + head.trim_end().len(),
            "text before the first answer",
            "start each answer with `=` (right) or `~` (wrong)",
        ));
    }
    let mut answers = Vec::new();
    for (at, marker, body) in parts {
        let (weight, rest, rest_offset) = weight_prefix(body, offset + at + 1)?;
        let weight = weight.unwrap_or(if marker == b'=' { 1.0 } else { 0.0 });
        let (text, feedback) = with_feedback(rest, rest_offset, format)?;
        if text.is_empty() {
            return Err(error(
                offset + at..offset + at + 1,
                "an empty answer",
                "write the answer after the `=` or `~`",
            ));
        }
        answers.push(WeightedAnswer { text, weight, feedback });
    }
    Ok(answers)
}

fn parse_choice(block: &AnswerBlock, warnings: &mut Vec<GiftIssue>) -> Parsed<Answers> {
    let &AnswerBlock { main, offset, format, .. } = block;
    // Moodle: with no `=` answer, several answers may be chosen and weights give the credit.
    let multiple = find_unescaped(main, "=", 0).is_none();
    let choices = weighted_answers(main, offset, b"=~", format)?;
    let best = choices.iter().map(|c| c.weight).fold(f64::MIN, f64::max);
    if best <= 0.0 {
        return Err(error(
            block.span.clone(),
            "a choice question with no right answer",
            "mark the right answer with `=`, or give weights like `~%50%`",
        ));
    }
    if multiple {
        let total: f64 = choices.iter().map(|c| c.weight.max(0.0)).sum();
        if total < 0.995 {
            warnings.push(warning(
                block.span.clone(),
                format!("the weights add up to {:.0} %: no answer set gets full credit", total * 100.0),
                "make the positive weights add up to 100 %",
            ));
        } else if total > 1.005 {
            warnings.push(warning(
                block.span.clone(),
                format!("the positive weights add up to {:.0} %", total * 100.0),
                "make the positive weights add up to 100 %",
            ));
        }
    }
    Ok(Answers::Choice { multiple, choices })
}

fn parse_matching(block: &AnswerBlock, warnings: &mut Vec<GiftIssue>) -> Parsed<Answers> {
    let &AnswerBlock { main, offset, format, .. } = block;
    let (head, parts) = split_markers(main, b"=");
    if !head.trim().is_empty() {
        return Err(error(
            offset..offset + head.len(),
            "text before the first pair",
            "start each pair with `=`, as in `=Canada -> Ottawa`",
        ));
    }
    let mut pairs = Vec::new();
    for (at, _, body) in parts {
        let Some(arrow) = body.find("->") else {
            return Err(error(
                offset + at..offset + at + 1 + body.trim_end().len(),
                "a matching pair needs `->`",
                "write `=prompt -> answer`",
            ));
        };
        // An empty prompt means something: the pair only adds a distractor answer.
        let prompt = shown_at(&body[..arrow], offset + at + 1, format)?.unwrap_or_default();
        let (answer, _feedback) = with_feedback(&body[arrow + 2..], offset + at + 1 + arrow + 2, format)?;
        if answer.is_empty() {
            return Err(error(
                offset + at..offset + at + 1 + body.trim_end().len(),
                "a matching pair with no answer",
                "write `=prompt -> answer`",
            ));
        }
        pairs.push(MatchPair { prompt, answer });
    }
    let real_pairs = pairs.iter().filter(|p| !p.prompt.is_empty()).count();
    if real_pairs < 2 {
        return Err(error(
            block.span.clone(),
            "a matching question needs at least 2 pairs",
            "add pairs like `=Italy -> Rome`",
        ));
    }
    if real_pairs < 3 {
        warnings.push(warning(
            block.span.clone(),
            "a matching question with fewer than 3 pairs",
            "add a pair: with 2, the second answer follows from the first",
        ));
    }
    Ok(Answers::Matching { pairs })
}

fn parse_numeric(text: &str, offset: usize, block: &AnswerBlock) -> Parsed<Answers> {
    let format = block.format;
    // Moodle: everything from the first `~` is the feedback for any other number (`~#Non`),
    // inline (`{#6:2~#Non}`) or on a line of its own, as its exporter writes it.
    let (text, catch_all) = match find_unescaped(text, "~", 0) {
        Some(tilde) => {
            let rest = &text[tilde + 1..];
            let lead = rest.len() - rest.trim_start().len();
            let feedback = match rest.trim_start().strip_prefix('#') {
                Some(feedback) => shown_at(feedback, offset + tilde + 1 + lead + 1, format)?,
                None => {
                    return Err(error(
                        offset + tilde..offset + tilde + 1 + rest.trim_end().len(),
                        "a numeric question's `~` gives the feedback for any other number",
                        "write it as `~#feedback`, after the right answers",
                    ))
                }
            };
            (&text[..tilde], Some(feedback))
        }
        None => (text, None),
    };
    let parts: Vec<(usize, &str, f64)> = if find_unescaped(text, "=", 0).is_some() {
        let (head, parts) = split_markers(text, b"=");
        if !head.trim().is_empty() {
            return Err(error(
                offset..offset + head.len(),
                "text before the first numeric answer",
                "write `{#=1822:0 =%50%1822:2}`",
            ));
        }
        parts.into_iter().map(|(at, _, body)| (at + 1, body, 1.0)).collect()
    } else {
        vec![(0, text, 1.0)]
    };
    let mut answers = Vec::new();
    for (at, body, default_weight) in parts {
        let (weight, rest, rest_offset) = weight_prefix(body, offset + at)?;
        let (value_text, feedback) = match find_unescaped(rest, "#", 0) {
            Some(hash) => (&rest[..hash], shown_at(&rest[hash + 1..], rest_offset + hash + 1, format)?),
            None => (rest, None),
        };
        let value = parse_numeric_value(value_text, rest_offset)?;
        answers.push(NumericAnswer { value, weight: weight.unwrap_or(default_weight), feedback });
    }
    if answers.is_empty() {
        return Err(error(
            block.span.clone(),
            "a numeric question with no answer",
            "write the number after `#`, as in `{#3.14:0.01}`",
        ));
    }
    if let Some(feedback) = catch_all {
        answers.push(NumericAnswer { value: NumericValue::Any, weight: 0.0, feedback });
    }
    Ok(Answers::Numeric { answers })
}

fn parse_numeric_value(text: &str, offset: usize) -> Parsed<NumericValue> {
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    let span = offset + lead..offset + lead + trimmed.len().max(1);
    let number = |raw: &str| -> Parsed<f64> {
        raw.trim().parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| {
            error(
                span.clone(),
                format!("`{}` is not a number", raw.trim()),
                "write numbers with a dot, as in `3.14`, `3.14:0.01` or `3..4`",
            )
        })
    };
    if let Some((min, max)) = trimmed.split_once("..") {
        let (min, max) = (number(min)?, number(max)?);
        if min > max {
            return Err(error(span, format!("the range {min}..{max} is empty"), "write the smaller number first"));
        }
        return Ok(NumericValue::Range { min, max });
    }
    if let Some((value, tolerance)) = trimmed.split_once(':') {
        return Ok(NumericValue::Exact { value: number(value)?, tolerance: number(tolerance)?.abs() });
    }
    Ok(NumericValue::Exact { value: number(trimmed)?, tolerance: 0.0 })
}

#[cfg(test)]
mod tests;
