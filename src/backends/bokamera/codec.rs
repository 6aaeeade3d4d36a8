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
///
/// JSON is read in one pass straight from the bytes when that gives the
/// very result of the exact read ([`decode_json_exact`]); see
/// [`decode_json_fast`] for when it does.
pub fn decode<T: DeserializeOwned + MapKeys>(
    format: Format,
    bytes: &[u8],
) -> Result<Decoded<T>, String> {
    match format {
        Format::Json => match decode_json_fast(bytes) {
            Some(d) => Ok(d),
            None => decode_json_exact(bytes),
        },
        Format::Jsv => jsv::from_slice::<Tracked<T>>(bytes)
            .map(|t| t.0)
            .map_err(|e| format!("not the expected JSV: {}", jsv_reason(&e))),
    }
}

/// A wire type's map-typed members (`Meta`), whose keys the JSON fast path
/// cannot see: their keys are data, not member names.
pub trait MapKeys {
    /// Whether a key of any map-typed member starts with a lower-case
    /// letter (`char::is_lowercase`, as [`pascal_keys`] tests it). A wire
    /// type with a map-typed member must look into it here, or the JSON
    /// fast path may keep a key the exact read upper-cases.
    fn lower_case_map_key(&self) -> bool;
}

/// Whether `key` is one [`pascal_keys`] rewrites.
pub(crate) fn starts_lower_case(key: &str) -> bool {
    key.chars().next().is_some_and(char::is_lowercase)
}

/// The exact read, which defines the result: the bytes into a
/// `serde_json::Value`, every member name (outside `Meta`) with its first
/// letter upper-cased, then the typed value from that tree.
fn decode_json_exact<T: DeserializeOwned>(bytes: &[u8]) -> Result<Decoded<T>, String> {
    let mut v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {}", brief(&e)))?;
    pascal_keys(&mut v);
    serde_path_to_error::deserialize::<_, Tracked<T>>(v)
        .map(|t| t.0)
        .map_err(|e| format!("JSON of the wrong shape: {}", decode_error::json(&e)))
}

/// The typed value straight from the bytes (no `Value` tree, no renamed
/// copies of the member names), or `None` where that could differ from
/// [`decode_json_exact`], which the caller then runs. Why an accepted
/// answer is the exact read's:
///
/// 1. Any error here (bad JSON, wrong shape, a known member twice, bytes
///    after the value) gives `None`: errors, and their text, are always
///    the exact read's. (So no `serde_path_to_error` here: its path would
///    be thrown away.)
/// 2. No member name is renamed. Every member this read meets is a known
///    one, matched by its exact PascalCase name (none starts with a
///    lower-case letter, so `pascal_keys` keeps it); or a key of a map
///    (`Meta`): any such key starting with a lower-case letter, found by
///    [`MapKeys`] on the value, gives `None`, since a map can be reached
///    without its `Meta` name (a member of a struct read from a JSON
///    array) and `pascal_keys` then renames its keys; or an unknown
///    member, reported to the callback: one whose path has a key starting
///    with a lower-case letter (a camelCase host's `firstname`) gives
///    `None`. Nothing else of the document reaches the value, so
///    `pascal_keys` is the identity on everything that matters and the
///    exact read deserializes the same tree.
/// 3. Same tree, same value: both reads run serde_json's own parser
///    (strings, `i64` from `u64`/`i64`/`f64` numbers, `-0`, big integers
///    take the same steps; serde_json's `arbitrary_precision` feature,
///    which would keep a `Value`'s numbers as text, is not enabled) and
///    the same `Deserialize` impls; struct members are independent of
///    their order; a map's repeated key keeps its last value in both
///    (`BTreeMap` and `Value`'s map). A known member twice is an error
///    here (serde's derive) and `None`.
/// 4. Unknown members are where the two differ, and are put right:
///    - the exact read visits a `Value` object's members in key order
///      (serde_json's `Map` is a `BTreeMap` without its `preserve_order`
///      feature, which no crate in the tree enables; a test holds it), so
///      the unknown paths are sorted by their keys and indexes;
///    - the `Value` keeps one of a repeated member: an unknown path found
///      twice gives `None`;
///    - serde_json skips an unknown member's value without building it:
///      no depth limit, no UTF-8 check inside strings, no range check on
///      numbers (`1e400`), all of which make the `Value` parse fail. With
///      any unknown member the bytes are read once more the way `Value`
///      reads them, keeping nothing ([`Strict`]), and a failure gives
///      `None`.
/// 5. `?` (option) steps: the path types are the same in both reads, so
///    they sit at the same places; [`member_path`] drops them, and
///    [`steps_path`] never writes them.
fn decode_json_fast<T: DeserializeOwned + MapKeys>(bytes: &[u8]) -> Option<Decoded<T>> {
    let mut found: Vec<Vec<Step>> = Vec::new();
    // A camelCase host's answer is all unknown members: past the first,
    // only finish the read (its errors still go to the exact one).
    let mut camel = false;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_ignored::deserialize(&mut de, |p| {
        if camel {
            return;
        }
        let steps = steps(&p);
        camel = steps.iter().any(|s| match s {
            Step::Key(k) => starts_lower_case(k),
            Step::Index(_) => false,
        });
        found.push(steps);
    })
    .ok()?;
    de.end().ok()?;
    if camel || value.lower_case_map_key() {
        return None;
    }
    if !found.is_empty() {
        found.sort();
        if found.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        serde_json::from_slice::<Strict>(bytes).ok()?;
    }
    Some(Decoded {
        value,
        unknown: found.iter().map(|s| steps_path(s)).collect(),
    })
}

