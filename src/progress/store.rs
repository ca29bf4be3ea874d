//! Keeping progress in a key-value store (the browser's localStorage in the player, memory in
//! tests and when storage is denied), with backups of unreadable data, migrations, cross-tab
//! merging, export and import.

use super::{CourseProgress, Millis, SCHEMA_VERSION};
use crate::course::Course;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Why the store refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Private mode, an LMS iframe with storage blocked, or storage turned off.
    #[error("storage is not available")]
    Denied,
    /// The quota is reached.
    #[error("storage is full")]
    Full,
    #[error("storage error: {0}")]
    Other(String),
}

/// The storage seam: a string key-value store.
pub trait KeyValueStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&self, key: &str) -> Result<(), StoreError>;
    /// Every key that starts with `prefix`, in no particular order.
    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
}

/// A store in memory: where progress lives when the browser's storage is denied, and in tests
/// (with an optional quota in bytes, or refusing everything).
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: RefCell<BTreeMap<String, String>>,
    pub quota: Option<usize>,
    pub denied: bool,
}

impl MemoryStore {
    /// A store that refuses everything, like a browser with storage denied.
    pub fn denied() -> MemoryStore {
        MemoryStore { denied: true, ..MemoryStore::default() }
    }

    /// A store that holds at most `bytes` (keys and values).
    pub fn with_quota(bytes: usize) -> MemoryStore {
        MemoryStore { quota: Some(bytes), ..MemoryStore::default() }
    }
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        if self.denied {
            return Err(StoreError::Denied);
        }
        Ok(self.entries.borrow().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if self.denied {
            return Err(StoreError::Denied);
        }
        if let Some(quota) = self.quota {
            let others: usize =
                self.entries.borrow().iter().filter(|(k, _)| k.as_str() != key).map(|(k, v)| k.len() + v.len()).sum();
            if others + key.len() + value.len() > quota {
                return Err(StoreError::Full);
            }
        }
        self.entries.borrow_mut().insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        if self.denied {
            return Err(StoreError::Denied);
        }
        self.entries.borrow_mut().remove(key);
        Ok(())
    }

    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        if self.denied {
            return Err(StoreError::Denied);
        }
        Ok(self.entries.borrow().keys().filter(|k| k.starts_with(prefix)).cloned().collect())
    }
}

/// The key of a course's progress (one learner per browser profile).
pub fn progress_key(course_id: &str) -> String {
    format!("parcours:progress:{course_id}")
}

/// What the learner must be told after loading.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadNotice {
    /// The stored value could not be read: it is kept under `backup_key` and the course starts afresh.
    Corrupted { backup_key: Option<String>, reason: String },
    /// Saved by a newer Parcours: kept under `backup_key`, the course starts afresh here.
    FutureVersion { found: u32, backup_key: Option<String> },
    /// Storage cannot be read: progress is kept in memory only.
    Unavailable(StoreError),
}

/// Progress as loaded, and what to tell the learner.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub progress: CourseProgress,
    pub notice: Option<LoadNotice>,
    /// Whether loading changed the stored value (migrated or reconciled with an edited course).
    pub changed: bool,
}

/// Reads a stored value into progress for `course`: migrated, reconciled with the course as it is
/// now. `Err` carries why it cannot be used.
fn parse_stored(raw: &str, course: &Course) -> Result<(CourseProgress, bool), LoadNotice> {
    let corrupted = |reason: String| LoadNotice::Corrupted { backup_key: None, reason };
    let mut value: serde_json::Value =
        serde_json::from_str(raw).map_err(|e| corrupted(format!("invalid JSON: {e}")))?;
    let version = value
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| corrupted("no schema version".into()))?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > SCHEMA_VERSION {
        return Err(LoadNotice::FutureVersion { found: version, backup_key: None });
    }
    let migrated = migrate(&mut value, version).map_err(corrupted)?;
    let mut progress: CourseProgress =
        serde_json::from_value(value).map_err(|e| corrupted(format!("unexpected shape: {e}")))?;
    if progress.course_id != course.id.as_str() {
        return Err(corrupted(format!("progress of another course ({})", progress.course_id)));
    }
    let reconciled = progress.reconcile(course);
    Ok((progress, migrated || reconciled))
}

/// Brings a stored value from `version` to [`SCHEMA_VERSION`], one step at a time. Each future
/// change of the stored shape adds a step here (and a test with a value of the old shape).
fn migrate(value: &mut serde_json::Value, version: u32) -> Result<bool, String> {
    if version == 0 {
        return Err("schema version 0 does not exist".into());
    }
    // Version 1 is the first stored shape: nothing to migrate yet.
    let _ = value;
    Ok(version < SCHEMA_VERSION)
}

/// Loads a course's progress; unreadable data is backed up (never deleted) and the course starts
/// afresh, without touching any other course's data.
pub fn load_progress(
    store: &dyn KeyValueStore,
    course: &Course,
    registration: impl FnOnce() -> String,
    now: Millis,
) -> Loaded {
    let key = progress_key(course.id.as_str());
    let fresh = |registration: String| CourseProgress::new(course, registration, now);
    let raw = match store.get(&key) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Loaded { progress: fresh(registration()), notice: None, changed: true },
        Err(error) => {
            return Loaded {
                progress: fresh(registration()),
                notice: Some(LoadNotice::Unavailable(error)),
                changed: false,
            }
        }
    };
    match parse_stored(&raw, course) {
        Ok((progress, changed)) => Loaded { progress, notice: None, changed },
        Err(mut notice) => {
            let backup = format!("{key}:backup:{}", now as u64);
            let saved = store.set(&backup, &raw).is_ok().then_some(backup);
            match &mut notice {
                LoadNotice::Corrupted { backup_key, .. } | LoadNotice::FutureVersion { backup_key, .. } => {
                    *backup_key = saved
                }
                LoadNotice::Unavailable(_) => {}
            }
            Loaded { progress: fresh(registration()), notice: Some(notice), changed: true }
        }
    }
}

