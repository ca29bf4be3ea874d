//! `parcours build <dir>… -o <site>`: the player, the courses, the catalog index and a
//! `config.json`, as plain files any web server or CDN can host (see the README for nginx).

use crate::course_folder::{passing_course, published_files};
use crate::csp::with_content_security_policy;
use crate::player;
use parcours::course::catalog::{Catalog, CatalogEntry};
use parcours::course::compiled::{compiled_file_name, CompiledCourse};
use parcours::course::publish::is_safe_file_name;
use parcours::course::Course;
use parcours::xapi::config::{TrackingConfig, CONFIG_FILE};
use std::path::{Path, PathBuf};

/// The file `build` writes at the root of every site, and the only sign it trusts before
/// replacing a folder: a folder that merely looks like a site (an `index.html`, a
/// `courses/index.json`) may be someone's web root, and is never removed.
pub const SITE_MARKER: &str = ".parcours-site";

/// Writes `relative` (a `/`-separated path made by `build`) under `output`, never outside it.
fn write_inside(output: &Path, relative: &str, bytes: &[u8]) -> Result<(), String> {
    if relative.split('/').any(|part| !is_safe_file_name(part)) {
        return Err(format!("refusing to write `{relative}`: not a plain path inside the site"));
    }
    write(&output.join(relative), bytes)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// Writes the site. Nothing is written when a course has errors.
pub fn run(dirs: &[PathBuf], output: &Path, author_mode: bool) -> Result<(), String> {
    player::require()?;
    let mut courses: Vec<(PathBuf, Course)> = Vec::new();
    let mut failed = Vec::new();
    for dir in dirs {
        match passing_course(dir) {
            Ok(course) => courses.push((dir.clone(), course)),
            Err(message) => failed.push(message),
        }
    }
    if !failed.is_empty() {
        return Err(format!("{}: nothing was written", failed.join("; ")));
    }
    let slugs: Vec<&str> = courses.iter().map(|(_, c)| c.slug.as_str()).collect();
    if let Some(twice) = slugs.iter().enumerate().find(|(i, s)| slugs[..*i].contains(s)).map(|(_, s)| s) {
        return Err(format!("two course folders are named `{twice}`: each course needs its own address"));
    }
    clear_output(output)?;
    write(&output.join(SITE_MARKER), b"Written by `parcours build`: the next build replaces this folder.\n")?;
    for (path, bytes) in player::PLAYER_FILES {
        if *path == "index.html" {
            let page = with_content_security_policy(&String::from_utf8_lossy(bytes));
            write_inside(output, path, page.as_bytes())?;
        } else {
            write_inside(output, path, bytes)?;
        }
    }
    let mut catalog = Catalog::default();
    for (dir, course) in &courses {
        for (relative, bytes) in published_files(dir)? {
            write_inside(output, &format!("courses/{}/{relative}", course.slug), &bytes)?;
        }
        let compiled = CompiledCourse::playable(course).to_json();
        write_inside(output, &format!("courses/{}", compiled_file_name(&course.slug)), compiled.as_bytes())?;
        catalog.courses.push(CatalogEntry::from(course));
    }
    let index = serde_json::to_string_pretty(&catalog).map_err(|e| e.to_string())?;
    write_inside(output, "courses/index.json", index.as_bytes())?;
    let config = if author_mode { TrackingConfig::author(None) } else { TrackingConfig::site() };
    write_inside(output, CONFIG_FILE, config.to_json().as_bytes())?;
    eprintln!(
        "site written to {} ({} course(s){}): serve it with any static web server, with index.html for unknown paths",
        output.display(),
        courses.len(),
        if author_mode { ", author mode" } else { "" }
    );
    Ok(())
}

/// Makes way for a new site in `output`: a folder that does not exist or is empty is used as is, a
/// previous site (with the marker `build` wrote, not a link) is removed; anything else is refused.
fn clear_output(output: &Path) -> Result<(), String> {
    let Ok(metadata) = std::fs::symlink_metadata(output) else { return Ok(()) };
    if metadata.file_type().is_symlink() || !metadata.is_dir() {
        return Err(format!("`{}` is not a folder: choose a new or empty folder", output.display()));
    }
    let empty = std::fs::read_dir(output).map(|mut d| d.next().is_none()).unwrap_or(false);
    let marker = std::fs::symlink_metadata(output.join(SITE_MARKER)).is_ok_and(|m| m.is_file());
    if marker {
        std::fs::remove_dir_all(output).map_err(|e| format!("cannot replace `{}`: {e}", output.display()))
    } else if empty {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not empty and was not written by `parcours build` (no `{SITE_MARKER}` in it): \
             choose a new or empty folder; nothing was removed",
            output.display()
        ))
    }
}
