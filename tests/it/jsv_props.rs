//! Property tests for the JSV codec: writing then reading is the identity,
//! and the reader never panics on arbitrary or mangled input.

use crossdock::jsv;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Cases for the main round-trip property.
const MAIN_CASES: u32 = 4096;
const CASES: u32 = 2048;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Kind {
    Private,
    Company,
    #[serde(rename = "Other Kind")]
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Inner {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Sample {
    text: String,
    opt_text: Option<String>,
    int: i64,
    small: u8,
    float: f64,
    flag: bool,
    opt_int: Option<i32>,
    list: Vec<String>,
    ints: Vec<i64>,
    opt_list: Vec<Option<String>>,
    grid: Vec<Vec<String>>,
    nested: Inner,
    opt_nested: Option<Inner>,
    children: Vec<Inner>,
    map: BTreeMap<String, String>,
    kind: Kind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    maybe_empty: Vec<bool>,
}

/// Any unicode scalar, with JSV's special characters and white space often.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => prop::sample::select(vec![
            '"', ':', ',', '{', '}', '[', ']', '\r', '\n', ' ', '\t', '\u{b}', '\u{c}',
            '\u{a0}', '\u{2003}', '\0', '\\', 'T', 'e',
        ]),
        2 => prop::char::range('a', 'z'),
    ]
}

fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), 0..12).prop_map(|cs| cs.into_iter().collect())
}

fn finite() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("finite", |f| f.is_finite())
}

fn inner() -> impl Strategy<Value = Inner> {
    (
        any_text(),
        prop::option::of(finite()),
        prop::collection::vec(any_text(), 0..4),
    )
        .prop_map(|(name, score, tags)| Inner { name, score, tags })
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Private), Just(Kind::Company), Just(Kind::Other)]
}

fn sample() -> impl Strategy<Value = Sample> {
    let scalars = (
        any_text(),
        prop::option::of(any_text()),
        any::<i64>(),
        any::<u8>(),
        finite(),
        any::<bool>(),
        prop::option::of(any::<i32>()),
    );
    let lists = (
        prop::collection::vec(any_text(), 0..5),
        prop::collection::vec(any::<i64>(), 0..5),
        prop::collection::vec(prop::option::of(any_text()), 0..5),
        prop::collection::vec(prop::collection::vec(any_text(), 0..3), 0..3),
    );
    let nested = (
        inner(),
        prop::option::of(inner()),
        prop::collection::vec(inner(), 0..3),
        prop::collection::btree_map(any_text(), any_text(), 0..5),
        kind(),
        prop::collection::vec(any::<bool>(), 0..3),
    );
    (scalars, lists, nested).prop_map(
        |(
            (text, opt_text, int, small, float, flag, opt_int),
            (list, ints, opt_list, grid),
            (nested, opt_nested, children, map, kind, maybe_empty),
        )| Sample {
            text,
            opt_text,
            int,
            small,
            float,
            flag,
            opt_int,
            list,
            ints,
            opt_list,
            grid,
            nested,
            opt_nested,
            children,
            map,
            kind,
            maybe_empty,
        },
    )
}

/// One edit to a valid text: flip, insert, delete or truncate.
#[derive(Debug, Clone)]
enum Edit {
    Set(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![any::<u8>(), prop::sample::select(b"\":,{}[] \n".to_vec()),];
    prop_oneof![
        (any::<prop::sample::Index>(), byte.clone()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<prop::sample::Index>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<prop::sample::Index>().prop_map(Edit::Delete),
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    if bytes.is_empty() {
        return;
    }
    match edit {
        Edit::Set(i, b) => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Edit::Insert(i, b) => {
            let at = i.index(bytes.len() + 1);
            bytes.insert(at, *b);
        }
        Edit::Delete(i) => {
            let at = i.index(bytes.len());
            bytes.remove(at);
        }
        Edit::Truncate(i) => {
            let at = i.index(bytes.len());
            bytes.truncate(at);
        }
    }
}

/// Reads `bytes` as several targets; only a panic fails.
fn read_all_ways(bytes: &[u8]) {
    let _ = jsv::from_slice::<serde_json::Value>(bytes);
    let _ = jsv::from_slice::<Sample>(bytes);
    let _ = jsv::from_slice::<Vec<Option<String>>>(bytes);
    let _ = jsv::from_slice::<BTreeMap<String, serde::de::IgnoredAny>>(bytes);
    let _ = jsv::from_slice::<String>(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(MAIN_CASES))]

    #[test]
    fn struct_round_trip(value in sample()) {
        let text = jsv::to_string(&value).unwrap();
        let back: Sample = jsv::from_str(&text).unwrap();
        prop_assert_eq!(&back, &value);
        // Writing is deterministic and compact.
        prop_assert_eq!(jsv::to_string(&back).unwrap(), text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn string_round_trip(text in any_text(), wide in any::<String>()) {
        for s in [&text, &wide] {
            let written = jsv::to_string(s).unwrap();
            prop_assert_eq!(&jsv::from_str::<String>(&written).unwrap(), s);
            // As a list element and as a map key and value.
            let list = vec![s.clone(), s.clone()];
            let written = jsv::to_string(&list).unwrap();
            prop_assert_eq!(jsv::from_str::<Vec<String>>(&written).unwrap(), list);
            let map: BTreeMap<String, String> = [(s.clone(), s.clone())].into();
            let written = jsv::to_string(&map).unwrap();
            prop_assert_eq!(jsv::from_str::<BTreeMap<String, String>>(&written).unwrap(), map);
        }
    }

    #[test]
    fn reader_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        read_all_ways(&bytes);
    }

    #[test]
    fn reader_survives_mangled_jsv(
        value in sample(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let mut bytes = jsv::to_vec(&value).unwrap();
        for e in &edits {
            apply(&mut bytes, e);
        }
        read_all_ways(&bytes);
    }
}
