//! `parcours build <dir>… -o <site>`: the player, the courses, the catalog index and a
//! `config.json`, as plain files any web server or CDN can host (see the README for nginx).

use crate::cli::{check_folder, report};
use crate::player;
use parcours::course::catalog::{Catalog, CatalogEntry};
use parcours::course::Course;
use std::path::{Path, PathBuf};

/// The `config.json` a site starts with: records go to `/xapi/`, which the server forwards.
pub fn config_json(author_mode: bool, live_reload: Option<&str>) -> String {
    let mut config = serde_json::json!({ "lrs": { "endpoint": "/xapi/" } });
    if author_mode {
        // Author mode sends nothing: records stay in the browser, shown in the author panel.
        config = serde_json::json!({ "lrs": null, "author-mode": true });
    }
    if let Some(url) = live_reload {
        config["live-reload"] = url.into();
    }
    serde_json::to_string_pretty(&config).unwrap_or_default()
}

/// Every file of a course folder, by its path inside it (hidden files and folders left out).
pub fn course_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    fn walk(root: &Path, dir: &Path, found: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, found)?;
            } else {
                let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                found.push((relative, path));
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found)?;
    found.sort();
    Ok(found)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// Writes the site. Nothing is written when a course has errors.
pub fn build(dirs: &[PathBuf], output: &Path, author_mode: bool) -> Result<(), String> {
    player::require()?;
    let mut courses: Vec<(PathBuf, Course)> = Vec::new();
    let mut failed = 0;
    for dir in dirs {
        let check = check_folder(dir)?;
        report(dir, &check.diagnostics);
        match check.course.filter(|_| check.diagnostics.iter().all(|d| !d.is_error())) {
            Some(course) => courses.push((dir.clone(), course)),
            None => failed += 1,
        }
    }
    if failed > 0 {
        return Err(format!("{failed} course(s) have errors (above): nothing was written"));
    }
    let slugs: Vec<&str> = courses.iter().map(|(_, c)| c.slug.as_str()).collect();
    if let Some(twice) = slugs.iter().enumerate().find(|(i, s)| slugs[..*i].contains(s)).map(|(_, s)| s) {
        return Err(format!("two course folders are named `{twice}`: each course needs its own address"));
    }
    if output.exists() {
        let ours = output.join("index.html").is_file() && output.join("courses/index.json").is_file();
        let empty = std::fs::read_dir(output).map(|mut d| d.next().is_none()).unwrap_or(false);
        if ours {
            std::fs::remove_dir_all(output).map_err(|e| format!("cannot replace `{}`: {e}", output.display()))?;
        } else if !empty {
            return Err(format!(
                "`{}` is not empty and is not a Parcours site: choose a new or empty folder",
                output.display()
            ));
        }
    }
    for (path, bytes) in player::PLAYER_FILES {
        write(&output.join(path), bytes)?;
    }
    let mut catalog = Catalog::default();
    for (dir, course) in &courses {
        for (relative, path) in course_files(dir)? {
            let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            write(&output.join("courses").join(course.slug.as_str()).join(relative), &bytes)?;
        }
        catalog.courses.push(CatalogEntry::from(course));
    }
    let index = serde_json::to_string_pretty(&catalog).map_err(|e| e.to_string())?;
    write(&output.join("courses/index.json"), index.as_bytes())?;
    write(&output.join("config.json"), config_json(author_mode, None).as_bytes())?;
    eprintln!(
        "site written to {} ({} course(s){}): serve it with any static web server, with index.html for unknown paths",
        output.display(),
        courses.len(),
        if author_mode { ", author mode" } else { "" }
    );
    Ok(())
}
