//! Moodle XML, the question bank export Moodle writes by default, turned into GIFT that Parcours
//! plays as Moodle played the original (`parcours import`).
//!
//! Read as Moodle 4.x's importer reads it (`question/format/xml/format.php`): one `<question>`
//! per question, its `type` attribute deciding the rest; `category` pseudo-questions set the
//! category of those that follow; texts are `<text>` elements with a `format` attribute; answer
//! weights are percentages (`fraction="50"`). What GIFT cannot carry is listed, question by
//! question, and the rest is written all the same.
//!
//! The file is untrusted: a document type declaration is refused outright (Moodle never writes
//! one), so no entity can expand into a bomb or read a file of this machine; the size is capped
//! before reading; and every text written out goes through GIFT's escapes, so no text of the bank
//! can close a question or open another. HTML texts stay HTML, shown by the player through its
//! sanitizing boundary and checked by `parcours check` like any other.

use roxmltree::{Document, Node, ParsingOptions};
use std::fmt::Write as _;

/// The largest bank read, in bytes: a bank of thousands of questions with their images is tens
/// of megabytes; beyond this, the file is refused before it is read.
pub const MAX_BANK_BYTES: u64 = 200 * 1024 * 1024;

/// A bank turned into GIFT.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The GIFT text, categories included, one blank line between questions.
    pub gift: String,
    /// How many questions were written (categories not counted).
    pub written: usize,
    /// What could not be carried, question by question.
    pub losses: Vec<Loss>,
}

/// Something of a question that GIFT cannot carry: kept out, or the whole question skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// The question's name in Moodle.
    pub question: String,
    /// What is lost and why, in the author's terms.
    pub what: String,
    /// Whether the whole question was left out.
    pub skipped: bool,
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = if self.skipped { "skipped" } else { "imported without" };
        write!(f, "« {} »: {verb} {}", self.question, self.what)
    }
}

/// Why a file is not a Moodle question bank.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "the file declares a document type (`<!DOCTYPE`): Moodle never writes one, and entities could \
         expand without end or read files of this machine; export the bank again from Moodle"
    )]
    DocumentType,
    #[error("the file is not well-formed XML ({0}); export the bank again from Moodle (Questions bank › Export › Moodle XML format)")]
    NotXml(String),
    #[error("the file's root element is `<{0}>`, not Moodle's `<quiz>`: is it a Moodle XML export?")]
    NotMoodle(String),
}

/// Reads a Moodle XML bank and writes it as GIFT.
pub fn import_moodle_xml(xml: &str) -> Result<Imported, ImportError> {
    let options = ParsingOptions { allow_dtd: false, nodes_limit: 5_000_000, ..ParsingOptions::default() };
    let document = Document::parse_with_options(xml, options).map_err(|error| match error {
        roxmltree::Error::DtdDetected => ImportError::DocumentType,
        other => ImportError::NotXml(other.to_string()),
    })?;
    let root = document.root_element();
    if root.tag_name().name() != "quiz" {
        return Err(ImportError::NotMoodle(root.tag_name().name().to_owned()));
    }
    let mut imported = Imported { gift: String::new(), written: 0, losses: Vec::new() };
    for question in root.children().filter(|node| node.has_tag_name("question")) {
        let kind = question.attribute("type").unwrap_or_default();
        if kind == "category" {
            if let Some(category) = child_text(question, "category").filter(|c| !c.is_empty()) {
                let _ = write!(imported.gift, "$CATEGORY: {}\n\n", one_line(&category));
            }
            continue;
        }
        let name = child_text(question, "name").unwrap_or_default();
        let mut losses = Vec::new();
        match write_question(question, kind, &name, &mut losses) {
            Ok(gift) => {
                imported.gift.push_str(&gift);
                imported.gift.push_str("\n\n");
                imported.written += 1;
            }
            Err(reason) => losses.push(Loss { question: name.clone(), what: reason, skipped: true }),
        }
        imported.losses.extend(losses);
    }
    Ok(imported)
}

/// A text of the bank with its format, as Moodle's `<… format="…"><text>…</text></…>`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Field {
    format: Format,
    text: String,
}

/// Moodle's text formats, and the GIFT tag of each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Format {
    #[default]
    Html,
    Moodle,
    Plain,
    Markdown,
}

