//! The deployment's tracking configuration: `config.json`, served beside `index.html`, so that a
//! site chooses its LRS without rebuilding the player (and no credential is ever compiled in).
//!
//! ```json
//! { "lrs": { "endpoint": "/xapi/" }, "actor": { "home-page": "https://campus.example.org", "identify-by": "account" } }
//! ```
//!
//! - `lrs.endpoint`: the xAPI base URL, `/xapi/` by default (a same-origin path that a reverse proxy
//!   forwards to the LRS, adding the credentials). `"lrs": null` or no `lrs` key: statements are
//!   made and kept, and nothing is sent.
//! - `lrs.authorization`: an `Authorization` header sent by the browser. Every learner can read it:
//!   give only a key that can write statements and nothing else.
//! - `actor.home-page`: the `account.homePage` of learners (the site's address by default);
//!   `actor.identify-by`: `account` (a random id kept in the browser) or `mbox` (the learner is
//!   asked for an e-mail address before anything is sent).
//! - `author-mode`: the player shows question ids and right answers, and says records are not
//!   sent (`parcours preview` turns it on; `parcours build --author-mode` too).
//! - `live-reload`: the URL the player long-polls for changes (written by `parcours preview`).
//! - `cmi5`: present only where cmi5 launches are accepted (`parcours package --cmi5` writes it).
//!   Elsewhere, launch parameters in a link are ignored: a crafted link cannot point the player's
//!   records at another endpoint. `cmi5.allowed-origins` lists the LMS origins a launch's `fetch`
//!   and `endpoint` may use (`package --lms-origin`); empty, any one http(s) origin is accepted.

use serde::{Deserialize, Serialize};

/// Where the file is, beside `index.html`.
pub const CONFIG_FILE: &str = "config.json";
pub const DEFAULT_ENDPOINT: &str = "/xapi/";

/// `config.json`, as the tools write it and the player reads it: one type for both, so a key
/// the writer spells differently from the reader cannot compile (the reader refuses unknown keys).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingConfig {
    /// Always written, `null` included: "sends nothing" is said, not implied.
    #[serde(default)]
    pub lrs: Option<LrsConfig>,
    #[serde(default, skip_serializing_if = "ActorConfig::is_default")]
    pub actor: ActorConfig,
    #[serde(default, rename = "author-mode", skip_serializing_if = "std::ops::Not::not")]
    pub author_mode: bool,
    #[serde(default, rename = "live-reload", skip_serializing_if = "Option::is_none")]
    pub live_reload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmi5: Option<Cmi5Config>,
}

/// Where cmi5 launches are accepted from.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cmi5Config {
    /// Origins (`https://lms.example.gouv.fr`) of the LMSs that may launch this package.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LrsConfig {
    #[serde(default = "default_endpoint")]
    pub endpoint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
}

fn default_endpoint() -> String {
    DEFAULT_ENDPOINT.to_owned()
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ActorConfig {
    #[serde(default)]
    pub home_page: Option<String>,
    #[serde(default)]
    pub identify_by: IdentifyBy,
}

/// How learners are identified in statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdentifyBy {
    /// `account {homePage, name}` with a random id kept in the browser.
    #[default]
    Account,
    /// `mbox`: the e-mail address the learner gives.
    Mbox,
}

impl ActorConfig {
    fn is_default(&self) -> bool {
        *self == ActorConfig::default()
    }
}

impl TrackingConfig {
    /// A site's (`parcours build`): records go to `/xapi/`, which the site's proxy forwards.
    pub fn site() -> TrackingConfig {
        TrackingConfig {
            lrs: Some(LrsConfig { endpoint: DEFAULT_ENDPOINT.to_owned(), authorization: None }),
            ..TrackingConfig::default()
        }
    }

    /// An author's review (`build --author-mode`, `preview` with its change feed): nothing sent.
    pub fn author(live_reload: Option<&str>) -> TrackingConfig {
        TrackingConfig { author_mode: true, live_reload: live_reload.map(str::to_owned), ..TrackingConfig::default() }
    }

    /// An LMS package's: nothing sent by itself; cmi5 launches accepted when `cmi5` is given.
    pub fn package(cmi5: Option<Cmi5Config>) -> TrackingConfig {
        TrackingConfig { cmi5, ..TrackingConfig::default() }
    }

