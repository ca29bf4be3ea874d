//! A course folder on disk: its address, its check, and its files read under the publishing
//! rules (`parcours::course::publish`): symbolic links are never followed, names that would leave
//! the folder on some system are refused, and only allow-listed types are published. Every
//! command reads a course through here.

use crate::diagnostics::report;
use parcours::course::publish::{
    check_svg, is_published_type, is_safe_file_name, FolderListing, Refusal, MAX_DEPTH, MAX_FILES, MAX_FILE_BYTES,
};
use parcours::course::{check_course, Course, CourseCheck, CourseFiles, CourseSlug, FileError, Urls};
use std::path::{Path, PathBuf};

/// The address a folder gives its course: the folder's own name (`.` and `..` resolved when the
/// folder exists; `new` names one that does not yet).
pub fn course_slug(dir: &Path) -> Result<CourseSlug, String> {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    CourseSlug::parse(&name).map_err(|e| format!("the folder name `{name}` becomes the course's address: {e}"))
}

/// Checks one folder; `Err` carries a message when it is not even a candidate course folder.
pub fn check_folder(dir: &Path) -> Result<CourseCheck, String> {
    check_folder_with_pages_ending(dir, "")
}

/// Checks one folder for a player whose page addresses end with `page_suffix` (`.html` in an
/// LMS package: the links between lessons are written so).
fn check_folder_with_pages_ending(dir: &Path, page_suffix: &str) -> Result<CourseCheck, String> {
    if !dir.is_dir() {
        return Err(format!("`{}` is not a folder", dir.display()));
    }
    let slug = course_slug(dir)?;
    let urls = Urls::player(&slug).with_page_suffix(page_suffix);
    Ok(check_course(&slug, &DiskFiles { root: dir.to_path_buf() }, &urls))
}

/// The course of a folder that passes `check`, to publish; its problems are printed on the way.
/// `Err` when it has an error (printed above the message).
pub fn passing_course(dir: &Path) -> Result<Course, String> {
    passing_course_with_pages_ending(dir, "")
}

/// [`passing_course`], for a player whose page addresses end with `page_suffix`.
pub fn passing_course_with_pages_ending(dir: &Path, page_suffix: &str) -> Result<Course, String> {
    let check = check_folder_with_pages_ending(dir, page_suffix)?;
    report(dir, &check.diagnostics);
    let errors = check.errors().count();
    match check.course {
        Some(course) if errors == 0 => Ok(course),
        _ => Err(format!("`{}` has {errors} error(s) (above)", dir.display())),
    }
}

/// Lists a course folder: what may be published, and what is refused with why. Hidden files and
/// folders (`.git`, `.DS_Store`) are left out silently.
pub fn list(root: &Path) -> Result<FolderListing, String> {
    let mut listing = FolderListing::default();
    walk(root, "", 0, &mut listing)?;
    listing.files.sort();
    listing.refused.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(listing)
}

fn walk(dir: &Path, prefix: &str, depth: usize, listing: &mut FolderListing) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let raw_name = entry.file_name();
        let shown = format!("{prefix}{}", raw_name.to_string_lossy());
        if raw_name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Some(name) = raw_name.to_str().filter(|n| is_safe_file_name(n)) else {
            listing.refused.push((shown, Refusal::UnsafeName));
            continue;
        };
        let relative = format!("{prefix}{name}");
        // `file_type` does not follow links: a link is refused, whatever it points to.
        let Ok(kind) = entry.file_type() else {
            listing.refused.push((relative, Refusal::UnsafeName));
            continue;
        };
        if kind.is_symlink() {
            listing.refused.push((relative, Refusal::SymbolicLink));
        } else if kind.is_dir() {
            if depth + 1 >= MAX_DEPTH {
                listing.refused.push((relative, Refusal::TooDeep));
            } else {
                walk(&entry.path(), &format!("{relative}/"), depth + 1, listing)?;
            }
        } else if !kind.is_file() {
            listing.refused.push((relative, Refusal::UnsafeName));
        } else if listing.files.len() >= MAX_FILES {
            if !listing.refused.iter().any(|(_, r)| *r == Refusal::TooManyFiles) {
                listing.refused.push((relative, Refusal::TooManyFiles));
            }
        } else if !is_published_type(&relative) {
            listing.refused.push((relative, Refusal::UnpublishedType));
        } else {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            if size > MAX_FILE_BYTES {
                listing.refused.push((relative, Refusal::TooLarge(size)));
            } else {
                listing.files.push(relative);
            }
        }
    }
    Ok(())
}

/// The files `build`, `package` and `preview` publish, by their path in the folder: the listing's
/// files, less SVG images that fail their check (`check` reports them).
pub fn published_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    for relative in list(root)?.files {
        let bytes = read_inside(root, &relative).map_err(|e| format!("cannot read `{relative}`: {e}"))?;
        if relative.to_ascii_lowercase().ends_with(".svg") && check_svg(&String::from_utf8_lossy(&bytes)).is_err() {
            continue;
        }
        files.push((relative, bytes));
    }
    Ok(files)
}

/// The path of `relative` inside `root`, refusing any symbolic link on the way and any path that
/// is not a plain relative one: the one walk `read` and `exists` share.
fn resolve_inside(root: &Path, relative: &str) -> Result<PathBuf, FileError> {
    let mut path = root.to_path_buf();
    for part in relative.split('/') {
        if !is_safe_file_name(part) {
            return Err(FileError::NotFound);
        }
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Err(FileError::Unreadable("a symbolic link is not read: copy the file into the course".into()))
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(FileError::NotFound),
            Err(error) => return Err(FileError::Unreadable(error.to_string())),
        }
    }
    Ok(path)
}

/// Reads `relative` inside `root` (see [`resolve_inside`]).
pub fn read_inside(root: &Path, relative: &str) -> Result<Vec<u8>, FileError> {
    std::fs::read(resolve_inside(root, relative)?).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => FileError::NotFound,
        _ => FileError::Unreadable(error.to_string()),
    })
}

/// A course folder on disk, read under the publishing rules.
pub struct DiskFiles {
    pub root: PathBuf,
}

impl CourseFiles for DiskFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, FileError> {
        read_inside(&self.root, path)
    }

    fn exists(&self, path: &str) -> bool {
        list_one(&self.root, path)
    }

    fn listing(&self) -> Option<FolderListing> {
        list(&self.root).ok()
    }
}

/// Whether `path` is a published file of the folder: a plain file reached without a link, of a
/// published type (a link to a refused file is reported by the listing, and is broken all the same).
fn list_one(root: &Path, path: &str) -> bool {
    resolve_inside(root, path).is_ok_and(|full| full.is_file()) && is_published_type(path)
}
