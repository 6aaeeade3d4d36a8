//! `Secret`: a string that never prints (tokens, keys, passwords, URLs with
//! credentials), and the two things done with secret text: a sensitive
//! header value, and a comparison that takes the same time wherever the
//! texts differ.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A token, key or password. `Debug`, `Display` and `Serialize` print
/// `[redacted]`; only `expose` gives the text, at the one place that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("[redacted]")
    }
}

/// Takes text, and a number or boolean as its text (`password = 1234` in
/// TOML). Anything else is refused with an error that does not echo the
/// value: serde's own "invalid type: integer `1234`" would print the
/// secret in `check-config`'s output.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SecretVisitor)
    }
}

struct SecretVisitor;

impl<'de> serde::de::Visitor<'de> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Secret, E> {
        Ok(Secret(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Secret, E> {
        Ok(Secret(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Secret, E> {
        Ok(Secret(v.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Secret, E> {
        Ok(Secret(v.to_string()))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Secret, E> {
        Ok(Secret(v.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Secret, E> {
        Err(E::custom("expected a string (quote the value)"))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Secret, E> {
        Err(E::custom("expected a string"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Err(serde::de::Error::custom("expected a string, not a list"))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Err(serde::de::Error::custom("expected a string, not a table"))
    }
}

/// `text` as a header value marked sensitive, so `Debug` never prints it
/// and HPACK never indexes it; `None` when the text cannot be a header
/// value (the caller names the key, never the value).
pub fn sensitive_header(text: &str) -> Option<http::HeaderValue> {
    let mut v = http::HeaderValue::from_str(text).ok()?;
    v.set_sensitive(true);
    Some(v)
}

/// Constant-time equality: the time taken does not depend on where two
/// texts of the same length differ (lengths are not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert!(ct_eq(b"", b""));
    }

    #[test]
    fn sensitive_headers_are_marked_and_checked() {
        let v = sensitive_header("Bearer t0ken").unwrap();
        assert!(v.is_sensitive());
        assert_eq!(v, "Bearer t0ken");
        assert!(sensitive_header("line\nbreak").is_none());
    }

    #[test]
    fn never_prints() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"[redacted]\"");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn numbers_are_text_and_errors_do_not_echo() {
        let s: Secret = serde_json::from_str("123456").unwrap();
        assert_eq!(s.expose(), "123456");
        let e = serde_json::from_str::<Secret>("12.5")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("12.5"), "{e}");
        let e = serde_json::from_str::<Secret>(r#"["hunter2"]"#)
            .unwrap_err()
            .to_string();
        assert!(!e.contains("hunter2"), "{e}");
    }
}
