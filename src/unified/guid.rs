//! `Guid`: a UUID kept as the exact text it came as (case and hyphens kept),
//! so a value read from a vendor goes back to it byte for byte.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Guid(String);

impl Guid {
    /// Checks `text`: 32 hex digits, either bare or as `8-4-4-4-12`.
    pub fn parse(text: &str) -> Option<Guid> {
        Self::is_valid(text).then(|| Guid(text.to_owned()))
    }

    /// Wraps vendor text unchecked: a vendor's value is passed on as it came.
    pub fn from_vendor(text: String) -> Guid {
        Guid(text)
    }

    /// A new random (version 4) Guid, lower-case and hyphenated.
    pub fn new_v4() -> Guid {
        Guid(uuid::Uuid::new_v4().hyphenated().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// True for 32 hex digits, bare or hyphenated as `8-4-4-4-12`.
    pub fn is_valid(text: &str) -> bool {
        let b = text.as_bytes();
        match b.len() {
            32 => b.iter().all(u8::is_ascii_hexdigit),
            36 => b.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            }),
            _ => false,
        }
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Guid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Guid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if Guid::is_valid(&text) {
            Ok(Guid(text))
        } else {
            Err(de::Error::custom(
                "expected a GUID: 32 hex digits, optionally hyphenated 8-4-4-4-12",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_shapes_and_keeps_case() {
        for t in [
            "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1",
            "E55AB6E7-1056-4AB3-BD03-247F4B0EFDD1",
            "e55ab6e710564ab3bd03247f4b0efdd1",
        ] {
            let g: Guid = serde_json::from_str(&format!("\"{t}\"")).unwrap();
            assert_eq!(g.as_str(), t);
            assert_eq!(serde_json::to_string(&g).unwrap(), format!("\"{t}\""));
        }
    }

    #[test]
    fn rejects_other_text() {
        for t in [
            "",
            "{e55ab6e7-1056-4ab3-bd03-247f4b0efdd1}",
            "e55ab6e7-1056-4ab3-bd03-247f4b0efdd",
            "e55ab6e71-056-4ab3-bd03-247f4b0efdd1",
            "g55ab6e7-1056-4ab3-bd03-247f4b0efdd1",
            "e55ab6e7105-64ab3bd03247f4b0efdd1",
        ] {
            assert!(
                serde_json::from_str::<Guid>(&format!("\"{t}\"")).is_err(),
                "{t}"
            );
        }
        assert!(serde_json::from_str::<Guid>("12").is_err());
    }

    #[test]
    fn new_v4_is_valid() {
        let g = Guid::new_v4();
        assert!(Guid::is_valid(g.as_str()));
        assert_eq!(g.to_string(), g.as_str());
    }
}
