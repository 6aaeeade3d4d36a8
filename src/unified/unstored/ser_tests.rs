//! `unstored_fields_of` against the `to_value` road it replaces.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};

use super::{unstored_fields, unstored_fields_of};
use crate::unified::customer::Customer;

/// What `lost_fields` computed before: the reference.
fn old<T: Serialize + ?Sized>(input: &Value, stored: &T) -> Vec<String> {
    unstored_fields(input, &serde_json::to_value(stored).unwrap_or_default())
}

const CUSTOMER: &str = include_str!("../../../tests/fixtures/department/request.unified.json");

/// JSON from a few keys and scalars, so that two independent values share
/// members often.
fn small_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop::sample::select(vec![
            json!(0),
            json!(1),
            json!(-1),
            json!(1.0),
            json!(0.5),
            json!(-0.0),
            json!(u64::MAX),
            json!(9_007_199_254_740_993u64),
            json!(9_007_199_254_740_992.0),
            json!(i64::MIN),
        ]),
        prop::sample::select(vec!["", "a", "x", "COMMON"]).prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["", "a", "b", "c", "firstName", "emails"]),
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// `v` changed as `choices` say: members removed, nulled, replaced or
/// added, arrays shortened.
fn mutate(v: &Value, choices: &mut impl Iterator<Item = u8>) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m {
                match choices.next().unwrap_or(9) % 10 {
                    0 => {}
                    1 => {
                        out.insert(k.clone(), Value::Null);
                    }
                    2 => {
                        out.insert(k.clone(), json!(1));
                    }
                    3 => {
                        out.insert(k.clone(), v.clone());
                        out.insert(format!("{k}X"), json!("extra"));
                    }
                    _ => {
                        out.insert(k.clone(), mutate(v, choices));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => {
            let mut out: Vec<Value> = a.iter().map(|v| mutate(v, choices)).collect();
            match choices.next().unwrap_or(9) % 6 {
                0 => {
                    out.pop();
                }
                1 => out.push(json!({})),
                _ => {}
            }
            Value::Array(out)
        }
        Value::String(_) if choices.next().unwrap_or(9) % 4 == 0 => json!("changed"),
        v => v.clone(),
    }
}

/// Bytes that serialize as bytes (not a sequence).
#[derive(Debug, Clone)]
struct Bytes(Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

#[derive(Debug, Clone, Serialize)]
enum Shape {
    Unit,
    New(i8),
    Tuple(u8, String),
    Struct { a: Option<f32> },
}

#[derive(Debug, Clone, Serialize)]
struct Inner {
    c: char,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<bool>,
}

/// Every serde shape `to_value` knows.
#[derive(Debug, Clone, Serialize)]
struct Every {
    a: f64,
    b: f32,
    c: i128,
    d: u128,
    e: Option<Inner>,
    shapes: Vec<Shape>,
    bytes: Bytes,
    unit: (),
    tuple: (u16, i32),
    text: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ints: Option<HashMap<i32, u8>>,
    #[serde(flatten)]
    rest: BTreeMap<String, i64>,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Unit),
        any::<i8>().prop_map(Shape::New),
        (any::<u8>(), "[ax]{0,2}").prop_map(|(a, b)| Shape::Tuple(a, b)),
        any::<Option<f32>>().prop_map(|a| Shape::Struct { a }),
    ]
}

fn every() -> impl Strategy<Value = Every> {
    (
        prop_oneof![Just(f64::NAN), Just(1.0), Just(0.5), any::<f64>()],
        prop_oneof![Just(f32::INFINITY), Just(1.0f32), any::<f32>()],
        prop_oneof![Just(i128::MAX), Just(-1i128), Just(1i128)],
        prop_oneof![Just(u128::MAX), Just(1u128)],
        prop::option::of((any::<char>(), any::<Option<bool>>()).prop_map(|(c, b)| Inner { c, b })),
        prop::collection::vec(shape(), 0..3),
        prop::collection::vec(0u8..3, 0..3).prop_map(Bytes),
        (any::<u16>(), any::<i32>()),
        prop::collection::btree_map("[abc]", small_json(), 0..3),
        prop::option::of(prop::collection::hash_map(any::<i32>(), any::<u8>(), 0..2)),
        prop::collection::btree_map("[abtx]", -2i64..2, 0..3),
    )
        .prop_map(
            |(a, b, c, d, e, shapes, bytes, tuple, text, ints, rest)| Every {
                a,
                b,
                c,
                d,
                e,
                shapes,
                bytes,
                unit: (),
                tuple,
                text,
                ints,
                rest,
            },
        )
}

