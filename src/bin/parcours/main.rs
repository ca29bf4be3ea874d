//! `parcours`: the authoring tool.
//!
//! - `parcours check <course-dir>…` validates courses and prints every problem with
//!   file:line:col, a snippet and a hint; exits 1 when a course has an error.
//!   `--json` prints the parsed course(s) as JSON on stdout (a stable interface for tools).
//! - `parcours catalog <courses-dir> -o index.json` writes the catalog the player lists.
//! - `parcours new <dir>` scaffolds a course; `parcours preview <dir>` serves it with live reload;
//!   `parcours build <dir>… -o <site>` writes a static site; `parcours package <dir> --scorm12`
//!   a zip for an LMS. The player is embedded (build.rs).

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod csp;
#[cfg(not(target_arch = "wasm32"))]
mod folder;
#[cfg(not(target_arch = "wasm32"))]
mod package;
#[cfg(not(target_arch = "wasm32"))]
mod player;
#[cfg(not(target_arch = "wasm32"))]
mod preview;
#[cfg(not(target_arch = "wasm32"))]
mod scaffold;
#[cfg(not(target_arch = "wasm32"))]
mod site;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

// The authoring tool is native only; this keeps `cargo test --target wasm32-unknown-unknown` building.
#[cfg(target_arch = "wasm32")]
fn main() {}
