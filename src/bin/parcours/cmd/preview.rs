//! `parcours preview <dir>`: the embedded player serving one course on 127.0.0.1, in author mode,
//! re-checked at every save. A valid course replaces the served one and the page reloads; an
//! invalid one keeps the last good version on screen, with an overlay listing the errors (the
//! same text as `check`, also printed here).
//!
//! The page learns of changes by long-polling `/__parcours/changes?served=<its version>&since=<check>`;
//! its version is written into the page itself (`<meta name="parcours-served">`).

use crate::course_folder::{check_folder, course_slug, published_files};
use crate::diagnostics::{render_diagnostics, report};
use crate::player;
use crate::site::page::with_language;
use crate::site::pages::{as_played, preview_page};
use crate::site::{self, Target, COURSES_FOLDER};
use notify::{EventKind, RecursiveMode, Watcher};
use parcours::course::catalog::Catalog;
use parcours::course::compiled::CompiledCourse;
use parcours::course::markdown::percent_decode;
use parcours::course::preview::PreviewChanges;
use parcours::course::{CourseSlug, Diagnostic};
use parcours::xapi::config::CONFIG_FILE;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The command's options, as the command line gives them (`parcours preview --help`).
#[derive(clap::Args)]
pub struct Args {
    /// The course folder.
    pub dir: PathBuf,
    /// The port (a free one when absent).
    #[arg(long)]
    pub port: Option<u16>,
    /// Open the course in the default browser.
    #[arg(long)]
    pub open: bool,
}

const CHANGES_PATH: &str = "/__parcours/changes";
/// How long a long-poll waits for a change before answering "nothing new".
const LONG_POLL: Duration = Duration::from_secs(25);
/// Saves closer than this are taken as one (editors write a file in several steps).
const DEBOUNCE: Duration = Duration::from_millis(100);

/// What is served: the last good version of the course, and what is wrong with the current one.
#[derive(Default)]
struct Served {
    /// Bumped at every check.
    generation: u64,
    /// The generation of the course being served.
    good_generation: u64,
    /// The site's files by path (`courses/<slug>/…`, `courses/<slug>.json`, the catalog,
    /// `config.json`): the served version, or, until the course has been valid once, its files as
    /// they are and its errors compiled.
    files: HashMap<String, Vec<u8>>,
    /// The errors of the current files, as `check` prints them (empty: served = current).
    errors: Vec<String>,
    /// The served course as the player gets it, for its pages (pre-rendered at each request, as
    /// `build` writes them, so that the preview shows what a site will send).
    played: Option<Arc<parcours::course::Course>>,
}

struct Preview {
    dir: PathBuf,
    slug: CourseSlug,
    /// The port it answers on: the only `Host` it answers (see [`refusal`]).
    port: u16,
    served: Mutex<Served>,
    changed: Condvar,
}

fn now() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    format!("{:02}:{:02}:{:02}", (seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60)
}

impl Preview {
    fn lock(&self) -> std::sync::MutexGuard<'_, Served> {
        self.served.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Checks the folder again and serves it if it is valid.
    fn refresh(&self) {
        let started = Instant::now();
        let target = Target::Preview { changes_path: CHANGES_PATH };
        // The site to serve, or the errors and, when the course could be read, its errors compiled.
        let outcome = match check_folder(&self.dir) {
            Err(message) => Err((vec![format!("error: {message}")], None)),
            Ok(check) => {
                report(&self.dir, &check.diagnostics);
                let blocking: Vec<Diagnostic> = check.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
                match &check.course {
                    Some(course) if blocking.is_empty() => site::in_memory(&self.dir, course.clone(), target)
                        .map_err(|message| (vec![format!("error: {message}")], None)),
                    _ => Err((
                        render_diagnostics(&self.dir, &blocking, false),
                        Some(CompiledCourse::of(&check).to_json()),
                    )),
                }
            }
        };
        let mut served = self.lock();
        served.generation += 1;
        match outcome {
            Ok(files) => {
                let compiled = site::compiled_path(&self.slug);
                served.played = files
                    .iter()
                    .find(|(path, _)| *path == compiled)
                    .and_then(|(_, json)| as_played(&String::from_utf8_lossy(json), &self.slug, "").ok());
                served.files = files.into_iter().collect();
                served.good_generation = served.generation;
                served.errors = Vec::new();
                eprintln!("[{}] course valid ({} ms): the page reloads", now(), started.elapsed().as_millis());
            }
            Err((errors, compiled_errors)) => {
                if served.good_generation == 0 {
                    served.files = self.files_as_they_are(compiled_errors, target);
                }
                eprintln!("[{}] {} error(s): the browser keeps the last good version", now(), errors.len().max(1));
                served.errors =
                    if errors.is_empty() { vec!["error: the course could not be read".into()] } else { errors };
            }
        }
        self.changed.notify_all();
    }

