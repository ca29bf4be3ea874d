//! The JSON Parcours sends to an LRS or an LMS, written exactly as JavaScript's `JSON.stringify`
//! would write it.
//!
//! An LMS in JavaScript may parse a request and forward `JSON.stringify` of it with the original
//! `Content-Length` (ADL's reference cmi5 player does): a body written otherwise arrives shorter
//! than announced, and the LRS waits for bytes that never come. serde_json and JavaScript agree on
//! everything but numbers: serde_json writes `1.0`, `1e21` and `1e-5` where JavaScript writes `1`,
//! `1e+21` and `0.00001`. Numbers are therefore written by ECMAScript's `Number::toString`.

use serde::Serialize;
use std::io;

/// `value` as `JSON.stringify` would write it (compact, numbers as JavaScript writes them).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, JavaScriptNumbers);
    value.serialize(&mut serializer)?;
    // serde_json writes only UTF-8.
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// serde_json's compact output, but for numbers (non-finite ones are written `null` before
/// they reach a formatter, as `JSON.stringify` does).
struct JavaScriptNumbers;

impl serde_json::ser::Formatter for JavaScriptNumbers {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(javascript_number(value).as_bytes())
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        writer.write_all(javascript_number(f64::from(value)).as_bytes())
    }
}

/// A finite number as ECMAScript's `Number::toString(10)` writes it (ECMA-262 §6.1.6.1.20): the
/// shortest digits that read back as the same number, in decimal notation from 1e-7 (exclusive)
/// to 1e21 (exclusive), else as `d.ddde±n`.
pub fn javascript_number(value: f64) -> String {
    if !value.is_finite() {
        return "null".to_owned();
    }
    if value == 0.0 {
        return "0".to_owned(); // -0 too
    }
    // Rust's `{:e}` gives the same shortest round-trip digits: `d.ddde-n`.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    // value = 0.d1d2…dk × 10^n
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (whole, fraction) = digits.split_at(n as usize);
        format!("{whole}.{fraction}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{first}{point}e{sign}{}", (n - 1).abs())
    };
    if value < 0.0 {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        // Each pair: the number, and `String(number)` in JavaScript (node 20).
        let cases = [
            (1.0, "1"),
            (100.0, "100"),
            (-3.0, "-3"),
            (0.8, "0.8"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1.5e21, "1.5e+21"),
            (1e-6, "0.000001"),
            (1.5e-6, "0.0000015"),
            (1e-7, "1e-7"),
            (1.25e-7, "1.25e-7"),
            (0.00001, "0.00001"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (-0.0, "0"),
            (2.0 / 3.0, "0.6666666666666666"),
            (12.5, "12.5"),
            (f64::NAN, "null"),
        ];
        for (number, javascript) in cases {
            assert_eq!(javascript_number(number), javascript, "{number:e}");
        }
    }

    #[test]
    fn statements_are_serialized_as_javascript_would() {
        let score = crate::xapi::statement::Score { scaled: 1.0, raw: 100.0, min: 0.0, max: 100.0 };
        assert_eq!(to_string(&score).unwrap(), r#"{"scaled":1,"raw":100,"min":0,"max":100}"#);
        assert_eq!(serde_json::to_string(&score).unwrap(), r#"{"scaled":1.0,"raw":100.0,"min":0.0,"max":100.0}"#);
        let text = serde_json::json!({"t": "é \u{1} \" \\ / \u{2028}", "n": [0.5, 3, -1e-9, null]});
        assert_eq!(
            to_string(&text).unwrap(),
            r#"{"n":[0.5,3,-1e-9,null],"t":"é \u0001 \" \\ / \u2028"}"#.replace("\\u2028", "\u{2028}")
        );
    }
}
