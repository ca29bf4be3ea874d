//! The sanitizing boundary: the only way to make HTML that the player writes into the page.
//!
//! Every HTML string that reaches `inner_html` is a [`SafeHtml`], and a `SafeHtml` is only made
//! here: by escaping text ([`SafeHtml::text`]) or by [`sanitize`], which reads HTML and writes it
//! out again from an allow-list of elements, attributes and URL schemes. Nothing of the input is
//! copied through as markup: text is re-escaped, attribute values are decoded, checked and
//! re-quoted, so the browser parses exactly what was checked (no parser differential can smuggle
//! a tag or a handler through).
//!
//! Why our own and not `ammonia`: ammonia brings html5ever (a full HTML5 tree builder) into the
//! WebAssembly player, hundreds of kilobytes for a player whose weight learners wait for. What
//! reaches this function is small (pulldown-cmark's output, GIFT texts, Moodle's `[html]`), and
//! the property tests check its output with html5ever itself (a real browser-grade parser).

use std::fmt;
use std::ops::Range;

/// HTML that is safe to write into the learner's page: only allow-listed elements and
/// attributes, no script, no event handler, no `javascript:`/`data:` URL, no style sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// Text shown as text: `<b>` stays visible as `<b>`.
    pub fn text(text: &str) -> SafeHtml {
        let mut html = String::with_capacity(text.len());
        escape_into(&mut html, text);
        SafeHtml(html)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The string to give `inner_html`. The one way out of the type, so a search for it finds
    /// every place the player writes HTML (a test checks that `inner_html` takes nothing else).
    pub fn into_inner_html(self) -> String {
        self.0
    }

    /// Appends more safe HTML.
    pub fn push(&mut self, more: &SafeHtml) {
        self.0.push_str(&more.0);
    }

    /// Text shown as text, its line breaks kept as `<br>` (Moodle's auto-format).
    pub fn text_with_line_breaks(text: &str) -> SafeHtml {
        let mut html = SafeHtml::text(text).0;
        html = html.replace('\n', "<br>");
        SafeHtml(html)
    }

    /// Unwraps a lone paragraph (`<p>x</p>` → `x`) so a short text fits inline in a label.
    pub fn unwrap_lone_paragraph(self) -> SafeHtml {
        let inner = self.0.trim_end().strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>"));
        match inner {
            // Safe: `<p>` and `</p>` were a balanced pair written by `sanitize` around `inner`.
            Some(inner) if !inner.contains("<p>") && !inner.contains("</p>") => SafeHtml(inner.to_owned()),
            _ => self,
        }
    }
}

