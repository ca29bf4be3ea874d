//! `parcours report` against an LRS that speaks only xAPI 2.0, as xapi-rs 0.2.0 does: its `about`
//! lists `2.0.0` and it refuses any other version header with a bare `400 - Bad request :(`.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

const STATEMENTS: &str = r#"{"statements": [{"id": "6f1b7a4e-0000-4000-8000-000000000001",
  "actor": {"objectType": "Agent", "account": {"homePage": "https://parcours.example.org", "name": "l1"}},
  "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
  "object": {"objectType": "Activity", "id": "https://parcours.example.org/courses/demo",
             "definition": {"type": "http://adlnet.gov/expapi/activities/course", "name": {"fr": "Démo"}}},
  "timestamp": "2026-12-07T03:40:06.108Z", "stored": "2026-12-07T03:40:06.108Z"}], "more": ""}"#;

/// An xAPI 2.0-only LRS on loopback; `with_about`: whether it answers `GET about`.
fn lrs_speaking_only_2_0(with_about: bool) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("a loopback port");
    let port = server.server_addr().to_ip().expect("an IP address").port();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let version = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("X-Experience-API-Version"))
                .map(|h| h.value.as_str().to_owned());
            let path = request.url().split('?').next().unwrap_or_default().to_owned();
            let (status, body) = match path.as_str() {
                "/xAPI/about" if with_about => (200, r#"{"version": ["2.0.0"]}"#.to_owned()),
                "/xAPI/statements" if version.as_deref() == Some("2.0.0") => (200, STATEMENTS.to_owned()),
                "/xAPI/statements" => (400, "400 - Bad request :(".to_owned()),
                _ => (404, "Not found".to_owned()),
            };
            let json = tiny_http::Header::from_bytes("Content-Type", "application/json").expect("a header");
            let _ = request.respond(tiny_http::Response::from_string(body).with_status_code(status).with_header(json));
        }
    });
    format!("http://127.0.0.1:{port}/xAPI/")
}

fn report(endpoint: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_parcours"))
        .args(["report", "--endpoint", endpoint, "--json"])
        .env_remove("PARCOURS_LRS_USERNAME")
        .env_remove("PARCOURS_LRS_PASSWORD")
        .output()
        .expect("the parcours binary runs")
}

#[test]
fn an_lrs_that_speaks_only_xapi_2_is_read_in_2_0() {
    let done = report(&lrs_speaking_only_2_0(true));
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let figures: serde_json::Value = serde_json::from_slice(&done.stdout).expect("JSON figures");
    assert_eq!(figures["statements_read"], 1);
    assert_eq!(figures["courses"][0]["total"]["completed"], 1);
}

#[test]
fn a_version_refusal_is_explained_not_left_as_bad_request() {
    let done = report(&lrs_speaking_only_2_0(false));
    assert!(!done.status.success());
    let said = String::from_utf8_lossy(&done.stderr);
    assert!(said.contains("HTTP 400") && said.contains("spoke xAPI 1.0.3"), "{said}");
}
