//! `Timestamp`: a point in time kept as its exact text.
//!
//! Vendors send 7 fractional digits, or fewer when Json.NET trims zeros; the
//! text is passed on unchanged ("7 fractional digits stay 7"), never parsed
//! into a clock type and formatted again.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// Checks the RFC 3339 shape: `YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)`.
    pub fn parse(text: &str) -> Option<Timestamp> {
        Self::is_rfc3339(text).then(|| Timestamp(text.to_owned()))
    }

    /// Wraps vendor text unchecked (.NET may omit the offset, for example).
    pub fn from_vendor(text: String) -> Timestamp {
        Timestamp(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// Shape check only (digits where digits go, ranges of month, day, hour,
    /// minute, second and offset); it does not check days per month.
    pub fn is_rfc3339(text: &str) -> bool {
        let b = text.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r.clone())
                .filter(|s| s.iter().all(u8::is_ascii_digit))
                .map(|s| s.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
        };
        let at = |i: usize, c: u8| b.get(i) == Some(&c);
        let date_time_ok = (|| {
            let (_, mo, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
            let (h, mi, s) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
            let seps = at(4, b'-') && at(7, b'-') && matches!(b.get(10), Some(b'T' | b't'));
            let seps = seps && at(13, b':') && at(16, b':');
            Some(
                seps && (1..=12).contains(&mo)
                    && (1..=31).contains(&d)
                    && h < 24
                    && mi < 60
                    && s <= 60,
            )
        })();
        if date_time_ok != Some(true) {
            return false;
        }
        let mut i = 19;
        if at(i, b'.') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&n) {
                return false;
            }
            i += 1 + n;
        }
        match b.get(i) {
            Some(b'Z' | b'z') => i + 1 == b.len(),
            Some(b'+' | b'-') => {
                i + 6 == b.len()
                    && at(i + 3, b':')
                    && digits(i + 1..i + 3).is_some_and(|h| h < 24)
                    && digits(i + 4..i + 6).is_some_and(|m| m < 60)
            }
            _ => false,
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if Timestamp::is_rfc3339(&text) {
            Ok(Timestamp(text))
        } else {
            Err(de::Error::custom("expected an RFC 3339 timestamp"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_exactly() {
        for t in [
            "2026-04-20T07:30:04.1142082+00:00",
            "2026-01-18T19:47:42.416748+00:00",
            "2026-01-18T19:47:42Z",
            "2026-01-18T19:47:42.123456789-05:30",
        ] {
            let v: Timestamp = serde_json::from_str(&format!("\"{t}\"")).unwrap();
            assert_eq!(v.as_str(), t);
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{t}\""));
        }
    }

    #[test]
    fn rejects_other_shapes() {
        for t in [
            "",
            "2026-01-18",
            "2026-01-18T19:47:42",
            "2026-01-18 19:47:42Z",
            "2026-13-18T19:47:42Z",
            "2026-01-18T19:47:42.Z",
            "2026-01-18T19:47:42.1234567890Z",
            "2026-01-18T19:47:42+0000",
            "2026-01-18T19:47:42+00:00x",
            "2026-01-18T25:47:42Z",
        ] {
            assert!(!Timestamp::is_rfc3339(t), "{t}");
        }
    }

    #[test]
    fn vendor_text_is_unchecked() {
        assert_eq!(Timestamp::from_vendor("x".into()).as_str(), "x");
    }
}
