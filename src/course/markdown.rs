//! The one Markdown entry point, shared by the player and the CLI.
//!
//! Fixed options (tables, footnotes, strikethrough, task lists, heading ids, GitHub callouts),
//! passages in another language (`[large language model]{lang=en}`, Pandoc's bracketed span,
//! language only), table headers with their `scope`, and a safety pass: raw HTML is escaped and links or images whose scheme is not on an
//! allow-list (`javascript:`, `data:` …) are dropped and reported, then the HTML goes through the
//! sanitizing boundary ([`crate::safe_html`]) like every HTML the player shows, so a course can
//! never run script in the learner's page. Links are reported with their byte range so checks
//! can locate them.

use super::ids::slugify;
use super::media::MediaKind;
use crate::safe_html::{is_known_language, is_safe_url, sanitize, url_scheme, SafeHtml};
use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// The info string of fenced code blocks that hold GIFT questions.
pub const QUIZ_FENCE: &str = "gift";

/// What a fenced block of a lesson holds, from its info string: questions, a video or a sound,
/// or code (`None`).
fn fence_kind(info: &str) -> Option<FenceKind> {
    match info.split_whitespace().next()? {
        QUIZ_FENCE => Some(FenceKind::Quiz),
        "video" => Some(FenceKind::Media(MediaKind::Video)),
        "audio" => Some(FenceKind::Media(MediaKind::Audio)),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FenceKind {
    Quiz,
    Media(MediaKind),
}

/// The options every Markdown text of a course is parsed with.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A link or image destination as written in the source, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub url: String,
    pub span: Range<usize>,
    pub is_image: bool,
}

impl LinkRef {
    /// Relative to the course folder (no scheme, not an in-page anchor, not host-absolute).
    pub fn is_relative(&self) -> bool {
        url_scheme(&self.url).is_none() && !self.url.starts_with('#') && !self.url.starts_with('/')
    }

    /// The file part of a relative link: `other.md#part` → `other.md`, percent-decoded.
    pub fn path(&self) -> String {
        let end = self.url.find(['#', '?']).unwrap_or(self.url.len());
        percent_decode(&self.url[..end])
    }
}

/// The text of a fenced block (```` ```gift ````, ```` ```video ````, ```` ```audio ````), with
/// where each of its lines is in the Markdown source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuizSource {
    pub text: String,
    /// (offset in `text`, offset in the source) for each piece of text.
    segments: Vec<(usize, usize)>,
    /// The fence's place in the source.
    pub span: Range<usize>,
    /// Inside a list or a quote, where a quiz cannot be shown.
    pub nested: bool,
    /// The fence's word: `gift`, `video`, `audio`.
    pub fence: String,
}

impl QuizSource {
    /// A whole `.gift` file: offsets in the text are offsets in the file.
    pub fn whole(text: &str) -> QuizSource {
        QuizSource {
            text: text.to_owned(),
            segments: vec![(0, 0)],
            span: 0..text.len(),
            nested: false,
            fence: QUIZ_FENCE.to_owned(),
        }
    }

    /// Where byte `offset` of the quiz text is in the Markdown source.
    pub fn source_offset(&self, offset: usize) -> usize {
        let index = self.segments.partition_point(|(start, _)| *start <= offset).saturating_sub(1);
        match self.segments.get(index) {
            Some((start, source)) => source + (offset - start),
            None => self.span.start,
        }
    }
}

/// A piece of a lesson: safe HTML, or a quiz shown in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderedBlock {
    Html(SafeHtml),
    Quiz(QuizSource),
    /// A ```` ```video ```` or ```` ```audio ```` block: its description, in TOML.
    Media(MediaKind, QuizSource),
}