impl Format {
    /// As Moodle's `trans_format`: an unknown name is HTML (`wiki_like`, long gone, reads as
    /// Moodle's auto-format, which is what it became).
    fn named(name: &str) -> Format {
        match name.trim() {
            "moodle_auto_format" | "wiki_like" => Format::Moodle,
            "plain_text" => Format::Plain,
            "markdown" => Format::Markdown,
            _ => Format::Html,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Format::Html => "[html]",
            Format::Moodle => "[moodle]",
            Format::Plain => "[plain]",
            Format::Markdown => "[markdown]",
        }
    }
}

/// The `<text>` of the first child element `name`, trimmed as Moodle trims it.
fn child_text(node: Node, name: &str) -> Option<String> {
    let child = node.children().find(|n| n.has_tag_name(name))?;
    Some(text_of(child))
}

/// The `<text>` inside `node`, trimmed: CDATA and character references read as text.
fn text_of(node: Node) -> String {
    let text = node.children().find(|n| n.has_tag_name("text"));
    let joined: String =
        text.map(|t| t.children().filter(|n| n.is_text()).filter_map(|n| n.text()).collect()).unwrap_or_default();
    joined.trim().to_owned()
}

/// A formatted field (`questiontext`, `feedback`…), its format defaulting to `default`.
fn field(node: Node, name: &str, default: Format) -> Field {
    match node.children().find(|n| n.has_tag_name(name)) {
        Some(child) => Field { format: child.attribute("format").map_or(default, Format::named), text: text_of(child) },
        None => Field { format: default, text: String::new() },
    }
}

/// The value of a simple child element (`<single>true</single>`), trimmed.
fn value<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.children().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).map(str::trim)
}

/// A number as Moodle writes it (`100`, `33.33333`, `-50`, `1.0000000`).
fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// GIFT's escapes, so that no text of the bank can end or open a part of the question: `~ = # {
/// } :` and the backslash are escaped, and a line break is written `\n` (a blank line would end
/// the question).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A category path on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An ID number or a tag inside `// [id:…]`, on one line, `]` and `\` escaped as Moodle's
/// exporter escapes them.
fn bracketed(value: &str) -> String {
    one_line(value).replace('\\', "\\\\").replace(']', "\\]")
}

/// A text written in GIFT with its own format tag.
fn tagged(field: &Field) -> String {
    format!("{}{}", field.format.tag(), escape(&field.text))
}

/// `#feedback`, when there is one.
fn feedback(field: &Field) -> String {
    if field.text.is_empty() {
        String::new()
    } else {
        format!("#{}", tagged(field))
    }
}

/// `%N%` for a weight that is neither full nor nothing.
fn weight(percent: f64) -> String {
    format!("%{}%", (percent * 100_000.0).round() / 100_000.0)
}

/// How a choice starts: `=` for the one right answer, else `~`, with its weight unless nothing.
fn choice_prefix(percent: f64, one_right: bool) -> String {
    if one_right && percent >= 100.0 {
        "=".to_owned()
    } else if percent == 0.0 {
        "~".to_owned()
    } else {
        format!("~{}", weight(percent))
    }
}

/// How a typed answer (short or numerical) starts: `=`, with its weight unless full.
fn typed_prefix(percent: f64) -> String {
    if percent >= 100.0 {
        "=".to_owned()
    } else {
        format!("={}", weight(percent))
    }
}

/// The answer's weight in percent (`fraction="50"`).
fn fraction(answer: Node) -> f64 {
    answer.attribute("fraction").and_then(number).unwrap_or(0.0)
}

