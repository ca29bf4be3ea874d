//! Where the player is: the site's base under any path (a site, an LMS package), the routes'
//! base, and the addresses the player's links and pages name.

use super::{document, meta_content, page_head, window, IN_BROWSER};
use wasm_bindgen::JsValue;

/// In an LMS package the page opens on its one course (named by `<meta name="parcours-course">`,
/// written by `parcours package`): the address of `index.html` becomes the course's overview,
/// keeping the launch parameters.
pub fn open_packaged_course() {
    let Some(slug) = document()
        .and_then(|d| d.query_selector("meta[name=parcours-course]").ok().flatten())
        .and_then(|meta| meta.get_attribute("content"))
    else {
        return;
    };
    let Some(window) = window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let base = site_base();
    if matches!(path.strip_prefix(base.as_str()), Some("" | "/" | "/index.html")) {
        let search = location.search().unwrap_or_default();
        let target = format!("{base}/learn/{slug}{}{search}", crate::course::PAGE_FILE_SUFFIX);
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
        }
    }
}

/// The path the player is served under, without a trailing slash: `""` at the root of a site,
/// `/pluginfile.php/7/mod_scorm/content/1` inside an LMS package. Found from where the page
/// loads the player's script (written by Trunk, made relative in packages), so a deep link
/// such as `/learn/demo/intro` does not change it.
///
/// Pre-rendering, it is the way from the page being written to the site's root (`..` for
/// `/learn/demo`, `../..` for a lesson, `.` for the catalog): the page's links are relative, so
/// that the site works under any path of any host.
pub fn site_base() -> String {
    if !IN_BROWSER {
        return page_head::site_base();
    }
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let base = BASE.get_or_init(|| {
        let script = document()
            .and_then(|d| d.query_selector("link[rel=modulepreload]").ok().flatten())
            .and_then(|link| link.get_attribute("href"));
        let base_uri = document().and_then(|d| d.base_uri().ok().flatten());
        let path = match (script, base_uri) {
            (Some(script), Some(base)) => web_sys::Url::new_with_base(&script, &base).ok().map(|u| u.pathname()),
            _ => None,
        };
        let path = path.unwrap_or_default();
        path[..path.rfind('/').unwrap_or(0)].to_owned()
    });
    base.clone()
}

/// What ends each page's address: [`PAGE_FILE_SUFFIX`](crate::course::PAGE_FILE_SUFFIX) in an
/// LMS package (`<meta name="parcours-course">`, written by `parcours package`), where every page
/// is a file the LMS serves as it is; nothing on a site, whose server sends a folder's
/// `index.html`.
pub fn page_suffix() -> &'static str {
    if meta_content("parcours-course").is_some() {
        crate::course::PAGE_FILE_SUFFIX
    } else {
        ""
    }
}

/// The player's addresses for the course `slug`: under the site's base, each page's ending as
/// [`page_suffix`] says.
pub fn player_urls(slug: &impl std::fmt::Display) -> crate::course::Urls {
    crate::course::Urls::player_at(&site_base(), slug).with_page_suffix(page_suffix())
}

/// The address of the site's first page: the catalog (`…/`), or in an LMS package, which holds
/// one course, that course's overview (`…/learn/demo.html`). Not the package's `index.html`:
/// that is no page of the router, and loading it again would end the LMS session and start
/// another.
pub fn home_href() -> String {
    match meta_content("parcours-course") {
        Some(slug) => format!("{}/learn/{slug}{}", site_base(), crate::course::PAGE_FILE_SUFFIX),
        None => format!("{}/", site_base()),
    }
}

/// The path the router reads routes under: the site's base in the browser; none when
/// pre-rendering, where the route is given as it is (`/learn/demo`) and only links are relative.
pub fn router_base() -> String {
    if IN_BROWSER {
        site_base()
    } else {
        String::new()
    }
}
