//! Video and sound in lessons. An author describes one in a fenced block, in TOML:
//!
//! ````markdown
//! ```video
//! src = "media/intro.webm"
//! title = "Parcours en une minute"
//! captions = { fr = "media/intro.fr.vtt", en = "media/intro.en.vtt" }
//! transcript = "media/intro.transcript.md"
//! poster = "media/intro.jpg"
//! ```
//! ````
//!
//! or, for a player hosted elsewhere (PeerTube…), `embed = "https://…"` instead of `src`: the
//! player shows a placeholder and asks that host for nothing until the learner chooses to.
//! `check` verifies the files, the captions (a video needs captions in the course's language),
//! the languages and the transcript; the compiled [`Media`] is what the player shows.

use super::diagnostic::{Diagnostic, LineIndex, Severity};
use super::ids::{slugify, MediaId};
use super::markdown::QuizSource;
use super::webvtt::check_webvtt;
use super::{paths, read_text, CourseFiles, Urls};
use crate::safe_html::{is_known_language, is_safe_url, url_scheme, SafeHtml};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// A video or a sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Video,
    Audio,
}

/// A video or a sound of a lesson, as the player shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Media {
    pub kind: MediaKind,
    /// Unique within the lesson; with the lesson's id, it names the media in progress and in
    /// learning records.
    pub id: MediaId,
    pub title: String,
    pub source: MediaSource,
    /// The caption files, the course's language first.
    pub captions: Vec<CaptionTrack>,
    /// The transcript, rendered from its Markdown file.
    pub transcript: Option<SafeHtml>,
    pub poster: Option<String>,
    /// As the author gave it, for the page to say before anything loads.
    pub duration_seconds: Option<f64>,
}

/// Where the media comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum MediaSource {
    /// A file the browser plays itself (of the course, or at an https address).
    File { url: String, mime: String },
    /// A player hosted elsewhere, shown in a frame once the learner asks for it.
    Embed { url: String, host: String },
}

/// A WebVTT caption file and its language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaptionTrack {
    pub language: String,
    pub url: String,
}

/// A hosted player's address: https, with a host, and safe.
pub fn is_embeddable(url: &str) -> bool {
    url_scheme(url).as_deref() == Some("https") && embed_host(url).is_some() && is_safe_url(url)
}

/// `https://video.example.org/videos/embed/x` → `video.example.org`.
fn embed_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The keys a media block accepts.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct MediaSpec {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    src: Option<Spanned<String>>,
    embed: Option<Spanned<String>>,
    #[serde(default)]
    captions: BTreeMap<Spanned<String>, Spanned<String>>,
    transcript: Option<Spanned<String>>,
    poster: Option<Spanned<String>>,
    duration: Option<Spanned<String>>,
}

/// What building a media block needs from its lesson.
pub struct MediaContext<'a> {
    /// The lesson's file, relative to the course folder.
    pub file: &'a str,
    pub lines: &'a LineIndex<'a>,
    pub files: &'a dyn CourseFiles,
    pub urls: &'a Urls,
    pub language: &'a str,
    /// Renders a transcript (its file, its text) as the course renders every Markdown file it
    /// shows, reporting its problems as it does a lesson's.
    pub render_transcript: &'a dyn Fn(&str, &str, &mut Vec<Diagnostic>) -> SafeHtml,
}

