//! Courses: the model the player plays, and how it is built from a course folder.
//!
//! A course folder holds `course.toml` (see [`manifest`]), one Markdown file per lesson and the
//! assets they reference. [`check_course`] turns the files into a [`Course`] and collects every
//! problem as a [`Diagnostic`] instead of stopping at the first. The same function runs in the
//! CLI (files read from disk) and in the player (files fetched), so both see the same course.

mod build;
pub mod catalog;
pub mod compiled;
pub mod diagnostic;
pub mod gift;
pub mod ids;
pub mod manifest;
pub mod markdown;
pub mod media;
#[cfg(not(target_arch = "wasm32"))]
pub mod moodle_xml;
mod paths;
pub mod preview;
pub mod publish;
pub mod webvtt;

pub use diagnostic::{Diagnostic, LineIndex, Location, Severity};
pub use gift::{Question, QuestionId};
pub use ids::{AssessmentId, CourseId, CourseSlug, IdError, LessonId, MediaId, ModuleId};
pub use manifest::{Manifest, MANIFEST_FILE};
pub use markdown::{render_markdown, LinkRef, RenderedBlock, RenderedMarkdown};
pub use media::{Media, MediaKind, MediaSource};

use crate::safe_html::SafeHtml;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A course ready to play: every lesson parsed and rendered to safe HTML.
/// Its JSON form (`parcours check --json`) is a stable interface for tools.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Course {
    /// The folder name, used in URLs.
    pub slug: CourseSlug,
    /// The IRI that names the course (its xAPI activity id).
    pub id: CourseId,
    pub title: String,
    pub language: String,
    pub description: String,
    /// What a learner will be able to do after the course (the learning objectives).
    pub objectives: Vec<String>,
    pub duration_minutes: Option<u32>,
    pub version: String,
    pub modules: Vec<Module>,
    pub assessments: Vec<Assessment>,
    /// Whether practice questions show the accepted answers after a wrong check.
    pub reveal_practice_answers: bool,
    /// The share of a video or a sound to play for it to count as watched (0 to 1).
    pub media_completion_threshold: f64,
    /// Where the player shows its pages and serves its files (set by `check_course`, read
    /// through [`Course::urls`]).
    #[serde(skip)]
    urls: Urls,
    /// What satisfies the course in an LMS (cmi5 `moveOn`), as the author set it or the default.
    pub move_on: MoveOn,
    /// The satisfaction survey offered once the course is completed.
    pub satisfaction: Satisfaction,
}

/// `[satisfaction]` in `course.toml`: a 1–5 rating with an optional comment, offered on the
/// course page once the course is completed. On by default; it never holds back the attestation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Satisfaction {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The longest comment, in characters; 0 asks for no comment.
    #[serde(default = "default_comment_length")]
    pub comment_max_length: u32,
}

fn yes() -> bool {
    true
}

fn default_comment_length() -> u32 {
    1000
}

impl Default for Satisfaction {
    fn default() -> Satisfaction {
        Satisfaction { enabled: true, comment_max_length: default_comment_length() }
    }
}

/// cmi5's `moveOn` (§13.1.4): what an LMS counts as having satisfied the course. Written in
/// `course.toml` as `move-on = "CompletedAndPassed"`; by default `CompletedAndPassed` for a
/// course with assessments, `Completed` without.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveOn {
    Passed,
    Completed,
    CompletedAndPassed,
    CompletedOrPassed,
    NotApplicable,
}

impl MoveOn {
    /// Whether a `passed` is needed or enough.
    pub fn needs_passed(self) -> bool {
        matches!(self, MoveOn::Passed | MoveOn::CompletedAndPassed | MoveOn::CompletedOrPassed)
    }
}

