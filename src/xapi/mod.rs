//! xAPI 1.0.3: learning records built in the pure core (no stringly JSON), and the outbox policy
//! that sends them to a Learning Record Store exactly once.
//!
//! - [`statement`]: the statement types and the builders for every event of a course session;
//! - [`tracker`]: which statements a change of the learner's progress calls for;
//! - [`outbox`]: what to send next, and what to do with the LRS's answer (pure; the player's
//!   glue does the HTTP);
//! - [`store`]: the outbox in storage, shared by tabs without losing what any of them adds;
//! - [`config`]: the deployment's `config.json` (LRS endpoint, how learners are identified);
//! - [`report`]: the operator's figures, aggregated from statements read back from an LRS.

pub mod config;
pub mod outbox;
pub mod report;
pub mod statement;
pub mod store;
pub mod tracker;

/// RFC 3339 UTC timestamp with `Z` and milliseconds, from milliseconds since the Unix epoch.
/// (A timestamp without offset breaks Ralph's `since` queries.)
pub fn timestamp(ms: f64) -> String {
    let total_ms = ms.max(0.0).round() as i64;
    let (days, ms_of_day) = (total_ms.div_euclid(86_400_000), total_ms.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    let (hours, minutes) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
    let (seconds, millis) = (ms_of_day / 1000 % 60, ms_of_day % 1000);
    format!("{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{millis:03}Z")
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// ISO 8601 duration with 0.01 s precision, as xAPI wants it: `PT1H4M35.14S`.
pub fn iso_duration(ms: u64) -> String {
    let centis = ms / 10;
    let (hours, minutes) = (centis / 360_000, centis / 6_000 % 60);
    let (seconds, hundredths) = (centis / 100 % 60, centis % 100);
    let mut text = String::from("PT");
    if hours > 0 {
        text.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        text.push_str(&format!("{minutes}M"));
    }
    if hundredths > 0 {
        text.push_str(&format!("{seconds}.{hundredths:02}S"));
    } else {
        text.push_str(&format!("{seconds}S"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_z() {
        assert_eq!(timestamp(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(timestamp(1_795_875_332_747.0), "2026-11-28T14:15:32.747Z");
        assert_eq!(timestamp(4_107_542_399_999.0), "2100-02-28T23:59:59.999Z");
    }

    #[test]
    fn durations_have_hundredths() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(275_140), "PT4M35.14S");
        assert_eq!(iso_duration(3_600_000), "PT1H0S");
        assert_eq!(iso_duration(3_875_149), "PT1H4M35.14S");
    }
}
