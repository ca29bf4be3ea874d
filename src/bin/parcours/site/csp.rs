//! The player page's Content-Security-Policy, written into its `index.html` as a `<meta>`: the
//! player, its scripts (by hash) and WebAssembly run, and nothing else can, even if markup ever
//! slipped past the sanitizing boundary. A site's server should also send it as a header, with
//! `frame-ancestors` (which a `<meta>` cannot carry): see docs/nginx/parcours.conf.

use base64::Engine;
use sha2::{Digest, Sha256};

/// Everything but the script hashes. Connections: the site itself, and where an LRS or LMS may
/// be (`xapi::config::LRS_CONNECT_SOURCES`, the rule `config.json` is checked against: https, and
/// the learner's own machine for an LMS tried locally).
/// Images and media: the site and https (a lesson may show a picture from an open-data site).
/// Frames: https only, for the hosted players a course embeds (PeerTube…), which the player
/// creates itself once the learner asks; lesson markup can make no frame (the sanitizer drops it).
/// Styles: the site's sheet, and inline `style` attributes (table alignment, Leptos).
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; \
                      style-src 'self' 'unsafe-inline'; img-src 'self' https:; media-src 'self' https:; \
                      frame-src https:; \
                      connect-src 'self' {lrs}; \
                      object-src 'none'; base-uri {base}; form-action 'none'";

const META_START: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";

/// `html` with a policy that allows exactly its inline scripts (any previous policy replaced,
/// so the page can be rewritten, as `package` does, and the policy written again), and no
/// `<base>` but one within the site, set by the page that stands in for unknown addresses
/// (`page::standing_in_for_unknown_addresses`).
pub fn with_content_security_policy(html: &str) -> String {
    let mut page = html.to_owned();
    let inserted = format!("\n    {META_START}");
    if let Some(start) = page.find(&inserted) {
        if let Some(length) = page[start..].find('>') {
            page.replace_range(start..=start + length, "");
        }
    }
    let hashes: Vec<String> = inline_scripts(&page)
        .map(|script| format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script))))
        .collect();
    let base = if page.contains(super::page::STAND_IN_MARK) { "'self'" } else { "'none'" };
    let meta = format!(
        "{META_START}{}\">",
        POLICY
            .replace("{hashes}", &hashes.join(" "))
            .replace("{base}", base)
            .replace("{lrs}", parcours::xapi::config::LRS_CONNECT_SOURCES)
    );
    super::page::first_in_head(&page, &meta)
}

/// The text of every inline `<script>` of the page (those without `src`).
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("<script").filter_map(move |(at, _)| {
        let open_end = at + html[at..].find('>')?;
        if html[at..open_end].contains(" src=") {
            return None;
        }
        let body_end = open_end + 1 + html[open_end + 1..].find("</script>")?;
        Some(&html[open_end + 1..body_end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_inline_script_is_allowed_by_its_hash_and_nothing_else() {
        let page = "<html><head><meta charset=\"utf-8\"><script>a()</script><script type=\"module\">\nb()\n</script>\
                    <script src=\"/x.js\"></script></head></html>";
        let secured = with_content_security_policy(page);
        // sha256 of `a()` and of `\nb()\n`, as a browser computes them.
        assert!(secured.contains("'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='"), "{secured}");
        assert_eq!(secured.matches("'sha256-").count(), 2, "{secured}");
        assert!(secured.find(META_START) < secured.find("<script>"), "the policy comes before the scripts");
        assert_eq!(with_content_security_policy(&secured), secured, "written again, the same policy");
        assert!(secured.contains("object-src 'none'; base-uri 'none'"));
        // Connections: the one rule `config.json`'s endpoint is also checked against.
        assert!(secured.contains("connect-src 'self' https: http://127.0.0.1:* http://localhost:*;"), "{secured}");
    }
}