proptest! {
    #[test]
    fn agrees_on_json(input in small_json(), stored in small_json()) {
        prop_assert_eq!(unstored_fields_of(&input, &stored), old(&input, &stored));
    }

    #[test]
    fn agrees_on_json_against_itself_changed(
        stored in small_json(),
        choices in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let input = mutate(&stored, &mut choices.into_iter());
        prop_assert_eq!(unstored_fields_of(&input, &stored), old(&input, &stored));
    }

    #[test]
    fn agrees_on_customers(
        stored in prop::collection::vec(any::<u8>(), 0..96),
        input in prop::collection::vec(any::<u8>(), 0..96),
        other in small_json(),
    ) {
        let base: Value = serde_json::from_str(CUSTOMER).unwrap();
        // No member replaced by a number: most of the customer's are text.
        let mut stored = stored.into_iter().map(|c| if c % 10 == 2 { 0 } else { c });
        let Ok(stored) = serde_json::from_value::<Customer>(mutate(&base, &mut stored)) else {
            return Ok(());
        };
        let input = mutate(&base, &mut input.into_iter());
        prop_assert_eq!(unstored_fields_of(&input, &stored), old(&input, &stored));
        prop_assert_eq!(unstored_fields_of(&other, &stored), old(&other, &stored));
    }

    #[test]
    fn agrees_on_every_serde_shape(
        stored in every(),
        choices in prop::collection::vec(any::<u8>(), 0..64),
        other in small_json(),
    ) {
        let as_json = serde_json::to_value(&stored).unwrap_or_default();
        let input = mutate(&as_json, &mut choices.into_iter());
        prop_assert_eq!(unstored_fields_of(&input, &stored), old(&input, &stored));
        prop_assert_eq!(unstored_fields_of(&other, &stored), old(&other, &stored));
    }
}

#[test]
fn the_fixture_customer_loses_nothing() {
    let input: Value = serde_json::from_str(CUSTOMER).unwrap();
    let stored: Customer = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(unstored_fields_of(&input, &stored), Vec::<String>::new());
    assert_eq!(old(&input, &stored), Vec::<String>::new());
}

#[test]
fn a_key_to_value_refuses_makes_the_whole_value_null() {
    #[derive(Serialize, PartialEq, Eq, Hash)]
    struct Key {
        k: u8,
    }
    let stored = json!({"m": 1});
    let bad = HashMap::from([(Key { k: 1 }, 1)]);
    let input = json!({"m": 1});
    assert_eq!(
        unstored_fields_of(&input, &(&stored, &bad)),
        vec!["$".to_string()]
    );
    assert_eq!(unstored_fields_of(&Value::Null, &bad), Vec::<String>::new());
}

#[test]
fn names_paths_in_the_callers_key_order() {
    #[derive(Serialize)]
    struct S {
        z: u8,
        a: Vec<u8>,
        m: BTreeMap<&'static str, u8>,
    }
    let stored = S {
        z: 1,
        a: vec![1, 2],
        m: BTreeMap::from([("q", 1)]),
    };
    let input = json!({"z": 2, "a": [1, 3], "m": {"q": 1.0, "r": 2}, "b": 1, "n": null});
    let want = ["a[1]", "b", "m.r", "z"].map(String::from).to_vec();
    assert_eq!(unstored_fields_of(&input, &stored), want);
    assert_eq!(old(&input, &stored), want);
}

#[test]
fn a_raw_value_is_compared_as_parsed() {
    let raw = serde_json::value::RawValue::from_string(r#"{"a": 1, "b": [2]}"#.into()).unwrap();
    let input = json!({"a": 2, "b": [2]});
    assert_eq!(unstored_fields_of(&input, &raw), vec!["a".to_string()]);
    assert_eq!(old(&input, &raw), vec!["a".to_string()]);
}
