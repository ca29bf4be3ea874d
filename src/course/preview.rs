//! What `parcours preview` tells the player about the course on disk, answering its long-poll:
//! one type for the CLI that writes it and the player that reads it.

use serde::{Deserialize, Serialize};

/// The answer to the player's long-poll (`/__parcours/changes?served=…&since=…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewChanges {
    /// The last check of the files.
    pub generation: u64,
    /// A newer good version than the page's is served: reload.
    pub reload: bool,
    /// The errors of the files as they are now (empty when the course is valid).
    pub errors: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_preview_writes_the_player_reads() {
        let changes = PreviewChanges { generation: 7, reload: true, errors: vec!["error: x".into()] };
        let json = serde_json::to_string(&changes).unwrap();
        assert_eq!(json, r#"{"generation":7,"reload":true,"errors":["error: x"]}"#);
        assert_eq!(serde_json::from_str::<PreviewChanges>(&json).unwrap(), changes);
    }
}