/// A graded assessment: questions answered in one attempt, scored against a pass mark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub id: AssessmentId,
    pub title: String,
    /// The `.gift` or `.md` file, relative to the course folder.
    pub file: String,
    /// The share of marks needed to pass, between 0 and 1.
    pub pass_mark: f64,
    /// Attempts allowed; unlimited when `None`.
    pub attempts: Option<u32>,
    /// Whether choice answers are shuffled (stable within an attempt).
    pub shuffle: bool,
    /// Whether right answers are shown once no attempt is left (or the assessment is passed).
    pub reveal_answers: bool,
    /// Minutes after which an attempt left under way is closed and scored as it stands (`None`:
    /// kept however long the learner is away). Absent from courses compiled before it existed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt_timeout_minutes: Option<u32>,
    /// The prose of a `.md` assessment, shown before starting.
    pub intro_html: SafeHtml,
    pub items: Vec<QuizItem>,
}

impl Assessment {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        QuizItem::questions(&self.items)
    }

    /// The questions that earn marks (not descriptions or essays).
    pub fn graded_questions(&self) -> impl Iterator<Item = &Question> {
        self.questions().filter(|q| !matches!(q.answers, gift::Answers::Description | gift::Answers::Essay))
    }
}

/// An ordered group of lessons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Module {
    pub id: ModuleId,
    pub title: String,
    pub lessons: Vec<Lesson>,
}

/// One Markdown lesson.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lesson {
    pub id: LessonId,
    pub title: String,
    /// The Markdown file, relative to the course folder.
    pub file: String,
    /// The body (the title heading excluded): safe HTML and practice quizzes, in order.
    pub body: Vec<LessonBlock>,
    pub words: usize,
}

impl Lesson {
    /// All the HTML of the body, quizzes left out.
    pub fn html(&self) -> SafeHtml {
        let mut all = SafeHtml::default();
        for block in &self.body {
            if let LessonBlock::Html { html } = block {
                all.push(html);
            }
        }
        all
    }

    /// The lesson's videos and sounds.
    pub fn media(&self) -> impl Iterator<Item = &Media> {
        self.body.iter().filter_map(|b| match b {
            LessonBlock::Media { media } => Some(media),
            LessonBlock::Html { .. } | LessonBlock::Quiz { .. } => None,
        })
    }

    /// Every question of the lesson's practice quizzes.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.body.iter().flat_map(|b| match b {
            LessonBlock::Quiz { quiz } => quiz.questions().collect::<Vec<_>>(),
            LessonBlock::Html { .. } | LessonBlock::Media { .. } => Vec::new(),
        })
    }
}

/// A piece of a lesson's body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LessonBlock {
    /// Text and images, through the sanitizing boundary.
    Html { html: SafeHtml },
    /// A ```` ```gift ```` block: practice questions shown in place.
    Quiz { quiz: Quiz },
    /// A ```` ```video ```` or ```` ```audio ```` block.
    Media { media: Media },
}

/// Questions shown together, in the order written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quiz {
    pub items: Vec<QuizItem>,
}

impl Quiz {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        QuizItem::questions(&self.items)
    }
}

/// A question, or the error that stands in its place so the rest of the lesson still works.
// A course holds tens of items, built once: boxing the question would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuizItem {
    Question(Question),
    Broken { error: String },
}

impl QuizItem {
    /// The questions among `items`, skipping the broken ones.
    pub fn questions(items: &[QuizItem]) -> impl Iterator<Item = &Question> {
        items.iter().filter_map(|item| match item {
            QuizItem::Question(question) => Some(question),
            QuizItem::Broken { .. } => None,
        })
    }
}

impl Course {
    /// Every lesson in reading order.
    pub fn lessons(&self) -> impl Iterator<Item = &Lesson> {
        self.modules.iter().flat_map(|m| m.lessons.iter())
    }

    /// The lesson with this id, with its module.
    pub fn lesson(&self, id: &LessonId) -> Option<(&Module, &Lesson)> {
        self.modules.iter().find_map(|m| m.lessons.iter().find(|l| &l.id == id).map(|l| (m, l)))
    }

    /// The assessment with this id.
    pub fn assessment(&self, id: &AssessmentId) -> Option<&Assessment> {
        self.assessments.iter().find(|a| &a.id == id)
    }

