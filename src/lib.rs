//! Parcours: a course player for self-paced e-learning modules.
//!
//! The crate's map:
//! - [`course`]: the pure core. Course model, `course.toml` manifest, the one Markdown entry
//!   point, validation passes that collect located diagnostics, and (native only) the Moodle XML
//!   reader `parcours import` writes GIFT with. No web dependency; tested with
//!   plain `cargo test`.
//! - [`progress`]: the learner state machine, its storage seam, migrations, export and import (pure).
//! - [`quiz`]: grading of GIFT questions (pure).
//! - [`xapi`]: xAPI statements for every learning event, `config.json`, and the outbox policy (pure).
//! - [`lms`]: the SCORM 1.2 and cmi5 rules (pure), tested against in-memory LMSs.
//! - [`safe_html`]: the sanitizing boundary, the only way to make HTML the player shows.
//! - [`safe_text`]: the boundary for untrusted text on its way into a terminal or a spreadsheet
//!   (`parcours report`): no control character, no formula.
//! - [`i18n`]: every word of the interface, in French and English.
//! - [`small_sort`]: the stable sort of the player's short lists, small in WebAssembly.
//! - [`wire`]: the JSON sent to an LRS or an LMS, written as JavaScript's `JSON.stringify` would.
//! - [`web`]: the only code that calls browser APIs (fetch, storage, SCORM's runtime, cmi5's
//!   launch), behind small functions with plain Rust types; inert in the native binary.
//! - [`ui`]: the Leptos 0.8 app, one routed page per file, with the LMS session (`ui::lms`)
//!   chosen once at start. The browser renders it (client side); the native binary renders the
//!   same components to HTML for pre-rendered pages (`ui::prerender`). `tests/layering.rs` keeps
//!   these layers apart.
//! - `src/bin/parcours/`: the native authoring CLI: `cmd::Command::run` hands each command to its
//!   module in `cmd/` (`check`, `new`, `preview`, `build`, `package`, `import`, `catalog`, `report`,
//!   `self-check`, `reference`; `docs/cli.md` is the reference), with the player embedded by `build.rs`. It
//!   writes each course as the **compiled course** (`course::compiled`, `courses/<slug>.json`), the
//!   one contract between the CLI and the player, which reads it back as untrusted input.
//! - `src/main.rs`: the player's entry point, mounted by Trunk.

// The server rendering of the app's views (native) nests types deeper than the default allows.
#![recursion_limit = "256"]

pub mod course;
pub mod i18n;
pub mod lms;
pub mod progress;
pub mod quiz;
pub mod safe_html;
pub mod safe_text;
pub mod small_sort;
pub mod wire;
pub mod xapi;

pub mod ui;
pub mod web;
