//! Diagnostics: problems found in a course, each located in a file (line and column, 1-based)
//! with a hint saying what to write instead. Shared by the CLI (pretty snippets) and the player
//! (a readable error page).

use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// How bad a problem is: errors stop a course from being played, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a text file, 1-based like every editor shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl Location {
    /// The line and column of byte `offset` in `source` (columns count characters, not bytes).
    pub fn of_offset(source: &str, offset: usize) -> Location {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location { line, column }
    }
}

/// Where each line of a text starts, so that locating many diagnostics in one file costs one
/// pass over it (locating each from the start made `check` quadratic: minutes on a 1 MB lesson
/// with thousands of broken links).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts }
    }

    /// The line and column of byte `offset` (as `Location::of_offset`, in time of one line).
    pub fn location(&self, offset: usize) -> Location {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        Location { line, column: self.text[line_start..offset].chars().count() + 1 }
    }

    /// The byte range of lines `first..=last` (1-based), without the last line's `\n`.
    pub fn lines(&self, first: usize, last: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(first.max(1) - 1).copied().unwrap_or(self.text.len());
        let end = self.starts.get(last).map_or(self.text.len(), |next| next - 1);
        start..end.max(start)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path of the file, relative to the course folder (e.g. `course.toml`, `lessons/intro.md`).
    pub file: String,
    /// Where in the file, when the problem has a place (a missing file has none).
    pub location: Option<Location>,
    /// Byte range in the file, for snippets.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
    pub message: String,
    /// What to write instead.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error in `file` with no particular place.
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            location: None,
            span: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning in `file` with no particular place.
    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, message) }
    }

    /// Places the diagnostic at byte range `span` of `source` (the text of its file).
    pub fn at(self, source: &str, span: Range<usize>) -> Diagnostic {
        self.located(&LineIndex::new(source), span)
    }

    /// Places the diagnostic at byte range `span` of the text `lines` indexes.
    pub fn located(mut self, lines: &LineIndex, span: Range<usize>) -> Diagnostic {
        self.location = Some(lines.location(span.start));
        self.span = Some(span);
        self
    }

    /// Adds what to write instead.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message (hint: ...)`: the one-line form used in logs and the player.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(Location { line, column }) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The closest candidate to a misspelt `word`, if one is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous_diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous_diagonal + usize::from(ca != *cb);
            previous_diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_one_based_and_count_characters() {
        let source = "ab\nçé x\n";
        assert_eq!(Location::of_offset(source, 0), Location { line: 1, column: 1 });
        assert_eq!(Location::of_offset(source, 3), Location { line: 2, column: 1 });
        // "çé " is 5 bytes but 3 characters: x is in column 4.
        assert_eq!(Location::of_offset(source, 8), Location { line: 2, column: 4 });
        // Past the end and inside a character do not panic.
        assert_eq!(Location::of_offset(source, 99), Location { line: 3, column: 1 });
        assert_eq!(Location::of_offset(source, 4), Location { line: 2, column: 1 });
    }

    #[test]
    fn one_line_form_names_file_line_column_and_hint() {
        let d =
            Diagnostic::error("course.toml", "unknown key `titel`").at("x = 1\ntitel = 2", 6..11).hint("write `title`");
        assert_eq!(d.to_string(), "course.toml:2:1: error: unknown key `titel` (hint: write `title`)");
        assert_eq!(Diagnostic::warning("a.md", "empty").to_string(), "a.md: warning: empty");
    }

    #[test]
    fn closest_finds_typos_only() {
        let keys = ["title", "language", "description"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("langage", keys), Some("language"));
        assert_eq!(closest("zzz", keys), None);
    }
}

#[cfg(test)]
mod line_index_tests {
    use super::*;

    #[test]
    fn a_line_index_locates_every_offset_as_a_scan_from_the_start_does() {
        let text = "ab\ncdé\n\nfin de ligne\r\nx";
        let lines = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(lines.location(offset), Location::of_offset(text, offset), "offset {offset}");
        }
        assert_eq!(&text[lines.lines(2, 2)], "cdé");
        assert_eq!(&text[lines.lines(4, 5)], "fin de ligne\r\nx");
    }
}