    /// Where the player shows this course's pages.
    pub fn urls(&self) -> &Urls {
        &self.urls
    }

    /// The course's own files that its lessons and assessments show (`src`), as paths in the
    /// course folder (percent-encoded), for the player to keep offline.
    pub fn shown_files(&self) -> Vec<String> {
        let lessons = self.lessons().flat_map(|l| &l.body).filter_map(|block| match block {
            LessonBlock::Html { html } => Some(html),
            LessonBlock::Quiz { .. } | LessonBlock::Media { .. } => None,
        });
        let from_lessons = Urls::relative_to_lesson(&self.slug).asset_base + "/";
        let from_assessments = Urls::relative_to_assessment(&self.slug).asset_base + "/";
        let html = lessons
            .map(|html| (html, &from_lessons))
            .chain(self.assessments.iter().map(|a| (&a.intro_html, &from_assessments)));
        let mut files: Vec<String> = Vec::new();
        for (html, prefix) in html {
            for part in html.as_str().split("src=\"").skip(1) {
                let url = part.split('"').next().unwrap_or_default();
                if let Some(file) = url.strip_prefix(prefix.as_str()).filter(|f| !files.iter().any(|known| known == f))
                {
                    files.push(file.to_owned());
                }
            }
        }
        files
    }

    /// Where the player shows this course's pages (a compiled course is read without them).
    pub fn set_urls(&mut self, urls: Urls) {
        self.urls = urls;
    }

    /// The first lesson, where "Commencer / Start" leads.
    pub fn first_lesson(&self) -> Option<&Lesson> {
        self.lessons().next()
    }

    /// The lessons before and after `id` in reading order (across modules).
    pub fn neighbours(&self, id: &LessonId) -> (Option<&Lesson>, Option<&Lesson>) {
        let lessons: Vec<&Lesson> = self.lessons().collect();
        match lessons.iter().position(|l| &l.id == id) {
            Some(i) => (i.checked_sub(1).map(|p| lessons[p]), lessons.get(i + 1).copied()),
            None => (None, None),
        }
    }

    /// Minutes of reading at 200 words a minute, when the author gave no estimate.
    pub fn estimated_minutes(&self) -> u32 {
        self.duration_minutes.unwrap_or_else(|| {
            let words: usize = self.lessons().map(|l| l.words).sum();
            u32::try_from(words.div_ceil(200)).unwrap_or(u32::MAX).max(1)
        })
    }
}

/// Why a course file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("file not found")]
    NotFound,
    #[error("{0}")]
    Unreadable(String),
}

/// Access to the files of one course folder, by path relative to it.
pub trait CourseFiles {
    /// The bytes of a file.
    fn read(&self, path: &str) -> Result<Vec<u8>, FileError>;
    /// Whether a file of the folder exists (and would be published).
    fn exists(&self, path: &str) -> bool;
    /// Every file of the folder under the publishing rules, where the folder can be listed (on
    /// disk; not in the browser, which only sees what was published).
    fn listing(&self) -> Option<publish::FolderListing> {
        None
    }
}

/// Where the player serves things, so links in lessons can be rewritten to real URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Urls {
    /// Prefix of lesson routes: a link to `intro.md` becomes `{lesson_base}/intro`.
    pub lesson_base: String,
    /// Prefix of the course's files: `img/a.png` becomes `{asset_base}/img/a.png`.
    pub asset_base: String,
    /// What ends the address of each page: nothing on a site (`…/learn/demo/intro`, served from
    /// its folder's `index.html`), [`PAGE_FILE_SUFFIX`] in an LMS package, where each page is a
    /// file the LMS serves as it is (`…/learn/demo/intro.html`).
    pub page_suffix: String,
}

/// The end of every page's address in an LMS package: an LMS serves the package's files as
/// they are, and has no notion of a folder's `index.html`.
pub const PAGE_FILE_SUFFIX: &str = ".html";

