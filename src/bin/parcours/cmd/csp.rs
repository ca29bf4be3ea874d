//! `parcours csp <page>` (hidden): writes the Content-Security-Policy into a player page; the
//! player's build runs it once Trunk has written the page's inline scripts.

use crate::site::csp::with_content_security_policy;
use std::path::PathBuf;

/// The command's options, as the command line gives them (`parcours csp --help`).
#[derive(clap::Args)]
pub struct Args {
    /// The `index.html` to rewrite in place.
    pub page: PathBuf,
}

/// Rewrites `page` in place.
pub fn run(Args { page }: &Args) -> Result<(), String> {
    let html = std::fs::read_to_string(page).map_err(|e| format!("cannot read `{}`: {e}", page.display()))?;
    std::fs::write(page, with_content_security_policy(&html))
        .map_err(|e| format!("cannot write `{}`: {e}", page.display()))
}
