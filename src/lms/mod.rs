//! Playing inside a learning management system (pure): what Parcours tells an LMS about the
//! learner's progress, and how it gets progress back from it. The browser glue that finds the
//! LMS's API is in `web::scorm`.

pub mod cmi5;
pub mod manifest;
pub mod scorm12;