impl fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The text a reader sees in `html` (for a `<select>` option, a list of accepted answers, an
/// xAPI description): the allowed markup read, tags left out, common character references
/// decoded, spaces collapsed.
pub fn text_content(html: &str) -> String {
    let sanitized = sanitize(html).html.0;
    let mut text = String::with_capacity(sanitized.len());
    let mut rest = sanitized.as_str();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        // `sanitize` escapes `<` and `>` inside values: the next `>` ends the tag.
        rest = rest[open..].find('>').map_or("", |close| &rest[open + close + 1..]);
    }
    text.push_str(rest);
    let decoded = decode_text_references(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the references `sanitize` writes or keeps in text: numeric ones, the escapes, and
/// the named ones French text uses; any other stays as written.
fn decode_text_references(text: &str) -> String {
    const NAMED: &[(&str, &str)] = &[
        ("amp", "&"),
        ("lt", "<"),
        ("gt", ">"),
        ("quot", "\""),
        ("apos", "'"),
        ("nbsp", "\u{a0}"),
        ("eacute", "é"),
        ("egrave", "è"),
        ("ecirc", "ê"),
        ("euml", "ë"),
        ("agrave", "à"),
        ("acirc", "â"),
        ("ccedil", "ç"),
        ("icirc", "î"),
        ("iuml", "ï"),
        ("ocirc", "ô"),
        ("ucirc", "û"),
        ("ugrave", "ù"),
        ("oelig", "œ"),
        ("Eacute", "É"),
        ("Agrave", "À"),
        ("laquo", "«"),
        ("raquo", "»"),
        ("rsquo", "’"),
        ("lsquo", "‘"),
        ("ldquo", "“"),
        ("rdquo", "”"),
        ("hellip", "…"),
        ("euro", "€"),
        ("ndash", "–"),
        ("mdash", "—"),
        ("deg", "°"),
        ("times", "×"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let length = character_reference_length(after);
        let name = &after[..length.saturating_sub(1)];
        let decoded = match name.strip_prefix('#') {
            Some(number) => {
                let value = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse().ok(),
                };
                value.and_then(char::from_u32).filter(|&c| c != '\0').map(String::from)
            }
            None => NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| (*c).to_owned()),
        };
        match decoded.filter(|_| length > 0) {
            Some(text) => {
                out.push_str(&text);
                rest = &after[length..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Something the sanitizer removed, and where it was in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// What was removed, as an author would name it: `<script>`, `onclick="…"`, `href="javascript:…"`.
    pub what: String,
    pub span: Range<usize>,
}

/// What [`sanitize`] made of its input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sanitized {
    pub html: SafeHtml,
    pub removed: Vec<Removed>,
}

/// Elements kept, with their own attributes (on top of [`GLOBAL_ATTRIBUTES`]).
const ELEMENTS: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("abbr", &["title"]),
    ("b", &[]),
    ("blockquote", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("dd", &[]),
    ("del", &[]),
    ("details", &[]),
    ("dfn", &[]),
    ("div", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("hr", &[]),
    ("i", &[]),
    ("img", &["src", "alt", "title", "width", "height"]),
    ("input", &["type", "disabled", "checked"]),
    ("ins", &[]),
    ("kbd", &[]),
    ("li", &["value"]),
    ("mark", &[]),
    ("ol", &["start", "reversed", "type"]),
    ("p", &[]),
    ("pre", &["tabindex"]),
    ("q", &[]),
    ("s", &[]),
    ("samp", &[]),
    ("small", &[]),
    ("span", &[]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &[]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan", "style"]),
    ("tfoot", &[]),
    ("th", &["colspan", "rowspan", "scope", "style"]),
    ("thead", &[]),
    ("tr", &[]),
    ("u", &[]),
    ("ul", &[]),
    ("var", &[]),
];

/// Attributes kept on every allowed element.
const GLOBAL_ATTRIBUTES: &[&str] = &["id", "class", "lang", "dir", "role", "aria-label", "aria-hidden"];

/// Elements that never hold text: no end tag.
const VOID_ELEMENTS: &[&str] = &["br", "col", "hr", "img", "input", "wbr"];

/// Elements dropped together with everything inside them: their content is script, style,
/// another document, or parsed by rules of its own (SVG, MathML) where a sanitizer that does not
/// build the tree could be fooled.
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "title", "xmp", "noembed",
    "noframes", "svg", "math", "select", "button", "form", "frameset", "frame", "applet", "head",
];

/// Elements whose content the browser reads as raw text up to their end tag.
const RAW_TEXT_ELEMENTS: &[&str] =
    &["script", "style", "iframe", "textarea", "title", "xmp", "noembed", "noframes", "noscript"];

/// How deep elements may nest. Deeper start tags are dropped: lesson text never needs more, and
/// a bound keeps closing tags (and the browser's own layout) cheap on hostile input.
const MAX_DEPTH: usize = 48;

/// URL schemes allowed in `href` and `src` (relative URLs and anchors are always allowed).
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme of a URL (`https`, `javascript` …), lowercased, as a browser reads it (it drops
/// leading spaces and control characters, and ignores tabs and newlines anywhere).
pub fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String =
        url.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let (candidate, _) = cleaned.split_once(':')?;
    let mut chars = candidate.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| candidate.to_ascii_lowercase())
}

/// Relative links, anchors, and web, mail and phone links are safe; every other scheme is not.
pub fn is_safe_url(url: &str) -> bool {
    match url_scheme(url) {
        None => true,
        Some(scheme) => SAFE_SCHEMES.contains(&scheme.as_str()),
    }
}

/// Reads `input` as HTML and writes out only what the allow-list keeps. Never fails: what is not
/// allowed is removed (listed in [`Sanitized::removed`]) and its text, if any, kept as text.
/// Linear in the input's size.
pub fn sanitize(input: &str) -> Sanitized {
    let mut writer = Writer::default();
    let bytes = input.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let Some(offset) = input[at..].find('<') else {
            writer.text(&input[at..]);
            break;
        };
        writer.text(&input[at..at + offset]);
        at += offset;
        at = match bytes.get(at + 1) {
            Some(b'!') if input[at..].starts_with("<!--") => skip_comment(input, at),
            Some(b'!' | b'?') => skip_bogus_comment(input, at),
            Some(b'/') if bytes.get(at + 2).is_some_and(u8::is_ascii_alphabetic) => {
                let (tag, next) = read_tag(input, at + 2);
                writer.end_tag(&tag.name);
                next
            }
            Some(b'/') if bytes.get(at + 2) == Some(&b'>') => at + 3,
            Some(byte) if byte.is_ascii_alphabetic() => {
                let (tag, next) = read_tag(input, at + 1);
                if next > bytes.len() {
                    // A tag the input never closes: the browser drops it, so do we.
                    writer.remove("<".to_owned() + &tag.name + ">", at..bytes.len());
                    bytes.len()
                } else if DROPPED_WITH_CONTENT.contains(&tag.name.as_str()) {
                    let end = skip_element(input, &tag.name, next);
                    writer.remove(format!("<{}>", tag.name), at..end);
                    end
                } else {
                    writer.start_tag(&tag, at..next);
                    next
                }
            }
            _ => {
                writer.text("<");
                at + 1
            }
        };
    }
    writer.finish()
}

/// A tag as read: its lowercased name and attributes (values decoded).
pub(crate) struct Tag {
    pub(crate) name: String,
    pub(crate) attributes: Vec<(String, String)>,
}

/// Reads a tag from just after `<` or `</`. Returns the position after its `>`, or a position past
/// the end when the input ends inside the tag. Shared with other checks of markup (SVG images),
/// which must see attributes the way a browser decodes them.
pub(crate) fn read_tag(input: &str, start: usize) -> (Tag, usize) {
    let bytes = input.as_bytes();
    let mut at = start;
    while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'/' && bytes[at] != b'>' {
        at += 1;
    }
    let name = input[start..at].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while at < bytes.len() && (is_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        match bytes.get(at) {
            None => return (Tag { name, attributes }, bytes.len() + 1),
            Some(b'>') => return (Tag { name, attributes }, at + 1),
            Some(_) => {}
        }
        // An attribute name runs to a space, `/`, `>` or `=` (a leading `=` belongs to it).
        let name_start = at;
        at += 1;
        while at < bytes.len() && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        let attribute = input[name_start..at].to_ascii_lowercase();
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        let mut value = String::new();
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            let raw = match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = input[at + 1..].find(quote as char).map_or(bytes.len(), |e| at + 1 + e);
                    let raw = &input[(at + 1).min(bytes.len())..end];
                    at = end + 1;
                    raw
                }
                _ => {
                    let begin = at;
                    while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'>' {
                        at += 1;
                    }
                    &input[begin..at]
                }
            };
            value = decode_character_references(raw);
        }
        if at > bytes.len() {
            return (Tag { name, attributes }, bytes.len() + 1);
        }
        // The first of two attributes with the same name wins, as in browsers.
        if !attributes.iter().any(|(n, _)| *n == attribute) {
            attributes.push((attribute, value));
        }
    }
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn skip_comment(input: &str, at: usize) -> usize {
    // `<!-->` and `<!--->` close at once in browsers.
    let body = at + 4;
    for short in ["->", ">"] {
        if input[body..].starts_with(short) {
            return body + short.len();
        }
    }
    input[body..].find("-->").map_or(input.len(), |end| body + end + 3)
}

fn skip_bogus_comment(input: &str, at: usize) -> usize {
    input[at..].find('>').map_or(input.len(), |end| at + end + 1)
}

/// The position after the end of an element dropped with its content.
fn skip_element(input: &str, name: &str, after_start_tag: usize) -> usize {
    if RAW_TEXT_ELEMENTS.contains(&name) {
        // Raw text ends at the first `</name`, whatever comes before it.
        return find_end_tag(input, name, after_start_tag).unwrap_or(input.len());
    }
    // Other dropped elements may nest (`<svg><svg></svg></svg>`): count them.
    let mut depth = 1usize;
    let mut at = after_start_tag;
    while let Some(offset) = input[at..].find('<') {
        at += offset;
        let rest = &input[at..];
        if starts_with_tag(rest, "</", name) {
            depth -= 1;
            at = input[at..].find('>').map_or(input.len(), |e| at + e + 1);
            if depth == 0 {
                return at;
            }
        } else if starts_with_tag(rest, "<", name) {
            depth += 1;
            at += 1;
        } else {
            at += 1;
        }
    }
    input.len()
}

fn find_end_tag(input: &str, name: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = input[at..].find("</") {
        at += offset;
        if starts_with_tag(&input[at..], "</", name) {
            return Some(input[at..].find('>').map_or(input.len(), |e| at + e + 1));
        }
        at += 2;
    }
    None
}

/// Whether `text` starts with `prefix` then the tag name `name` (any case) then a delimiter.
fn starts_with_tag(text: &str, prefix: &str, name: &str) -> bool {
    let Some(rest) = text.strip_prefix(prefix) else { return false };
    rest.get(..name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name))
        && rest.as_bytes().get(name.len()).is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
}