/// Writes progress.
pub fn save_progress(store: &dyn KeyValueStore, progress: &CourseProgress) -> Result<(), StoreError> {
    let json = serde_json::to_string(progress).map_err(|e| StoreError::Other(e.to_string()))?;
    store.set(&progress_key(&progress.course_id), &json)
}

/// Applies a change the way every change is made: first take in what another tab saved since
/// (same enrolment, newer), then change, then save at once. The state in memory is always
/// changed, even when saving fails (the caller shows why and retries later).
pub fn update_progress(
    store: &dyn KeyValueStore,
    course: &Course,
    progress: &mut CourseProgress,
    change: impl FnOnce(&mut CourseProgress),
) -> Result<(), StoreError> {
    if let Ok(Some(raw)) = store.get(&progress_key(course.id.as_str())) {
        if let Ok((stored, _)) = parse_stored(&raw, course) {
            if stored.registration == progress.registration {
                // Merging is idempotent: whatever either tab did is kept.
                progress.merge(&stored);
            } else if stored.registration != progress.registration && stored.started_at > progress.started_at {
                // Another tab reset the course: follow it.
                *progress = stored;
            }
        }
    }
    change(progress);
    save_progress(store, progress)
}

/// The file a learner downloads to keep or move their progress.
#[derive(Debug, Serialize, Deserialize)]
struct ExportFile {
    format: String,
    progress: CourseProgress,
}

const EXPORT_FORMAT: &str = "parcours-progress";

/// Progress as a JSON file to download, indented so that a person can read it.
pub fn export_progress(progress: &CourseProgress) -> String {
    let file = ExportFile { format: EXPORT_FORMAT.to_owned(), progress: progress.clone() };
    indent_json(&serde_json::to_string(&file).unwrap_or_default())
}

/// Compact JSON indented as `serde_json::to_string_pretty` writes it. Done on the text: the
/// pretty writer would build every `Serialize` of the progress a second time in the player.
pub(super) fn indent_json(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            (escaped, in_string) = match c {
                _ if escaped => (false, true),
                '\\' => (true, true),
                '"' => (false, false),
                _ => (false, true),
            };
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' if matches!(chars.peek(), Some('}' | ']')) => {
                out.push(c);
                out.extend(chars.next());
            }
            '{' | '[' => {
                out.push(c);
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// Why an imported file was refused; the learner's current progress is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("this file is not a Parcours progress file")]
    NotProgress,
    #[error("this file holds the progress of another course ({0})")]
    OtherCourse(String),
    #[error("this file was saved by a newer version of Parcours (schema {0})")]
    FutureVersion(u32),
    #[error("this file is {0} KB; a progress file is at most 2,048 KB")]
    TooLarge(usize),
}

/// The largest progress file imported: a worked-through one-hour course exports about 60 KB.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// Reads an exported file for `course`. The file is the learner's to edit: its grades, scores,
/// completion and dates are not believed but computed again ([`CourseProgress::regrade_untrusted`]).
pub fn import_progress(
    text: &str,
    course: &Course,
    now: Millis,
    pass_marks: super::PassMarks,
) -> Result<CourseProgress, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge(text.len() / 1024));
    }
    let file: serde_json::Value = serde_json::from_str(text).map_err(|_| ImportError::NotProgress)?;
    if file.get("format").and_then(serde_json::Value::as_str) != Some(EXPORT_FORMAT) {
        return Err(ImportError::NotProgress);
    }
    let progress = file.get("progress").ok_or(ImportError::NotProgress)?;
    if let Some(other) =
        progress.get("course_id").and_then(serde_json::Value::as_str).filter(|id| *id != course.id.as_str())
    {
        return Err(ImportError::OtherCourse(other.to_owned()));
    }
    match parse_stored(&progress.to_string(), course) {
        Ok((mut progress, _)) => {
            progress.regrade_untrusted(course, now, pass_marks);
            Ok(progress)
        }
        Err(LoadNotice::FutureVersion { found, .. }) => Err(ImportError::FutureVersion(found)),
        Err(_) => Err(ImportError::NotProgress),
    }
}

/// The learner of this browser: a random id (xAPI account name) and the name they gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Learner {
    pub id: String,
    pub name: Option<String>,
    /// Asked only where the deployment identifies learners by e-mail (xAPI `mbox`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

pub const LEARNER_KEY: &str = "parcours:learner";

/// Reads the learner, or makes one (with `new_id`) when there is none or it is unreadable.
pub fn load_learner(store: &dyn KeyValueStore, new_id: impl FnOnce() -> String) -> Learner {
    store
        .get(LEARNER_KEY)
        .ok()
        .flatten()
        .and_then(|raw| serde_json::from_str::<Learner>(&raw).ok())
        .filter(|l| !l.id.is_empty())
        .unwrap_or_else(|| Learner { id: new_id(), name: None, email: None })
}

pub fn save_learner(store: &dyn KeyValueStore, learner: &Learner) -> Result<(), StoreError> {
    let json = serde_json::to_string(learner).map_err(|e| StoreError::Other(e.to_string()))?;
    store.set(LEARNER_KEY, &json)
}
