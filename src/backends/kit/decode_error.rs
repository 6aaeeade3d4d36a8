//! Why a vendor body could not be read, in words the caller may see: the
//! member, what was expected and the kind of value found, never the value.
//!
//! serde's messages quote what they read (`invalid type: string "...",
//! expected i64`), and a vendor body may hold anything (another customer's
//! data, a token). These rebuild the message from its fixed parts.

use serde_path_to_error::{Path, Segment};

/// A JSON decode error with the path of the member it stopped at:
/// ``member `Vehicles[0].IdWS`: expected i64, found a string at line 1, column 40``.
pub fn json(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    json_at(Some(e.path()), e.inner())
}

/// As [`json`], for an error and a path known apart (or no path).
pub fn json_at(path: Option<&Path>, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Data => describe(&without_position(e)),
        Category::Syntax => "malformed JSON".to_owned(),
        Category::Eof => "truncated JSON".to_owned(),
        Category::Io => "unreadable JSON".to_owned(),
    };
    let at = if e.line() > 0 {
        format!(" at line {}, column {}", e.line(), e.column())
    } else {
        String::new()
    };
    match path.and_then(member) {
        Some(m) => format!("member `{m}`: {what}{at}"),
        None => format!("{what}{at}"),
    }
}

/// serde_json's message without its ` at line L column C` suffix.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&suffix) {
        Some(t) => t.to_owned(),
        None => text,
    }
}

/// A serde data error message (no position) rebuilt from its fixed parts.
/// Messages of a shape not known here become a general phrase: they may
/// quote anything.
pub fn describe(message: &str) -> String {
    // The expected part is last and comes from the gateway's own types; the
    // found part may hold the vendor's text, ", expected" included.
    let split = |rest: &str| -> Option<(String, String)> {
        let at = rest.rfind(", expected ")?;
        Some((
            kind(&rest[..at]).to_owned(),
            rest[at + ", expected ".len()..].to_owned(),
        ))
    };
    if let Some((found, expected)) = message.strip_prefix("invalid type: ").and_then(split) {
        return format!("expected {expected}, found {found}");
    }
    if let Some((found, expected)) = message.strip_prefix("invalid value: ").and_then(split) {
        return format!("expected {expected}, found another {}", bare(&found));
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        if let Some(at) = rest.rfind(", expected ") {
            return format!("a list of the wrong length, expected {}", &rest[at + 11..]);
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.rfind(", expected ") {
            Some(at) => format!("an unknown variant, expected {}", &rest[at + 11..]),
            None => "an unknown variant".to_owned(),
        };
    }
    if message.starts_with("unknown field ") {
        return "an unknown member".to_owned();
    }
    // The field names of these come from the gateway's own types.
    if message.starts_with("missing field `") || message.starts_with("duplicate field `") {
        return message.to_owned();
    }
    // The gateway's own checks (`expected a GUID: ...`, `... out of
    // range`) say what they wanted and quote nothing.
    let own = (message.starts_with("expected ") || message.ends_with(" out of range"))
        && message.len() <= 100
        && !message.contains(['"', '`', '\'']);
    if own {
        return message.to_owned();
    }
    "a value of the wrong form".to_owned()
}

/// The kind of a serde `Unexpected` as displayed (`string "..."` ->
/// `a string`), from a fixed list.
fn kind(found: &str) -> &'static str {
    const KINDS: &[(&str, &str)] = &[
        ("boolean", "a boolean"),
        ("integer", "an integer"),
        ("floating point", "a number"),
        ("character", "a character"),
        ("string", "a string"),
        ("byte array", "bytes"),
        ("unit value", "null"),
        ("null", "null"),
        ("Option value", "an optional value"),
        ("newtype struct", "a value"),
        ("sequence", "a list"),
        ("map", "an object"),
        ("enum", "an enum"),
        ("unit variant", "an enum value"),
        ("newtype variant", "an enum value"),
        ("tuple variant", "an enum value"),
        ("struct variant", "an enum value"),
    ];
    KINDS
        .iter()
        .find(|(k, _)| found.starts_with(k))
        .map_or("a value", |(_, name)| name)
}

/// `a string` -> `string`.
fn bare(kind: &str) -> &str {
    kind.strip_prefix("an ")
        .or_else(|| kind.strip_prefix("a "))
        .unwrap_or(kind)
}

/// The path as `Vehicles[0].Name`; a key that is not a plain member name
/// (a map key the vendor chose) is shown as `?`.
pub fn member(path: &Path) -> Option<String> {
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(if plain(key) { key } else { "?" });
            }
            Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

fn plain(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_err<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let de = &mut serde_json::Deserializer::from_str(text);
        json(&serde_path_to_error::deserialize::<_, T>(de).unwrap_err())
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Dto {
        #[serde(rename = "ID")]
        id: Option<i64>,
        #[serde(rename = "Flags", default)]
        flags: Vec<bool>,
        #[serde(rename = "Kind", default)]
        kind: Option<Kind>,
        #[serde(rename = "Meta", default)]
        meta: std::collections::BTreeMap<String, i64>,
    }

    #[derive(serde::Deserialize, Debug)]
    enum Kind {
        A,
    }

    #[test]
    fn values_are_never_quoted() {
        for (text, want) in [
            (
                r#"{"ID":"s3cret"}"#,
                "member `ID`: expected i64, found a string at line 1, column 14",
            ),
            (
                r#"{"Flags":[true,"s3cret"]}"#,
                "member `Flags[1]`: expected a boolean, found a string",
            ),
            (
                r#"{"Kind":"s3cret, expected x"}"#,
                "member `Kind`: an unknown variant, expected `A`",
            ),
            (
                r#"{"Meta":{"s3cret key":"x"}}"#,
                "member `Meta.?`: expected i64, found a string",
            ),
            (r#"{"ID":1,"ID":2}"#, "duplicate field `ID`"),
        ] {
            let e = json_err::<Dto>(text);
            assert!(e.starts_with(want), "{e}");
            assert!(!e.contains("s3cret"), "{e}");
        }
        assert!(json_err::<Dto>("{\"ID\":").starts_with("member `ID`: truncated JSON"));
    }

    #[test]
    fn unknown_shapes_become_a_general_phrase() {
        assert_eq!(describe("bad GUID s3cret"), "a value of the wrong form");
        assert_eq!(
            describe("send the number 5 as a JSON number, not a string"),
            "a value of the wrong form"
        );
        assert_eq!(
            describe("expected an RFC 3339 timestamp"),
            "expected an RFC 3339 timestamp"
        );
        assert_eq!(
            describe("invalid value: string \"s3cret\", expected a GUID"),
            "expected a GUID, found another string"
        );
    }
}
