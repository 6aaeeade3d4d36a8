//! Numbers in a request body that no backend could receive as written.
//!
//! serde_json reads every number into an `i64`, a `u64` or an `f64`. A
//! number none of them holds exactly would be changed silently on its way
//! to the vendor (`123456789012345678901234567890` went out as
//! `1.2345678901234568E+29`), which breaks the lossless promise. So before
//! anything is sent, every number literal of the body is checked against
//! what it will be read as:
//!
//! - an integer literal (no fraction, no exponent) must fit `i64` or `u64`;
//! - any other literal must have the value of the `f64` it is read as
//!   (`1e2`, `100.0` and `0.1` are fine; `1.00000000000000000001` is not).
//!
//! A failure is a 400 naming each field. The body is valid JSON by the time
//! this runs.

/// Most fields named in one refusal.
const MAX_NAMED: usize = 20;

/// Checks every number literal of `bytes` (valid JSON); the paths of those
/// not held exactly (`""`: the body itself), at most [`MAX_NAMED`].
pub fn check_exact(bytes: &[u8]) -> Result<(), Vec<String>> {
    // Fast path: no digit run long enough to be out of range or beyond a
    // double's 17 significant digits.
    if !has_long_number(bytes) {
        return Ok(());
    }
    let mut bad = Vec::new();
    let mut path: Vec<Seg> = Vec::new();
    let mut i = 0;
    // Whether the next string in an object is a key.
    let mut expect_key = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'{' => {
                path.push(Seg::Key(String::new()));
                expect_key = true;
                i += 1;
            }
            b'[' => {
                path.push(Seg::Index(0));
                expect_key = false;
                i += 1;
            }
            b'}' | b']' => {
                path.pop();
                i += 1;
            }
            b',' => {
                match path.last_mut() {
                    Some(Seg::Index(n)) => *n += 1,
                    Some(Seg::Key(_)) => expect_key = true,
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let end = string_end(bytes, i);
                if expect_key {
                    if let Some(Seg::Key(k)) = path.last_mut() {
                        *k = serde_json::from_slice::<String>(&bytes[i..end]).unwrap_or_default();
                    }
                    expect_key = false;
                }
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let end = number_end(bytes, i);
                if let Ok(text) = std::str::from_utf8(&bytes[i..end]) {
                    if !is_exact(text) && bad.len() < MAX_NAMED {
                        bad.push(render(&path));
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    Err(bad)
}

enum Seg {
    Key(String),
    Index(usize),
}

fn render(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(n) => out.push_str(&format!("[{n}]")),
        }
    }
    out
}

/// Whether some run of digits is 16 or more long (anything shorter fits
/// `i64` and a double exactly).
fn has_long_number(bytes: &[u8]) -> bool {
    let mut run = 0;
    for &b in bytes {
        if b.is_ascii_digit() {
            run += 1;
            if run >= 16 {
                return true;
            }
        } else if b != b'.' {
            run = 0;
        }
    }
    false
}

/// The index just past the string starting at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
        i += 1;
    }
    i
}

/// Whether the JSON number `text` is read without change.
fn is_exact(text: &str) -> bool {
    if !text.contains(['.', 'e', 'E']) {
        return text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok();
    }
    let Ok(f) = text.parse::<f64>() else {
        return false;
    };
    // Compared with what serde_json writes for the double (the shortest
    // text that reads back to it): where several 17-digit texts read back
    // to one double, it is that one the vendor receives.
    f.is_finite()
        && serde_json::to_string(&f).is_ok_and(|written| decimal(text) == decimal(&written))
}

/// A decimal number as (negative, significant digits without leading or
/// trailing zeros, exponent of the first digit); zero is `(_, "", 0)`.
fn decimal(text: &str) -> (bool, String, i64) {
    let (neg, t) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(p) => (&t[..p], t[p + 1..].parse::<i64>().unwrap_or(0)),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = format!("{int}{frac}");
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all
        .trim_start_matches('0')
        .trim_end_matches('0')
        .to_string();
    if digits.is_empty() {
        return (neg, digits, 0);
    }
    // Exponent of the first significant digit.
    let first = int.len() as i64 - 1 - lead as i64 + exp;
    (neg, digits, first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(body: &str) -> Vec<String> {
        match check_exact(body.as_bytes()) {
            Ok(()) => Vec::new(),
            Err(fields) => fields,
        }
    }

    #[test]
    fn exact_numbers_pass() {
        for n in [
            "0",
            "-0",
            "-0.0",
            "1e2",
            "100.0",
            "0.1",
            "0.30000000000000004",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551615",
            "1.5E-300",
            "12345678901234567",
            "-2245078171413475.2",
        ] {
            assert!(is_exact(n), "{n}");
        }
    }

    #[test]
    fn inexact_numbers_are_named() {
        for n in [
            "123456789012345678901234567890",
            "18446744073709551616",
            "-9223372036854775809",
            "1.00000000000000000001",
            "0.1000000000000000055511151231257827",
            "12345678901234567890.5",
            // Reads back to the double serde_json writes as ...75.2.
            "-2245078171413475.3",
        ] {
            assert!(!is_exact(n), "{n}");
        }
        assert_eq!(
            fields(
                r#"{"a":{"km":123456789012345678901234567890},"v":[1,{"x":[0.1,1.00000000000000000001]}]}"#
            ),
            ["a.km", "v[1].x[1]"]
        );
        assert!(fields(r#"{"s":"123456789012345678901234567890","n":1e2}"#).is_empty());
        assert!(fields(r#"{"k\"ey":1}"#).is_empty());
    }

    proptest! {
        /// Every i64 and every f64 serde_json writes passes.
        #[test]
        fn what_serde_json_writes_passes(i in any::<i64>(), f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            prop_assert!(is_exact(&i.to_string()));
            let text = serde_json::to_string(&f).unwrap();
            prop_assert!(is_exact(&text), "{}", text);
        }
    }
}
