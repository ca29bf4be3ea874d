//! `parcours report`: the campus's figures from any conformant LRS, through the xAPI Statements
//! API (`GET /statements`, following `more`). Statements stream through the aggregation one page
//! at a time and are never kept, so memory does not grow with their number.
//!
//! Credentials come from the environment (`PARCOURS_LRS_USERNAME`, `PARCOURS_LRS_PASSWORD`) or a
//! file (`--credentials`, one `username:password` line), never from the command line, where
//! other users of the machine could read them. With `--cache`, the aggregation is saved with the
//! latest `stored` time, and the next run only fetches what the LRS stored since.
//!
//! Some LRSs do not honour the `activity` filter (Ralph 5.1's file backend compares an IRI object
//! with a string and matches nothing): a probe detects it, and the report then filters on its
//! side. Voided statements are left out whether or not the LRS hides them.

use parcours::safe_text::plain;
use parcours::xapi::report::{render, voided_ids, Aggregator};
use parcours::xapi::statement::VerbKind;
use parcours::xapi::version::XapiVersion;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The command's options, as the command line gives them (`parcours report --help`).
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("format").args(["csv", "json", "html"])))]
pub struct Args {
    /// The LRS's xAPI endpoint (`https://lrs.example.gouv.fr/xAPI/`); PARCOURS_LRS_ENDPOINT when absent.
    #[arg(long, env = "PARCOURS_LRS_ENDPOINT")]
    pub endpoint: String,
    /// Only this course (its IRI, the `id` of course.toml, or the AU's id in a cmi5 LMS).
    #[arg(long)]
    pub course: Option<String>,
    /// Only statements stored after this time (RFC 3339: `2026-01-01T00:00:00Z`).
    #[arg(long)]
    pub since: Option<String>,
    /// Only statements stored up to this time.
    #[arg(long)]
    pub until: Option<String>,
    /// A file to keep the aggregation in: the next run only fetches what is new.
    #[arg(long)]
    pub cache: Option<PathBuf>,
    /// A file holding one `username:password` line.
    #[arg(long)]
    pub credentials: Option<PathBuf>,
    /// A PEM file of certificate authorities to trust besides the system's and Mozilla's (a
    /// ministry's own PKI, for an LRS whose certificate it signed).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Print CSV: one row per course and month, and a total row per course.
    #[arg(long)]
    pub csv: bool,
    /// Print the whole report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write a self-contained HTML page with charts and their tables.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Statements asked for per page.
    #[arg(long, default_value_t = 500)]
    pub page_size: u32,
}

impl Args {
    /// Where the report goes: clap has made sure at most one format is asked for.
    fn output(&self) -> Output {
        match (self.csv, self.json, &self.html) {
            (true, _, _) => Output::Csv,
            (_, true, _) => Output::Json,
            (_, _, Some(path)) => Output::Html(path.clone()),
            _ => Output::Table,
        }
    }
}

/// Where the LRS account's credentials are read from when `--credentials` is not given.
pub const USERNAME_VARIABLE: &str = "PARCOURS_LRS_USERNAME";
pub const PASSWORD_VARIABLE: &str = "PARCOURS_LRS_PASSWORD";

/// The output asked for.
enum Output {
    Table,
    Csv,
    Json,
    Html(PathBuf),
}

/// At most this many pages per pass: a bound on the loop, far above any real LRS's count
/// (10 million statements at the default page size).
const MAX_PAGES: usize = 20_000;

struct Lrs {
    agent: ureq::Agent,
    endpoint: String,
    authorization: Option<String>,
    /// The xAPI version its `about` says it speaks (`XapiVersion::for_about`).
    version: XapiVersion,
}

