//! Talking to the LRS (and to the LMS of a cmi5 launch): headers, a timeout, and `keepalive` for
//! a page that is closing (`sendBeacon` cannot carry the `Authorization` and xAPI version headers).

use super::{describe, FetchDeadline};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What came back: no status when the request failed before any answer (offline, refused,
/// timed out).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpAnswer {
    pub status: Option<u16>,
    pub body: String,
    /// From a `Retry-After` header in seconds.
    pub retry_after_ms: Option<f64>,
    /// Why there was no answer.
    pub error: Option<String>,
}

impl HttpAnswer {
    fn failed(error: String) -> HttpAnswer {
        HttpAnswer { status: None, body: String::new(), retry_after_ms: None, error: Some(error) }
    }
}

/// POSTs `body` as JSON with `headers`, giving up after `timeout_ms`.
pub async fn post_json(
    url: &str,
    body: &str,
    headers: &[(&str, &str)],
    keepalive: bool,
    timeout_ms: f64,
) -> HttpAnswer {
    match request("POST", url, Some(body), headers, keepalive, timeout_ms).await {
        Ok(answer) => answer,
        Err(error) => HttpAnswer::failed(describe(&error)),
    }
}

/// PUTs `body` as JSON (an xAPI document), with `keepalive` when the page is closing.
pub async fn put_json(url: &str, body: &str, headers: &[(&str, &str)], keepalive: bool, timeout_ms: f64) -> HttpAnswer {
    match request("PUT", url, Some(body), headers, keepalive, timeout_ms).await {
        Ok(answer) => answer,
        Err(error) => HttpAnswer::failed(describe(&error)),
    }
}

/// POSTs nothing (a cmi5 fetch URL), giving up after `timeout_ms`.
pub async fn post_empty(url: &str, timeout_ms: f64) -> HttpAnswer {
    match request("POST", url, None, &[], false, timeout_ms).await {
        Ok(answer) => answer,
        Err(error) => HttpAnswer::failed(describe(&error)),
    }
}

/// GETs `url` with `headers` (an xAPI document), giving up after `timeout_ms`.
pub async fn get(url: &str, headers: &[(&str, &str)], timeout_ms: f64) -> HttpAnswer {
    match request("GET", url, None, headers, false, timeout_ms).await {
        Ok(answer) => answer,
        Err(error) => HttpAnswer::failed(describe(&error)),
    }
}

async fn request(
    method: &str,
    url: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
    keepalive: bool,
    timeout_ms: f64,
) -> Result<HttpAnswer, JsValue> {
    let window = super::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let request_headers = web_sys::Headers::new()?;
    for (name, value) in headers {
        request_headers.set(name, value)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        request_headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&request_headers);
    // web-sys has no setter for `keepalive`: set the dictionary member by name.
    js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::from_bool(keepalive))?;
    init.set_cache(web_sys::RequestCache::NoStore);
    let deadline = FetchDeadline::arm(&init, timeout_ms)?;
    let failed = |error: JsValue| JsValue::from_str(&deadline.explain(&error));
    let fetched = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    let response: web_sys::Response = fetched.map_err(failed)?.unchecked_into();
    let retry_after_ms = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|seconds| seconds.trim().parse::<f64>().ok())
        .map(|seconds| seconds * 1000.0);
    let status = response.status();
    // An answer whose body did not arrive (cut, or past the deadline) is no answer: a 2xx is only
    // believed with the body an LRS gives, and statements are resent with the same ids.
    let body = JsFuture::from(response.text()?).await.map_err(failed)?;
    let text = body.as_string().unwrap_or_default();
    Ok(HttpAnswer { status: Some(status), body: text, retry_after_ms, error: None })
}
