//! Embeds the released players (`dist/` and `target/lms-player/`, built first by Trunk) into the
//! native `parcours` binary, so an author with only that binary can `preview`, `build` and
//! `package` courses.
//!
//! Trunk builds each player; its post-build hook runs the *debug* binary (`parcours catalog`,
//! `parcours csp`), so it never relinks the release binary. Then the release binary is built once
//! and embeds them (`make dist` does the steps). `PARCOURS_PLAYER_DIR` and
//! `PARCOURS_LMS_PLAYER_DIR` point elsewhere. The bundled courses, `config.json` and hidden
//! entries (Trunk's `.stage/`, left while a build is under way) are left out: `build`, `package`
//! and `preview` write their own. The author's guide course is embedded too (`GUIDE_FILES`), for
//! `parcours new --guide`.

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

/// The release players' files: `dir` as Trunk left it, unless `variable` names another folder.
fn player_files(variable: &str, default: &Path) -> Vec<(String, PathBuf)> {
    println!("cargo:rerun-if-env-changed={variable}");
    let mut files = Vec::new();
    // Only the native CLI embeds the players; the wasm player itself must not depend on them.
    if !std::env::var("TARGET").unwrap_or_default().starts_with("wasm32") {
        let dir = std::env::var_os(variable).map(PathBuf::from).unwrap_or_else(|| default.to_owned());
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
    files
}

/// A `static` list of embedded files (path, contents), in Rust.
fn embedded(code: &mut String, doc: &str, name: &str, files: &[(String, PathBuf)]) {
    let _ = writeln!(code, "/// {doc}\npub static {name}: &[(&str, &[u8])] = &[");
    for (relative, path) in files {
        let _ = writeln!(code, "    ({relative:?}, include_bytes!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/bin/parcours/player_build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("player.rs");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    // Two builds of the player: the site's (`build`, `preview`), and the LMS package's, which
    // alone carries the SCORM and cmi5 sessions (`make dist` builds both).
    let files = player_files("PARCOURS_PLAYER_DIR", &manifest.join("dist"));
    let lms_files = player_files("PARCOURS_LMS_PLAYER_DIR", &manifest.join("target").join("lms-player"));
    let mut code = String::new();
    embedded(&mut code, "The site's player (path in the site, contents).", "PLAYER_FILES", &files);
    embedded(&mut code, "The LMS package's player (path in the package, contents).", "LMS_PLAYER_FILES", &lms_files);

    // The author's guide, a course itself, so that `parcours new --guide` gives it to an author
    // who has only the binary: the course format's documentation travels with the program.
    let guide_dir = manifest.join("courses").join("writing-a-course");
    println!("cargo:rerun-if-changed={}", guide_dir.display());
    let mut guide = Vec::new();
    if !std::env::var("TARGET").unwrap_or_default().starts_with("wasm32") {
        collect(&guide_dir, &guide_dir, &mut guide);
    }
    guide.sort();
    embedded(&mut code, "The author's guide course (path in its folder, contents).", "GUIDE_FILES", &guide);
    std::fs::write(&out, code).expect("cannot write the embedded player's index");

    // The player's build, for `parcours --version`: the content hash Trunk puts in the wasm's name.
    let build = files
        .iter()
        .find_map(|(relative, _)| relative.strip_prefix("parcours-player-")?.strip_suffix("_bg.wasm"))
        .unwrap_or("none embedded");
    println!("cargo:rustc-env=PARCOURS_PLAYER_BUILD={build}");
}