impl Lrs {
    fn new(endpoint: &str, credentials: Option<&Path>, ca_file: Option<&Path>) -> Result<Lrs, String> {
        let endpoint = if endpoint.ends_with('/') { endpoint.to_owned() } else { format!("{endpoint}/") };
        if !(endpoint.starts_with("https://")
            || endpoint.starts_with("http://127.0.0.1")
            || endpoint.starts_with("http://localhost"))
        {
            return Err(format!("the endpoint `{endpoint}` must be https (or http on this machine's loopback)"));
        }
        let authorization = read_credentials(credentials)?.map(|(user, password)| {
            use base64::Engine as _;
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
        });
        let tls = ureq::tls::TlsConfig::builder().root_certs(trusted_roots(ca_file)?).build();
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(120)))
            .http_status_as_error(false)
            .tls_config(tls)
            .build()
            .new_agent();
        let version = about(&agent, &endpoint).map_or(XapiVersion::V1_0_3, |body| XapiVersion::for_about(&body));
        Ok(Lrs { agent, endpoint, authorization, version })
    }

    /// An address the LRS gave (`more`), made absolute against the endpoint. The LRS's answer is
    /// not trusted with the credentials: an address on another origin, or one that climbs out of
    /// the endpoint's path (`//host/…`, `\\`), is refused rather than sent the `Authorization` header.
    fn resolve(&self, more: &str) -> Result<String, String> {
        next_page_url(&self.endpoint, more)
            .ok_or_else(|| format!("the LRS's next page `{more}` is not on the endpoint's origin: stopping"))
    }

    /// The body of a successful GET, as text.
    fn get_text(&self, url: &str) -> Result<String, String> {
        let mut request = self.agent.get(url).header("X-Experience-API-Version", self.version.header());
        if let Some(authorization) = &self.authorization {
            request = request.header("Authorization", authorization);
        }
        let mut response = request.call().map_err(unreachable)?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| format!("the LRS's answer could not be read ({e})"))?;
        match status {
            200 => Ok(body),
            401 | 403 => Err(format!(
                "the LRS refused the credentials (HTTP {status}): set PARCOURS_LRS_USERNAME and PARCOURS_LRS_PASSWORD, or --credentials FILE, for an account allowed to read statements"
            )),
            // The LRS's own words, as text: they go to the operator's terminal.
            _ => {
                let said = plain(&body.chars().take(300).collect::<String>()).into_owned();
                // A bare 400 is how an LRS refuses a version it does not speak: say which was spoken.
                let spoken = if status == 400 {
                    format!(
                        " (this request spoke xAPI {}, chosen from the LRS's `about`; an LRS that speaks only another version refuses it so)",
                        self.version.header()
                    )
                } else {
                    String::new()
                };
                Err(format!("the LRS answered HTTP {status}: {said}{spoken}"))
            }
        }
    }

    fn get(&self, url: &str) -> Result<Value, String> {
        serde_json::from_str(&self.get_text(url)?)
            .map_err(|e| format!("the LRS answered something that is not JSON ({e})"))
    }

    /// Every statement matching `query`, page after page, each handed to `each`.
    fn each_statement(&self, query: &str, mut each: impl FnMut(&Value)) -> Result<(), String> {
        let mut url = format!("{}statements?{query}", self.endpoint);
        let mut seen = HashSet::new();
        for _ in 0..MAX_PAGES {
            let text = self.get_text(&url)?;
            let page: Page = serde_json::from_str(&text)
                .map_err(|e| format!("the LRS's answer is not a page of statements ({e})"))?;
            for raw in &page.statements {
                let statement: Value =
                    serde_json::from_str(raw.get()).map_err(|e| format!("a statement is not JSON ({e})"))?;
                each(&statement);
            }
            let statements = &page.statements;
            match page.more.as_deref().filter(|m| !m.is_empty()) {
                None => return Ok(()),
                Some(more) if statements.is_empty() || !seen.insert(more.to_owned()) => {
                    return Err(format!("the LRS gave the same next page twice (`{more}`): stopping"))
                }
                Some(more) => url = self.resolve(more)?,
            }
        }
        Err(format!("more than {MAX_PAGES} pages: stopping (use --since to report on a shorter period)"))
    }

    /// Whether the LRS honours the `activity` filter: the first statement's object must be found
    /// when asked for by its id.
    fn honours_activity_filter(&self) -> Result<bool, String> {
        let first = self.get(&format!("{}statements?limit=1", self.endpoint))?;
        let Some(object) = first.pointer("/statements/0/object/id").and_then(Value::as_str) else { return Ok(true) };
        let query = format!("limit=1&activity={}", encode(object));
        let found = self.get(&format!("{}statements?{query}", self.endpoint))?;
        Ok(found.pointer("/statements/0").is_some())
    }
}

