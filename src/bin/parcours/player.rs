//! The released players, embedded at compile time by `build.rs` (see there for the build order):
//! the site's, and the LMS package's, which alone carries the SCORM 1.2 and cmi5 sessions.

include!(concat!(env!("OUT_DIR"), "/player.rs"));

/// Which build of the player a site is assembled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Player {
    /// A site's (`build`, `preview`): launched by no LMS.
    Site,
    /// An LMS package's (`package`): followed by its SCORM 1.2 or cmi5 LMS.
    Lms,
}

impl Player {
    /// The player's files (path in the site, contents).
    pub fn files(self) -> &'static [(&'static str, &'static [u8])] {
        match self {
            Player::Site => PLAYER_FILES,
            Player::Lms => LMS_PLAYER_FILES,
        }
    }

    /// Refuses clearly when this binary was built before this player.
    pub fn require(self) -> Result<(), String> {
        if self.files().iter().any(|(name, _)| *name == "index.html") {
            return Ok(());
        }
        Err(match self {
            Player::Site => {
                "this `parcours` binary was built without the player: build the player first, then the binary \
                             (`make dist`, or `trunk build --release` then `cargo build --release --bin parcours`)"
            }
            Player::Lms => {
                "this `parcours` binary was built without the LMS package's player: build both players first, \
                            then the binary (`make dist`)"
            }
        }
        .to_owned())
    }
}

/// A file of the site's player, by its path in the site (`index.html`, `parcours-player-….wasm`).
pub fn file(path: &str) -> Option<&'static [u8]> {
    PLAYER_FILES.iter().find(|(name, _)| *name == path).map(|(_, bytes)| *bytes)
}

/// The `Content-Type` of a file served to the browser.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default().to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "webm" => "video/webm",
        "mp4" | "m4v" => "video/mp4",
        "ogv" => "video/ogg",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        "vtt" => "text/vtt; charset=utf-8",
        "md" | "gift" | "toml" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