    /// What is served before the course was ever valid: its files as they are, and its errors
    /// compiled, so that the player's own error page shows what is wrong instead of "course not found".
    fn files_as_they_are(&self, compiled_errors: Option<String>, target: Target) -> HashMap<String, Vec<u8>> {
        let mut files: HashMap<String, Vec<u8>> = published_files(&self.dir)
            .unwrap_or_default()
            .into_iter()
            .map(|(relative, bytes)| (site::course_file_path(&self.slug, &relative), bytes))
            .collect();
        if let Some(compiled) = compiled_errors {
            files.insert(site::compiled_path(&self.slug), compiled.into_bytes());
        }
        if let (Ok(catalog), Ok(config)) = (site::catalog_json(&Catalog::default()), target.config()) {
            files.insert(site::catalog_path(), catalog.into_bytes());
            files.insert(CONFIG_FILE.to_owned(), config.to_json().into_bytes());
        }
        files
    }
}

/// Serves until interrupted.
pub fn run(Args { dir, port, open }: &Args) -> Result<(), String> {
    let (port, open) = (*port, *open);
    player::Player::Site.require()?;
    if !dir.join("course.toml").is_file() {
        return Err(format!(
            "`{}` is not a course folder (no course.toml): give a course folder, or create one with `parcours new`",
            dir.display()
        ));
    }
    let slug = course_slug(dir)?;
    let address = format!("127.0.0.1:{}", port.unwrap_or(0));
    let server = tiny_http::Server::http(&address).map_err(|error| match port {
        Some(port) => format!("cannot listen on 127.0.0.1:{port} ({error}): choose another --port, or leave it out"),
        None => format!("cannot listen on 127.0.0.1 ({error})"),
    })?;
    let bound = server.server_addr().to_ip().map(|a| a.port()).unwrap_or_default();
    let preview = Arc::new(Preview {
        dir: dir.to_path_buf(),
        slug,
        port: bound,
        served: Mutex::new(Served::default()),
        changed: Condvar::new(),
    });
    preview.refresh();

    let url = format!("http://127.0.0.1:{bound}/learn/{}", preview.slug);

    // Reading the files (to check them) makes the system report them opened: only changes count.
    let (changes, changed) = std::sync::mpsc::channel::<()>();
    let on_event = move |event: notify::Result<notify::Event>| match event {
        Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
            let _ = changes.send(());
        }
        Ok(_) => {}
        Err(error) => eprintln!("[{}] watching the folder failed: {error}", now()),
    };
    // Links are not published, so not watched either: one pointing at `/` or back at its own
    // folder would have the watcher walk the whole disk, or forever.
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = notify::RecommendedWatcher::new(on_event, config)
        .map_err(|e| format!("cannot watch `{}`: {e}", dir.display()))?;
    watcher.watch(dir, RecursiveMode::Recursive).map_err(|e| format!("cannot watch `{}`: {e}", dir.display()))?;
    let watched = Arc::clone(&preview);
    std::thread::spawn(move || {
        // Debounce: an editor saves in several writes; check once they stop for DEBOUNCE.
        while changed.recv().is_ok() {
            while changed.recv_timeout(DEBOUNCE).is_ok() {}
            watched.refresh();
        }
    });

    println!("Previewing {} at {url} (author mode; Ctrl+C stops)", dir.display());
    if open && !super::opener::open(&url) {
        eprintln!("could not open a browser: open {url} yourself");
    }
    for request in server.incoming_requests() {
        let preview = Arc::clone(&preview);
        std::thread::spawn(move || answer(&preview, request));
    }
    Ok(())
}