/// The certificate authorities the report trusts: Mozilla's (as browsers do), the system's trust
/// store (where an administration installs its own PKI's roots), and those of `--ca-file`.
fn trusted_roots(ca_file: Option<&Path>) -> Result<ureq::tls::RootCerts, String> {
    use ureq::tls::{Certificate, PemItem};
    let mut roots: Vec<Certificate<'static>> =
        webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().map(|der| Certificate::from_der(der).to_owned()).collect();
    // A system store that cannot be read (none on this machine) leaves Mozilla's roots.
    roots
        .extend(rustls_native_certs::load_native_certs().certs.iter().map(|der| Certificate::from_der(der).to_owned()));
    if let Some(path) = ca_file {
        let pem = std::fs::read(path).map_err(|e| format!("cannot read the CA file {}: {e}", path.display()))?;
        let before = roots.len();
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(PemItem::Certificate(certificate)) => roots.push(certificate.to_owned()),
                Ok(_) => {}
                Err(e) => return Err(format!("the CA file {} is not valid PEM ({e})", path.display())),
            }
        }
        if roots.len() == before {
            return Err(format!(
                "the CA file {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                path.display()
            ));
        }
    }
    Ok(ureq::tls::RootCerts::new_with_certs(&roots))
}

/// The origin (`https://host:port`) of an absolute http(s) URL.
fn origin(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return None;
    }
    let end = url[scheme_end..].find(['/', '?', '#']).map_or(url.len(), |i| scheme_end + i);
    (end > scheme_end).then(|| &url[..end])
}

/// `more` made absolute against `endpoint`, when it stays on the endpoint's origin.
fn next_page_url(endpoint: &str, more: &str) -> Option<String> {
    let base = origin(endpoint)?;
    let url = if more.starts_with("http://") || more.starts_with("https://") {
        more.to_owned()
    } else if more.starts_with("//") || more.contains('\\') {
        return None;
    } else if more.starts_with('/') {
        format!("{base}{more}")
    } else {
        format!("{endpoint}{more}")
    };
    (origin(&url) == Some(base)).then_some(url)
}

fn read_credentials(file: Option<&Path>) -> Result<Option<(String, String)>, String> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
        let (user, password) =
            line.split_once(':').ok_or_else(|| format!("{}: expected one `username:password` line", file.display()))?;
        return Ok(Some((user.to_owned(), password.to_owned())));
    }
    match (std::env::var(USERNAME_VARIABLE), std::env::var(PASSWORD_VARIABLE)) {
        (Ok(user), Ok(password)) => Ok(Some((user, password))),
        (Ok(_), Err(_)) | (Err(_), Ok(_)) => {
            Err("set both PARCOURS_LRS_USERNAME and PARCOURS_LRS_PASSWORD, or neither".to_owned())
        }
        _ => Ok(None),
    }
}

/// Why the LRS could not be reached, with what to do when its certificate is not trusted.
fn unreachable(error: ureq::Error) -> String {
    let said = error.to_string();
    let hint = if said.contains("certificate") || said.contains("UnknownIssuer") {
        ": its certificate is not signed by a trusted authority; give your organisation's CA with --ca-file FILE (PEM), or install it in the system's trust store"
    } else {
        ""
    };
    format!("the LRS could not be reached ({}){hint}", plain(&said))
}

/// The body of the LRS's `GET about` (no credentials needed), if it answers within a few seconds.
fn about(agent: &ureq::Agent, endpoint: &str) -> Option<String> {
    let mut response = agent
        .get(&format!("{endpoint}about"))
        .config()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .call()
        .ok()?;
    if response.status().as_u16() != 200 {
        return None;
    }
    response.body_mut().with_config().limit(64 * 1024).read_to_string().ok()
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page of the Statements API, each statement left as text until it is read.
#[derive(serde::Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    statements: Vec<&'a serde_json::value::RawValue>,
    #[serde(default)]
    more: Option<String>,
}

/// The cache's format: a cache of another format is not resumed (the figures are counted from
/// the start). 2: the watermark is an instant with the ids stored at it.
const CACHE_FORMAT: u32 = 2;

/// What the cache file keeps between runs.
#[derive(serde::Serialize, serde::Deserialize)]
struct Cache {
    #[serde(default)]
    format: u32,
    endpoint: String,
    course: Option<String>,
    since: Option<String>,
    voided: Vec<String>,
    aggregator: Aggregator,
}

fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} statements read ({per_sec}) {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The stored times asked for (`--since` exclusive, `--until` inclusive, as xAPI defines them),
/// applied again to what the LRS sends: some LRSs compare `since` to the second (xapi-rs 0.2.0
/// sends back what was stored earlier in that second).
struct StoredWindow {
    after_ns: Option<i128>,
    up_to_ns: Option<i128>,
}

impl StoredWindow {
    fn new(options: &Args) -> Result<StoredWindow, String> {
        let instant = |flag: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|text| {
                    parcours::xapi::instant_ns(text).ok_or_else(|| {
                        format!("{flag} `{}` is not an RFC 3339 time such as 2026-01-01T00:00:00Z", plain(text))
                    })
                })
                .transpose()
        };
        Ok(StoredWindow {
            after_ns: instant("--since", &options.since)?,
            up_to_ns: instant("--until", &options.until)?,
        })
    }

    /// Whether `statement` was stored within the window (one without a readable `stored` is kept:
    /// the LRS chose it).
    fn holds(&self, statement: &Value) -> bool {
        let Some(stored) = statement.get("stored").and_then(Value::as_str).and_then(parcours::xapi::instant_ns) else {
            return true;
        };
        self.after_ns.is_none_or(|after| stored > after) && self.up_to_ns.is_none_or(|up_to| stored <= up_to)
    }
}

/// One pass over the LRS from `since`, keeping what `window` holds; the voided ids it met, and the
/// aggregation.
fn pass(
    lrs: &Lrs,
    options: &Args,
    since: Option<&str>,
    window: &StoredWindow,
    mut aggregator: Aggregator,
    filter_here: bool,
) -> Result<(Aggregator, HashSet<String>), String> {
    let mut query = format!("limit={}", options.page_size);
    if let (Some(course), false) = (&options.course, filter_here) {
        query.push_str(&format!("&activity={}&related_activities=true", encode(course)));
    }
    if let Some(since) = since {
        query.push_str(&format!("&since={}", encode(since)));
    }
    if let Some(until) = &options.until {
        query.push_str(&format!("&until={}", encode(until)));
    }
    let bar = progress_bar();
    let mut voided = HashSet::new();
    lrs.each_statement(&query, |statement| {
        bar.inc(1);
        if !window.holds(statement) {
            return;
        }
        if statement.pointer("/verb/id").and_then(Value::as_str).and_then(VerbKind::of_iri) == Some(VerbKind::Voided) {
            voided.extend(voided_ids([statement]));
        }
        if !filter_here || Aggregator::is_about(statement, options.course.as_deref()) {
            aggregator.add(statement);
        }
    })?;
    bar.finish_and_clear();
    Ok((aggregator, voided))
}

pub fn run(options: &Args) -> Result<(), String> {
    // Read before the LRS is asked anything: a mistyped time stops the run at once.
    let window = StoredWindow::new(options)?;
    let lrs = Lrs::new(&options.endpoint, options.credentials.as_deref(), options.ca_file.as_deref())?;
    let filter_here = options.course.is_some() && !lrs.honours_activity_filter()?;
    if filter_here {
        eprintln!("note: this LRS does not honour the `activity` filter; the report filters the statements itself");
    }

    // A cache from an earlier run on the same question resumes where it stopped.
    let cached = options.cache.as_deref().filter(|p| p.exists()).map(load_cache).transpose()?.filter(|cache| {
        if cache.format != CACHE_FORMAT {
            eprintln!("note: the cache was written by an older `parcours report`; counting from the start");
        }
        cache.format == CACHE_FORMAT
            && cache.endpoint == lrs.endpoint
            && cache.course == options.course
            && cache.since == options.since
    });
    let (mut aggregator, mut voided, from) = match cached {
        Some(cache) => {
            let from =
                cache.aggregator.watermark.as_ref().map(|mark| mark.stored.clone()).or_else(|| options.since.clone());
            let voided: HashSet<String> = cache.voided.into_iter().collect();
            let mut aggregator = cache.aggregator;
            aggregator.void(voided.clone());
            aggregator.resume();
            (aggregator, voided, from)
        }
        None => (Aggregator::new(HashSet::new()), HashSet::new(), options.since.clone()),
    };
    let resumed = from != options.since;
    let (passed, new_voided) = pass(&lrs, options, from.as_deref(), &window, aggregator, filter_here)?;
    aggregator = passed;
    if aggregator.skipped_counted > 0 {
        eprintln!(
            "note: the LRS sent again {} statement(s) an earlier run counted (stored at or before the cache's last one): left out",
            aggregator.skipped_counted
        );
    }
    let fresh: HashSet<String> = new_voided.difference(&voided).cloned().collect();
    if !fresh.is_empty() {
        // A statement voided by one read in this pass may have been counted earlier in it, or in
        // an earlier run: count again from the start, leaving out every voided statement.
        voided.extend(fresh);
        if resumed {
            eprintln!("note: statements were voided since the last run; counting again from the start");
        }
        let (again, _) =
            pass(&lrs, options, options.since.as_deref(), &window, Aggregator::new(voided.clone()), filter_here)?;
        aggregator = again;
    }
    if let Some(path) = &options.cache {
        let cache = Cache {
            format: CACHE_FORMAT,
            endpoint: lrs.endpoint.clone(),
            course: options.course.clone(),
            since: options.since.clone(),
            voided: voided.iter().cloned().collect(),
            aggregator: aggregator.clone(),
        };
        let text = serde_json::to_string(&cache).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("cannot write the cache {}: {e}", path.display()))?;
    }

    let report = aggregator.report();
    match options.output() {
        Output::Table => print!("{}", render::table(&report)),
        Output::Csv => print!("{}", render::csv(&report)),
        Output::Json => println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?),
        Output::Html(path) => {
            std::fs::write(&path, render::html(&report, &today()))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

fn load_cache(path: &Path) -> Result<Cache, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the cache {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!("the cache {} is not one `parcours report` wrote ({e}); delete it to start afresh", path.display())
    })
}