/// What rendering produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedMarkdown {
    /// The lesson body (without its title heading): HTML split around top-level quiz blocks.
    pub blocks: Vec<RenderedBlock>,
    /// Quiz and media blocks inside lists or quotes, shown as an error in place.
    pub nested_quizzes: Vec<QuizSource>,
    /// The text of a level-1 heading that opens the document, taken out of `html`.
    pub title: Option<String>,
    /// Every link and image, safe or not, in document order.
    pub links: Vec<LinkRef>,
    /// Destinations dropped as unsafe.
    pub dropped_links: Vec<LinkRef>,
    /// Headings whose attributes other than `{#id}` (classes, `key=value`) were dropped: an
    /// attribute can carry an event handler (`onclick=…`) or restyle the player.
    pub dropped_heading_attributes: Vec<Range<usize>>,
    /// `{lang=…}` marks whose value is not a known language (`{lang=anglais}`), left as text.
    pub bad_language_marks: Vec<(Range<usize>, String)>,
    /// Raw HTML (`<kbd>`, `<script>`, a comment), shown as text: where it is.
    pub raw_html: Vec<Range<usize>>,
    /// Words of text, for reading-time estimates.
    pub words: usize,
}

/// Renders `source` to safe HTML. `rewrite` turns each safe destination into the `href`/`src`
/// to emit (the player maps `other.md` to a lesson route and `img/a.png` to the course's URL).
pub fn render_markdown(source: &str, language: &str, rewrite: &dyn Fn(&LinkRef) -> String) -> RenderedMarkdown {
    let mut rendered = RenderedMarkdown::default();
    let mut events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(source, markdown_options()).into_offset_iter().collect();
    take_opening_title(&mut events, &mut rendered);
    assign_heading_ids(&mut events);
    let mut renderer = Renderer {
        language,
        rewrite,
        row_header_tables: tables_with_row_headers(&events),
        output: Vec::with_capacity(events.len()),
        rendered,
        skipping: Skip::Nothing,
        block: QuizSource::default(),
        fence: FenceKind::Quiz,
        table: TableState::default(),
        depth: 0,
    };
    for (index, (event, span)) in events.into_iter().enumerate() {
        renderer.take(index, event, span);
    }
    flush_html(&mut renderer.output, &mut renderer.rendered.blocks);
    renderer.rendered
}

/// One rendering under way: the HTML events not yet flushed into a block, the fenced block being
/// read, the table being written, and what was found on the way.
struct Renderer<'a, 'r> {
    language: &'r str,
    rewrite: &'r dyn Fn(&LinkRef) -> String,
    /// The event indexes of the tables whose first column heads the rows.
    row_header_tables: HashSet<usize>,
    output: Vec<Event<'a>>,
    rendered: RenderedMarkdown,
    skipping: Skip,
    /// The fenced block being read (questions, a video, a sound), and what it holds.
    block: QuizSource,
    fence: FenceKind,
    table: TableState,
    /// How many elements are open: a fenced block is at the top level only at 0.
    depth: usize,
}