    /// The file's text, as the tools write it.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads `config.json`; the error says what is wrong and where, for the author panel.
    pub fn parse(text: &str) -> Result<TrackingConfig, ConfigError> {
        let config: TrackingConfig = serde_json::from_str(text).map_err(|e| ConfigError::Unreadable {
            line: e.line(),
            column: e.column(),
            problem: e.to_string(),
        })?;
        if let Some(lrs) = &config.lrs {
            let endpoint = &lrs.endpoint;
            if !endpoint.ends_with('/') || !(endpoint.starts_with('/') || endpoint.contains("://")) {
                return Err(ConfigError::EndpointShape(endpoint.clone()));
            }
            if !page_may_reach(endpoint) {
                return Err(ConfigError::EndpointBlocked(endpoint.clone()));
            }
        }
        if let Some(home) = &config.actor.home_page {
            if !(home.starts_with("https://") || home.starts_with("http://")) {
                return Err(ConfigError::HomePage(home.clone()));
            }
        }
        Ok(config)
    }

    /// The URL statements are POSTed to.
    pub fn statements_url(&self) -> Option<String> {
        self.lrs.as_ref().map(|lrs| format!("{}statements", lrs.endpoint))
    }

    /// The URL of the LRS's `about` resource, which lists the xAPI versions it speaks.
    pub fn about_url(&self) -> Option<String> {
        self.lrs.as_ref().map(|lrs| format!("{}about", lrs.endpoint))
    }
}

/// What is wrong in `config.json`, located, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{CONFIG_FILE}:{line}:{column}: {problem}")]
    Unreadable { line: usize, column: usize, problem: String },
    #[error("{CONFIG_FILE}: lrs.endpoint `{0}` must be a path like `/xapi/` or an https URL, ending with `/`")]
    EndpointShape(String),
    #[error(
        "{CONFIG_FILE}: lrs.endpoint `{0}` cannot be reached from the page: its security policy allows the site \
         itself, https, and http only on this machine (127.0.0.1, localhost); use the LRS's https address, or the \
         site's `/xapi/` proxy"
    )]
    EndpointBlocked(String),
    #[error("{CONFIG_FILE}: actor.home-page `{0}` must be an http(s) URL")]
    HomePage(String),
}

/// Where the page may send requests besides its own site, as the page's Content-Security-Policy
/// says it (`connect-src`): an https LRS or LMS, and the learner's own machine (an LRS or LMS tried
/// locally). `config.json`'s endpoint is checked against the same rule ([`page_may_reach`]), so
/// that an endpoint the policy would block is refused with a located error, not retried forever.
pub const LRS_CONNECT_SOURCES: &str = "https: http://127.0.0.1:* http://localhost:*";

/// Whether the page's policy lets it reach `endpoint`: a path on the site itself, an https URL,
/// or http on this machine's loopback, as [`LRS_CONNECT_SOURCES`] allows.
pub fn page_may_reach(endpoint: &str) -> bool {
    if endpoint.starts_with('/') {
        // `//host/…` is another host, not a path.
        return !endpoint.starts_with("//") && !endpoint.starts_with("/\\");
    }
    if let Some(rest) = endpoint.strip_prefix("https://") {
        return !rest.is_empty() && !rest.starts_with(['/', ':', '@']);
    }
    let Some(rest) = endpoint.strip_prefix("http://") else { return false };
    ["127.0.0.1", "localhost"].iter().any(|host| {
        rest.strip_prefix(host).is_some_and(|after| match after.strip_prefix(':') {
            Some(port) => {
                let digits: String = port.chars().take_while(char::is_ascii_digit).collect();
                !digits.is_empty() && port[digits.len()..].starts_with('/')
            }
            None => after.starts_with('/'),
        })
    })
}

