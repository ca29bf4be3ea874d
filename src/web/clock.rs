//! Time and chance as the browser gives them: the clock, waiting, random bytes, dates.

use super::{window, IN_BROWSER};
use wasm_bindgen_futures::JsFuture;

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds since the Unix epoch.
pub fn now() -> f64 {
    if IN_BROWSER {
        js_sys::Date::now()
    } else {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        since_epoch.map_or(0.0, |d| d.as_millis() as f64)
    }
}

/// A number in [0, 1) for jitter (not for ids: see [`random_bytes`]).
pub fn random_fraction() -> f64 {
    js_sys::Math::random()
}

/// A date as `language` writes it (`28 novembre 2026`).
pub fn long_date(ms: f64, language: &str) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("day", "numeric"), ("month", "long"), ("year", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    String::from(js_sys::Date::new(&ms.into()).to_locale_date_string(language, &options))
}

/// 16 random bytes from the browser's cryptographic generator (for UUIDs). Pre-rendering, the
/// page's learner is nobody (their progress is neither shown nor kept): zeros, so that a build
/// writes the same pages every time.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if !IN_BROWSER {
        return bytes;
    }
    let filled = window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (very old browser): Math.random is enough for an enrolment id.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}
