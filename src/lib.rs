//! Parcours: a course player for self-paced e-learning modules.
//!
//! The crate's map:
//! - [`course`]: the pure core. Course model, `course.toml` manifest, the one Markdown entry
//!   point, validation passes that collect located diagnostics. No web dependency; tested with
//!   plain `cargo test`.
//! - [`progress`]: the learner state machine, its storage seam, migrations, export and import (pure).
//! - [`quiz`]: grading of GIFT questions (pure).
//! - [`xapi`]: xAPI statements for every learning event, and the outbox policy (pure).
//! - [`i18n`]: every word of the interface, in French and English.
//! - `web` (wasm only): the only code that touches browser APIs (fetch, document), behind small
//!   functions the UI calls.
//! - `ui` (wasm only): the Leptos 0.8 client-side app, one routed page per file.
//! - `src/bin/parcours.rs`: the native authoring CLI (`parcours check`, `parcours catalog`).
//! - `src/main.rs`: the player's entry point, mounted by Trunk.

pub mod course;
pub mod i18n;
pub mod lms;
pub mod progress;
pub mod quiz;
pub mod safe_html;
pub mod xapi;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