/// The route a page's address names: its last segment without [`PAGE_FILE_SUFFIX`] (`intro.html`
/// → `intro`). No id holds a dot, so the two spellings never name different pages.
pub fn route_segment(segment: &str) -> &str {
    segment.strip_suffix(PAGE_FILE_SUFFIX).unwrap_or(segment)
}

impl Urls {
    /// The player's layout at the root of a site: routes under `/learn/<slug>`, files under
    /// `/courses/<slug>`.
    pub fn player(slug: &impl std::fmt::Display) -> Urls {
        Urls::player_at("", slug)
    }

    /// The player's layout under `site_base` (`""` at the root of a site, `/lms/pkg/12` inside
    /// an LMS package).
    pub fn player_at(site_base: &str, slug: &impl std::fmt::Display) -> Urls {
        Urls {
            lesson_base: format!("{site_base}/learn/{slug}"),
            asset_base: format!("{site_base}/courses/{slug}"),
            page_suffix: String::new(),
        }
    }

    /// The same addresses, each page's ending with `suffix` (see [`Urls::page_suffix`]).
    pub fn with_page_suffix(self, suffix: &str) -> Urls {
        Urls { page_suffix: suffix.to_owned(), ..self }
    }

    /// The bases of links inside a lesson's HTML: relative to the lesson's page
    /// (`…/learn/<slug>/<lesson>`), so that the HTML compiled once works at the root of a site
    /// and under an LMS's path alike.
    pub fn relative_to_lesson(slug: &impl std::fmt::Display) -> Urls {
        Urls { lesson_base: ".".into(), asset_base: format!("../../courses/{slug}"), page_suffix: String::new() }
    }

    /// The same from an assessment's page (`…/learn/<slug>/assessment/<id>`), one level deeper.
    pub fn relative_to_assessment(slug: &impl std::fmt::Display) -> Urls {
        Urls { lesson_base: "..".into(), asset_base: format!("../../../courses/{slug}"), page_suffix: String::new() }
    }

    /// The course's overview page.
    pub fn overview(&self) -> String {
        format!("{}{}", self.lesson_base, self.page_suffix)
    }

    pub fn lesson(&self, lesson: &impl std::fmt::Display) -> String {
        format!("{}/{lesson}{}", self.lesson_base, self.page_suffix)
    }

    /// Under a segment no lesson may use (see `RESERVED_LESSON_IDS`).
    pub fn assessment(&self, assessment: &impl std::fmt::Display) -> String {
        format!("{}/assessment/{assessment}{}", self.lesson_base, self.page_suffix)
    }

    pub fn attestation(&self) -> String {
        format!("{}/attestation{}", self.lesson_base, self.page_suffix)
    }
}

/// The outcome of checking a course folder: the course when it can be played, and every problem.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseCheck {
    pub course: Option<Course>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CourseCheck {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// A course passes the check when it has no error at all (warnings allowed).
    pub fn passes(&self) -> bool {
        self.course.is_some() && self.errors().next().is_none()
    }
}

/// Builds a course from its folder and collects every problem: manifest keys and types, ids,
/// missing or unreadable lesson files, duplicate ids, unsafe or broken links and images.
pub fn check_course(slug: &CourseSlug, files: &dyn CourseFiles, urls: &Urls) -> CourseCheck {
    let manifest_source = match read_text(files, MANIFEST_FILE) {
        Ok(source) => source,
        Err(diagnostic) if diagnostic.location.is_some() => {
            return CourseCheck { course: None, diagnostics: vec![*diagnostic] };
        }
        Err(diagnostic) => {
            return CourseCheck {
                course: None,
                diagnostics: vec![diagnostic
                    .hint("a course folder needs a course.toml manifest (`parcours new --guide guide` writes the author's guide, which describes it)")],
            }
        }
    };
    let manifest = match Manifest::parse(&manifest_source) {
        Ok(manifest) => manifest,
        Err(diagnostic) => return CourseCheck { course: None, diagnostics: vec![*diagnostic] },
    };
    let (course, findings) = build::build(slug, &manifest, &manifest_source, files, urls);
    // Errors in the manifest or in reading files stop the course; errors inside a lesson (a broken
    // link, a broken question) are shown in place, so learners can still follow the rest.
    let playable = !findings.structure.iter().any(Diagnostic::is_error);
    let mut diagnostics = findings.structure;
    diagnostics.extend(findings.in_place);
    if let Some(listing) = files.listing() {
        diagnostics.extend(publish::listing_diagnostics(&listing, &|path| files.read(path).ok()));
    }
    CourseCheck { course: playable.then_some(course), diagnostics }
}

