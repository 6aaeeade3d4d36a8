//! `NumOrText`: a number a vendor sends as text (department `vehicleYear`,
//! `estimatedMileage`), kept lossless in both directions.
//!
//! The unified model carries the number as a JSON number. Vendor text that
//! is not exactly the canonical text of a number (`"MY2019"`, `"02019"`,
//! `" 12"`) is kept verbatim as a JSON string, so it goes back as it came.
//! A unified string that *is* a canonical number (`"2019"`) is refused: it
//! would come back as a number, so the caller must send the number.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::Num;

#[derive(Debug, Clone, PartialEq)]
pub enum NumOrText {
    /// A number (from vendor text that is exactly its canonical form).
    Num(Num),
    /// Vendor text that is not a canonical number, verbatim.
    Text(String),
}

impl NumOrText {
    /// Reads vendor text: a number when the text is exactly how that number
    /// is written back, else the text itself.
    pub fn from_text(text: String) -> NumOrText {
        match Self::canonical_num(&text) {
            Some(n) => NumOrText::Num(n),
            None => NumOrText::Text(text),
        }
    }

    /// The text to send to the vendor.
    pub fn to_text(&self) -> String {
        match self {
            NumOrText::Num(n) => n.to_string(),
            NumOrText::Text(t) => t.clone(),
        }
    }

    /// The number `text` writes, when writing that number gives `text` back.
    pub fn canonical_num(text: &str) -> Option<Num> {
        Num::parse(text).filter(|n| n.to_string() == text)
    }
}

impl fmt::Display for NumOrText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumOrText::Num(n) => n.fmt(f),
            NumOrText::Text(t) => f.write_str(t),
        }
    }
}

impl Serialize for NumOrText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            NumOrText::Num(n) => n.serialize(s),
            NumOrText::Text(t) => s.serialize_str(t),
        }
    }
}

/// A JSON number, or a string that is not a canonical number.
impl<'de> Deserialize<'de> for NumOrText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = NumOrText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or vendor text that is not a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumOrText, E> {
                Ok(NumOrText::Num(Num(v.into())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumOrText, E> {
                Ok(NumOrText::Num(Num(v.into())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumOrText, E> {
                serde_json::Number::from_f64(v)
                    .map(|n| NumOrText::Num(Num(n)))
                    .ok_or_else(|| E::custom("not a finite number"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumOrText, E> {
                if NumOrText::canonical_num(v).is_some() {
                    return Err(E::custom(format!(
                        "send the number {v} as a JSON number, not a string"
                    )));
                }
                Ok(NumOrText::Text(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_numbers_become_numbers_and_other_text_stays() {
        for (text, num) in [("2019", true), ("12.5", true), ("-3", true)] {
            let v = NumOrText::from_text(text.into());
            assert_eq!(matches!(v, NumOrText::Num(_)), num, "{text}");
            assert_eq!(v.to_text(), text);
        }
        for text in [
            "02019", "MY2019", " 12", "1e400", "", "string", "+1", "12.50",
        ] {
            let v = NumOrText::from_text(text.into());
            assert_eq!(v, NumOrText::Text(text.into()), "{text}");
            assert_eq!(v.to_text(), text);
        }
    }

    #[test]
    fn json_forms() {
        let v: NumOrText = serde_json::from_str("2019").unwrap();
        assert_eq!(v, NumOrText::Num(Num::from(2019)));
        let v: NumOrText = serde_json::from_str("\"MY2019\"").unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"MY2019\"");
        assert!(serde_json::from_str::<NumOrText>("\"2019\"").is_err());
        assert!(serde_json::from_str::<NumOrText>("true").is_err());
    }
}