/// Today's date, for the page's header.
fn today() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    parcours::xapi::timestamp(now.as_millis() as f64)[..10].to_owned()
}

#[cfg(test)]
mod tests {
    use super::{next_page_url, Args, StoredWindow};
    use serde_json::json;

    fn window(since: Option<&str>, until: Option<&str>) -> Result<StoredWindow, String> {
        StoredWindow::new(&Args {
            endpoint: "https://lrs.example.gouv.fr/xAPI/".into(),
            course: None,
            since: since.map(Into::into),
            until: until.map(Into::into),
            cache: None,
            credentials: None,
            ca_file: None,
            csv: false,
            json: true,
            html: None,
            page_size: 500,
        })
    }

    #[test]
    fn what_an_lrs_sends_from_outside_the_asked_stored_times_is_left_out() {
        let stored = |at: &str| json!({ "stored": at });
        // An LRS that compares `since` to the second sends what was stored earlier in it.
        let since = window(Some("2026-12-07T14:25:54.782Z"), None).unwrap();
        assert!(!since.holds(&stored("2026-12-07T14:25:54.324Z")));
        assert!(!since.holds(&stored("2026-12-07T14:25:54.782+00:00")), "`since` is exclusive");
        assert!(since.holds(&stored("2026-12-07T14:25:54.783Z")));
        assert!(since.holds(&stored("2026-12-07T15:25:55+01:00")), "compared as instants, not as text");
        assert!(since.holds(&json!({})), "no readable `stored`: the LRS chose it");
        let until = window(None, Some("2026-12-31T23:59:59Z")).unwrap();
        assert!(until.holds(&stored("2026-12-31T23:59:59.000Z")), "`until` is inclusive");
        assert!(!until.holds(&stored("2027-01-01T00:00:00Z")));
        let error = window(Some("hier"), None).err().unwrap();
        assert!(error.contains("--since `hier` is not an RFC 3339 time"), "{error}");
        assert!(window(None, Some("2026-13-01")).is_err());
    }

    #[test]
    fn the_next_page_stays_on_the_endpoints_origin_or_is_refused() {
        let endpoint = "https://lrs.example.gouv.fr/xAPI/";
        assert_eq!(
            next_page_url(endpoint, "/xAPI/statements?pit_id=a&search_after=b").as_deref(),
            Some("https://lrs.example.gouv.fr/xAPI/statements?pit_id=a&search_after=b")
        );
        assert_eq!(
            next_page_url(endpoint, "statements?more=1").as_deref(),
            Some("https://lrs.example.gouv.fr/xAPI/statements?more=1")
        );
        assert_eq!(
            next_page_url(endpoint, "https://lrs.example.gouv.fr/xAPI/statements?x").as_deref(),
            Some("https://lrs.example.gouv.fr/xAPI/statements?x")
        );
        for hostile in [
            "https://attacker.example/steal",
            "//attacker.example/steal",
            "https://lrs.example.gouv.fr.attacker.example/x",
            "http://lrs.example.gouv.fr/xAPI/statements",
            "/\\attacker.example/x",
            "https://lrs.example.gouv.fr@attacker.example/x",
        ] {
            assert_eq!(next_page_url(endpoint, hostile), None, "{hostile}");
        }
    }
}
