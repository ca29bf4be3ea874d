//! What of a course folder may be published, in one place for `check`, `preview`, `build` and
//! `package`: file names that stay inside the folder on every system, an allow-list of file types
//! that cannot run script on the site's origin, SVG images without script, and size caps.
//!
//! The folder is listed by the CLI (symbolic links are never followed: a link can point at
//! `/etc/passwd` or loop back on its folder); these rules are pure so they are tested here and
//! every refusal becomes a located `check` error.

use super::diagnostic::Diagnostic;
use crate::safe_html::url_scheme;
use std::ops::Range;

/// The most files a course folder may hold, and how deep its folders may nest.
pub const MAX_FILES: usize = 5_000;
pub const MAX_DEPTH: usize = 16;
/// The largest file published (a video of a few minutes in good quality is 50–200 MB).
pub const MAX_FILE_BYTES: u64 = 500 * 1024 * 1024;

/// File types published with a course, by extension. None of them runs script when opened in a
/// tab on the site (HTML, XML, JavaScript and unchecked SVG would, on the site's own origin).
pub const PUBLISHED_EXTENSIONS: &[&str] = &[
    // The course itself.
    "toml", "md", "gift", "txt", // Images (SVG is checked: see `check_svg`).
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", // Documents to download.
    "pdf", "csv", "odt", "ods", "odp", "docx", "xlsx", "pptx", // Audio and video, and their captions.
    "mp3", "m4a", "ogg", "oga", "opus", "wav", "mp4", "webm", "ogv", "vtt",
];

/// A file or folder of the course folder that is not published, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    SymbolicLink,
    UnsafeName,
    TooDeep,
    TooManyFiles,
    TooLarge(u64),
    UnpublishedType,
}

/// What the CLI found in a course folder: the files it may publish and what it refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderListing {
    /// Paths relative to the folder, `/`-separated, sorted.
    pub files: Vec<String>,
    pub refused: Vec<(String, Refusal)>,
}

/// Whether a file name (one path component, as the system gave it) is safe to publish on every
/// system: no separator of any system, no control character, not `.`/`..`, not hidden.
pub fn is_safe_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.chars().any(|c| c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
}

/// Whether a file of this path is of a type that is published.
pub fn is_published_type(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, extension)| PUBLISHED_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()))
}

/// A problem that makes an SVG image unsafe to publish, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgProblem {
    pub span: Range<usize>,
    pub what: String,
}

