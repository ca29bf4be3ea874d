//! The player's page (`index.html`) as a site or a package serves it: in the language of its
//! courses from the first paint.

/// `html` in `language`: `<html lang>` and a `<meta name="parcours-language">` the player reads
/// before anything else, so a French site is French from the first word even in an English
/// browser (without it the frame showed in the browser's language until the course arrived).
/// `language` is a checked language tag (`check` refuses any other).
pub fn with_language(html: &str, language: &str) -> String {
    let language: String = language.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let mut page = html.to_owned();
    if let Some(start) = page.find("<html lang=\"") {
        let value = start + "<html lang=\"".len();
        if let Some(length) = page[value..].find('"') {
            page.replace_range(value..value + length, &language);
        }
    }
    let meta = format!("<meta name=\"parcours-language\" content=\"{language}\">");
    if let Some(start) = page.find("<meta name=\"parcours-language\"") {
        if let Some(length) = page[start..].find('>') {
            page.replace_range(start..=start + length, &meta);
            return page;
        }
    }
    first_in_head(&page, &meta)
}

/// How every page of the player starts its `<head>`.
const CHARSET: &str = "<meta charset=\"utf-8\">";

/// `html` with `element` first in its `<head>`, right after the charset: the charset must stay
/// in the first bytes, and a policy applies only to what follows it.
pub fn first_in_head(html: &str, element: &str) -> String {
    let mut page = html.to_owned();
    match page.find(CHARSET) {
        Some(at) => page.insert_str(at + CHARSET.len(), &format!("\n    {element}")),
        None => page = page.replacen("<head>", &format!("<head>\n    {element}"), 1),
    }
    page
}

/// `html` (the player's page) holding a pre-rendered page: its title, its language, and its
/// markup in `<body>`, wrapped for the player to take over (`web::PrerenderedPage`). The
/// template's "needs JavaScript" line goes: a pre-rendered page reads without it, and says
/// itself what needs it.
pub fn with_prerendered(html: &str, page: &parcours::ui::prerender::RenderedPage) -> String {
    let mut out =
        if page.head.language.is_empty() { html.to_owned() } else { with_language(html, &page.head.language) };
    if !page.head.title.is_empty() {
        out = out.replacen("<title>Parcours</title>", &format!("<title>{}</title>", escape_text(&page.head.title)), 1);
    }
    if let (Some(start), Some(end)) = (out.find("<noscript>"), out.find("</noscript>")) {
        if start < end {
            out.replace_range(start..end + "</noscript>".len(), "");
        }
    }
    out.replacen("<body>", &format!("<body>\n<div id=\"prerendered\">{}</div>", page.body), 1)
}

/// The script that lets the site's first page (`index.html`, its catalog) stand in for any
/// address that is no file (a lesson since removed, a mistyped link), as the server sends it
/// then: its files are named from the site's root, which is not that address's folder. Under a
/// route of the player (`…/learn/<course>[/…]`), the root is what comes before it; a `<base>` set
/// before the page names any file says so.
const STAND_IN_SCRIPT: &str = r#"<script>
      // Sent for an address that is no file: the site's root comes before the player's route.
      (() => {
        const route = /\/learn\/[^/]+(\/[^/]+){0,2}\/?$/.exec(location.pathname);
        if (route) {
          const base = document.createElement("base");
          base.href = location.pathname.slice(0, route.index + 1);
          document.head.prepend(base);
        }
      })();
    </script>
    "#;

/// What tells a page that stands in for unknown addresses (its policy allows it a `<base>`
/// within the site: `csp`).
pub const STAND_IN_MARK: &str =
    "// Sent for an address that is no file: the site's root comes before the player's route.";

/// `html`, the site's first page, able to stand in for an unknown address ([`STAND_IN_SCRIPT`]).
pub fn standing_in_for_unknown_addresses(html: &str) -> String {
    html.replacen("<title>", &format!("{STAND_IN_SCRIPT}<title>"), 1)
}

/// Text for HTML: `<`, `>` and `&` escaped (a course title may hold them).
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The language a site's pages start in: its courses' when they all share one.
pub fn site_language<'a>(mut languages: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let first = languages.next()?;
    languages.all(|other| other == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str =
        "<!doctype html>\n<html lang=\"fr\">\n  <head>\n    <meta charset=\"utf-8\">\n  </head>\n</html>";

    #[test]
    fn the_page_takes_the_language_once_however_often_it_is_written() {
        let english = with_language(PAGE, "en");
        assert!(english.contains("<html lang=\"en\">"));
        assert!(english.contains("<meta name=\"parcours-language\" content=\"en\">"));
        let again = with_language(&english, "fr-FR");
        assert_eq!(again.matches("parcours-language").count(), 1);
        assert!(again.contains("<html lang=\"fr-FR\">") && again.contains("content=\"fr-FR\""));
        assert!(with_language(PAGE, "en\"><script>").contains("content=\"enscript\""), "only a tag's characters");
    }

    #[test]
    fn a_pre_rendered_page_takes_its_title_as_text_and_its_markup_in_the_body() {
        let page = parcours::ui::prerender::RenderedPage {
            head: parcours::web::page_head::PageHead {
                title: "</title><script>alert(1)</script> & co".into(),
                language: "en".into(),
                ..Default::default()
            },
            body: "<main>Leçon</main>".into(),
        };
        let template =
            PAGE.replace("</head>", "<title>Parcours</title></head>\n<body>\n<noscript>JS</noscript>\n</body>");
        let html = with_prerendered(&template, &page);
        assert!(html.contains("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>"), "{html}");
        assert!(!html.contains("<script>"), "the title never becomes markup");
        assert!(html.contains("<body>\n<div id=\"prerendered\"><main>Leçon</main></div>"));
        assert!(!html.contains("<noscript>"), "the page says itself what needs JavaScript");
        assert!(html.contains("<html lang=\"en\">"));
    }

    #[test]
    fn only_the_page_standing_in_for_unknown_addresses_may_set_a_base_and_only_within_the_site() {
        let template = PAGE.replace("</head>", "<title>Parcours</title></head>");
        let stand_in = crate::site::csp::with_content_security_policy(&standing_in_for_unknown_addresses(&template));
        assert!(stand_in.contains(STAND_IN_MARK) && stand_in.contains("base-uri 'self'"), "{stand_in}");
        assert!(stand_in.find("<base").is_none(), "set by the script, only when it stands in");
        let page = crate::site::csp::with_content_security_policy(&template);
        assert!(page.contains("base-uri 'none'"), "{page}");
    }

    #[test]
    fn a_site_has_a_language_when_its_courses_share_one() {
        assert_eq!(site_language(["fr", "fr"].into_iter()), Some("fr"));
        assert_eq!(site_language(["fr", "en"].into_iter()), None);
        assert_eq!(site_language(std::iter::empty()), None);
    }
}