impl<'a> Renderer<'a, '_> {
    /// Takes the source's next event: passes it on, rewrites it, or keeps it aside.
    fn take(&mut self, index: usize, event: Event<'a>, span: Range<usize>) {
        let top_level = self.depth == 0;
        match &event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        match (&self.skipping, event) {
            (Skip::FencedBlock, event) => self.read_fenced_block(event, span),
            (Skip::DroppedImage, Event::End(TagEnd::Image)) => self.skipping = Skip::Nothing,
            // An image dropped as unsafe leaves its description.
            (Skip::DroppedImage, Event::Text(alt)) => self.output.push(Event::Text(alt)),
            (Skip::DroppedImage, _) => {}
            (_, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) if fence_kind(&info).is_some() => {
                self.fence = fence_kind(&info).unwrap_or(FenceKind::Quiz);
                let fence = info.split_whitespace().next().unwrap_or_default().to_owned();
                self.block = QuizSource { span, nested: !top_level, fence, ..QuizSource::default() };
                self.skipping = Skip::FencedBlock;
            }
            (_, Event::Start(Tag::CodeBlock(kind))) => self.output.push(Event::Html(code_block_open(&kind).into())),
            (_, Event::End(TagEnd::CodeBlock)) => self.output.push(Event::Html("</code></pre>\n".into())),
            (_, Event::Start(Tag::Link { link_type, dest_url, title, id })) => {
                match self.destination(&dest_url, span, false) {
                    Some(dest_url) => self.output.push(Event::Start(Tag::Link { link_type, dest_url, title, id })),
                    // An unsafe link leaves its text.
                    None => self.skipping = Skip::DroppedLinkEnd,
                }
            }
            (Skip::DroppedLinkEnd, Event::End(TagEnd::Link)) => self.skipping = Skip::Nothing,
            (_, Event::Start(Tag::Image { link_type, dest_url, title, id })) => {
                match self.destination(&dest_url, span, true) {
                    Some(dest_url) => self.output.push(Event::Start(Tag::Image { link_type, dest_url, title, id })),
                    None => self.skipping = Skip::DroppedImage,
                }
            }
            // Raw HTML from the course is shown as text, never interpreted.
            (_, Event::Html(raw) | Event::InlineHtml(raw)) => {
                self.rendered.raw_html.push(span);
                self.output.push(Event::Text(raw))
            }
            (_, Event::Start(Tag::BlockQuote(Some(kind)))) => {
                self.output.push(Event::Html(callout_open(kind, self.language).into()))
            }
            (_, Event::End(TagEnd::BlockQuote(Some(_)))) => self.output.push(Event::Html("</div>\n".into())),
            // Only `{#id}` is kept of a heading's attributes (the id is escaped on output).
            (_, Event::Start(Tag::Heading { level, id, classes, attrs })) => {
                if !classes.is_empty() || !attrs.is_empty() {
                    self.rendered.dropped_heading_attributes.push(span);
                }
                self.output.push(Event::Start(Tag::Heading { level, id, classes: Vec::new(), attrs: Vec::new() }));
            }
            // A task list's box is read-only: a labelled checkbox, so screen readers say what it is.
            (_, Event::TaskListMarker(done)) => self.output.push(Event::Html(task_marker(done, self.language).into())),
            (
                _,
                event @ (Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
                | Event::End(TagEnd::TableHead | TagEnd::TableCell)),
            ) => self.table_event(index, event),
            (_, Event::Text(text)) => self.text(text, span),
            (_, event) => self.output.push(event),
        }
    }

    /// Inside a fenced block: its text is kept aside; at its end, it becomes a block of its own
    /// (or, inside a list or a quote, a notice in place).
    fn read_fenced_block(&mut self, event: Event<'a>, span: Range<usize>) {
        match event {
            Event::Text(text) => {
                self.block.segments.push((self.block.text.len(), span.start));
                self.block.text.push_str(&text);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.skipping = Skip::Nothing;
                self.block.span.end = span.end;
                let finished = std::mem::take(&mut self.block);
                if finished.nested {
                    self.output.push(Event::Html(nested_quiz_notice(self.language).into()));
                    self.rendered.nested_quizzes.push(finished);
                } else {
                    flush_html(&mut self.output, &mut self.rendered.blocks);
                    self.rendered.blocks.push(match self.fence {
                        FenceKind::Quiz => RenderedBlock::Quiz(finished),
                        FenceKind::Media(kind) => RenderedBlock::Media(kind, finished),
                    });
                }
            }
            _ => {}
        }
    }

    /// The address to write for a link or an image, or `None` when it is dropped as unsafe;
    /// either way it is reported.
    fn destination(&mut self, written: &str, span: Range<usize>, is_image: bool) -> Option<CowStr<'a>> {
        let link = LinkRef { url: written.to_owned(), span, is_image };
        let safe = is_safe_url(&link.url);
        let rewritten = safe.then(|| (self.rewrite)(&link).into());
        if !safe {
            self.rendered.dropped_links.push(link.clone());
        }
        self.rendered.links.push(link);
        rewritten
    }

    /// Tables: their cells are written here, so that headers say what they head.
    fn table_event(&mut self, index: usize, event: Event<'a>) {
        match &event {
            Event::Start(Tag::Table(alignments)) => {
                self.table = TableState {
                    alignments: alignments.clone(),
                    row_headers: self.row_header_tables.contains(&index),
                    ..TableState::default()
                };
            }
            Event::Start(Tag::TableHead) => {
                self.table.in_head = true;
                self.table.column = 0;
            }
            Event::End(TagEnd::TableHead) => self.table.in_head = false,
            Event::Start(Tag::TableRow) => self.table.column = 0,
            Event::Start(Tag::TableCell) => return self.output.push(Event::Html(self.table.open_cell().into())),
            Event::End(TagEnd::TableCell) => return self.output.push(Event::Html(self.table.close_cell().into())),
            _ => {}
        }
        self.output.push(event);
    }

    /// Text: counted for reading time, its `{lang=…}` marks checked.
    fn text(&mut self, text: CowStr<'a>, span: Range<usize>) {
        self.rendered.words += text.split_whitespace().count();
        for (offset, value) in language_mark_values(&text) {
            if !is_known_language(value) {
                let start = span.start + offset;
                self.rendered.bad_language_marks.push((start..start + value.len(), value.to_owned()));
            }
        }
        self.output.push(Event::Text(text));
    }
}

