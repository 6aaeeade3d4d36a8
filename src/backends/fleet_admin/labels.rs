//! `Labels`: the vendor's stringified JSON object <-> the unified object.
//!
//! The vendor text is parsed into an order-keeping [`Labels`]; on the way
//! back it is stringified compactly (no white space, serde_json escaping:
//! only `"`, `\` and control characters escaped, other text as UTF-8). An
//! unchanged value written by the vendor the same way comes back byte for
//! byte; one the vendor wrote with spaces or `\uXXXX` escapes comes back as
//! the same JSON value in compact form (see `docs/fleet-admin.md`).

use crate::unified::Labels;

/// A `Labels` text that is not a JSON object: names where it was found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{owner}: {member} is not a stringified JSON object ({reason})")]
pub struct UnreadableLabels {
    /// `category 7`, `vehicle 21 (category 3)`.
    pub owner: String,
    /// `Labels` or `CategoryLabels`.
    pub member: &'static str,
    /// The parser's reason, without the text itself.
    pub reason: String,
}

/// Parses the vendor's text. `owner` and `member` name it in the error.
pub fn parse(
    text: &str,
    owner: impl FnOnce() -> String,
    member: &'static str,
) -> Result<Labels, UnreadableLabels> {
    serde_json::from_str::<Labels>(text).map_err(|e| UnreadableLabels {
        owner: owner(),
        member,
        reason: crate::backends::decode_error::json_at(None, &e),
    })
}

/// The vendor's text of a unified value: compact JSON, members in order.
pub fn stringify(labels: &Labels) -> String {
    // Serializing strings and JSON values into a Vec cannot fail.
    serde_json::to_string(labels).unwrap_or_else(|_| String::from("{}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_text_round_trips_byte_for_byte() {
        for t in [
            r#"{"en":"City Car"}"#,
            r#"{"it":"Utilitaria","en":"City Car"}"#,
            r#"{"de":"Kühlwagen \"XL\"","ja":"冷蔵車"}"#,
            r#"{}"#,
        ] {
            let l = parse(t, || "category 1".into(), "Labels").unwrap();
            assert_eq!(stringify(&l), t);
        }
    }

    #[test]
    fn spaced_text_comes_back_compact() {
        let l = parse(r#"{ "en" : "City Car" }"#, || "category 1".into(), "Labels").unwrap();
        assert_eq!(stringify(&l), r#"{"en":"City Car"}"#);
    }

    #[test]
    fn the_reason_never_quotes_the_text() {
        let e = parse(r#""s3cret""#, || "category 7".into(), "Labels").unwrap_err();
        assert!(!e.to_string().contains("s3cret"), "{e}");
        let e = parse(
            r#"{"en": 5, "s3cret": true}"#,
            || "category 7".into(),
            "Labels",
        );
        assert!(e.is_ok());
    }

    #[test]
    fn unreadable_names_its_owner() {
        for t in ["", "City Car", "[\"en\"]", "{\"en\":", "null"] {
            let e = parse(t, || "category 7".into(), "Labels").unwrap_err();
            assert!(
                e.to_string().starts_with("category 7: Labels is not"),
                "{e}"
            );
        }
    }
}