/// The largest text file (manifest, lesson, quiz) a course may have: learners' browsers fetch and
/// render a lesson whole, and a one-hour course is about 100 KB of text in all.
pub const MAX_TEXT_FILE_BYTES: usize = 1024 * 1024;

/// Reads a UTF-8 text file, locating invalid bytes.
fn read_text(files: &dyn CourseFiles, path: &str) -> Result<String, Box<Diagnostic>> {
    let bytes = files.read(path).map_err(|error| Box::new(Diagnostic::error(path, error.to_string())))?;
    if bytes.len() > MAX_TEXT_FILE_BYTES {
        let megabytes = bytes.len() as f64 / 1_048_576.0;
        return Err(Box::new(
            Diagnostic::error(path, format!("this file is {megabytes:.1} MB; a course text file may be at most 1 MB"))
                .hint("split it into several lessons, and keep images and videos in files of their own"),
        ));
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&error.as_bytes()[..valid]).into_owned();
        Box::new(
            Diagnostic::error(path, format!("invalid UTF-8 (byte {valid})"))
                .at(&prefix, valid..valid)
                .hint("save the file as UTF-8 in your editor"),
        )
    })
}

fn lesson_id(lesson: &manifest::ManifestLesson) -> Result<LessonId, IdError> {
    match &lesson.id {
        Some(id) => LessonId::parse(id),
        None => {
            let stem = lesson.file.rsplit('/').next().unwrap_or_default();
            LessonId::parse(stem.strip_suffix(".md").unwrap_or(stem))
        }
    }
}

/// Lesson ids that would clash with the player's routes under `/learn/<course>/`.
const RESERVED_LESSON_IDS: [&str; 2] = ["assessment", "attestation"];

/// What building a lesson needs to know about its course.
struct LessonContext<'a> {
    language: &'a str,
    files: &'a dyn CourseFiles,
    urls: &'a Urls,
    /// Lesson files (normalised paths) and their ids, to resolve links between lessons.
    lesson_ids: &'a HashMap<String, LessonId>,
}