/// The player's page at `path`, telling which version of the course is served. The page is the
/// first thing a reload fetches, so the course it then loads is never older than this version: a
/// save between the page and its course files costs one more reload, never a missed one. A route
/// of the served course holds its pre-rendered page, as a built site's does.
fn page_with_version(index: &[u8], served: &Served, path: &str) -> Vec<u8> {
    let mut page = String::from_utf8_lossy(index).into_owned();
    if let Some(course) = &served.played {
        page = with_language(&page, &course.language);
    }
    let version = served.good_generation;
    page = page.replacen("</head>", &format!("<meta name=\"parcours-served\" content=\"{version}\"></head>"), 1);
    preview_page(&page, served.played.as_ref(), path).into_bytes()
}

/// Why a request is refused, if it is: the preview answers only at its own address (a page of
/// another site that reaches 127.0.0.1 by DNS rebinding names its own host: 421), and its
/// live-reload channel only to its own pages (another origin's page: 403). The author's
/// unpublished course is read by nobody else.
fn refusal(host: Option<&str>, origin: Option<&str>, fetch_site: Option<&str>, path: &str, port: u16) -> Option<u16> {
    let own_hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !host.is_some_and(|host| own_hosts.iter().any(|own| own.eq_ignore_ascii_case(host.trim()))) {
        return Some(421);
    }
    if path == CHANGES_PATH {
        let own_origin = origin.is_none_or(|origin| {
            own_hosts.iter().any(|own| origin.trim().eq_ignore_ascii_case(&format!("http://{own}")))
        });
        let same_site = fetch_site.is_none_or(|site| matches!(site.trim(), "same-origin" | "none"));
        if !own_origin || !same_site {
            return Some(403);
        }
    }
    None
}

fn answer(preview: &Preview, request: tiny_http::Request) {
    let raw_url = request.url().to_owned();
    let (path, query) = raw_url.split_once('?').unwrap_or((&raw_url, ""));
    let path = percent_decode(path);
    let header = |name: &str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_owned())
    };
    let refused = refusal(
        header("Host").as_deref(),
        header("Origin").as_deref(),
        header("Sec-Fetch-Site").as_deref(),
        &path,
        preview.port,
    );
    if let Some(status) = refused {
        let text = format!(
            "refused: this preview answers only its own pages, at http://127.0.0.1:{} (HTTP {status})",
            preview.port
        );
        let _ = request.respond(tiny_http::Response::from_string(text).with_status_code(status));
        return;
    }
    let (mut status, content_type, mut body) = route(preview, &path, query);
    let mut headers = vec![("Content-Type", content_type.to_owned()), ("Cache-Control", "no-store".to_owned())];
    // Browsers ask for media in ranges: seeking in a video needs them.
    if status == 200 {
        headers.push(("Accept-Ranges", "bytes".to_owned()));
        let asked = request.headers().iter().find(|h| h.field.equiv("Range")).map(|h| h.value.as_str().to_owned());
        if let Some(asked) = asked {
            let total = body.len();
            match byte_range(&asked, total) {
                Some(range) => {
                    headers.push(("Content-Range", format!("bytes {}-{}/{total}", range.start, range.end - 1)));
                    body = body[range].to_vec();
                    status = 206;
                }
                None => {
                    headers.push(("Content-Range", format!("bytes */{total}")));
                    body = Vec::new();
                    status = 416;
                }
            }
        }
    }
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    for (name, value) in headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name, value.as_bytes()) {
            response.add_header(header);
        }
    }
    let _ = request.respond(response);
}

/// The bytes a `Range: bytes=…` header asks for in a file of `total` bytes (one range: what
/// media players ask), or `None` when it cannot be served (416).
fn byte_range(header: &str, total: usize) -> Option<std::ops::Range<usize>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    let range = if first.is_empty() {
        // The last N bytes.
        let suffix: usize = last.parse().ok()?;
        total.saturating_sub(suffix)..total
    } else {
        let start: usize = first.parse().ok()?;
        let end = if last.is_empty() { total } else { last.parse::<usize>().ok()?.saturating_add(1).min(total) };
        start..end
    };
    (range.start < range.end && range.end <= total).then_some(range)
}