/// The opening tag of a code block. It scrolls sideways when its lines are long: keyboard users
/// must be able to focus it to scroll it (WCAG 2.1.1).
fn code_block_open(kind: &CodeBlockKind) -> String {
    let language = match kind {
        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default(),
        CodeBlockKind::Indented => "",
    };
    let class = Some(language)
        .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+')))
        .map(|l| format!(" class=\"language-{l}\""))
        .unwrap_or_default();
    format!("<pre tabindex=\"0\"><code{class}>")
}

impl RenderedMarkdown {
    /// All the HTML of the body, quizzes left out.
    pub fn html(&self) -> SafeHtml {
        let mut all = SafeHtml::default();
        for block in &self.blocks {
            if let RenderedBlock::Html(html) = block {
                all.push(html);
            }
        }
        all
    }

    /// The top-level quiz blocks, in order.
    pub fn quizzes(&self) -> impl Iterator<Item = &QuizSource> {
        self.blocks.iter().filter_map(|b| match b {
            RenderedBlock::Quiz(quiz) => Some(quiz),
            RenderedBlock::Html(_) | RenderedBlock::Media(..) => None,
        })
    }
}

fn flush_html(output: &mut Vec<Event>, blocks: &mut Vec<RenderedBlock>) {
    if output.is_empty() {
        return;
    }
    let mut html = String::new();
    let events = mark_language_passages(std::mem::take(output));
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // The events were filtered above; the boundary checks the HTML itself all the same.
    blocks.push(RenderedBlock::Html(sanitize(&html).html));
}

/// Where the renderer is in a table: its cells are written here, not by pulldown-cmark, so
/// that headers say what they head (`scope`, RGAA 5.7).
#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    /// The corner header cell is empty: the first column holds the rows' headers (RGAA 5.6).
    row_headers: bool,
    in_head: bool,
    column: usize,
    /// The element of the open cell.
    open: &'static str,
}

impl TableState {
    fn open_cell(&mut self) -> String {
        let (element, scope) = match (self.in_head, self.row_headers && self.column == 0) {
            // An empty corner heads nothing.
            (true, true) => ("td", ""),
            (true, false) => ("th", " scope=\"col\""),
            (false, true) => ("th", " scope=\"row\""),
            (false, false) => ("td", ""),
        };
        let align = match self.alignments.get(self.column) {
            Some(Alignment::Left) => " style=\"text-align: left\"",
            Some(Alignment::Center) => " style=\"text-align: center\"",
            Some(Alignment::Right) => " style=\"text-align: right\"",
            _ => "",
        };
        self.open = element;
        format!("<{element}{scope}{align}>")
    }

    fn close_cell(&mut self) -> String {
        self.column += 1;
        format!("</{}>", self.open)
    }
}

/// The event indexes of the tables whose corner header cell is empty.
fn tables_with_row_headers(events: &[(Event, Range<usize>)]) -> HashSet<usize> {
    let starts = events.iter().enumerate().filter(|(_, (e, _))| matches!(e, Event::Start(Tag::Table(_))));
    starts
        .filter(|(i, _)| {
            matches!(
                events.get(i + 1..i + 4).map(|next| [&next[0].0, &next[1].0, &next[2].0]),
                Some([Event::Start(Tag::TableHead), Event::Start(Tag::TableCell), Event::End(TagEnd::TableCell)])
            )
        })
        .map(|(i, _)| i)
        .collect()
}

/// The values of the `{lang=…}` marks in a text, with their byte offsets.
fn language_mark_values(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices("{lang=").filter_map(move |(at, mark)| {
        let start = at + mark.len();
        let end = start + text[start..].find('}')?;
        Some((start, &text[start..end]))
    })
}

/// A piece of inline content while passages in another language are looked for.
enum Piece<'a> {
    Event(Event<'a>),
    /// `[`: maybe the start of a passage.
    Open,
    /// `]`, or `]{lang=xx}` with a valid tag: maybe the end of one.
    Close(Option<String>),
}