/// Checks an SVG image for anything that would run script or fetch from elsewhere when the image
/// is opened in a tab: `<script>`, `on…` handlers, `<foreignObject>`, links that are not in-file
/// (`#id`), `javascript:` anywhere, animations of links, entity declarations, style sheets.
pub fn check_svg(text: &str) -> Result<(), SvgProblem> {
    let lower = text.to_ascii_lowercase();
    let problem = |at: usize, what: &str| SvgProblem { span: at..(at + 1).min(text.len()), what: what.to_owned() };
    for (needle, what) in [
        ("<!entity", "an entity declaration (`<!ENTITY`)"),
        ("<?xml-stylesheet", "a style sheet instruction (`<?xml-stylesheet`)"),
        ("javascript:", "a `javascript:` URL"),
        ("@import", "a style sheet import (`@import`)"),
    ] {
        if let Some(at) = lower.find(needle) {
            return Err(problem(at, what));
        }
    }
    for (at, _) in lower.match_indices("url(") {
        let target = lower[at + 4..].trim_start_matches([' ', '"', '\'']);
        if !target.starts_with('#') {
            return Err(problem(at, "a reference to another file (`url(…)` other than `url(#id)`)"));
        }
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = text[at..].find('<') {
        at += offset;
        let next = bytes.get(at + 1).copied().unwrap_or(b' ');
        if text[at..].starts_with("<!--") {
            at = text[at..].find("-->").map_or(text.len(), |e| at + e + 3);
            continue;
        }
        if !(next.is_ascii_alphabetic() || next == b'_') {
            at += 1;
            continue;
        }
        let (tag, end) = crate::safe_html::read_tag(text, at + 1);
        let element = tag.name.rsplit(':').next().unwrap_or(&tag.name).to_owned();
        // `<image>` and `<use>` are fine while they point inside the file (the `href` rule below).
        if matches!(
            element.as_str(),
            "script" | "foreignobject" | "iframe" | "embed" | "object" | "handler" | "listener"
        ) {
            return Err(problem(at, &format!("a `<{}>` element", tag.name)));
        }
        for (name, value) in &tag.attributes {
            let local = name.rsplit(':').next().unwrap_or(name);
            if local.starts_with("on") {
                return Err(problem(at, &format!("an event handler attribute (`{name}`)")));
            }
            if local == "href" && !value.trim().starts_with('#') {
                return Err(problem(at, &format!("a link to another file or site (`{name}=\"{value}\"`)")));
            }
            if local == "attributename" && value.to_ascii_lowercase().ends_with("href") {
                return Err(problem(at, "an animation that changes a link"));
            }
            if let Some(scheme) = url_scheme(value).filter(|s| s == "javascript" || s == "data") {
                return Err(problem(at, &format!("a `{scheme}:` URL")));
            }
        }
        at = end.min(text.len());
    }
    Ok(())
}

/// The located `check` diagnostics for what will not be published, and for unsafe SVG images
/// (`read` gives a file's bytes).
pub fn listing_diagnostics(listing: &FolderListing, read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (path, refusal) in &listing.refused {
        let (message, hint) = match refusal {
            Refusal::SymbolicLink => (
                "a symbolic link is not published".to_owned(),
                "copy the file or folder into the course folder instead of linking to it".to_owned(),
            ),
            Refusal::UnsafeName => (
                "this file name cannot be published: it holds `\\`, `:`, a control character or another character that is not allowed in file names on every system".to_owned(),
                "rename it with letters, digits, `-`, `_`, `.` and spaces".to_owned(),
            ),
            Refusal::TooDeep => (
                format!("folders nest more than {MAX_DEPTH} levels deep here: what is below is not published"),
                "keep the course's folders shallow".to_owned(),
            ),
            Refusal::TooManyFiles => (
                format!("the course folder holds more than {MAX_FILES} files: the rest is not published"),
                "remove what the course does not use".to_owned(),
            ),
            Refusal::TooLarge(bytes) => (
                format!("this file is {} MB; a course file may be at most {} MB", bytes / 1_048_576, MAX_FILE_BYTES / 1_048_576),
                "compress it, or link to it on a video or file hosting service".to_owned(),
            ),
            Refusal::UnpublishedType => (
                "this type of file is not published: opened on the site, it could run script there".to_owned(),
                format!("remove it, or convert it to one of: {}", PUBLISHED_EXTENSIONS.join(", ")),
            ),
        };
        diagnostics.push(Diagnostic::error(path.as_str(), message).hint(hint));
    }
    for path in listing.files.iter().filter(|p| p.to_ascii_lowercase().ends_with(".svg")) {
        let Some(bytes) = read(path) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        if let Err(problem) = check_svg(&text) {
            diagnostics.push(
                Diagnostic::error(path.as_str(), format!("this SVG image holds {}: it is not published", problem.what))
                    .at(&text, problem.span)
                    .hint("export the image again without scripts, links or embedded content (or save it as PNG)"),
            );
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_on_some_system_are_refused() {
        for bad in ["x\\..\\..\\evil.txt", "..", ".", "a:b.md", "C:", "a\nb.md", ".env", ""] {
            assert!(!is_safe_file_name(bad), "{bad:?}");
        }
        for good in ["intro.md", "mon schéma (v2).svg", "01-début.md"] {
            assert!(is_safe_file_name(good), "{good:?}");
        }
    }

    #[test]
    fn only_types_that_cannot_script_the_site_are_published() {
        for published in ["a.md", "img/x.PNG", "doc.pdf", "v.mp4", "c.vtt", "s.svg", "course.toml"] {
            assert!(is_published_type(published), "{published}");
        }
        for refused in
            ["a.html", "a.htm", "x.js", "x.mjs", "a.xml", "a.xhtml", "a.svgz", "README", "a.exe", "img.png/x"]
        {
            assert!(!is_published_type(refused), "{refused}");
        }
    }

    #[test]
    fn svg_images_with_script_or_outside_references_are_refused() {
        let clean = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><defs><linearGradient id=\"g\"/></defs><!-- a comment with <script> --><rect fill=\"url(#g)\" width=\"10\" height=\"10\"/><use xlink:href=\"#g\"/><style>rect { fill: red }</style></svg>";
        assert_eq!(check_svg(clean), Ok(()));
        for (bad, what) in [
            ("<svg><script>alert(1)</script></svg>", "`<script>`"),
            ("<svg><svg:script>x</svg:script></svg>", "`<svg:script>`"),
            ("<svg onload=\"alert(1)\"/>", "`onload`"),
            ("<svg><rect ONCLICK='x'/></svg>", "`onclick`"),
            ("<svg><foreignObject><div>x</div></foreignObject></svg>", "`<foreignobject>`"),
            ("<svg><a href=\"https://evil.example\">x</a></svg>", "https://evil.example"),
            ("<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>", "javascript:"),
            ("<svg><a><set attributeName=\"href\" to=\"jav&#x61;script:x\"/></a></svg>", "animation"),
            ("<svg><image href=\"https://tracker.example/p.png\"/></svg>", "https://tracker.example"),
            ("<svg><rect style=\"fill:url(https://t.example/x)\"/></svg>", "url("),
            ("<!DOCTYPE svg [<!ENTITY x \"javascript\">]><svg/>", "ENTITY"),
            ("<?xml-stylesheet href=\"x.css\"?><svg/>", "xml-stylesheet"),
        ] {
            let problem = check_svg(bad).expect_err(bad);
            assert!(problem.what.contains(what), "{bad}: {}", problem.what);
        }
    }

    #[test]
    fn refusals_become_errors_that_say_what_to_do() {
        let listing = FolderListing {
            files: vec!["img/bad.svg".into()],
            refused: vec![("lien.md".into(), Refusal::SymbolicLink), ("page.html".into(), Refusal::UnpublishedType)],
        };
        let read = |_: &str| Some(b"<svg>\n  <script>x</script>\n</svg>".to_vec());
        let diagnostics = listing_diagnostics(&listing, &read);
        assert_eq!(diagnostics.len(), 3);
        assert!(diagnostics.iter().all(Diagnostic::is_error));
        assert_eq!(diagnostics[0].message, "a symbolic link is not published");
        assert_eq!(diagnostics[2].file, "img/bad.svg");
        assert_eq!(diagnostics[2].location.map(|l| (l.line, l.column)), Some((2, 3)));
    }
}
