//! `parcours build <dir>… -o <site>`: the player, the courses, the catalog index and a
//! `config.json`, as plain files any web server or CDN can host (docs/deploying.md and docs/nginx/parcours.conf for nginx).

use crate::course_folder::passing_course;
use crate::player;
use crate::site::{self, Target};
use parcours::course::publish::is_safe_file_name;
use parcours::course::Course;
use std::path::{Path, PathBuf};

/// The command's options, as the command line gives them (`parcours build --help`).
#[derive(clap::Args)]
pub struct Args {
    /// Course folders.
    #[arg(required = true)]
    pub courses: Vec<PathBuf>,
    /// The site's folder (created; a previous Parcours site there is replaced).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Show question ids and right answers, and send no learning record.
    #[arg(long)]
    pub author_mode: bool,
}

/// The file `build` writes at the root of every site, and the only sign it trusts before
/// replacing a folder: a folder that merely looks like a site (an `index.html`, a
/// `courses/index.json`) may be someone's web root, and is never removed.
pub const SITE_MARKER: &str = ".parcours-site";

/// Writes `relative` (a `/`-separated path made by `build`) under `output`, never outside it,
/// with its precompressed copies when it is a file the browser fetches.
fn write_inside(output: &Path, relative: &str, bytes: &[u8]) -> Result<(), String> {
    if relative.split('/').any(|part| !is_safe_file_name(part)) {
        return Err(format!("refusing to write `{relative}`: not a plain path inside the site"));
    }
    let path = output.join(relative);
    write(&path, bytes)?;
    if is_compressible(relative) {
        // Pages are many (one a route) and revalidated: a quicker brotli, for about 15 % more
        // bytes (a 288-lesson course's pages took 60 ms each at the best quality).
        let quality = if relative.ends_with(".html") { 5 } else { 11 };
        for (suffix, compressed) in [("gz", gzip(bytes)), ("br", brotli(bytes, quality))] {
            // A copy that saves nothing is left out: the server sends the file itself.
            if compressed.len() < bytes.len() {
                write(&output.join(format!("{relative}.{suffix}")), &compressed)?;
            }
        }
    }
    Ok(())
}

/// The files the player fetches, worth sending compressed: text and WebAssembly (images other
/// than SVG, audio, video and PDF are compressed already).
fn is_compressible(path: &str) -> bool {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    ["html", "js", "css", "json", "svg", "wasm", "vtt", "txt"].contains(&extension.as_str())
}

/// gzip at the highest level: written once, sent many times (nginx's `gzip_static`).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Brotli at `quality` (11 is its best), for browsers that accept it (ngx_brotli's `brotli_static`).
fn brotli(bytes: &[u8], quality: i32) -> Vec<u8> {
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality, lgwin: 22, ..Default::default() };
    match brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params) {
        Ok(_) => compressed,
        Err(_) => Vec::new(),
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

/// Writes the site. Nothing is written when a course has errors.
pub fn run(Args { courses: dirs, output, author_mode }: &Args) -> Result<(), String> {
    let author_mode = *author_mode;
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
    // The courses first, as `package` does: an author's own mistakes are what they can mend.
    player::Player::Site.require()?;
    let slugs: Vec<&str> = courses.iter().map(|(_, c)| c.slug.as_str()).collect();
    if let Some(twice) = slugs.iter().enumerate().find(|(i, s)| slugs[..*i].contains(s)).map(|(_, s)| s) {
        return Err(format!("two course folders are named `{twice}`: each course needs its own address"));
    }
    clear_output(output)?;
    write(&output.join(SITE_MARKER), b"Written by `parcours build`: the next build replaces this folder.\n")?;
    site::assemble(&courses, Target::StaticSite { author_mode }, &|path, bytes| write_inside(output, path, bytes))?;
    eprintln!(
        "site written to {} ({} course(s){}): serve it with any static web server, at any path, each route from its folder's index.html and index.html for unknown paths (docs/deploying.md)",
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn precompressed_copies_decompress_to_the_file_and_only_where_they_help() {
        let output = std::env::temp_dir().join(format!("parcours-precompressed-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&output);
        let page = "<p>Une leçon, répétée.</p>\n".repeat(200);
        write_inside(&output, "courses/demo.json", page.as_bytes()).unwrap();
        let mut from_gzip = String::new();
        flate2::read::GzDecoder::new(&std::fs::read(output.join("courses/demo.json.gz")).unwrap()[..])
            .read_to_string(&mut from_gzip)
            .unwrap();
        assert_eq!(from_gzip, page);
        let mut from_brotli = Vec::new();
        let brotli_file = std::fs::read(output.join("courses/demo.json.br")).unwrap();
        brotli::BrotliDecompress(&mut &brotli_file[..], &mut from_brotli).unwrap();
        assert_eq!(from_brotli, page.as_bytes());
        assert!(brotli_file.len() < page.len() / 10, "repeated text compresses well");

        write_inside(&output, "courses/demo/photo.png", b"\x89PNG not text").unwrap();
        assert!(!output.join("courses/demo/photo.png.gz").exists(), "images are compressed already");
        write_inside(&output, "tiny.json", b"{}").unwrap();
        assert!(!output.join("tiny.json.gz").exists(), "a copy bigger than the file is left out");
        std::fs::remove_dir_all(&output).unwrap();
    }
}
