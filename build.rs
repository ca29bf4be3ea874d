//! Embeds the released player (`dist/`, built first by Trunk) into the native `parcours` binary,
//! so an author with only that binary can `preview` and `build` courses.
//!
//! Trunk builds the player; its post-build hook runs the *debug* binary (`parcours catalog`,
//! `parcours csp`), so it never relinks the release binary. Then the release binary is built once
//! and embeds `dist/` (`make dist` does the two steps). `PARCOURS_PLAYER_DIR` points elsewhere
//! than `dist/`. The bundled courses, `config.json` and hidden entries (Trunk's `.stage/`, left
//! while a build is under way) are left out: `build` and `preview` write their own. The author's
//! guide course is embedded too (`GUIDE_FILES`), for `parcours new --guide`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/bin/parcours/player_build.rs"]
mod player_build;

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden || relative == "courses" || relative == "config.json" {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            files.push((relative, path));
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/bin/parcours/player_build.rs");
    println!("cargo:rerun-if-env-changed=PARCOURS_PLAYER_DIR");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("player.rs");
    let mut files = Vec::new();
    // Only the native CLI embeds the player; the wasm player itself must not depend on dist/.
    if !std::env::var("TARGET").unwrap_or_default().starts_with("wasm32") {
        let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
        let dir = std::env::var_os("PARCOURS_PLAYER_DIR").map(PathBuf::from).unwrap_or_else(|| manifest.join("dist"));
        println!("cargo:rerun-if-changed={}", dir.display());
        if dir.join("index.html").is_file() {
            collect(&dir, &dir, &mut files);
        }
    }
    files.sort();
    // A release `parcours` ships its player to every learner of every site it builds: it refuses a
    // debug player (what `make run` leaves in dist/, 12 MB), rather than ship it silently.
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        for (relative, path) in files.iter().filter(|(relative, _)| relative.ends_with("_bg.wasm")) {
            let wasm = std::fs::read(path).expect("the player's wasm can be read");
            if player_build::is_debug_build(&wasm).unwrap_or(true) {
                panic!(
                    "{} holds a debug build of the player ({relative}, from `make run` or `trunk serve`): \
                     a release `parcours` would ship it to learners. Build the release player first: `make dist`.",
                    path.parent().map(Path::display).map(|d| d.to_string()).unwrap_or_default()
                );
            }
        }
    }
    let mut code = String::from(
        "/// The player's files (path in the site, contents).\npub static PLAYER_FILES: &[(&str, &[u8])] = &[\n",
    );
    for (relative, path) in &files {
        let _ = writeln!(code, "    ({relative:?}, include_bytes!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");

    // The author's guide, a course itself, so that `parcours new --guide` gives it to an author
    // who has only the binary: the course format's documentation travels with the program.
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let guide_dir = manifest.join("courses").join("writing-a-course");
    println!("cargo:rerun-if-changed={}", guide_dir.display());
    let mut guide = Vec::new();
    if !std::env::var("TARGET").unwrap_or_default().starts_with("wasm32") {
        collect(&guide_dir, &guide_dir, &mut guide);
    }
    guide.sort();
    code.push_str("/// The author's guide course (path in its folder, contents).\npub static GUIDE_FILES: &[(&str, &[u8])] = &[\n");
    for (relative, path) in &guide {
        let _ = writeln!(code, "    ({relative:?}, include_bytes!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");
    std::fs::write(&out, code).expect("cannot write the embedded player's index");

    // The player's build, for `parcours --version`: the content hash Trunk puts in the wasm's name.
    let build = files
        .iter()
        .find_map(|(relative, _)| relative.strip_prefix("parcours-player-")?.strip_suffix("_bg.wasm"))
        .unwrap_or("none embedded");
    println!("cargo:rustc-env=PARCOURS_PLAYER_BUILD={build}");
}
