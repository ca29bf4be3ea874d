//! Relative paths inside a course folder, always with `/` separators, never escaping the folder.

/// `./a/../b/c.md` → `b/c.md`; `None` for absolute paths, backslashes or paths that leave the folder.
pub(crate) fn normalize(path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The path that `link`, written in `from_file`, points to, relative to the course folder.
pub(crate) fn join(from_file: &str, link: &str) -> Option<String> {
    let directory = from_file.rsplit_once('/').map_or("", |(dir, _)| dir);
    if directory.is_empty() {
        normalize(link)
    } else {
        normalize(&format!("{directory}/{link}"))
    }
}

/// Percent-encodes what may not stand raw in a URL path (spaces, non-ASCII, `#`, `?` …).
pub(crate) fn encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_inside_the_folder_only() {
        assert_eq!(normalize("./a/../b/c.md").as_deref(), Some("b/c.md"));
        assert_eq!(normalize("../x.md"), None);
        assert_eq!(normalize("/etc/passwd"), None);
        assert_eq!(normalize("a\\b.md"), None);
        assert_eq!(normalize("C:x.md"), None);
    }

    #[test]
    fn joins_relative_to_the_linking_file() {
        assert_eq!(join("lessons/a.md", "../img/x.png").as_deref(), Some("img/x.png"));
        assert_eq!(join("a.md", "img/x.png").as_deref(), Some("img/x.png"));
        assert_eq!(join("a.md", "../x.png"), None);
    }

    #[test]
    fn encodes_for_urls() {
        assert_eq!(encode("img/mon schéma.svg"), "img/mon%20sch%C3%A9ma.svg");
    }
}
