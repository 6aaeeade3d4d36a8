//! `EnumValue`: a vendor enum as the unified model carries it.
//!
//! Unified enums are strings (`"WITHOUT_CAMERA"`); a vendor code with no known
//! name is passed through unchanged as its integer, so nothing is lost.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumValue {
    /// A name: a known one, or one this gateway does not know.
    Name(String),
    /// A numeric code with no known name.
    Code(i64),
}

impl fmt::Display for EnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnumValue::Name(n) => f.write_str(n),
            EnumValue::Code(c) => write!(f, "{c}"),
        }
    }
}

impl Serialize for EnumValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            EnumValue::Name(n) => s.serialize_str(n),
            EnumValue::Code(c) => s.serialize_i64(*c),
        }
    }
}

/// A JSON string or integer (hand-written rather than `untagged`, which
/// would buffer every value).
impl<'de> Deserialize<'de> for EnumValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = EnumValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an enum name (string) or code (integer)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EnumValue, E> {
                Ok(EnumValue::Name(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<EnumValue, E> {
                Ok(EnumValue::Name(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<EnumValue, E> {
                Ok(EnumValue::Code(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<EnumValue, E> {
                i64::try_from(v)
                    .map(EnumValue::Code)
                    .map_err(|_| E::custom("enum code out of range"))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_or_integer() {
        let n: EnumValue = serde_json::from_str("\"Active\"").unwrap();
        assert_eq!(n, EnumValue::Name("Active".into()));
        let c: EnumValue = serde_json::from_str("7").unwrap();
        assert_eq!(c, EnumValue::Code(7));
        assert_eq!(serde_json::to_string(&c).unwrap(), "7");
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"Active\"");
        assert!(serde_json::from_str::<EnumValue>("1.5").is_err());
        assert!(serde_json::from_str::<EnumValue>("true").is_err());
    }
}