/// Builds the output: escaped text, allowed tags, balanced.
#[derive(Default)]
struct Writer {
    html: String,
    open: Vec<String>,
    removed: Vec<Removed>,
}

impl Writer {
    fn text(&mut self, text: &str) {
        escape_text_keeping_references(&mut self.html, text);
    }

    fn remove(&mut self, what: String, span: Range<usize>) {
        self.removed.push(Removed { what, span });
    }

    fn start_tag(&mut self, tag: &Tag, span: Range<usize>) {
        let Some((_, own)) = ELEMENTS.iter().find(|(name, _)| *name == tag.name) else {
            self.remove(format!("<{}>", tag.name), span);
            return;
        };
        let is_void = VOID_ELEMENTS.contains(&tag.name.as_str());
        if !is_void && self.open.len() >= MAX_DEPTH {
            self.remove(format!("<{}> (nested too deep)", tag.name), span);
            return;
        }
        if tag.name == "input" && !is_read_only_checkbox(tag) {
            self.remove("<input>".to_owned(), span);
            return;
        }
        self.html.push('<');
        self.html.push_str(&tag.name);
        for (name, value) in &tag.attributes {
            if !(own.contains(&name.as_str()) || GLOBAL_ATTRIBUTES.contains(&name.as_str())) {
                self.remove(format!("{name}=\"…\""), span.clone());
                continue;
            }
            if !is_allowed_value(&tag.name, name, value) {
                self.remove(format!("{name}=\"{}\"", shorten(value)), span.clone());
                continue;
            }
            self.html.push(' ');
            self.html.push_str(name);
            // `disabled` and `disabled=""` are the same attribute; the short form reads better.
            if !value.is_empty() {
                self.html.push_str("=\"");
                escape_into(&mut self.html, value);
                self.html.push('"');
            }
        }
        self.html.push('>');
        if !is_void {
            self.open.push(tag.name.clone());
        }
    }