/// One step of an unknown member's path, ordered as the exact read meets
/// them: keys as `String`s (a `BTreeMap`'s order), indexes as numbers.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// The keys and indexes of `p`, root first, without its option steps.
fn steps(p: &serde_ignored::Path) -> Vec<Step> {
    let mut out = Vec::new();
    let mut at = p;
    loop {
        at = match at {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                out.push(Step::Index(*index));
                parent
            }
            serde_ignored::Path::Map { parent, key } => {
                out.push(Step::Key(key.clone()));
                parent
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => parent,
        };
    }
    out.reverse();
    out
}

/// [`member_path`] of the path `steps` came from: that path's text is its
/// steps joined by `.`, with `?` for each option step, which
/// [`member_path`] drops.
fn steps_path(steps: &[Step]) -> String {
    let mut raw = String::new();
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            raw.push('.');
        }
        match s {
            Step::Key(k) => raw.push_str(k),
            Step::Index(n) => raw.push_str(&n.to_string()),
        }
    }
    clean_path(&raw)
}

/// Any JSON, read as `serde_json::Value` reads it (`deserialize_any` all
/// the way down: the same depth limit, string and number checks) but kept
/// nowhere.
struct Strict;

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Strict)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict {
    type Value = Strict;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        while map.next_entry::<Strict, Strict>()?.is_some() {}
        Ok(Strict)
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
    clean_path(&p.to_string())
}