/// One question in GIFT, or why it is skipped. `losses` gathers what is imported without.
fn write_question(question: Node, kind: &str, name: &str, losses: &mut Vec<Loss>) -> Result<String, String> {
    let mut lose = |what: &str| losses.push(Loss { question: name.to_owned(), what: what.to_owned(), skipped: false });
    let mut stem = field(question, "questiontext", Format::Html);
    let format = stem.format;
    let general = field(question, "generalfeedback", format);
    let answers: Vec<Node> = question.children().filter(|n| n.has_tag_name("answer")).collect();
    let mut after_gap = None;
    let block = match kind {
        "description" => None,
        "essay" => {
            let grader = field(question, "graderinfo", format);
            let template = field(question, "responsetemplate", format);
            if !grader.text.is_empty() {
                lose("its information for graders (GIFT has no place for it)");
            }
            if !template.text.is_empty() {
                lose("its response template");
            }
            if value(question, "attachments").and_then(number).is_some_and(|n| n != 0.0) {
                lose("its attachments (Parcours takes typed answers only)");
            }
            Some(String::new())
        }
        "truefalse" => Some(true_false(&answers, format)?),
        "multichoice" => {
            let single = value(question, "single").is_none_or(|s| s != "false" && s != "0" && !s.is_empty());
            Some(choices(&answers, single, format, &mut lose)?)
        }
        "shortanswer" => {
            if value(question, "usecase").is_some_and(|u| u == "1") {
                lose("case sensitivity: Parcours, as GIFT, compares answers ignoring case");
            }
            Some(short_answers(&answers, format)?)
        }
        "numerical" => {
            let units = question.descendants().filter(|n| n.has_tag_name("unit")).count();
            if units > 0 {
                lose("its units: GIFT numbers have none, so write the number alone");
            }
            Some(numeric(&answers, format)?)
        }
        "match" => Some(matching(question, format)?),
        "multianswer" => {
            let (before, block, after) = cloze(&stem.text, format, &mut lose)?;
            stem.text = before;
            after_gap = Some(after);
            Some(block)
        }
        "calculated" | "calculatedsimple" | "calculatedmulti" => {
            return Err("a calculated question: its numbers are drawn from datasets, which GIFT cannot describe".into())
        }
        "ddimageortext" | "ddmarker" => return Err("a drag-and-drop onto an image: GIFT has no such question".into()),
        "ddwtos" | "gapselect" => {
            return Err(
                "a question with several gaps to fill: GIFT has one gap per question; write one question per gap"
                    .into(),
            )
        }
        "randomsamatch" => {
            return Err(
                "a random short-answer matching: its pairs are drawn from other questions at each attempt".into()
            )
        }
        "random" => return Err("a random question: it stands for a question drawn from a category".into()),
        other => return Err(format!("a question of type `{other}`, which GIFT cannot describe")),
    };
    for combined in ["correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"] {
        if !field(question, combined, format).text.is_empty() {
            lose("its feedback for right, partly right and wrong responses (GIFT has per-answer and general feedback only)");
            break;
        }
    }
    if question.children().any(|n| n.has_tag_name("hint") && !text_of(n).is_empty()) {
        lose("its hints (for several tries, which Parcours does not offer)");
    }
    // Moodle's files (`<file>` in base64, referred to as `@@PLUGINFILE@@/name`) are not written
    // yet, and a question's text does not show the course's own images: said, not left broken.
    let files = question.descendants().filter(|n| n.has_tag_name("file")).count();
    let refers =
        question.descendants().filter(|n| n.is_text()).any(|n| n.text().is_some_and(|t| t.contains("@@PLUGINFILE@@")));
    if files > 0 || refers {
        lose("its images and files (`@@PLUGINFILE@@`): put each in the lesson's text, or give it by an https address");
    }
    let marks = value(question, "defaultgrade").and_then(number);
    if kind != "description" && marks.is_some_and(|m| (m - 1.0).abs() > 1e-9 && m != 0.0) {
        lose("its default mark: every graded question is worth one mark in Parcours");
    }

    let mut gift = String::new();
    if let Some(id) = value(question, "idnumber").filter(|id| !id.is_empty()) {
        let _ = writeln!(gift, "// [id:{}]", bracketed(id));
    }
    let tags = question.children().filter(|n| n.has_tag_name("tags")).flat_map(|tags| tags.children());
    for tag in tags.filter(|n| n.has_tag_name("tag")).map(text_of).filter(|t| !t.is_empty()) {
        let _ = writeln!(gift, "// [tag:{}]", bracketed(&tag));
    }
    if !name.is_empty() {
        let _ = write!(gift, "::{}::", escape(&one_line(name)));
    }
    gift.push_str(&tagged(&stem));
    if let Some(block) = block {
        let general = if general.text.is_empty() { String::new() } else { format!("\n\t####{}", tagged(&general)) };
        let _ = write!(gift, "{{{block}{general}\n}}");
        if let Some(after) = after_gap.filter(|a| !a.trim().is_empty()) {
            gift.push_str(&escape(&after));
        }
    } else if !general.text.is_empty() {
        lose("its general feedback: a description has no answer to give it after");
    }
    Ok(gift)
}

