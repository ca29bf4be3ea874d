//! `parcours`: the authoring tool. This file parses the command line; `cmd::Command::run` hands
//! each command to its module in `cmd/`. What several commands share lives beside it:
//! - [`course_folder`]: a course folder's address, its check, and its files under the publishing rules;
//! - [`diagnostics`]: problems printed as `check` prints them;
//! - [`player`]: the player embedded at build time;
//! - [`site`]: a site assembled from the player and courses, the one assembler of `build`,
//!   `package` and `preview` (the target is the only difference): its pages, their language
//!   and policy.

#[cfg(not(target_arch = "wasm32"))]
mod cmd;
#[cfg(not(target_arch = "wasm32"))]
mod course_folder;
#[cfg(not(target_arch = "wasm32"))]
mod diagnostics;
#[cfg(not(target_arch = "wasm32"))]
mod player;
// Used by build.rs (through `#[path]`); compiled here for its tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod player_build;
#[cfg(not(target_arch = "wasm32"))]
mod site;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser as _;
    cmd::Cli::parse().command.run()
}

// The authoring tool is native only; this keeps `cargo test --target wasm32-unknown-unknown` building.
#[cfg(target_arch = "wasm32")]
fn main() {}
