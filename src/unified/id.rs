//! `TextId`: an id a vendor types as a plain string (department
//! `customerID`, `customerUuid`, address `uuid`, `vehicleUuid`).
//!
//! Any non-empty text of at most [`TEXT_ID_MAX_BYTES`] bytes without control
//! characters (C0, DEL, C1) is an id; it is kept exactly as given (no
//! trimming, no case change) and passed on so. Whether a particular vendor
//! needs more (a GUID, for Vehizen and BokaMera) is that vendor's check,
//! made before anything is sent.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::Guid;

/// The longest id accepted, in bytes of UTF-8.
pub const TEXT_ID_MAX_BYTES: usize = 256;

/// Why a text is not a [`TextId`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextIdError {
    #[error("an id must not be empty")]
    Empty,
    #[error("an id must be at most {TEXT_ID_MAX_BYTES} bytes of UTF-8")]
    TooLong,
    #[error("an id must not contain control characters")]
    Control,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextId(String);

impl TextId {
    /// Checks `text`: non-empty, at most [`TEXT_ID_MAX_BYTES`] bytes, no
    /// control character (Unicode `Cc`: U+0000..=U+001F, U+007F..=U+009F).
    pub fn parse(text: &str) -> Result<TextId, TextIdError> {
        Self::check(text)?;
        Ok(TextId(text.to_owned()))
    }

    /// Wraps vendor text unchecked: a vendor's value is passed on as it came.
    pub fn from_vendor(text: String) -> TextId {
        TextId(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The same id: case aside when both are GUIDs (a GUID is a value, its
    /// case is not), byte for byte otherwise.
    pub fn same_as(&self, other: &str) -> bool {
        same_id(&self.0, other)
    }

    fn check(text: &str) -> Result<(), TextIdError> {
        if text.is_empty() {
            Err(TextIdError::Empty)
        } else if text.len() > TEXT_ID_MAX_BYTES {
            Err(TextIdError::TooLong)
        } else if text.chars().any(char::is_control) {
            Err(TextIdError::Control)
        } else {
            Ok(())
        }
    }
}

/// Whether two id texts name the same thing: case-insensitive when both are
/// GUIDs, exact otherwise.
pub fn same_id(a: &str, b: &str) -> bool {
    if Guid::is_valid(a) && Guid::is_valid(b) {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

impl fmt::Display for TextId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for TextId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TextId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = TextId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "an id: a non-empty string of at most {TEXT_ID_MAX_BYTES} bytes without control characters"
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TextId, E> {
                TextId::parse(v).map_err(E::custom)
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<TextId, E> {
                TextId::check(&v).map_err(E::custom)?;
                Ok(TextId(v))
            }
        }
        d.deserialize_string(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(t: &str) -> String {
        serde_json::to_string(t).unwrap()
    }

    #[test]
    fn any_text_is_kept_exactly() {
        for t in [
            "ADDR-0001",
            "v 1/ä",
            " padded ",
            "e55ab6e710564ab3bd03247f4b0efdd1",
            "E55AB6E7-1056-4AB3-BD03-247F4B0EFDD1",
            "顧客-🚗",
            "a\u{200B}b",
        ] {
            let id: TextId = serde_json::from_str(&json(t)).unwrap();
            assert_eq!(id.as_str(), t);
            assert_eq!(serde_json::to_string(&id).unwrap(), json(t));
        }
    }

    #[test]
    fn length_is_bounded_in_bytes() {
        let max = "x".repeat(TEXT_ID_MAX_BYTES);
        assert_eq!(TextId::parse(&max).unwrap().as_str(), max);
        let over = "x".repeat(TEXT_ID_MAX_BYTES + 1);
        assert_eq!(TextId::parse(&over), Err(TextIdError::TooLong));
        // 128 two-byte characters are 256 bytes; one more is over.
        assert!(TextId::parse(&"ä".repeat(128)).is_ok());
        assert_eq!(TextId::parse(&"ä".repeat(129)), Err(TextIdError::TooLong));
        assert_eq!(TextId::parse(""), Err(TextIdError::Empty));
    }

    #[test]
    fn control_characters_are_refused() {
        for t in [
            "\0", "a\0b", "a\nb", "\t", "x\u{1F}", "\u{7F}", "a\u{80}", "\u{9F}z",
        ] {
            assert_eq!(TextId::parse(t), Err(TextIdError::Control), "{t:?}");
        }
        // U+00A0 (no-break space) is past C1: allowed.
        assert!(TextId::parse("a\u{A0}b").is_ok());
    }

    #[test]
    fn serde_errors_say_what_an_id_is() {
        for (text, want) in [
            ("\"\"", "must not be empty"),
            ("\"a\\u0000\"", "control characters"),
            ("12", "an id: a non-empty string"),
            ("null", "an id: a non-empty string"),
        ] {
            let e = serde_json::from_str::<TextId>(text)
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
        let long = json(&"y".repeat(TEXT_ID_MAX_BYTES + 1));
        let e = serde_json::from_str::<TextId>(&long)
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 256 bytes"), "{e}");
    }

    #[test]
    fn same_id_ignores_case_for_guids_only() {
        let g = TextId::parse("E55AB6E7-1056-4AB3-BD03-247F4B0EFDD1").unwrap();
        assert!(g.same_as("e55ab6e7-1056-4ab3-bd03-247f4b0efdd1"));
        // Hyphens are part of the text: a different text is a different id.
        assert!(!g.same_as("e55ab6e710564ab3bd03247f4b0efdd1"));
        let t = TextId::parse("Abc").unwrap();
        assert!(t.same_as("Abc"));
        assert!(!t.same_as("abc"));
        assert!(!t.same_as("Abc "));
    }
}
