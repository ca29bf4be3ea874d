//! Which xAPI version to speak to an LRS. Every request carries `X-Experience-API-Version`, and
//! an LRS may speak 1.0.3, 2.0.0 (IEEE 9274.1.1) or both; one that speaks only 2.0 refuses a 1.0.3
//! request with a bare 400. Its `GET about` (no credentials needed) lists what it speaks. The
//! statements Parcours makes are valid in both versions (UTC timestamps, no `version` property,
//! no signed statements, no context agents or groups), so only the header changes.

/// A version of xAPI Parcours speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XapiVersion {
    V1_0_3,
    V2_0_0,
}

impl XapiVersion {
    /// The value of the `X-Experience-API-Version` header.
    pub fn header(self) -> &'static str {
        match self {
            XapiVersion::V1_0_3 => "1.0.3",
            XapiVersion::V2_0_0 => "2.0.0",
        }
    }

    /// The version a header value names (as [`XapiVersion::header`] wrote it); 1.0.3 for any other.
    pub fn for_header(value: &str) -> XapiVersion {
        if value == XapiVersion::V2_0_0.header() {
            XapiVersion::V2_0_0
        } else {
            XapiVersion::V1_0_3
        }
    }

    /// The version to speak to an LRS whose `about` answered `body`: 1.0.3 wherever it is listed
    /// (the version most LRSs speak), 2.0.0 to an LRS that lists 2.x and no 1.0.x; 1.0.3 when
    /// the answer says neither (no `about`, not JSON), as xAPI 1.0.3 LRSs have always been spoken to.
    pub fn for_about(body: &str) -> XapiVersion {
        let listed: Vec<String> = serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|about| about.get("version").and_then(|v| v.as_array().cloned()))
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let speaks = |major: &str| listed.iter().any(|v| v.starts_with(major));
        if !speaks("1.0.") && speaks("2.") {
            XapiVersion::V2_0_0
        } else {
            XapiVersion::V1_0_3
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_lrs_is_spoken_to_in_the_version_it_lists() {
        assert_eq!(XapiVersion::for_about(r#"{"version": ["2.0.0"]}"#), XapiVersion::V2_0_0);
        assert_eq!(XapiVersion::for_about(r#"{"version": ["1.0.3", "2.0.0"]}"#), XapiVersion::V1_0_3);
        assert_eq!(XapiVersion::for_about(r#"{"version": ["1.0.0", "1.0.3"], "extensions": {}}"#), XapiVersion::V1_0_3);
        for unreadable in ["", "<html>Not found</html>", r#"{"version": "2.0.0"}"#, r#"{"version": []}"#] {
            assert_eq!(XapiVersion::for_about(unreadable), XapiVersion::V1_0_3, "{unreadable}");
        }
        assert_eq!(XapiVersion::V2_0_0.header(), "2.0.0");
    }
}
