//! The released player, embedded at compile time by `build.rs` (see there for the build order).

include!(concat!(env!("OUT_DIR"), "/player.rs"));

/// A file of the player, by its path in the site (`index.html`, `parcours-player-….wasm`).
pub fn file(path: &str) -> Option<&'static [u8]> {
    PLAYER_FILES.iter().find(|(name, _)| *name == path).map(|(_, bytes)| *bytes)
}

/// Refuses clearly when this binary was built before the player.
pub fn require() -> Result<(), String> {
    if file("index.html").is_some() {
        Ok(())
    } else {
        Err("this `parcours` binary was built without the player: build the player first, then the binary \
             (`make dist`, or `trunk build --release` then `cargo build --release --bin parcours`)"
            .to_owned())
    }
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