/// Renders a Markdown file the course shows (a lesson, a media's transcript), its links resolved
/// from where it is, and reports, located in it, what its author must mend: unsafe links,
/// heading attributes, language marks that name no language, raw HTML (shown as text), links
/// outside the folder, to no file or to no lesson. One set of rules for every such file.
fn render_shown_markdown(
    file: &str,
    text: &str,
    lines: &LineIndex,
    context: &LessonContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> markdown::RenderedMarkdown {
    let LessonContext { language, files, urls, lesson_ids } = *context;
    let resolve = |link: &LinkRef| -> String {
        if !link.is_relative() {
            return link.url.clone();
        }
        let fragment = link.url.find('#').map(|i| &link.url[i..]).unwrap_or_default();
        match paths::join(file, &link.path()) {
            Some(_) if link.path().is_empty() => link.url.clone(),
            Some(target) => match lesson_ids.get(&target) {
                Some(lesson) if !link.is_image => format!("{}{fragment}", urls.lesson(lesson)),
                _ => format!("{}/{}", urls.asset_base, paths::encode(&target)),
            },
            None => link.url.clone(),
        }
    };
    let rendered = render_markdown(text, language, &resolve);
    let at = |link: &LinkRef, message: String| Diagnostic::error(file, message).located(lines, link.span.clone());

    for link in &rendered.dropped_links {
        diagnostics.push(
            at(link, format!("unsafe link `{}` removed", link.url))
                .hint("link to http(s), mailto or tel addresses, or to files of the course"),
        );
    }
    for (span, value) in &rendered.bad_language_marks {
        diagnostics.push(
            Diagnostic::error(file, format!("`{{lang={value}}}` is not a language code: the passage is not marked"))
                .located(lines, span.clone())
                .hint("write a language code, as in `[large language model]{lang=en}` (en, de, es, it, fr-CA…)"),
        );
    }
    for heading in &rendered.dropped_heading_attributes {
        diagnostics.push(
            Diagnostic::error(file, "heading attributes other than `{#id}` are not allowed: they were removed")
                .located(lines, heading.clone())
                .hint("keep only an id, as in `## Title {#my-id}`; styles and scripts cannot be set from a course"),
        );
    }
    // Raw HTML, once a line (`<kbd>Tab</kbd>` is two pieces of it).
    let mut raw_lines = Vec::new();
    for span in &rendered.raw_html {
        let line = lines.location(span.start).line;
        if raw_lines.contains(&line) {
            continue;
        }
        raw_lines.push(line);
        let raw = text.get(span.clone()).unwrap_or_default().trim();
        let shown: String = raw.chars().take(40).collect();
        diagnostics.push(
            Diagnostic::warning(file, format!("raw HTML is shown as text, not as markup: `{shown}`"))
                .located(lines, span.start..span.start + raw.len())
                .hint("write Markdown instead (`**bold**`, `` `code` ``, a link as `[text](address)`); a course cannot add HTML to the page"),
        );
    }
    for link in rendered.links.iter().filter(|l| l.is_relative() && !l.path().is_empty()) {
        let what = if link.is_image { "image" } else { "link" };
        match paths::join(file, &link.path()) {
            None => diagnostics.push(
                at(link, format!("{what} `{}` points outside the course folder", link.url))
                    .hint("keep images and files inside the course folder"),
            ),
            Some(target) if target.ends_with(".md") && !link.is_image => {
                if !lesson_ids.contains_key(&target) {
                    diagnostics.push(
                        at(link, format!("link to `{}`, which is not a lesson of this course", link.url))
                            .hint("link to a lesson listed in course.toml"),
                    );
                }
            }
            Some(target) => {
                if !files.exists(&target) {
                    diagnostics.push(
                        at(link, format!("broken {what}: `{target}` does not exist"))
                            .hint("check the file name (it is case-sensitive) and its folder"),
                    );
                }
            }
        }
    }
    rendered
}

fn build_lesson(
    id: LessonId,
    entry: &manifest::ManifestLesson,
    file: &str,
    text: &str,
    context: &LessonContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> Lesson {
    let LessonContext { language, files, urls, .. } = *context;
    let first_new = diagnostics.len();
    // One line index for the file, shared by every check that locates a problem in it.
    let lines = LineIndex::new(text);
    let rendered = render_shown_markdown(file, text, &lines, context, diagnostics);
    let title = entry.title.clone().or(rendered.title.clone()).unwrap_or_else(|| {
        diagnostics.push(
            Diagnostic::warning(file, "the lesson has no title")
                .hint("start the file with `# Title` or set `title` in course.toml"),
        );
        id.to_string()
    });
    for nested in &rendered.nested_quizzes {
        let fence = &nested.fence;
        diagnostics.push(
            Diagnostic::error(file, format!("a {fence} block inside a list or a quote cannot be shown"))
                .located(&lines, nested.span.clone())
                .hint(format!("write the ```{fence} block at the start of a line, outside lists and quotes")),
        );
    }
    let render_transcript = |transcript: &str, text: &str, diagnostics: &mut Vec<Diagnostic>| {
        render_shown_markdown(transcript, text, &LineIndex::new(text), context, diagnostics).html()
    };
    let media_context =
        media::MediaContext { file, lines: &lines, files, urls, language, render_transcript: &render_transcript };
    let mut media_ids = Vec::new();
    let body = rendered
        .blocks
        .iter()
        .filter_map(|block| match block {
            RenderedBlock::Html(html) => Some(LessonBlock::Html { html: html.clone() }),
            RenderedBlock::Quiz(source) => {
                Some(LessonBlock::Quiz { quiz: build_quiz(source, file, &lines, diagnostics) })
            }
            RenderedBlock::Media(kind, source) => {
                media::build_media(*kind, source, &media_context, &mut media_ids, diagnostics)
                    .map(|media| LessonBlock::Media { media })
            }
        })
        .collect::<Vec<_>>();
    if rendered.words == 0 && rendered.blocks.iter().all(|block| matches!(block, RenderedBlock::Html(_))) {
        diagnostics.push(Diagnostic::warning(file, "the lesson is empty"));
    }
    // Reported in reading order, whatever order the checks ran in.
    // The lesson's own first, then those of the files it uses (captions).
    diagnostics[first_new..].sort_by_key(|d| (d.file != file, d.span.as_ref().map(|s| s.start)));
    Lesson { id, title, file: file.to_owned(), body, words: rendered.words }
}

/// A question's `[markdown]` and `[html]` texts as the player shows them, rendered once for the
/// checks below.
struct ShownTexts {
    markdown: Vec<markdown::RenderedMarkdown>,
    html: Vec<crate::safe_html::Sanitized>,
}

impl ShownTexts {
    fn of(question: &Question) -> ShownTexts {
        let (mut markdown, mut html) = (Vec::new(), Vec::new());
        for text in question.texts() {
            match text.format {
                gift::TextFormat::Markdown => {
                    markdown.push(render_markdown(&text.body, "fr", &|link| link.url.clone()))
                }
                gift::TextFormat::Html => html.push(crate::safe_html::sanitize(&text.body)),
                gift::TextFormat::Moodle | gift::TextFormat::Plain => {}
            }
        }
        ShownTexts { markdown, html }
    }

    /// What the sanitizing rules of Markdown removed from the `[markdown]` texts, if anything, in
    /// an author's words.
    fn removed_from_markdown(&self) -> Option<&'static str> {
        self.markdown.iter().find_map(|rendered| {
            if !rendered.dropped_heading_attributes.is_empty() {
                Some("heading attributes other than `{#id}`")
            } else if !rendered.dropped_links.is_empty() {
                Some("an unsafe link")
            } else {
                None
            }
        })
    }

    /// What the sanitizing boundary leaves out of the `[html]` texts, named as an author would
    /// (`<script>`, `onclick="…"`), if anything.
    fn removed_from_html(&self) -> Option<String> {
        let mut removed: Vec<&str> = Vec::new();
        for item in self.html.iter().flat_map(|sanitized| &sanitized.removed) {
            if !removed.contains(&item.what.as_str()) {
                removed.push(&item.what);
            }
        }
        (!removed.is_empty()).then(|| removed.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", "))
    }

    /// The addresses the texts refer to that a question cannot show: relative ones (a file of the
    /// course, Moodle's `@@PLUGINFILE@@/…`). A question's texts are shown as written, so only an
    /// address with a scheme (`https:`) or a place in the page (`#…`) leads anywhere.
    fn unreachable(&self) -> Vec<String> {
        let mut unreachable = Vec::new();
        let shown =
            self.markdown.iter().map(|rendered| rendered.html()).chain(self.html.iter().map(|s| s.html.clone()));
        for html in shown {
            // The sanitizer writes every attribute as ` name="value"`, `"` escaped inside.
            for attribute in [" src=\"", " href=\""] {
                for (at, _) in html.as_str().match_indices(attribute) {
                    let value = &html.as_str()[at + attribute.len()..];
                    let url = value[..value.find('"').unwrap_or(value.len())].replace("&amp;", "&");
                    let relative = crate::safe_html::url_scheme(&url).is_none() && !url.starts_with('#');
                    if relative && !url.is_empty() && !unreachable.contains(&url) {
                        unreachable.push(url);
                    }
                }
            }
        }
        unreachable
    }
}

