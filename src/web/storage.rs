//! The browser's localStorage behind the core's [`KeyValueStore`] seam.
//!
//! Storage may be denied (private mode, an LMS iframe that blocks it): `window.localStorage`
//! then throws, and so does gloo's `LocalStorage::raw()`. The store probes first and, when
//! storage is unusable, answers `Denied` to every call so the player keeps progress in memory.

use crate::progress::store::{KeyValueStore, StoreError};
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};

/// localStorage, or nothing when the browser refuses it.
pub struct BrowserStore {
    storage: Option<web_sys::Storage>,
}

impl BrowserStore {
    /// Probes localStorage (reading the property can throw) and, only if it answers, takes it
    /// from gloo (whose `raw()` would panic on a denied storage).
    pub fn local() -> BrowserStore {
        let usable = super::window().and_then(|w| w.local_storage().ok().flatten()).is_some();
        BrowserStore { storage: usable.then(LocalStorage::raw) }
    }

    /// sessionStorage: this tab's, kept across reloads (a cmi5 token, which is fetched once).
    pub fn session() -> BrowserStore {
        BrowserStore { storage: super::window().and_then(|w| w.session_storage().ok().flatten()) }
    }

    /// The storage; `None` when pre-rendering a page, where there is no learner: nothing is
    /// stored, and nothing is kept (the page shows a first visit, with no warning).
    fn storage(&self) -> Result<Option<&web_sys::Storage>, StoreError> {
        match &self.storage {
            Some(storage) => Ok(Some(storage)),
            None if !super::IN_BROWSER => Ok(None),
            None => Err(StoreError::Denied),
        }
    }
}

/// QuotaExceededError means full, SecurityError means denied.
fn classify(error: JsValue) -> StoreError {
    match error.dyn_ref::<web_sys::DomException>().map(|e| e.name()) {
        Some(name) if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" => StoreError::Full,
        Some(name) if name == "SecurityError" => StoreError::Denied,
        Some(name) => StoreError::Other(name),
        None => StoreError::Other(error.as_string().unwrap_or_else(|| "unknown".into())),
    }
}

impl KeyValueStore for BrowserStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let Some(storage) = self.storage()? else { return Ok(None) };
        storage.get_item(key).map_err(classify)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let Some(storage) = self.storage()? else { return Ok(()) };
        storage.set_item(key, value).map_err(classify)
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        let Some(storage) = self.storage()? else { return Ok(()) };
        storage.remove_item(key).map_err(classify)
    }

    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let Some(storage) = self.storage()? else { return Ok(Vec::new()) };
        let length = storage.length().map_err(classify)?;
        Ok((0..length).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect())
    }
}

/// Calls `changed` whenever another tab of this site changes a key of localStorage that
/// `watched` accepts (the `storage` event, which browsers send only to the other tabs). It stops
/// with the component that asked.
pub fn when_another_tab_changes(watched: impl Fn(&str) -> bool + 'static, changed: impl Fn() + 'static) {
    let listener = leptos::prelude::window_event_listener(leptos::ev::storage, move |event| {
        if event.key().is_some_and(|key| watched(&key)) {
            changed();
        }
    });
    leptos::prelude::on_cleanup(move || listener.remove());
}
