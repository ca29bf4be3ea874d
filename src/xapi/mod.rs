//! xAPI 1.0.3: learning records built in the pure core (no stringly JSON), and the outbox policy
//! that sends them to a Learning Record Store exactly once.
//!
//! - [`statement`]: the statement types and the builders for every event of a course session;
//! - [`tracker`]: which statements a change of the learner's progress calls for;
//! - [`outbox`]: what to send next, and what to do with the LRS's answer (pure; the player's
//!   glue does the HTTP);
//! - [`store`]: the outbox in storage, shared by tabs without losing what any of them adds;
//! - [`config`]: the deployment's `config.json` (LRS endpoint, how learners are identified);
//! - [`report`]: the operator's figures, aggregated from statements read back from an LRS;
//! - [`version`]: which xAPI version (1.0.3 or 2.0.0) to speak to an LRS, from its `about`.

pub mod config;
pub mod outbox;
pub mod report;
pub mod statement;
pub mod store;
pub mod tracker;
pub mod version;

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

/// The instant an RFC 3339 timestamp names, in nanoseconds since the Unix epoch, whatever its
/// fraction (none to nine digits) and its zone (`Z`, `+00:00`, `-05:00`): two LRSs write the same
/// `stored` differently, and compared as text `…06.1Z` and `…06.100+00:00` differ. `None` for
/// anything else.
pub fn instant_ns(timestamp: &str) -> Option<i128> {
    let bytes = timestamp.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = timestamp.get(range)?;
        digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse().ok())?
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if bytes.len() < 20 || separators.iter().any(|&(at, c)| bytes[at] != c) || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hours, minutes, seconds) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    let mut rest = &timestamp[19..];
    let mut nanos: i128 = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        nanos = fraction[..digits].parse::<i128>().ok()? * 10_i128.pow(9 - digits as u32);
        rest = &fraction[digits..];
    }
    let offset_minutes: i64 = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && matches!(rest.as_bytes()[0], b'+' | b'-') && rest.as_bytes()[3] == b':' => {
            let (h, m) = (rest[1..3].parse::<i64>().ok()?, rest[4..6].parse::<i64>().ok()?);
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (h * 60 + m)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hours * 3600 + minutes * 60 + seconds - offset_minutes * 60;
    Some(i128::from(seconds) * 1_000_000_000 + nanos)
}

/// (year, month, day) to days since 1970-01-01, proleptic Gregorian (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
    fn instants_are_the_same_however_an_lrs_writes_them() {
        let written = instant_ns("2026-12-07T03:40:06.108Z").unwrap();
        assert_eq!(instant_ns("2026-12-07T03:40:06.108000+00:00"), Some(written));
        assert_eq!(instant_ns("2026-12-07T04:40:06.108+01:00"), Some(written));
        assert_eq!(instant_ns("2026-12-06T22:40:06.108-05:00"), Some(written));
        assert_eq!(instant_ns("2026-12-07T03:40:06.1080001Z"), Some(written + 100));
        assert!(instant_ns("2026-12-07T03:40:06Z").unwrap() < instant_ns("2026-12-07T03:40:06.001Z").unwrap());
        // `…06.5Z` sorts before `…06.108Z` as text, not in time.
        assert!(instant_ns("2026-12-07T03:40:06.5Z").unwrap() > written);
        assert_eq!(instant_ns(&timestamp(1_796_615_206_108.0)), Some(1_796_615_206_108_000_000));
        for wrong in [
            "",
            "2026-12-07",
            "2026-12-07T03:40:06",
            "2026-13-07T03:40:06Z",
            "2026-12-07T03:40:06.Z",
            "2026-12-07T03:40:06.1234567890Z",
            "2026-12-07T03:40:06+0100",
            "２026-12-07T03:40:06Z",
        ] {
            assert_eq!(instant_ns(wrong), None, "{wrong}");
        }
    }

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
