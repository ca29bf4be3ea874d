//! `parcours csp <page>` (hidden): writes the Content-Security-Policy into a player page; the
//! player's build runs it once Trunk has written the page's inline scripts.

use crate::site::csp::with_content_security_policy;
use std::path::Path;

/// Rewrites `page` in place.
pub fn run(page: &Path) -> Result<(), String> {
    let html = std::fs::read_to_string(page).map_err(|e| format!("cannot read `{}`: {e}", page.display()))?;
    std::fs::write(page, with_content_security_policy(&html))
        .map_err(|e| format!("cannot write `{}`: {e}", page.display()))
}
