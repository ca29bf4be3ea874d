//! How `preview --open` opens an address in the author's default browser, the way each system
//! does it, and whether it can (`self-check` says so).

use std::process::Command;

/// The browser xdg-open uses when it is set (Linux); `self-check` then counts a browser as found.
pub const BROWSER_VARIABLE: &str = "BROWSER";

/// The system's own way: `rundll32 url.dll,FileProtocolHandler` on Windows (part of every
/// Windows, no console window, none of `start`'s quoting rules), `open` on macOS, `xdg-open`
/// elsewhere.
fn command(url: &str) -> Command {
    let mut command;
    if cfg!(windows) {
        command = Command::new("rundll32");
        command.args(["url.dll,FileProtocolHandler", url]);
    } else {
        command = Command::new(UNIX_OPENER);
        command.arg(url);
    }
    command
}

/// The program that opens an address elsewhere than on Windows.
const UNIX_OPENER: &str = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };

/// The program that opens the browser, as `self-check` names it.
pub fn name() -> &'static str {
    if cfg!(windows) {
        "the Windows default browser"
    } else {
        UNIX_OPENER
    }
}

/// Whether this machine has a way to open a browser (rundll32 is part of every Windows).
pub fn available() -> bool {
    if cfg!(windows) {
        return true;
    }
    let on_path = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(UNIX_OPENER).is_file()));
    on_path || std::env::var_os(BROWSER_VARIABLE).is_some()
}

/// Opens `url` in the default browser; false when the system's way could not be started.
pub fn open(url: &str) -> bool {
    command(url).spawn().is_ok()
}
