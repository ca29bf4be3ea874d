//! Printing diagnostics the way `check` shows them, for every command that checks a course.

use annotate_snippets::{Level, Renderer, Snippet};
use parcours::course::{Diagnostic, LineIndex, Severity};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

/// Prints diagnostics as snippets of their files (colours only on a terminal).
pub fn report(dir: &Path, diagnostics: &[Diagnostic]) {
    for text in render_diagnostics(dir, diagnostics, std::io::stderr().is_terminal()) {
        eprintln!("{text}\n");
    }
}

/// Diagnostics as `check` shows them: a snippet of the file at file:line:col, and the hint.
pub fn render_diagnostics(dir: &Path, diagnostics: &[Diagnostic], styled: bool) -> Vec<String> {
    let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
    // Each file is read and indexed once, however many problems it has.
    let mut sources: HashMap<&str, String> = HashMap::new();
    for diagnostic in diagnostics {
        sources.entry(diagnostic.file.as_str()).or_insert_with(|| {
            std::fs::read(dir.join(&diagnostic.file))
                .ok()
                .filter(|bytes| bytes.len() <= parcours::course::MAX_TEXT_FILE_BYTES)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        });
    }
    let indexes: HashMap<&str, LineIndex> =
        sources.iter().map(|(file, source)| (*file, LineIndex::new(source))).collect();
    let mut rendered = Vec::new();
    for diagnostic in diagnostics {
        let level = match diagnostic.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let shown_path = dir.join(&diagnostic.file).display().to_string();
        let source = &sources[diagnostic.file.as_str()];
        let title = match diagnostic.span {
            Some(_) => diagnostic.message.clone(),
            None => format!("{shown_path}: {}", diagnostic.message),
        };
        let mut message = level.title(&title);
        if let Some(span) = diagnostic.span.clone().filter(|_| !source.is_empty()) {
            // Only the lines of the span go to the renderer: giving it the whole file for each
            // diagnostic made a file with thousands of problems take minutes.
            let lines = &indexes[diagnostic.file.as_str()];
            let start = span.start.min(source.len());
            let end = span.end.clamp(start, source.len());
            let (first, last) = (lines.location(start).line, lines.location(end).line);
            let shown = lines.lines(first, last);
            let excerpt = &source[shown.clone()];
            let annotated = (start - shown.start).min(excerpt.len())..(end - shown.start).min(excerpt.len());
            message = message.snippet(
                Snippet::source(excerpt)
                    .line_start(first)
                    .origin(&shown_path)
                    .fold(true)
                    .annotation(level.span(annotated)),
            );
        }
        if let Some(hint) = &diagnostic.hint {
            message = message.footer(Level::Help.title(hint));
        }
        rendered.push(renderer.render(message).to_string());
    }
    rendered
}