/// The media of a ```` ```video ```` or ```` ```audio ```` block, or `None` when it cannot be
/// shown; every problem goes to `diagnostics`, located in the lesson or in the file at fault.
pub fn build_media(
    kind: MediaKind,
    source: &QuizSource,
    context: &MediaContext,
    taken_ids: &mut Vec<MediaId>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Media> {
    let block_start = source.span.start..source.span.start + 3 + source.fence.len();
    let spec: MediaSpec = match toml::from_str(&source.text) {
        Ok(spec) => spec,
        Err(problem) => {
            let message = problem.message().to_owned();
            let span = problem.span().map_or(block_start, |span| offsets(source, span));
            diagnostics.push(Diagnostic::error(context.file, message).located(context.lines, span).hint(
                "describe it with `src = \"media/file.webm\"` (or `embed = \"https://…\"`), `title`, `captions = { fr = \"….vtt\" }` and `transcript`",
            ));
            return None;
        }
    };
    let mut block = MediaBlock { kind, source, context, block_start, diagnostics };
    // Every problem of the block is reported, not only the first: the block is left out at the
    // end when one of them leaves nothing to show.
    let title = block.title(&spec);
    let media_source = block.media_source(&spec);
    let id = block.id(&spec, title.as_deref(), taken_ids);
    let captions = block.captions(&spec, matches!(media_source, Some(MediaSource::File { .. })));
    let transcript = block.transcript(&spec);
    let poster = spec.poster.as_ref().and_then(|path| block.course_file(path, "poster"));
    let poster = poster.map(|target| block.address(&target));
    let duration_seconds = block.duration(&spec);
    let (Some(title), Some(source), Some(id)) = (title, media_source, id) else { return None };
    Some(Media { kind, id, title, source, captions, transcript, poster, duration_seconds })
}

/// A span of a media block's text, as offsets in its lesson.
fn offsets(source: &QuizSource, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    source.source_offset(span.start)..source.source_offset(span.end)
}

/// One media block being checked: each of its keys has a method that reports its problems,
/// located in the lesson (or in the file at fault), and gives what the media needs of it.
struct MediaBlock<'a, 'd> {
    kind: MediaKind,
    source: &'a QuizSource,
    context: &'a MediaContext<'a>,
    /// The block's opening fence, where a problem of the whole block is shown.
    block_start: std::ops::Range<usize>,
    /// Where problems go: each check below reports its own.
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl MediaBlock<'_, '_> {
    fn word(&self) -> &'static str {
        match self.kind {
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
        }
    }

    fn error(&self, span: std::ops::Range<usize>, message: String) -> Diagnostic {
        Diagnostic::error(self.context.file, message).located(self.context.lines, offsets(self.source, span))
    }

    /// A problem of the whole block, shown at its opening fence.
    fn block_problem(&self, diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.located(self.context.lines, self.block_start.clone())
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// A problem found in another file (a caption file, a transcript), reported once however
    /// many media use that file.
    fn report_once(&mut self, diagnostic: Diagnostic) {
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// A course file the block names: relative, inside the folder, present (or an https address).
    fn course_file(&mut self, value: &Spanned<String>, what: &str) -> Option<String> {
        let path = value.get_ref();
        if url_scheme(path).is_some() {
            if is_safe_url(path) && url_scheme(path).as_deref() == Some("https") {
                return Some(path.clone());
            }
            let problem = format!("the {what} `{path}` is not an https address nor a file of the course");
            self.report(self.error(value.span(), problem));
            return None;
        }
        match paths::join(self.context.file, path) {
            None => {
                self.report(self.error(value.span(), format!("the {what} `{path}` is outside the course folder")));
                None
            }
            Some(target) if !self.context.files.exists(&target) => {
                let problem = self.error(value.span(), format!("the {what} `{target}` does not exist"));
                self.report(problem.hint("check the file name (it is case-sensitive) and its folder"));
                None
            }
            Some(target) => Some(target),
        }
    }

    /// The address the player fetches a course file (or an https address) from.
    fn address(&self, target: &str) -> String {
        if url_scheme(target).is_some() {
            target.to_owned()
        } else {
            format!("{}/{}", self.context.urls.asset_base, paths::encode(target))
        }
    }

    fn title(&mut self, spec: &MediaSpec) -> Option<String> {
        let title = spec.title.as_ref().map(|t| t.get_ref().trim().to_owned()).filter(|t| !t.is_empty());
        if title.is_none() {
            let problem = Diagnostic::error(self.context.file, format!("the {} has no `title`", self.word()));
            self.report(self.block_problem(problem).hint(
                "give it a title, as in `title = \"Découvrir Parcours\"`: it names the player for screen readers",
            ));
        }
        title
    }

    /// A file of the course in a format browsers play, or a hosted player's https address.
    fn media_source(&mut self, spec: &MediaSpec) -> Option<MediaSource> {
        let word = self.word();
        match (&spec.src, &spec.embed) {
            (Some(_), Some(embed)) => {
                self.report(self.error(embed.span(), "write `src` or `embed`, not both".into()));
                None
            }
            (None, None) => {
                let problem = format!("the {word} has no `src` (a file) nor `embed` (a hosted player)");
                self.report(self.block_problem(Diagnostic::error(self.context.file, problem)));
                None
            }
            (Some(src), None) => {
                let target = self.course_file(src, word)?;
                match media_type(&target, self.kind) {
                    Some(mime) => Some(MediaSource::File { url: self.address(&target), mime: mime.to_owned() }),
                    None => {
                        let problem = format!("`{}` is not a {word} format browsers play", src.get_ref());
                        self.report(self.error(src.span(), problem).hint(match self.kind {
                            MediaKind::Video => "use .webm (VP9 and Opus) or .mp4 (H.264 and AAC)",
                            MediaKind::Audio => "use .mp3, .ogg, .opus, .m4a or .wav",
                        }));
                        None
                    }
                }
            }
            (None, Some(embed)) => {
                let url = embed.get_ref();
                if is_embeddable(url) {
                    let host = embed_host(url).unwrap_or_default();
                    Some(MediaSource::Embed { url: url.clone(), host })
                } else {
                    self.report(self.error(embed.span(), format!("`{url}` is not an https address")));
                    None
                }
            }
        }
    }

    /// Its own `id`, or one made from its file's name or its title; unique in the lesson.
    fn id(&mut self, spec: &MediaSpec, title: Option<&str>, taken_ids: &mut Vec<MediaId>) -> Option<MediaId> {
        let id_text = match (&spec.id, &spec.src) {
            (Some(id), _) => id.get_ref().clone(),
            (None, Some(src)) => {
                let name = src.get_ref().rsplit('/').next().unwrap_or_default();
                slugify(name.split('.').next().unwrap_or(name))
            }
            (None, None) => slugify(title.unwrap_or(self.word())),
        };
        match MediaId::parse(&id_text) {
            Ok(id) if !taken_ids.contains(&id) => {
                taken_ids.push(id.clone());
                Some(id)
            }
            Ok(id) => {
                let problem =
                    Diagnostic::error(self.context.file, format!("two media of this lesson have the id `{id}`"));
                self.report(self.block_problem(problem).hint("give one of them its own `id = \"…\"`"));
                None
            }
            Err(problem) => {
                let span = spec.id.as_ref().map_or(self.block_start.clone(), |id| offsets(self.source, id.span()));
                self.report(
                    Diagnostic::error(self.context.file, problem.to_string()).located(self.context.lines, span),
                );
                None
            }
        }
    }

    /// Captions: each language known, each file a WebVTT file whose cues are in order; the
    /// learner's language first (the browser shows the first default track), and required for
    /// a video file.
    fn captions(&mut self, spec: &MediaSpec, is_file: bool) -> Vec<CaptionTrack> {
        let mut captions = Vec::new();
        for (language, path) in &spec.captions {
            if !is_known_language(language.get_ref()) {
                let problem = self.error(language.span(), format!("`{}` is not a language code", language.get_ref()));
                self.report(problem.hint("write the code of the captions' language: `fr`, `en`, `de`…"));
                continue;
            }
            let Some(target) = self.course_file(path, "caption file") else { continue };
            if url_scheme(&target).is_none() {
                self.check_caption_file(&target);
            }
            captions.push(CaptionTrack { language: language.get_ref().clone(), url: self.address(&target) });
        }
        let language = self.context.language;
        captions.sort_by_key(|track| !same_language(&track.language, language));
        let has_own_language = captions.iter().any(|track| same_language(&track.language, language));
        if self.kind == MediaKind::Video && is_file && !has_own_language {
            let problem = format!("the video has no captions in the course's language (`{language}`)");
            self.report(self.block_problem(Diagnostic::error(self.context.file, problem)).hint(format!(
                "add `captions = {{ {language} = \"media/….vtt\" }}`: learners who cannot hear it need them (RGAA 4.3)"
            )));
        }
        captions
    }

    /// The problems of a caption file, located in it.
    fn check_caption_file(&mut self, target: &str) {
        match read_text(self.context.files, target) {
            Ok(text) => {
                let checked = check_webvtt(&text);
                let vtt_lines = LineIndex::new(&text);
                for issue in checked.issues {
                    let diagnostic = match issue.severity {
                        Severity::Error => Diagnostic::error(target, issue.message),
                        Severity::Warning => Diagnostic::warning(target, issue.message),
                    };
                    self.report_once(diagnostic.located(&vtt_lines, issue.span));
                }
            }
            Err(problem) => self.report(*problem),
        }
    }

    /// The transcript, a Markdown file of the course rendered as a lesson is.
    fn transcript(&mut self, spec: &MediaSpec) -> Option<SafeHtml> {
        let Some(path) = &spec.transcript else {
            let what = match self.kind {
                MediaKind::Audio => "the sound has no transcript",
                MediaKind::Video => "the video has no transcript",
            };
            self.report(
                self.block_problem(Diagnostic::warning(self.context.file, what))
                    .hint("add `transcript = \"media/….md\"`: it serves learners who cannot listen, and those offline"),
            );
            return None;
        };
        let target = self.course_file(path, "transcript")?;
        if !target.ends_with(".md") {
            self.report(self.error(path.span(), "a transcript is a Markdown file (`.md`)".into()));
            return None;
        }
        match read_text(self.context.files, &target) {
            Ok(text) => {
                let mut found = Vec::new();
                let html = (self.context.render_transcript)(&target, &text, &mut found);
                for diagnostic in found {
                    self.report_once(diagnostic);
                }
                Some(html)
            }
            Err(problem) => {
                self.report(*problem);
                None
            }
        }
    }

    fn duration(&mut self, spec: &MediaSpec) -> Option<f64> {
        let duration = spec.duration.as_ref()?;
        let seconds = parse_duration(duration.get_ref());
        if seconds.is_none() {
            let problem = self.error(duration.span(), format!("`{}` is not a duration", duration.get_ref()));
            self.report(problem.hint("write minutes and seconds: `2:35`"));
        }
        seconds
    }
}

/// `fr` and `fr-FR` are the same language for captions.
fn same_language(a: &str, b: &str) -> bool {
    let primary = |tag: &str| tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
    primary(a) == primary(b)
}

/// The MIME type of a media file, from its extension.
fn media_type(path: &str, kind: MediaKind) -> Option<&'static str> {
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    let extension = extension.split(['?', '#']).next().unwrap_or_default();
    match (kind, extension) {
        (MediaKind::Video, "webm") => Some("video/webm"),
        (MediaKind::Video, "mp4" | "m4v") => Some("video/mp4"),
        (MediaKind::Video, "ogv") => Some("video/ogg"),
        (MediaKind::Audio, "mp3") => Some("audio/mpeg"),
        (MediaKind::Audio, "ogg" | "oga") => Some("audio/ogg"),
        (MediaKind::Audio, "opus") => Some("audio/ogg; codecs=opus"),
        (MediaKind::Audio, "m4a") => Some("audio/mp4"),
        (MediaKind::Audio, "wav") => Some("audio/wav"),
        (MediaKind::Audio, "webm") => Some("audio/webm"),
        _ => None,
    }
}

/// `2:35`, `1:02:03` or `95` (seconds).
fn parse_duration(text: &str) -> Option<f64> {
    let mut seconds = 0u64;
    for part in text.trim().split(':') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || part.len() > 4 {
            return None;
        }
        seconds = seconds * 60 + part.parse::<u64>().ok()?;
    }
    Some(seconds as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_formats_are_read_from_addresses() {
        assert_eq!(
            embed_host("https://Video.Example.org:8443/videos/embed/x?a=1").as_deref(),
            Some("video.example.org")
        );
        assert!(is_embeddable("https://peertube.example.org/videos/embed/abc"));
        for refused in
            ["http://peertube.example.org/x", "javascript:alert(1)", "https://", "//example.org/x", "data:text/html,x"]
        {
            assert!(!is_embeddable(refused), "{refused}");
        }
        assert_eq!(media_type("media/a.WEBM", MediaKind::Video), Some("video/webm"));
        assert_eq!(media_type("media/a.mp3", MediaKind::Video), None);
        assert_eq!(parse_duration("2:35"), Some(155.0));
        assert_eq!(parse_duration("1:00:01"), Some(3601.0));
        assert_eq!(parse_duration("2 min"), None);
    }

    #[test]
    fn a_compiled_media_is_checked_again_when_read() {
        use crate::course::compiled::reader;
        let good = r#"{"kind":"video","id":"intro","title":"T","source":{"type":"file","url":"../../courses/d/m/a.webm","mime":"video/webm"},"captions":[{"language":"fr","url":"m/a.vtt"}]}"#;
        let read: Media = reader::read(good).unwrap();
        assert_eq!(reader::read::<Media>(&serde_json::to_string(&read).unwrap()).unwrap(), read, "written, read back");
        let with_poster = good.replace(r#""title":"T""#, r#""title":"T","poster":"m/p.jpg""#);
        assert_eq!(reader::read::<Media>(&with_poster).unwrap().poster.as_deref(), Some("m/p.jpg"));
        for hostile in [
            good.replace("../../courses/d/m/a.webm", "javascript:alert(1)"),
            good.replace(r#""language":"fr""#, r#""language":"fr\" onload=\"x""#),
            good.replace(r#""id":"intro""#, r#""id":"a b""#),
            good.replace(r#""title":"T""#, r#""title":"T","poster":"javascript:alert(1)""#),
            good.replace(
                r#"{"type":"file","url":"../../courses/d/m/a.webm","mime":"video/webm"}"#,
                r#"{"type":"embed","url":"http://evil.example/x","host":"h"}"#,
            ),
        ] {
            assert!(reader::read::<Media>(&hostile).is_err(), "{hostile}");
        }
    }
}