    fn end_tag(&mut self, name: &str) {
        // An end tag closes its element and any left open inside it; a stray one is dropped.
        let Some(index) = self.open.iter().rposition(|open| open == name) else { return };
        for open in self.open.drain(index..).rev() {
            self.html.push_str("</");
            self.html.push_str(&open);
            self.html.push('>');
        }
    }

    fn finish(mut self) -> Sanitized {
        while let Some(open) = self.open.pop() {
            self.html.push_str("</");
            self.html.push_str(&open);
            self.html.push('>');
        }
        Sanitized { html: SafeHtml(self.html), removed: self.removed }
    }
}

/// Task lists show a disabled checkbox; no other form control belongs in a lesson's text.
fn is_read_only_checkbox(tag: &Tag) -> bool {
    let attribute = |n: &str| tag.attributes.iter().find(|(name, _)| name == n).map(|(_, v)| v.as_str());
    attribute("type").is_some_and(|t| t.eq_ignore_ascii_case("checkbox")) && attribute("disabled").is_some()
}

fn is_allowed_value(element: &str, attribute: &str, value: &str) -> bool {
    match attribute {
        "href" | "src" => is_safe_url(value),
        // Ids and classes are plain names: a class cannot reach another element's style.
        "id" | "class" => value.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | ':' | '.' | '+')),
        // pulldown-cmark aligns table columns with `style="text-align: …"`; no other style.
        "style" => {
            matches!(element, "td" | "th")
                && matches!(value, "text-align: left" | "text-align: center" | "text-align: right")
        }
        "tabindex" => value == "0",
        "lang" => is_language_tag(value),
        "scope" => matches!(value, "row" | "col" | "rowgroup" | "colgroup"),
        "role" => matches!(value, "note" | "presentation" | "img" | "doc-noteref" | "doc-footnote"),
        "type" if element == "input" => value.eq_ignore_ascii_case("checkbox"),
        _ => true,
    }
}