/// A path's text without its empty and `?` steps.
fn clean_path(raw: &str) -> String {
    raw.split('.')
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
    use crate::backends::bokamera::wire::{CustomerQueryResponse, UpdateCustomer};
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

    /// The exact read visits members in key order: holds serde_json's
    /// `Map` to the `BTreeMap` the fast path's sorting of unknowns assumes
    /// (a crate enabling `preserve_order` would break it).
    #[test]
    fn value_maps_are_key_ordered() {
        let v: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":2,"B":3}"#).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["B", "a", "b"]);
    }

    const RESPONSE_JSV: &[u8] = include_bytes!("../../../tests/fixtures/bokamera/put-response.jsv");

    /// The docs' answer as JSON (the way benches/codecs.rs makes it).
    fn response_json() -> Vec<u8> {
        let d: Decoded<CustomerQueryResponse> = decode(Format::Jsv, RESPONSE_JSV).unwrap();
        encode(Format::Json, &d.value).unwrap()
    }

    fn fast<T: DeserializeOwned + MapKeys + std::fmt::Debug>(json: &str) -> Option<String> {
        decode_json_fast::<T>(json.as_bytes()).map(|d| format!("{:?}", Ok::<_, String>(d)))
    }

    fn exact<T: DeserializeOwned + std::fmt::Debug>(bytes: &[u8]) -> String {
        format!("{:?}", decode_json_exact::<T>(bytes))
    }

    #[test]
    fn fast_path_takes_the_common_answers() {
        let json = response_json();
        let d = decode_json_fast::<CustomerQueryResponse>(&json).unwrap();
        assert!(d.unknown.is_empty());
        assert_eq!(
            format!("{:?}", Ok::<_, String>(d)),
            exact::<CustomerQueryResponse>(&json)
        );
        // PascalCase unknowns, in the exact read's (key) order, and Meta
        // keys that need no renaming.
        for doc in [
            r#"{"Zed":1,"Firstname":"A","Comments":[{"Id":1,"Mood":"x"},{"Abc":[1.5]}],"Colour":{"b":1}}"#,
            r#"{"Comments":[{"Id":1}],"Comments0":1,"Comments!":2,"Meta":1}"#,
            r#"{"ResponseStatus":{"Meta":{"K":"v","Ü":"w"},"Errors":[{"Meta":{"1":"x"}}]}}"#,
            r#"[null, "A"] "#,
        ] {
            let got = fast::<CustomerQueryResponse>(doc).unwrap_or_else(|| panic!("{doc}"));
            assert_eq!(got, exact::<CustomerQueryResponse>(doc.as_bytes()), "{doc}");
        }
    }

    #[test]
    fn fast_path_leaves_what_could_differ() {
        for doc in [
            // camelCase members, also beside their PascalCase twin
            r#"{"firstname":"A"}"#,
            r#"{"Firstname":"A","firstname":"B"}"#,
            r#"{"Comments":[{"id":1}]}"#,
            r#"{"ßig":1}"#,
            // lower-case Meta keys: renamed when the map is reached from
            // an array (a struct read from a JSON array)
            r#"{"ResponseStatus":{"Meta":{"k":"v"}}}"#,
            r#"{"ResponseStatus":[null,null,null,null,{"k":"v","K":"w"}]}"#,
            // a repeated member, known or not
            r#"{"Firstname":"A","Firstname":"B"}"#,
            r#"{"Zed":1,"Zed":2}"#,
            // what a Value does not read but an unknown member's skip does
            r#"{"Zed":1e400}"#,
            "{\"Zed\":\"\\ud800\"}",
            // errors and trailing bytes
            r#"{"Firstname":1}"#,
            r#"{"Firstname":"A"} x"#,
            r#"{"Firstname":"A"}{}"#,
        ] {
            assert_eq!(fast::<CustomerQueryResponse>(doc), None, "{doc}");
        }
        let deep = format!(r#"{{"Zed":{}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert_eq!(fast::<CustomerQueryResponse>(&deep), None);
        let bad_utf8 = b"{\"Zed\":\"\xff\"}";
        assert!(decode_json_fast::<CustomerQueryResponse>(bad_utf8).is_none());
        assert!(decode::<CustomerQueryResponse>(Format::Json, bad_utf8).is_err());
    }

    /// The same answer either way where the fast path differs from the
    /// plain typed read.
    #[test]
    fn positional_meta_is_renamed_as_before() {
        let doc = br#"{"ResponseStatus":[null,null,null,null,{"k":"v"}]}"#;
        let d: Decoded<CustomerQueryResponse> = decode(Format::Json, doc).unwrap();
        let meta = d
            .value
            .response_status
            .value()
            .unwrap()
            .meta
            .value()
            .unwrap();
        assert_eq!(meta.get("K").map(String::as_str), Some("v"));
    }

    mod same_reads {
        use super::*;
        use proptest::prelude::*;

        fn quoted(k: &str) -> String {
            serde_json::to_string(k).unwrap()
        }

        /// A member name in PascalCase, or with its first letter lower.
        fn name(names: &'static [&'static str]) -> impl Strategy<Value = String> {
            (prop::sample::select(names), any::<bool>()).prop_map(|(n, camel)| {
                let mut s = n.to_owned();
                if camel {
                    s[..1].make_ascii_lowercase();
                }
                quoted(&s)
            })
        }

        const STRINGS: &[&str] = &[
            "Id",
            "Firstname",
            "Lastname",
            "Email",
            "Phone",
            "ImageUrl",
            "Updated",
            "Created",
            "Name",
            "Description",
            "DataType",
            "DefaultValue",
            "Column",
            "Value",
            "ErrorCode",
            "Message",
            "StackTrace",
            "FieldName",
            "CompanyId",
            "CustomerId",
            "Comments",
            "InvoiceCity",
        ];
        const INTS: &[&str] = &["Id", "Width", "MaxLength", "AccessKeyTypeId"];
        const BOOLS: &[&str] = &["SubscribedToNewsletter", "IsMandatory", "MultipleLineText"];
        const OBJECTS: &[&str] = &["ResponseStatus", "InvoiceAddress"];
        const ARRAYS: &[&str] = &[
            "CustomFields",
            "CustomFieldValues",
            "Comments",
            "AccessKeys",
            "Values",
            "Errors",
            "AccessKeysToDelete",
        ];
        const UNKNOWN: &[&str] = &["Zed", "Colour", "Abc", "Mood", "Id0", "Id!", "META"];

        fn leaf() -> BoxedStrategy<String> {
            prop_oneof![
                Just("\"s\"".to_owned()),
                Just("\"\\u00e9\\n\"".to_owned()),
                Just("1".to_owned()),
                Just("-0".to_owned()),
                Just("-7".to_owned()),
                Just("18446744073709551616".to_owned()),
                Just("9223372036854775808".to_owned()),
                Just("1.5".to_owned()),
                Just("1e400".to_owned()),
                Just("true".to_owned()),
                Just("null".to_owned()),
                Just("\"\\ud800\"".to_owned()),
                Just("[[[[[[[[[[]]]]]]]]]]".to_owned()),
                Just("{\"a\":{\"b\":[]}}".to_owned()),
            ]
            .boxed()
        }

        fn meta() -> impl Strategy<Value = String> {
            let key = prop::sample::select(&["k", "K", "key", "Key", "ß", "1", ""][..]);
            let value = prop_oneof![4 => Just("\"v\"".to_owned()), 1 => leaf()];
            prop::collection::vec((key, value), 0..3).prop_map(|m| {
                let members: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", quoted(k)))
                    .collect();
                format!("{{{}}}", members.join(","))
            })
        }

        /// JSON objects shaped mostly like the wire types, with camelCase
        /// names, unknown members, Meta maps, repeats and wrong types.
        fn object() -> impl Strategy<Value = String> {
            Just("{}".to_owned()).prop_recursive(4, 48, 6, |inner| {
                let array = prop::collection::vec(inner.clone(), 0..3)
                    .prop_map(|v| format!("[{}]", v.join(",")));
                let member = prop_oneof![
                    4 => (name(STRINGS), prop_oneof![5 => Just("\"s\"".to_owned()), 1 => leaf()]),
                    2 => (name(INTS), prop_oneof![5 => Just("-3".to_owned()), 1 => leaf()]),
                    1 => (name(BOOLS), prop_oneof![5 => Just("false".to_owned()), 1 => leaf()]),
                    2 => (name(OBJECTS), inner.clone()),
                    2 => (name(ARRAYS), array),
                    2 => (name(&["Meta"]), meta().boxed()),
                    2 => (name(UNKNOWN), prop_oneof![leaf(), inner]),
                ]
                .prop_map(|(k, v)| format!("{k}:{v}"));
                prop::collection::vec(member, 0..5).prop_map(|m| format!("{{{}}}", m.join(",")))
            })
        }

        fn document() -> impl Strategy<Value = Vec<u8>> {
            let tail = prop::sample::select(&["", " ", "\n", " x", "{}", ","][..]);
            (object(), tail, any::<bool>()).prop_map(|(o, t, bad)| {
                let mut b = format!("{o}{t}").into_bytes();
                // now and then a byte that is not UTF-8, in a string
                if bad {
                    if let Some(at) = b.windows(3).position(|w| w == b"\"s\"") {
                        b[at + 1] = 0xff;
                    }
                }
                b
            })
        }

        fn same<T: DeserializeOwned + MapKeys + std::fmt::Debug>(doc: &[u8]) {
            let slow = exact::<T>(doc);
            if let Some(d) = decode_json_fast::<T>(doc) {
                assert_eq!(format!("{:?}", Ok::<_, String>(d)), slow);
            }
            assert_eq!(format!("{:?}", decode::<T>(Format::Json, doc)), slow);
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1024))]

            #[test]
            fn fast_and_exact_reads_agree(doc in document()) {
                same::<CustomerQueryResponse>(&doc);
                same::<UpdateCustomer>(&doc);
            }
        }
    }
}