/// `{T#…#…}`: GIFT gives the feedback for a wrong response first, then for a right one.
fn true_false(answers: &[Node], format: Format) -> Result<String, String> {
    let find = |text: &str| answers.iter().find(|a| text_of(**a).eq_ignore_ascii_case(text)).copied();
    let (truth, falsity) = match (find("true"), find("false"), answers) {
        (Some(truth), Some(falsity), _) => (truth, falsity),
        // Old exports name the answers in the teacher's language: as Moodle, true comes first.
        (_, _, [truth, falsity]) => (*truth, *falsity),
        _ => return Err("a true/false question without its two answers".into()),
    };
    let correct = fraction(truth) >= 100.0;
    let feedback_of = |answer: Node| feedback(&field(answer, "feedback", format));
    let (wrong, right) = if correct { (falsity, truth) } else { (truth, falsity) };
    let (when_wrong, when_right) = (feedback_of(wrong), feedback_of(right));
    // GIFT reads the second `#` as the right response's feedback only after a first one.
    let when_wrong = if when_wrong.is_empty() && !when_right.is_empty() { "#".to_owned() } else { when_wrong };
    Ok(format!("{}{when_wrong}{when_right}", if correct { "T" } else { "F" }))
}

/// `{=right ~wrong ~%50%partly}` for one right answer; `{~%50%a ~%50%b ~%-100%c}` for several.
fn choices(answers: &[Node], single: bool, format: Format, lose: &mut impl FnMut(&str)) -> Result<String, String> {
    if answers.is_empty() {
        return Err("a multiple choice question without answers".into());
    }
    let full = answers.iter().filter(|a| fraction(**a) >= 100.0).count();
    if single && full != 1 {
        lose("its single-answer setting: with no answer at 100 % (or several), GIFT reads it as a question with several answers");
    }
    let mut block = String::new();
    for answer in answers {
        let prefix = choice_prefix(fraction(*answer), single && full == 1);
        let text = Field { format: answer.attribute("format").map_or(format, Format::named), text: text_of(*answer) };
        let _ = write!(block, "\n\t{prefix}{}{}", tagged(&text), feedback(&field(*answer, "feedback", format)));
    }
    Ok(block)
}

/// `{=answer =%50%partly}`: only `=` answers, typed by the learner; `*` is Moodle's wildcard.
fn short_answers(answers: &[Node], format: Format) -> Result<String, String> {
    if answers.is_empty() {
        return Err("a short answer question without answers".into());
    }
    let mut block = String::new();
    for answer in answers {
        let prefix = typed_prefix(fraction(*answer));
        // Answers are patterns, plain text in Moodle: no format tag.
        let _ =
            write!(block, "\n\t{prefix}{}{}", escape(&text_of(*answer)), feedback(&field(*answer, "feedback", format)));
    }
    Ok(block)
}

/// `{#=3.14:0.01 =%50%3:0.5 ~#any other number}`.
fn numeric(answers: &[Node], format: Format) -> Result<String, String> {
    if answers.is_empty() {
        return Err("a numerical question without answers".into());
    }
    let mut block = "#".to_owned();
    for answer in answers {
        let percent = fraction(*answer);
        let feedback = feedback(&field(*answer, "feedback", format));
        let written = text_of(*answer);
        if written == "*" {
            if percent != 0.0 {
                return Err("a numerical question whose \"any other number\" answer earns marks".into());
            }
            let _ = write!(block, "\n\t~{feedback}");
            continue;
        }
        let Some(number) = number(&written) else {
            return Err(format!("a numerical answer that is not a number: `{written}`"));
        };
        let tolerance = value(*answer, "tolerance").and_then(self::number).unwrap_or(0.0);
        let _ = write!(block, "\n\t{}{number}:{}{feedback}", typed_prefix(percent), tolerance.abs());
    }
    Ok(block)
}

/// `{=prompt -> answer}`, an empty prompt making a distractor answer.
fn matching(question: Node, format: Format) -> Result<String, String> {
    let pairs: Vec<Node> = question.children().filter(|n| n.has_tag_name("subquestion")).collect();
    if pairs.is_empty() {
        return Err("a matching question without pairs".into());
    }
    let mut block = String::new();
    for pair in pairs {
        let prompt = Field { format: pair.attribute("format").map_or(format, Format::named), text: text_of(pair) };
        let answer = pair.children().find(|n| n.has_tag_name("answer")).map(text_of).unwrap_or_default();
        let prompt = if prompt.text.is_empty() { String::new() } else { tagged(&prompt) };
        let _ = write!(block, "\n\t={prompt} -> {}", escape(&answer));
    }
    Ok(block)
}

