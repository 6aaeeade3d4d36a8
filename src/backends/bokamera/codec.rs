//! JSON and JSV, the two formats BokaMera (ServiceStack) speaks, over the
//! same wire types.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::backends::decode_error;
use crate::backends::kit::format::WireFormat;
use crate::jsv;

/// A wire format (`backends.bokamera.format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Jsv,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Jsv => "text/jsv",
        }
    }

    /// The format of a media type (`text/jsv`, `application/json`,
    /// `text/json`, `*+json`), lower-cased and without parameters.
    pub fn of_media_type(media: &str) -> Option<Format> {
        match media {
            "text/jsv" | "application/jsv" => Some(Format::Jsv),
            m if m == "application/json" || m == "text/json" || m.ends_with("+json") => {
                Some(Format::Json)
            }
            _ => None,
        }
    }

    /// `?format=` as ServiceStack reads it.
    pub fn of_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "jsv" => Some(Format::Jsv),
            _ => None,
        }
    }
}

impl WireFormat for Format {
    fn of_media_type(media: &str) -> Option<Format> {
        Format::of_media_type(media)
    }
}

/// Writes `value` (compact in both formats).
pub fn encode<T: Serialize>(format: Format, value: &T) -> Result<Vec<u8>, String> {
    match format {
        Format::Json => serde_json::to_vec(value).map_err(|e| e.to_string()),
        Format::Jsv => jsv::to_vec(value).map_err(|e| e.to_string()),
    }
}

/// A decoded value and the members the wire types do not know (paths such
/// as `CustomFields.0.Colour`), which are not in the value.
#[derive(Debug)]
pub struct Decoded<T> {
    pub value: T,
    pub unknown: Vec<String>,
}

/// Reads a `T` wherever a deserializer is, collecting unknown members.
struct Tracked<T>(Decoded<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Tracked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut unknown = Vec::new();
        let value = serde_ignored::deserialize(d, |p| unknown.push(member_path(&p)))?;
        Ok(Tracked(Decoded { value, unknown }))
    }
}

/// Reads `bytes`. JSON member names are matched as ServiceStack does,
/// whatever the case of their first letter (a camelCase-configured host
/// answers `firstname`); `Meta` dictionaries keep their keys. The error
/// text is short and holds none of the body.
pub fn decode<T: DeserializeOwned>(format: Format, bytes: &[u8]) -> Result<Decoded<T>, String> {
    match format {
        Format::Json => {
            let mut v: serde_json::Value =
                serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {}", brief(&e)))?;
            pascal_keys(&mut v);
            serde_path_to_error::deserialize::<_, Tracked<T>>(v)
                .map(|t| t.0)
                .map_err(|e| format!("JSON of the wrong shape: {}", decode_error::json(&e)))
        }
        Format::Jsv => jsv::from_slice::<Tracked<T>>(bytes)
            .map(|t| t.0)
            .map_err(|e| format!("not the expected JSV: {}", jsv_reason(&e))),
    }
}

/// A JSV error without the input: the codec's own messages and serde's
/// fixed ones quote nothing; a `Deserialize` impl's own message may.
fn jsv_reason(e: &jsv::Error) -> String {
    let what = if e.is_custom() {
        decode_error::describe(e.message())
    } else {
        e.message().to_owned()
    };
    match e.offset() {
        Some(at) => format!("{what} at byte {at}"),
        None => what,
    }
}

/// `Comments.0.Mood`: serde_ignored's path without its `?` (option) steps.
fn member_path(p: &serde_ignored::Path) -> String {
    p.to_string()
        .split('.')
        .filter(|s| !s.is_empty() && *s != "?")
        .collect::<Vec<_>>()
        .join(".")
}

fn brief(e: &serde_json::Error) -> String {
    format!("line {} column {}", e.line(), e.column())
}

/// Upper-cases the first letter of every member name, except inside `Meta`.
fn pascal_keys(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            let old = std::mem::take(m);
            for (k, mut val) in old {
                if !k.eq_ignore_ascii_case("meta") {
                    pascal_keys(&mut val);
                }
                let mut chars = k.chars();
                let key = match chars.next() {
                    Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
                    _ => k,
                };
                m.insert(key, val);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(pascal_keys),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::bokamera::wire::CustomerQueryResponse;
    use crate::unified::Field;

    #[test]
    fn json_names_in_either_case_and_unknowns() {
        let d: Decoded<CustomerQueryResponse> = decode(
            Format::Json,
            br#"{"firstname":"A","Lastname":"B","responseStatus":{"meta":{"k":"v"}},"colour":1}"#,
        )
        .unwrap();
        assert_eq!(d.value.firstname, Field::Value("A".into()));
        assert_eq!(d.value.lastname, Field::Value("B".into()));
        let meta = d
            .value
            .response_status
            .value()
            .unwrap()
            .meta
            .value()
            .unwrap();
        assert_eq!(meta.get("k").map(String::as_str), Some("v"));
        assert_eq!(d.unknown, vec!["Colour".to_string()]);
    }

    #[test]
    fn jsv_unknowns_are_named() {
        let d: Decoded<CustomerQueryResponse> =
            decode(Format::Jsv, b"{Firstname:A,Comments:[{Id:1,Mood:happy}]}").unwrap();
        assert_eq!(d.value.firstname, Field::Value("A".into()));
        assert_eq!(d.unknown, vec!["Comments.0.Mood".to_string()]);
    }

    #[test]
    fn errors_hold_no_body_text() {
        let e = decode::<CustomerQueryResponse>(Format::Json, b"<html>secret</html>").unwrap_err();
        assert!(!e.contains("secret"), "{e}");
        let e = decode::<CustomerQueryResponse>(
            Format::Json,
            br#"{"Firstname":"A","Comments":[{"Id":"secret"}]}"#,
        )
        .unwrap_err();
        assert!(!e.contains("secret") && e.contains("Comments[0].Id"), "{e}");
        for jsv in [
            "{Comments:[{Id:secret}]}",
            "{SubscribedToNewsletter:secret}",
            "{Comments:secret}",
            "{ResponseStatus:{Errors:secret}}",
        ] {
            let e = decode::<CustomerQueryResponse>(Format::Jsv, jsv.as_bytes()).unwrap_err();
            assert!(!e.contains("secret"), "{jsv}: {e}");
        }
    }
}