/// Turns `[passage]{lang=en}` into `<span lang="en">passage</span>`, so screen readers say the
/// passage in its language (WCAG 3.1.2, RGAA 8.7). The brackets pair as Markdown pairs them: in
/// the same inline container, innermost first; a mark whose value is not a language tag, or
/// without its `[`, stays text. Only `lang` is read: no class, no style, nothing else.
fn mark_language_passages(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events.iter().any(|e| matches!(e, Event::Text(t) if t.contains("]{lang=") || t.starts_with("{lang="))) {
        return events;
    }
    let mut merged: Vec<Event> = Vec::with_capacity(events.len());
    for event in events {
        match (merged.last_mut(), event) {
            (Some(Event::Text(previous)), Event::Text(text)) => *previous = format!("{previous}{text}").into(),
            (_, event) => merged.push(event),
        }
    }
    let mut pieces: Vec<Piece> = Vec::with_capacity(merged.len());
    for event in merged {
        let Event::Text(text) = event else {
            pieces.push(Piece::Event(event));
            continue;
        };
        let mut plain = String::new();
        let mut rest: &str = &text;
        while let Some(at) = rest.find(['[', ']']) {
            plain.push_str(&rest[..at]);
            if !plain.is_empty() {
                pieces.push(Piece::Event(Event::Text(std::mem::take(&mut plain).into())));
            }
            if rest.as_bytes()[at] == b'[' {
                pieces.push(Piece::Open);
                rest = &rest[at + 1..];
                continue;
            }
            let after = &rest[at + 1..];
            let tag = after
                .strip_prefix("{lang=")
                .and_then(|mark| mark.find('}').map(|end| &mark[..end]))
                .filter(|tag| is_known_language(tag));
            match tag {
                Some(tag) => {
                    pieces.push(Piece::Close(Some(tag.to_owned())));
                    rest = &after["{lang=".len() + tag.len() + 1..];
                }
                None => {
                    pieces.push(Piece::Close(None));
                    rest = after;
                }
            }
        }
        plain.push_str(rest);
        if !plain.is_empty() {
            pieces.push(Piece::Event(Event::Text(plain.into())));
        }
    }
    // Pair the brackets: (index of `[`, depth) of those still open.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    // Where each passage starts (with its language) and ends.
    let mut passages: HashMap<usize, String> = HashMap::new();
    let mut ends: HashSet<usize> = HashSet::new();
    for (index, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Event(Event::Start(_)) => depth += 1,
            Piece::Event(Event::End(_)) => {
                depth = depth.saturating_sub(1);
                open.retain(|&(_, d)| d <= depth);
            }
            Piece::Event(_) => {}
            Piece::Open => open.push((index, depth)),
            Piece::Close(tag) => {
                if open.last().is_some_and(|&(_, d)| d == depth) {
                    let (start, _) = open.pop().unwrap_or_default();
                    if let Some(tag) = tag {
                        passages.insert(start, tag.clone());
                        ends.insert(index);
                    }
                }
            }
        }
    }
    let mut out = Vec::with_capacity(pieces.len());
    for (index, piece) in pieces.into_iter().enumerate() {
        out.push(match piece {
            Piece::Event(event) => event,
            Piece::Open => match passages.remove(&index) {
                Some(tag) => Event::InlineHtml(format!("<span lang=\"{tag}\">").into()),
                None => Event::Text("[".into()),
            },
            Piece::Close(_) if ends.contains(&index) => Event::InlineHtml("</span>".into()),
            Piece::Close(Some(tag)) => Event::Text(format!("]{{lang={tag}}}").into()),
            Piece::Close(None) => Event::Text("]".into()),
        });
    }
    out
}

enum Skip {
    Nothing,
    FencedBlock,
    DroppedImage,
    DroppedLinkEnd,
}

/// If the document opens with a level-1 heading, it is the lesson's title: take it out.
fn take_opening_title(events: &mut Vec<(Event, Range<usize>)>, rendered: &mut RenderedMarkdown) {
    if !matches!(events.first(), Some((Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }), _))) {
        return;
    }
    let Some(end) = events.iter().position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_)))) else {
        return;
    };
    let title = plain_text(&events[1..end]);
    events.drain(..=end);
    rendered.title = Some(title);
}

fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Headings without an explicit `{#id}` get one from their text, unique within the document.
fn assign_heading_ids(events: &mut [(Event, Range<usize>)]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[i].0 else { continue };
        let end = events[i..]
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |p| i + p);
        let mut slug = slugify(&plain_text(&events[i + 1..end]));
        if slug.is_empty() {
            slug = "section".to_owned();
        }
        let count = seen.entry(slug.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            slug = format!("{slug}-{count}");
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            *id = Some(CowStr::from(slug));
        }
    }
}

fn callout_open(kind: BlockQuoteKind, language: &str) -> String {
    let french = language.starts_with("fr");
    let (class, label) = match kind {
        BlockQuoteKind::Note => ("note", if french { "Remarque" } else { "Note" }),
        BlockQuoteKind::Tip => ("tip", if french { "Astuce" } else { "Tip" }),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", if french { "Attention" } else { "Warning" }),
        BlockQuoteKind::Caution => ("caution", if french { "Prudence" } else { "Caution" }),
    };
    format!("<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{label}\">\n<p class=\"callout-title\">{label}</p>\n")
}

fn task_marker(done: bool, language: &str) -> String {
    let french = language.starts_with("fr");
    let label = match (done, french) {
        (true, true) => "fait",
        (false, true) => "à faire",
        (true, false) => "done",
        (false, false) => "to do",
    };
    let checked = if done { " checked" } else { "" };
    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
}

fn nested_quiz_notice(language: &str) -> String {
    let text = if language.starts_with("fr") {
        "Bloc non affiché : un bloc gift, video ou audio doit être écrit hors des listes et des citations."
    } else {
        "Block not shown: a gift, video or audio block must be written outside lists and quotes."
    };
    format!("<p class=\"quiz-error\" role=\"note\">{text}</p>\n")
}