/// An e-mail address good enough for an `mbox` (one `@`, something on each side, no spaces).
pub fn plausible_email(text: &str) -> bool {
    let text = text.trim();
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.contains('@') && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_config_the_tools_write_reads_back_the_same() {
        let cmi5 = Cmi5Config { allowed_origins: vec!["https://lms.example.org".into()] };
        for written in [
            TrackingConfig::site(),
            TrackingConfig::author(None),
            TrackingConfig::author(Some("/__parcours/changes")),
            TrackingConfig::package(None),
            TrackingConfig::package(Some(cmi5)),
        ] {
            assert_eq!(TrackingConfig::parse(&written.to_json()), Ok(written.clone()), "{}", written.to_json());
        }
        assert_eq!(TrackingConfig::package(None).to_json(), "{\n  \"lrs\": null\n}\n");
    }

    use super::*;

    #[test]
    fn an_endpoint_the_pages_policy_would_block_is_refused_in_config_json() {
        let endpoint = |url: &str| TrackingConfig::parse(&serde_json::json!({"lrs": {"endpoint": url}}).to_string());
        for reachable in [
            "/xapi/",
            "/formations/ia/xapi/",
            "https://lrs.example.gouv.fr/xAPI/",
            "http://127.0.0.1:8100/xAPI/",
            "http://localhost/xapi/",
        ] {
            assert!(endpoint(reachable).is_ok(), "{reachable}");
        }
        for blocked in [
            "http://lrs.example.gouv.fr/xAPI/",
            "http://127.0.0.1.attacker.example/xapi/",
            "http://localhost@attacker.example/xapi/",
            "http://localhost:80@attacker.example/",
            "http://127.0.0.1:/xapi/",
            "//attacker.example/xapi/",
            "/\\attacker.example/xapi/",
            "https:///xapi/",
            "ftp://lrs.example.gouv.fr/",
            "javascript:alert(1)//",
        ] {
            let error = endpoint(blocked).err().unwrap_or_else(|| panic!("{blocked} was accepted"));
            assert!(error.to_string().starts_with("config.json: lrs.endpoint"), "{error}");
        }
        let error = endpoint("http://lrs.example.gouv.fr/xAPI/").unwrap_err();
        assert_eq!(error, ConfigError::EndpointBlocked("http://lrs.example.gouv.fr/xAPI/".into()));
        let error = error.to_string();
        assert!(error.contains("security policy") && error.contains("https"), "{error}");
    }

    #[test]
    fn the_default_endpoint_is_the_same_origin_proxy() {
        let config = TrackingConfig::parse(r#"{"lrs": {}}"#).unwrap();
        assert_eq!(config.statements_url().as_deref(), Some("/xapi/statements"));
        assert_eq!(config.actor.identify_by, IdentifyBy::Account);
    }

    #[test]
    fn a_full_config_is_read() {
        let config = TrackingConfig::parse(
            r#"{"lrs": {"endpoint": "https://lrs.example.org/xAPI/", "authorization": "Basic abc"},
                "actor": {"home-page": "https://campus.example.org", "identify-by": "mbox"}}"#,
        )
        .unwrap();
        assert_eq!(config.statements_url().as_deref(), Some("https://lrs.example.org/xAPI/statements"));
        assert_eq!(config.lrs.unwrap().authorization.as_deref(), Some("Basic abc"));
        assert_eq!(config.actor.identify_by, IdentifyBy::Mbox);
    }

    #[test]
    fn the_preview_config_turns_author_mode_and_live_reload_on() {
        let config =
            TrackingConfig::parse(r#"{"lrs": null, "author-mode": true, "live-reload": "/__parcours/changes"}"#)
                .unwrap();
        assert!(config.author_mode);
        assert_eq!(config.live_reload.as_deref(), Some("/__parcours/changes"));
        assert!(!TrackingConfig::parse("{}").unwrap().author_mode);
    }

    #[test]
    fn no_lrs_means_keep_and_do_not_send() {
        assert_eq!(TrackingConfig::parse("{}").unwrap().statements_url(), None);
        assert_eq!(TrackingConfig::parse(r#"{"lrs": null}"#).unwrap().statements_url(), None);
    }

    #[test]
    fn mistakes_are_located_and_explained() {
        let error = TrackingConfig::parse("{\n  \"lrs\": {\"endpont\": \"/x/\"}\n}").unwrap_err().to_string();
        assert!(error.starts_with("config.json:2:"), "{error}");
        assert!(error.contains("endpont") && error.contains("endpoint"), "{error}");
        assert!(TrackingConfig::parse("{").unwrap_err().to_string().contains("EOF"));
        let error = TrackingConfig::parse(r#"{"lrs": {"endpoint": "/xapi"}}"#).unwrap_err();
        assert_eq!(error, ConfigError::EndpointShape("/xapi".into()));
        assert!(error.to_string().contains("ending with `/`"), "{error}");
        let error = TrackingConfig::parse(r#"{"actor": {"identify-by": "phone"}}"#).unwrap_err();
        assert!(error.to_string().contains("mbox"));
        let error = TrackingConfig::parse(r#"{"actor": {"home-page": "ftp://x"}}"#).unwrap_err();
        assert_eq!(error, ConfigError::HomePage("ftp://x".into()));
    }

    #[test]
    fn e_mail_addresses_are_checked_plainly() {
        assert!(plausible_email("camille.martin@finances.gouv.fr"));
        for bad in ["", "camille", "@gouv.fr", "a b@gouv.fr", "a@b", "a@b@c.fr"] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }
}