/// Parses a quiz block; each broken question becomes a located error in its place.
fn build_quiz(source: &markdown::QuizSource, file: &str, lines: &LineIndex, diagnostics: &mut Vec<Diagnostic>) -> Quiz {
    let parse = gift::parse_gift(&source.text);
    let mut positioned: Vec<(usize, QuizItem)> = Vec::new();
    for issue in parse.issues {
        let span = source.source_offset(issue.span.start)..source.source_offset(issue.span.end);
        let mut diagnostic = Diagnostic::error(file, issue.message).located(lines, span.clone());
        diagnostic.severity = issue.severity;
        if let Some(hint) = issue.hint {
            diagnostic = diagnostic.hint(hint);
        }
        if diagnostic.is_error() {
            positioned.push((issue.span.start, QuizItem::Broken { error: diagnostic.to_string() }));
        }
        diagnostics.push(diagnostic);
    }
    for mut question in parse.questions {
        let start = question.span.start;
        question.span = source.source_offset(question.span.start)..source.source_offset(question.span.end);
        let shown = ShownTexts::of(&question);
        if let Some(removed) = shown.removed_from_markdown() {
            diagnostics.push(
                Diagnostic::error(file, format!("{removed} in a [markdown] text of this question: removed"))
                    .located(lines, question.span.clone())
                    .hint("keep only an id on headings (`## Title {#my-id}`) and link to http(s), mailto or tel addresses"),
            );
        }
        if let Some(removed) = shown.removed_from_html() {
            diagnostics.push(
                Diagnostic::warning(file, format!("an [html] text of this question holds {removed}: not shown"))
                    .located(lines, question.span.clone())
                    .hint(
                        "lessons show text, images, links and tables; scripts, styles, frames and forms are left out",
                    ),
            );
        }
        for url in shown.unreachable() {
            diagnostics.push(
                Diagnostic::warning(file, format!("this question's text refers to `{url}`, which it cannot show"))
                    .located(lines, question.span.clone())
                    .hint(
                        "a question shows images and links from https addresses only: put this one in the \
                         lesson's text, above the question, or give its https address",
                    ),
            );
        }
        positioned.push((start, QuizItem::Question(question)));
    }
    positioned.sort_by_key(|(start, _)| *start);
    Quiz { items: positioned.into_iter().map(|(_, item)| item).collect() }
}