/// Decodes `%XX` sequences (a link's path as written, a URL path the preview receives); any other
/// `%` stays, and bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str) -> RenderedMarkdown {
        render_markdown(source, "fr", &|link| link.url.clone())
    }

    #[test]
    fn opening_heading_becomes_the_title() {
        let r = render("# Bienvenue\n\nTexte.\n");
        assert_eq!(r.title.as_deref(), Some("Bienvenue"));
        assert_eq!(r.html().as_str(), "<p>Texte.</p>\n");
        assert_eq!(render("Texte.\n\n# Plus loin\n").title, None);
    }

    #[test]
    fn raw_html_is_escaped() {
        let r = render("Avant <script>alert(1)</script> après\n\n<div onclick=\"x()\">bloc</div>\n");
        assert!(!r.html().as_str().contains("<script"), "{}", r.html());
        assert!(!r.html().as_str().contains("<div onclick"), "{}", r.html());
        assert!(r.html().as_str().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}", r.html());
    }

    #[test]
    fn script_and_data_links_are_dropped_but_their_text_kept() {
        let r = render("[clic](javascript:alert(1)) [b](JaVa%09Script:x) [c]( JAVASCRIPT:x) ![img](data:image/png;base64,AAA) <javascript:alert(2)> [ok](https://example.org)");
        assert!(!r.html().as_str().to_lowercase().contains("href=\"javascript"), "{}", r.html());
        assert!(!r.html().as_str().contains("src=\"data:"), "{}", r.html());
        assert!(r.html().as_str().contains("clic"), "{}", r.html());
        assert!(r.html().as_str().contains("img"), "{}", r.html());
        assert!(r.html().as_str().contains("<a href=\"https://example.org\">ok</a>"), "{}", r.html());
        assert_eq!(r.dropped_links.len(), 4, "{:?}", r.dropped_links);
        assert_eq!(r.links.len(), 6);
    }

    #[test]
    fn callouts_are_labelled_in_the_course_language() {
        let r = render("> [!TIP]\n> Relisez.\n");
        assert_eq!(r.html().as_str(),
            "<div class=\"callout callout-tip\" role=\"note\" aria-label=\"Astuce\">\n<p class=\"callout-title\">Astuce</p>\n<p>Relisez.</p>\n</div>\n"
        );
        let en = render_markdown("> [!WARNING]\n> Careful.\n", "en", &|l| l.url.clone());
        assert!(
            en.html().as_str().contains("callout-warning") && en.html().as_str().contains(">Warning<"),
            "{}",
            en.html()
        );
    }

    #[test]
    fn top_level_gift_blocks_split_the_lesson_and_keep_their_place() {
        let source = "Avant\n\n```gift\n::Q1:: 2+2 {=4 ~5}\n\nB {T}\n```\n\n```rust\nfn main() {}\n```\n";
        let r = render(source);
        assert_eq!(r.blocks.len(), 3);
        assert_eq!(r.blocks[0], RenderedBlock::Html(sanitize("<p>Avant</p>\n").html));
        let quiz = r.quizzes().next().unwrap();
        assert_eq!(quiz.text, "::Q1:: 2+2 {=4 ~5}\n\nB {T}\n");
        let brace = quiz.text.find('{').unwrap();
        assert_eq!(&source[quiz.source_offset(brace)..][..7], "{=4 ~5}");
        assert!(!r.html().as_str().contains("Q1"), "{}", r.html());
        assert!(r.html().as_str().contains("<pre tabindex=\"0\"><code class=\"language-rust\">"), "{}", r.html());
    }

    #[test]
    fn nested_gift_blocks_are_reported_and_shown_as_an_error() {
        let source = "- item\n\n  ```gift\n  Q {T}\n  ```\n";
        let r = render(source);
        assert_eq!(r.quizzes().count(), 0);
        assert_eq!(r.nested_quizzes.len(), 1);
        assert_eq!(r.nested_quizzes[0].text, "Q {T}\n");
        assert_eq!(&source[r.nested_quizzes[0].source_offset(0)..][..5], "Q {T}");
        assert!(r.html().as_str().contains("quiz-error"), "{}", r.html());
    }

    #[test]
    fn heading_attributes_other_than_the_id_are_dropped() {
        let source = "# T\n\n## Titre {#ici .x style=display:block oncontentvisibilityautostatechange=alert(1)}\n";
        let r = render(source);
        assert!(r.html().as_str().contains("<h2 id=\"ici\">Titre</h2>"), "{}", r.html());
        for forbidden in ["style", "alert", "class", "oncontent"] {
            assert!(!r.html().as_str().contains(forbidden), "{forbidden} in {}", r.html());
        }
        assert_eq!(r.dropped_heading_attributes.len(), 1);
        assert_eq!(&source[r.dropped_heading_attributes[0].clone()][..8], "## Titre");
        assert!(render("# T\n\n## Ici {#ici}\n").dropped_heading_attributes.is_empty());
    }

    #[test]
    fn headings_get_unique_ids_and_explicit_ids_are_kept() {
        let r = render("# Titre\n\n## Les données\n\n## Les données\n\n## Autre {#mon-id}\n");
        assert!(r.html().as_str().contains("<h2 id=\"les-donnees\">"), "{}", r.html());
        assert!(r.html().as_str().contains("<h2 id=\"les-donnees-2\">"), "{}", r.html());
        assert!(r.html().as_str().contains("<h2 id=\"mon-id\">"), "{}", r.html());
    }

    #[test]
    fn code_blocks_are_focusable_escaped_and_keep_their_lines() {
        let html = render("```html\n<b>gras</b>\n  indenté\n```\n\n    bloc indenté\n").html().into_inner_html();
        assert!(
            html.contains(
                "<pre tabindex=\"0\"><code class=\"language-html\">&lt;b&gt;gras&lt;/b&gt;\n  indenté\n</code></pre>"
            ),
            "{html}"
        );
        assert!(html.contains("<pre tabindex=\"0\"><code>bloc indenté\n</code></pre>"), "{html}");
        let odd = render("```x\"onclick=\"y\ncode\n```\n").html().into_inner_html();
        assert!(odd.contains("<pre tabindex=\"0\"><code>code"), "an odd info string is dropped: {odd}");
    }

    #[test]
    fn tables_footnotes_strikethrough_and_tasks() {
        let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1] ~~barré~~\n\n- [x] fait\n\n[^1]: La note.\n");
        let labelled_box = "<input type=\"checkbox\" disabled checked aria-label=\"fait\">";
        for needle in ["<table>", "<del>barré</del>", labelled_box, "footnote-definition"] {
            assert!(r.html().as_str().contains(needle), "missing {needle} in {}", r.html());
        }
    }

    #[test]
    fn table_headers_have_a_scope_and_an_empty_corner_makes_row_headers() {
        let columns = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n").html().into_inner_html();
        assert!(columns.contains("<th scope=\"col\" style=\"text-align: left\">a</th>"), "{columns}");
        assert!(columns.contains("<td style=\"text-align: right\">2</td>"), "{columns}");
        assert!(!columns.contains("scope=\"row\""), "a corner header heads the first column: {columns}");
        let rows = render("| | Avant | Après |\n|---|---|---|\n| Coût | 1 | 2 |\n| Délai | 3 | 4 |\n")
            .html()
            .into_inner_html();
        assert!(rows.contains("<thead><tr><td></td><th scope=\"col\">Avant</th>"), "{rows}");
        assert!(rows.contains("<tr><th scope=\"row\">Délai</th><td>3</td>"), "{rows}");
    }

    #[test]
    fn passages_in_another_language_are_marked() {
        let html = |source: &str| render(source).html().into_inner_html();
        assert_eq!(
            html("Un [*large language model*]{lang=en} ici.\n"),
            "<p>Un <span lang=\"en\"><em>large language model</em></span> ici.</p>\n"
        );
        assert_eq!(html("*[AI Act]{lang=en}*\n"), "<p><em><span lang=\"en\">AI Act</span></em></p>\n");
        // Brackets pair innermost first; other brackets stay as written.
        assert_eq!(
            html("[a [b]{lang=de} c]{lang=en-GB}\n"),
            "<p><span lang=\"en-GB\">a <span lang=\"de\">b</span> c</span></p>\n"
        );
        assert_eq!(html("[1] et [2]\n"), "<p>[1] et [2]</p>\n");
        // Across an emphasis, no closing bracket matches: text as written.
        assert_eq!(html("*a [b* c]{lang=en}\n"), "<p><em>a [b</em> c]{lang=en}</p>\n");
        // Code is code.
        assert_eq!(html("`[x]{lang=en}`\n"), "<p><code>[x]{lang=en}</code></p>\n");
        // Links keep working inside a passage.
        assert!(html("[voir [la page](p.md)]{lang=fr}\n").contains("<span lang=\"fr\">voir <a href=\"p.md\">"));
    }

    #[test]
    fn a_language_mark_cannot_carry_markup_and_a_bad_one_is_reported() {
        for hostile in [
            "[x]{lang=en\" onmouseover=\"alert(1)}",
            "[x]{lang=\"><script>alert(1)</script>}",
            "[x]{lang=en class=big}",
        ] {
            let rendered = render(hostile);
            let html = rendered.html().into_inner_html();
            assert!(!html.contains("<script") && !html.contains("<span"), "left as text: {html}");
        }
        let styled = render("[x]{lang=en}{style=color:red}\n").html().into_inner_html();
        assert_eq!(styled, "<p><span lang=\"en\">x</span>{style=color:red}</p>\n", "only the language is read");
        let source = "Voir [ceci]{lang=anglais}.\n";
        let rendered = render(source);
        assert_eq!(rendered.html().into_inner_html(), "<p>Voir [ceci]{lang=anglais}.</p>\n");
        let (span, value) = &rendered.bad_language_marks[0];
        assert_eq!((&source[span.clone()], value.as_str()), ("anglais", "anglais"));
    }

    #[test]
    fn links_are_located_and_rewritten() {
        let source = "Voir [la suite](suite.md#fin) et ![schéma](img/sch%C3%A9ma.svg).\n";
        let r = render_markdown(source, "fr", &|l| format!("/base/{}", l.url));
        assert_eq!(r.links.len(), 2);
        assert_eq!(&source[r.links[0].span.clone()], "[la suite](suite.md#fin)");
        assert_eq!(r.links[0].path(), "suite.md");
        assert_eq!(r.links[1].path(), "img/schéma.svg");
        assert!(r.links[1].is_image && r.links[1].is_relative());
        assert!(r.html().as_str().contains("href=\"/base/suite.md#fin\""), "{}", r.html());
    }

    #[test]
    fn counts_words() {
        assert_eq!(render("Un deux trois.\n\n*quatre* cinq\n").words, 5);
    }
}
