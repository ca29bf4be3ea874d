//! `parcours`: the authoring tool.
//!
//! - `parcours check <course-dir>…` validates courses and prints every problem with
//!   file:line:col, a snippet and a hint; exits 1 when a course has an error.
//!   `--json` prints the parsed course(s) as JSON on stdout (a stable interface for tools).
//! - `parcours catalog <courses-dir> -o index.json` writes the catalog the player lists.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

// The authoring tool is native only; this keeps `cargo test --target wasm32-unknown-unknown` building.
#[cfg(target_arch = "wasm32")]
fn main() {}