fn route(preview: &Preview, path: &str, query: &str) -> (u16, &'static str, Vec<u8>) {
    let json = "application/json";
    if path == CHANGES_PATH {
        // `served`: the version the page shows (from its config.json); `since`: the last check it heard of.
        let param = |name: &str| {
            query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')?.parse::<u64>().ok())
        };
        let (page_version, since) = (param("served").unwrap_or(0), param("since").unwrap_or(0));
        let served = preview.lock();
        let (served, _) = preview
            .changed
            .wait_timeout_while(served, LONG_POLL, |s| s.generation <= since && s.good_generation == page_version)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let changes = PreviewChanges {
            generation: served.generation,
            reload: served.good_generation != page_version,
            errors: served.errors.clone(),
        };
        return (200, json, serde_json::to_vec(&changes).unwrap_or_default());
    }
    let file = path.trim_start_matches('/');
    if let Some(bytes) = preview.lock().files.get(file) {
        return (200, player::content_type(file), bytes.clone());
    }
    if file.starts_with(&format!("{COURSES_FOLDER}/")) {
        return (404, "text/plain; charset=utf-8", b"not found".to_vec());
    }
    let file = if file.is_empty() { "index.html" } else { file };
    if file == "sw.js" {
        // No offline cache while authoring: every reload must show the files as they are now.
        return (404, "text/plain; charset=utf-8", b"no service worker in preview".to_vec());
    }
    // The app's own routes (`/learn/…`) get the player, which reads the address itself.
    let last = path.rsplit('/').next().unwrap_or_default();
    if file == "index.html" || (player::file(file).is_none() && !last.contains('.')) {
        return match player::file("index.html") {
            Some(index) => (200, "text/html; charset=utf-8", page_with_version(index, &preview.lock(), path)),
            None => (404, "text/plain; charset=utf-8", b"not found".to_vec()),
        };
    }
    match player::file(file) {
        Some(bytes) => (200, player::content_type(file), bytes.to_vec()),
        None => (404, "text/plain; charset=utf-8", b"not found".to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::{byte_range, refusal, CHANGES_PATH};

    #[test]
    fn only_its_own_address_is_answered_and_its_live_reload_only_to_its_own_pages() {
        let own = Some("127.0.0.1:4000");
        assert_eq!(refusal(own, None, None, "/learn/demo", 4000), None);
        assert_eq!(refusal(Some("localhost:4000"), None, Some("none"), "/", 4000), None);
        // DNS rebinding: the attacker's name, resolved to 127.0.0.1.
        assert_eq!(refusal(Some("evil.example:4000"), None, None, "/courses/demo/course.toml", 4000), Some(421));
        assert_eq!(refusal(Some("127.0.0.1:4001"), None, None, "/", 4000), Some(421), "another port");
        assert_eq!(refusal(None, None, None, "/", 4000), Some(421), "no Host at all");
        assert_eq!(refusal(own, Some("http://127.0.0.1:4000"), Some("same-origin"), CHANGES_PATH, 4000), None);
        assert_eq!(refusal(own, Some("https://evil.example"), None, CHANGES_PATH, 4000), Some(403));
        assert_eq!(refusal(own, None, Some("cross-site"), CHANGES_PATH, 4000), Some(403));
        assert_eq!(refusal(own, Some("null"), None, CHANGES_PATH, 4000), Some(403), "a sandboxed frame");
    }

    #[test]
    fn ranges_are_served_as_media_players_ask_for_them() {
        assert_eq!(byte_range("bytes=0-", 100), Some(0..100));
        assert_eq!(byte_range("bytes=10-19", 100), Some(10..20));
        assert_eq!(byte_range("bytes=90-200", 100), Some(90..100));
        assert_eq!(byte_range("bytes=-30", 100), Some(70..100));
        for refused in ["bytes=100-", "bytes=20-10", "items=0-1", "bytes=0-1,5-6", "bytes=a-b", "bytes=-0"] {
            assert_eq!(byte_range(refused, 100), None, "{refused}");
        }
    }
}