/// `fr`, `en`, `fr-FR`, `zh-Hant-TW`: a primary subtag of 2-3 letters, then subtags of 1-8
/// characters (BCP 47's shape). The one check of a language named by a course, wherever it goes
/// (the course's language, a passage's `lang`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok =
        parts.next().is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    primary_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The two-letter codes of ISO 639-1: a language tag whose primary subtag has two letters must
/// name one of them (`{lang=xx}` or captions in `zz` are typing mistakes, not languages).
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii \
    ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr \
    ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl \
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// A well-formed language tag ([`is_language_tag`]) whose language exists: two-letter primary
/// subtags are checked against ISO 639-1 (three-letter ones, ISO 639-2/3's thousands, are
/// accepted as written).
pub fn is_known_language(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
    is_language_tag(tag) && (primary.len() == 3 || ISO_639_1.split_whitespace().any(|code| code == primary))
}

fn shorten(value: &str) -> String {
    let mut short: String = value.chars().take(24).collect();
    if short.len() < value.len() {
        short.push('…');
    }
    short
}

/// Escapes text and attribute values: `& < > " '`.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{fffd}'),
            other => out.push(other),
        }
    }
}

/// Escapes text but keeps well-formed character references (`&eacute;`, `&#233;`), which Moodle's
/// HTML is full of: in text they can only ever stand for text.
fn escape_text_keeping_references(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        escape_into(out, &rest[..amp]);
        let after = &rest[amp + 1..];
        let length = character_reference_length(after);
        if length > 0 {
            out.push('&');
            out.push_str(&after[..length]);
        } else {
            out.push_str("&amp;");
        }
        rest = &after[length..];
    }
    escape_into(out, rest);
}

/// The length of a well-formed reference after `&` (`eacute;`, `#233;`, `#x1F;`), or 0.
fn character_reference_length(after: &str) -> usize {
    let bytes = after.as_bytes();
    let (digits_start, is_digit): (usize, fn(&u8) -> bool) = match (bytes.first(), bytes.get(1)) {
        (Some(b'#'), Some(b'x' | b'X')) => (2, u8::is_ascii_hexdigit),
        (Some(b'#'), _) => (1, u8::is_ascii_digit),
        (Some(b), _) if b.is_ascii_alphabetic() => (0, u8::is_ascii_alphanumeric),
        _ => return 0,
    };
    let digits = bytes[digits_start..].iter().take(32).take_while(|b| is_digit(b)).count();
    match bytes.get(digits_start + digits) {
        Some(b';') if digits > 0 => digits_start + digits + 1,
        _ => 0,
    }
}

/// Decodes the character references of an attribute value as a browser would, for the ones that
/// matter to a check (numeric ones, and the named ones that hide a scheme: `&colon;`, `&Tab;` …).
/// An unknown named reference stays as written, and is escaped on output so the browser reads it
/// literally too: what was checked is what the browser sees.
fn decode_character_references(raw: &str) -> String {
    let mut decoded = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let (character, used) = decode_one(after);
        match character {
            Some(c) => decoded.push(c),
            None => decoded.push('&'),
        }
        rest = &after[used..];
    }
    decoded.push_str(rest);
    decoded
}

fn decode_one(after: &str) -> (Option<char>, usize) {
    let bytes = after.as_bytes();
    if bytes.first() == Some(&b'#') {
        let hex = matches!(bytes.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let digits =
            bytes[start..].iter().take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() }).count();
        if digits == 0 {
            return (None, 0);
        }
        let text = &after[start..start + digits];
        let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(0x110000);
        let semicolon = usize::from(bytes.get(start + digits) == Some(&b';'));
        let character = char::from_u32(value).filter(|&c| c != '\0').unwrap_or('\u{fffd}');
        return (Some(character), start + digits + semicolon);
    }
    const NAMED: &[(&str, char)] = &[
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("nbsp;", '\u{a0}'),
        ("colon;", ':'),
        ("Tab;", '\t'),
        ("NewLine;", '\n'),
        ("sol;", '/'),
        ("lpar;", '('),
        ("rpar;", ')'),
        ("period;", '.'),
        ("excl;", '!'),
        ("num;", '#'),
        ("percnt;", '%'),
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("nbsp", '\u{a0}'),
    ];
    for (name, character) in NAMED {
        if after.starts_with(name) {
            return (Some(*character), name.len());
        }
    }
    (None, 0)
}

// Native only: the tests read the output with html5ever, which the player does not carry.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