/// A Cloze (embedded answers) question with one gap, as a missing-word question: the text before
/// the gap, the answer block, the text after. Several gaps have no GIFT form.
fn cloze(text: &str, format: Format, lose: &mut impl FnMut(&str)) -> Result<(String, String, String), String> {
    let gaps = cloze_gaps(text);
    let [(range, kind, answers)] = gaps.as_slice() else {
        return Err(format!(
            "a Cloze question with {} gaps: GIFT has one gap per question; write one question per gap",
            gaps.len()
        ));
    };
    let (before, after) = (text[..range.start].to_owned(), text[range.end..].to_owned());
    let kind = kind.to_ascii_uppercase();
    let block = match kind.as_str() {
        "SHORTANSWER" | "SA" | "MW" | "SHORTANSWER_C" | "SAC" | "MWC" => {
            if kind.ends_with('C') {
                lose("case sensitivity: Parcours, as GIFT, compares answers ignoring case");
            }
            let mut block = String::new();
            for answer in answers {
                let prefix = typed_prefix(answer.percent);
                let _ = write!(block, "\n\t{prefix}{}{}", escape(&answer.text), cloze_feedback(answer, format));
            }
            block
        }
        "NUMERICAL" | "NM" => {
            let mut block = "#".to_owned();
            for answer in answers {
                let (value, tolerance) = answer.text.split_once(':').unwrap_or((&answer.text, "0"));
                if value.trim() == "*" {
                    let _ = write!(block, "\n\t~{}", cloze_feedback(answer, format));
                    continue;
                }
                let (Some(value), Some(tolerance)) = (number(value), number(tolerance)) else {
                    return Err(format!("a Cloze number that is not a number: `{}`", answer.text));
                };
                let prefix = typed_prefix(answer.percent);
                let _ = write!(block, "\n\t{prefix}{value}:{}{}", tolerance.abs(), cloze_feedback(answer, format));
            }
            block
        }
        k if k.starts_with("MULTICHOICE") || k.starts_with("MC") => {
            let full = answers.iter().filter(|a| a.percent >= 100.0).count();
            if full != 1 {
                return Err("a Cloze choice without exactly one answer at 100 %".into());
            }
            let mut block = String::new();
            for answer in answers {
                let prefix = choice_prefix(answer.percent, true);
                let text = Field { format, text: answer.text.clone() };
                let _ = write!(block, "\n\t{prefix}{}{}", tagged(&text), cloze_feedback(answer, format));
            }
            block
        }
        _ => return Err(format!("a Cloze gap of type {kind}, which GIFT cannot describe (several answers to tick)")),
    };
    Ok((before, block, after))
}

fn cloze_feedback(answer: &ClozeAnswer, format: Format) -> String {
    feedback(&Field { format, text: answer.feedback.clone() })
}

/// One answer of a Cloze gap: `%50%Bonn#Half right`.
#[derive(Debug, Clone, PartialEq)]
struct ClozeAnswer {
    percent: f64,
    text: String,
    feedback: String,
}

/// The gaps of a Cloze text, `{1:SHORTANSWER:=Berlin#Right~%50%Bonn}`: where each is, its type,
/// and its answers. Inside a gap, `\` makes the next character literal, as in Moodle.
fn cloze_gaps(text: &str) -> Vec<(std::ops::Range<usize>, String, Vec<ClozeAnswer>)> {
    let mut gaps = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|i| from + i) {
        let Some(close) = unescaped_close(text, open + 1) else { break };
        let inner = &text[open + 1..close];
        let mut parts = inner.splitn(3, ':');
        if let (Some(weight), Some(kind), Some(answers)) = (parts.next(), parts.next(), parts.next()) {
            if weight.trim().chars().all(|c| c.is_ascii_digit())
                && kind.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
            {
                gaps.push((open..close + 1, kind.to_owned(), cloze_answers(answers)));
            }
        }
        from = close + 1;
    }
    gaps
}