/// Course files held in memory, for tests and benchmarks: a file not inserted does not exist.
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles {
    files: HashMap<String, Result<Vec<u8>, FileError>>,
}

impl MemoryFiles {
    pub fn insert(&mut self, path: impl Into<String>, content: Result<Vec<u8>, FileError>) {
        self.files.insert(path.into(), content);
    }

    pub fn with(mut self, path: &str, content: &str) -> MemoryFiles {
        self.insert(path, Ok(content.as_bytes().to_vec()));
        self
    }

    /// Every file under `dir`, by its path inside it (for benchmarks and tests of the bundled
    /// courses; the CLI reads folders itself, lazily).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read_dir(dir: &std::path::Path) -> std::io::Result<MemoryFiles> {
        let mut files = MemoryFiles::default();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(current) = stack.pop() {
            for entry in std::fs::read_dir(&current)? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                    files.insert(relative, Ok(std::fs::read(&path)?));
                }
            }
        }
        Ok(files)
    }
}

impl CourseFiles for MemoryFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, FileError> {
        self.files.get(path).cloned().unwrap_or(Err(FileError::NotFound))
    }

    fn exists(&self, path: &str) -> bool {
        self.files.get(path).is_some_and(Result::is_ok)
    }
}

/// A course built from files in memory for a test, as the player's site would publish it; the
/// test fails, with the diagnostics, when the files do not pass the check.
#[cfg(test)]
pub(crate) fn test_course(slug: &str, files: &MemoryFiles) -> Course {
    let slug = CourseSlug::parse(slug).expect("a valid slug");
    let check = check_course(&slug, files, &Urls::player(&slug));
    assert!(check.passes(), "{:?}", check.diagnostics);
    check.course.expect("a course that passes is built")
}

#[cfg(test)]
mod tests;
