//! Secrets in a vendor section (`token`, `api_key`, `password`).

use crate::secret::Secret;
use serde::{Deserialize, Deserializer};

/// A secret given as text; a number or boolean (what an environment
/// override of digits or `true` parses to) is taken as its text. The value
/// is never echoed in an error: it may be the secret.
#[derive(Debug)]
pub struct SecretText(pub Secret);

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(SecretText(Secret::new(s))),
            v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => {
                Ok(SecretText(Secret::new(v.to_string())))
            }
            _ => Err(serde::de::Error::custom("expected a string")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_numbers_and_booleans_are_text() {
        let read = |json: &str| serde_json::from_str::<SecretText>(json).map(|s| s.0);
        assert_eq!(read("\"t0k\"").unwrap().expose(), "t0k");
        assert_eq!(read("1234").unwrap().expose(), "1234");
        assert_eq!(read("12.5").unwrap().expose(), "12.5");
        assert_eq!(read("true").unwrap().expose(), "true");
    }

    #[test]
    fn other_values_are_refused_without_echo() {
        let e = serde_json::from_str::<SecretText>(r#"["hunter2"]"#)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("expected a string"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
    }
}