/// The `}` that closes a gap opened before `from`, `\}` skipped.
fn unescaped_close(text: &str, from: usize) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text[from..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '}' => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// `=Berlin#Right~%50%Bonn#Half~*#No` as answers.
fn cloze_answers(written: &str) -> Vec<ClozeAnswer> {
    // An unescaped `#` (an answer's feedback follows) is marked apart from an escaped one.
    const FEEDBACK: char = '\u{1}';
    let mut pieces = vec![String::new()];
    let mut escaped = false;
    for c in written.chars() {
        let piece = pieces.last_mut().expect("one piece");
        match c {
            FEEDBACK => {}
            _ if escaped => {
                piece.push(c);
                escaped = false;
            }
            '\\' => escaped = true,
            '#' => piece.push(FEEDBACK),
            '~' => pieces.push(String::new()),
            c => piece.push(c),
        }
    }
    let mut answers = Vec::new();
    for piece in pieces.iter().filter(|p| !p.trim().is_empty()) {
        let piece = piece.trim();
        let (percent, rest) = if let Some(rest) = piece.strip_prefix('=') {
            (100.0, rest)
        } else if let Some((percent, rest)) = piece.strip_prefix('%').and_then(|p| p.split_once('%')) {
            (number(percent).unwrap_or(0.0), rest)
        } else {
            (0.0, piece)
        };
        let (text, feedback) = rest.split_once(FEEDBACK).unwrap_or((rest, ""));
        answers.push(ClozeAnswer { percent, text: text.trim().to_owned(), feedback: feedback.trim().to_owned() });
    }
    answers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::gift::{parse_gift, Answers, NumericValue, Question, Text, TextFormat};

    const BANK: &str = include_str!("../../tests/fixtures/moodle-xml/bank.xml");

    fn imported() -> (Imported, Vec<Question>) {
        let imported = import_moodle_xml(BANK).expect("a Moodle 4 export reads");
        let parsed = parse_gift(&imported.gift);
        let errors: Vec<_> = parsed.issues.iter().filter(|i| i.severity == crate::course::Severity::Error).collect();
        assert!(errors.is_empty(), "the GIFT written parses: {errors:?}\n{}", imported.gift);
        (imported, parsed.questions)
    }

    fn question<'a>(questions: &'a [Question], title: &str) -> &'a Question {
        questions.iter().find(|q| q.title.as_deref() == Some(title)).unwrap_or_else(|| panic!("{title}"))
    }

    #[test]
    fn every_question_type_gift_carries_is_written_and_the_others_are_listed() {
        let (imported, questions) = imported();
        assert_eq!(imported.written, 9, "{}", imported.gift);
        assert_eq!(questions.len(), 9);
        let skipped: Vec<_> = imported.losses.iter().filter(|l| l.skipped).map(|l| l.question.as_str()).collect();
        assert_eq!(skipped, ["Deux trous", "Calcul"]);
        let lost = |name: &str| imported.losses.iter().filter(|l| l.question == name && !l.skipped).count();
        assert_eq!(lost("Risques"), 1, "its combined feedback: {:?}", imported.losses);
        assert_eq!(lost("Sigle"), 2, "case sensitivity and its two marks");
        assert_eq!(lost("Usage"), 1, "the information for graders");
        assert_eq!(lost("Définition"), 0);
        assert!(imported.losses.iter().all(|l| !l.to_string().is_empty()));
    }

    #[test]
    fn categories_ids_and_tags_are_written_as_moodle_reads_them_from_gift() {
        let (imported, questions) = imported();
        assert!(imported.gift.starts_with("$CATEGORY: $course$/top/IA générative\n\n"), "{}", imported.gift);
        let definition = question(&questions, "Définition");
        assert_eq!(definition.category.as_deref(), Some("$course$/top/IA générative"));
        assert_eq!(definition.idnumber.as_deref(), Some("IA-DEF-1"));
        assert_eq!(definition.tags, ["module-1", "définitions"]);
        assert_eq!(question(&questions, "Risques").category.as_deref(), Some("$course$/top/IA générative/Risques"));
    }

    #[test]
    fn texts_keep_their_format_and_every_gift_character_in_them() {
        let (_, questions) = imported();
        let definition = question(&questions, "Définition");
        assert_eq!(definition.stem, Text::new(TextFormat::Html, "<p>Que fait une IA <b>générative</b> ?</p>"));
        assert_eq!(
            definition.general_feedback,
            Some(Text::new(TextFormat::Html, "<p>Elle prédit la suite : {mot} après mot.</p>"))
        );
        let Answers::Choice { multiple: false, choices } = &definition.answers else {
            panic!("{:?}", definition.answers)
        };
        let weights: Vec<f64> = choices.iter().map(|c| (c.weight * 1e7).round() / 1e7).collect();
        assert_eq!(weights, [1.0, 0.0, 0.3333333]);
        assert_eq!(choices[1].text, Text::new(TextFormat::Html, "<p>Elle cherche dans une base = de données</p>"));
        assert_eq!(choices[1].feedback, Some(Text::new(TextFormat::Html, "<p>Non : elle ne cherche pas.</p>")));
        assert_eq!(choices[2].text.body, "<p>Elle calcule ~ un peu</p>");
        // Moodle's auto-format keeps its line breaks.
        let risks = question(&questions, "Risques");
        assert_eq!(risks.stem, Text::new(TextFormat::Moodle, "Quels sont des risques ?\nCochez-en deux."));
        assert_eq!(
            question(&questions, "Sigle").stem,
            Text::new(TextFormat::Markdown, "Que signifie le **G** de GPT ?")
        );
        assert_eq!(question(&questions, "Vrai ou faux").stem.format, TextFormat::Plain);
    }

    #[test]
    fn answers_weights_and_feedback_grade_as_in_moodle() {
        let (_, questions) = imported();
        let Answers::Choice { multiple: true, choices } = &question(&questions, "Risques").answers else { panic!() };
        assert_eq!(choices.iter().map(|c| c.weight).collect::<Vec<_>>(), [0.5, 0.5, -1.0]);
        let Answers::TrueFalse { correct, feedback_when_wrong, feedback_when_right } =
            &question(&questions, "Vrai ou faux").answers
        else {
            panic!()
        };
        assert!(*correct);
        assert_eq!(feedback_when_right.as_ref().map(|t| t.body.as_str()), Some("Exact."));
        assert_eq!(feedback_when_wrong.as_ref().map(|t| t.body.as_str()), Some("Si : elle « hallucine »."));
        let Answers::ShortAnswer { answers } = &question(&questions, "Sigle").answers else { panic!() };
        assert_eq!(
            answers.iter().map(|a| (a.text.body.as_str(), a.weight)).collect::<Vec<_>>(),
            [("Generative", 1.0), ("G*", 0.5)]
        );
        let Answers::Numeric { answers } = &question(&questions, "Année").answers else { panic!() };
        let values: Vec<_> = answers.iter().map(|a| (a.value, a.weight)).collect();
        assert_eq!(
            values,
            [
                (NumericValue::Exact { value: 2022.0, tolerance: 0.0 }, 1.0),
                (NumericValue::Exact { value: 2022.0, tolerance: 1.0 }, 0.5),
                (NumericValue::Any, 0.0)
            ]
        );
        let Answers::Matching { pairs } = &question(&questions, "Associer").answers else { panic!() };
        assert_eq!(pairs.len(), 4);
        assert_eq!(pairs[0].prompt, Text::new(TextFormat::Html, "<p>Albert</p>"));
        assert!(pairs[3].prompt.is_empty(), "a distractor answer");
        assert!(matches!(question(&questions, "Usage").answers, Answers::Essay));
        assert!(matches!(question(&questions, "Consigne").answers, Answers::Description));
    }

    #[test]
    fn a_cloze_question_with_one_gap_becomes_a_missing_word_question() {
        let (_, questions) = imported();
        let capital = question(&questions, "Capitale");
        assert_eq!(capital.stem, Text::new(TextFormat::Html, "<p>La capitale de l'Allemagne est"));
        assert_eq!(capital.after_gap.as_ref().map(|t| t.body.as_str()), Some("depuis 1990.</p>"));
        let Answers::Choice { multiple: false, choices } = &capital.answers else { panic!("{:?}", capital.answers) };
        let written: Vec<_> = choices.iter().map(|c| (c.text.body.as_str(), c.weight)).collect();
        assert_eq!(written, [("Berlin", 1.0), ("Bonn", 0.5), ("Munich", 0.0)]);
        assert_eq!(choices[1].feedback.as_ref().map(|t| t.body.as_str()), Some("L'ancienne"));
    }

    #[test]
    fn true_false_answers_named_in_another_language_are_read_in_order_as_moodle_does() {
        let bank = r#"<quiz><question type="truefalse"><name><text>Ancien</text></name>
            <questiontext format="plain_text"><text>La Terre tourne.</text></questiontext>
            <answer fraction="100"><text>Vrai</text><feedback><text>Oui.</text></feedback></answer>
            <answer fraction="0"><text>Faux</text><feedback><text>Si.</text></feedback></answer>
            </question></quiz>"#;
        let parsed = parse_gift(&import_moodle_xml(bank).unwrap().gift);
        let Answers::TrueFalse { correct: true, feedback_when_right, .. } = &parsed.questions[0].answers else {
            panic!("{:?}", parsed.questions)
        };
        assert_eq!(feedback_when_right.as_ref().map(|t| t.body.as_str()), Some("Oui."));
    }

    #[test]
    fn an_id_number_or_a_tag_with_a_bracket_reads_back_whole() {
        let bank = r#"<quiz><question type="essay"><name><text>E</text></name>
            <questiontext format="html"><text>Pourquoi ?</text></questiontext>
            <idnumber>A]B\C</idnumber><tags><tag><text>x]y</text></tag></tags></question></quiz>"#;
        let parsed = parse_gift(&import_moodle_xml(bank).unwrap().gift);
        assert_eq!(parsed.questions[0].idnumber.as_deref(), Some("A]B\\C"));
        assert_eq!(parsed.questions[0].tags, ["x]y"]);
    }

    #[test]
    fn an_image_embedded_in_a_question_is_listed_not_left_broken() {
        let bank = r#"<quiz><question type="truefalse"><name><text>Schéma</text></name>
            <questiontext format="html"><text><![CDATA[<p>Ce schéma <img src="@@PLUGINFILE@@/sch%C3%A9ma.png"> est juste.</p>]]></text>
            <file name="schéma.png" path="/" encoding="base64">iVBORw0KGgo=</file></questiontext>
            <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
            </question></quiz>"#;
        let imported = import_moodle_xml(bank).unwrap();
        assert_eq!(imported.written, 1);
        let [loss] = imported.losses.as_slice() else { panic!("{:?}", imported.losses) };
        assert!(!loss.skipped && loss.what.contains("@@PLUGINFILE@@"), "{loss}");
    }

    #[test]
    fn a_file_that_is_not_a_moodle_bank_is_refused_with_why() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n<quiz>&b;</quiz>";
        assert_eq!(import_moodle_xml(bomb), Err(ImportError::DocumentType));
        let external =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<quiz>&x;</quiz>";
        assert_eq!(import_moodle_xml(external), Err(ImportError::DocumentType));
        assert!(matches!(import_moodle_xml("<quiz><question>"), Err(ImportError::NotXml(_))));
        assert_eq!(import_moodle_xml("<html/>"), Err(ImportError::NotMoodle("html".into())));
        for error in [ImportError::DocumentType, ImportError::NotMoodle("html".into())] {
            assert!(error.to_string().contains("Moodle"), "{error}");
        }
    }

    #[test]
    fn no_text_of_the_bank_can_add_a_question_or_an_answer() {
        let hostile = r#"<quiz><question type="truefalse"><name><text>A::B</text></name>
            <questiontext format="moodle_auto_format"><text>Vrai ?{=x ~y}

::Autre:: Injectée {T}
</text></questiontext>
            <answer fraction="100"><text>true</text><feedback><text>#a}{</text></feedback></answer>
            <answer fraction="0"><text>false</text><feedback><text></text></feedback></answer>
            </question></quiz>"#;
        let imported = import_moodle_xml(hostile).unwrap();
        let parsed = parse_gift(&imported.gift);
        assert_eq!(parsed.questions.len(), 1, "{}", imported.gift);
        let question = &parsed.questions[0];
        assert_eq!(question.title.as_deref(), Some("A::B"));
        assert_eq!(question.stem.body, "Vrai ?{=x ~y}\n\n::Autre:: Injectée {T}");
        let Answers::TrueFalse { correct: true, feedback_when_right, feedback_when_wrong } = &question.answers else {
            panic!("{:?}", question.answers)
        };
        assert_eq!(feedback_when_right.as_ref().map(|t| t.body.as_str()), Some("#a}{"));
        assert_eq!(feedback_when_wrong, &None);
    }
}
