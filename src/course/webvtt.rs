//! WebVTT caption files, checked the way a browser will read them: the `WEBVTT` header, each
//! cue's timing line (`00:01.000 --> 00:04.500`), cues in order, and the mistakes a browser
//! silently forgives but a learner sees (a cue ending before it starts, two cues on screen at
//! once, a cue with no text).

use super::diagnostic::Severity;
use std::ops::Range;

/// A problem in a WebVTT file, located by a byte range of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct VttIssue {
    pub severity: Severity,
    pub span: Range<usize>,
    pub message: String,
}

/// What a caption file holds, once read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Captions {
    /// Each cue's start and end, in seconds.
    pub cues: Vec<(f64, f64)>,
    pub issues: Vec<VttIssue>,
}

impl Captions {
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

/// Reads `text` as WebVTT and reports every problem with its place.
pub fn check_webvtt(text: &str) -> Captions {
    let mut captions = Captions::default();
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - body.len();
    let header_ok =
        body.strip_prefix("WEBVTT").is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']));
    if !header_ok {
        let end = body.find('\n').unwrap_or(body.len());
        captions.issues.push(VttIssue {
            severity: Severity::Error,
            span: offset..offset + end,
            message: "a caption file starts with the line `WEBVTT`".into(),
        });
        return captions;
    }
    let mut previous: Option<(f64, f64)> = None;
    for block in blocks(body) {
        let lines: Vec<(usize, &str)> = block.lines.clone();
        let Some(timing_index) = lines.iter().position(|(_, line)| line.contains("-->")) else {
            continue; // the header's own block, a NOTE, a STYLE or a REGION
        };
        if timing_index > 1 {
            // A cue has at most one identifier line before its timing.
            let (at, line) = lines[0];
            captions.issues.push(issue(
                Severity::Error,
                offset + at,
                line,
                "two lines before a cue's timing: is a blank line missing?",
            ));
        }
        let (at, line) = lines[timing_index];
        let Some((start, end)) = parse_timing(line) else {
            captions.issues.push(issue(
                Severity::Error,
                offset + at,
                line,
                "a cue's timing is written `00:01.000 --> 00:04.500` (minutes, seconds and three decimals)",
            ));
            continue;
        };
        if end <= start {
            captions.issues.push(issue(Severity::Error, offset + at, line, "this cue ends before it starts"));
        }
        if let Some((previous_start, previous_end)) = previous {
            if start < previous_start {
                captions.issues.push(issue(
                    Severity::Error,
                    offset + at,
                    line,
                    "this cue starts before the one above it: cues go in order",
                ));
            } else if start < previous_end {
                captions.issues.push(issue(
                    Severity::Warning,
                    offset + at,
                    line,
                    "this cue starts before the one above it ends: both will be on screen at once",
                ));
            }
        }
        if lines[timing_index + 1..].iter().all(|(_, text)| text.trim().is_empty()) {
            captions.issues.push(issue(Severity::Warning, offset + at, line, "this cue has no text"));
        }
        previous = Some((start, end));
        captions.cues.push((start, end));
    }
    if captions.cues.is_empty() && !captions.has_errors() {
        captions.issues.push(VttIssue {
            severity: Severity::Error,
            span: offset..offset + "WEBVTT".len(),
            message: "the caption file has no cue".into(),
        });
    }
    captions
}

fn issue(severity: Severity, at: usize, line: &str, message: &str) -> VttIssue {
    VttIssue { severity, span: at..at + line.len(), message: message.to_owned() }
}

struct Block<'a> {
    /// Each line with its byte offset.
    lines: Vec<(usize, &'a str)>,
}

/// The blocks of the file: lines between blank lines.
fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(Block { lines: std::mem::take(&mut current) });
            }
        } else {
            current.push((at, line));
        }
        at += raw.len();
    }
    if !current.is_empty() {
        blocks.push(Block { lines: current });
    }
    blocks
}

/// `00:01.000 --> 00:04.500 line:0` → (1.0, 4.5).
fn parse_timing(line: &str) -> Option<(f64, f64)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next()?;
    Some((parse_timestamp(start.trim())?, parse_timestamp(end)?))
}

/// `hh:mm:ss.ttt` or `mm:ss.ttt`, as WebVTT writes them.
pub fn parse_timestamp(text: &str) -> Option<f64> {
    let (clock, millis) = text.split_once('.')?;
    if millis.len() != 3 || !millis.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let number = |part: &str, max: Option<u64>| -> Option<u64> {
        let value = (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok())??;
        max.is_none_or(|max| value < max).then_some(value)
    };
    let (hours, minutes, seconds) = match parts.as_slice() {
        [m, s] if m.len() == 2 && s.len() == 2 => (0, number(m, Some(60))?, number(s, Some(60))?),
        [h, m, s] if h.len() >= 2 && m.len() == 2 && s.len() == 2 => {
            (number(h, None)?, number(m, Some(60))?, number(s, Some(60))?)
        }
        _ => return None,
    };
    Some((hours * 3600 + minutes * 60 + seconds) as f64 + millis.parse::<f64>().ok()? / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "WEBVTT\n\nNOTE made by hand\n\n1\n00:00.000 --> 00:02.500\nBonjour.\n\n00:02.500 --> 01:00:03.000 line:0\nSuite.\n";

    #[test]
    fn a_good_file_gives_its_cues() {
        let captions = check_webvtt(GOOD);
        assert_eq!(captions.issues, []);
        assert_eq!(captions.cues, [(0.0, 2.5), (2.5, 3603.0)]);
        assert_eq!(check_webvtt(&format!("\u{feff}{}", GOOD.replace('\n', "\r\n"))).cues.len(), 2);
    }

    #[test]
    fn timestamps_are_read_strictly() {
        assert_eq!(parse_timestamp("01:02.003"), Some(62.003));
        assert_eq!(parse_timestamp("1:02:03.000"), None, "hours have two digits at least");
        for bad in ["1:02.000", "00:60.000", "00:02,000", "00:02.5", "00:02", "aa:bb.ccc", "-1:00.000"] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_mistake_is_located() {
        let text = "WEBVTT\n\n00:05.000 --> 00:04.000\nA\n\n00:03.000 --> 00:06.000\nB\n\n00:05.500 --> 00:07.000\nC\n\n00:08,000 --> 00:09.000\nD\n\n00:09.000 --> 00:10.000\n";
        let checked = check_webvtt(text);
        let found: Vec<(Severity, &str, &str)> = checked
            .issues
            .iter()
            .map(|i| (i.severity, &text[i.span.clone()], i.message.split(':').next().unwrap_or_default()))
            .collect();
        assert_eq!(
            found,
            [
                (Severity::Error, "00:05.000 --> 00:04.000", "this cue ends before it starts"),
                (Severity::Error, "00:03.000 --> 00:06.000", "this cue starts before the one above it"),
                (Severity::Warning, "00:05.500 --> 00:07.000", "this cue starts before the one above it ends"),
                (Severity::Error, "00:08,000 --> 00:09.000", "a cue's timing is written `00"),
                (Severity::Warning, "00:09.000 --> 00:10.000", "this cue has no text"),
            ]
        );
    }

    #[test]
    fn a_file_that_is_not_webvtt_or_has_no_cue_is_an_error() {
        let srt = check_webvtt("1\n00:00:01,000 --> 00:00:02,000\nSRT\n");
        assert!(srt.has_errors() && srt.issues[0].message.contains("WEBVTT"));
        assert!(check_webvtt("WEBVTT - titre\n\nNOTE rien\n").has_errors());
        assert!(check_webvtt("WEBVTTX\n").has_errors());
    }
}
