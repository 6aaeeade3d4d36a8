//! A request body as a JSON tree, refusing an object that names a member
//! twice at any depth.
//!
//! serde_json keeps the last of two equal members, and the gateway passes
//! some objects on as they came (`labels`, raw JSON values), so a body with
//! `{"en": "a", "en": "b"}` would reach a vendor in a form the caller may
//! not have meant. Top-level members of a typed model are refused by serde
//! (`duplicate field`); this refuses them everywhere, and says where.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// Why a body is not a tree the gateway takes.
#[derive(Debug)]
pub enum TreeError {
    /// Not JSON.
    Json(serde_json::Error),
    /// An object names a member twice; the path of the second one
    /// (`labels.en`, `vehicles[0].x`).
    Duplicate(String),
}

/// Parses `text` into a tree, refusing duplicate members. Text, not
/// bytes: the caller checked the UTF-8 once for the whole body, so the
/// parser does not check each string again.
pub fn parse(text: &str) -> Result<Value, TreeError> {
    let trail = RefCell::new(Trail::default());
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Node { trail: &trail }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    let trail = trail.into_inner();
    match parsed {
        Ok(v) => Ok(v),
        Err(_) if trail.duplicate => Err(TreeError::Duplicate(trail.path())),
        Err(e) => Err(TreeError::Json(e)),
    }
}

/// The path to an error, innermost segment first, filled only as an error
/// unwinds (nothing is kept on the way to a good tree).
#[derive(Default)]
struct Trail {
    segments: Vec<Segment>,
    duplicate: bool,
}

enum Segment {
    Key(String),
    Index(usize),
}

impl Trail {
    fn path(&self) -> String {
        let mut out = String::new();
        for s in self.segments.iter().rev() {
            match s {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

#[derive(Clone, Copy)]
struct Node<'a> {
    trail: &'a RefCell<Trail>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(a.size_hint().unwrap_or(0).min(1024));
        loop {
            match a.next_element_seed(self) {
                Ok(Some(v)) => out.push(v),
                Ok(None) => return Ok(Value::Array(out)),
                Err(e) => {
                    self.trail
                        .borrow_mut()
                        .segments
                        .push(Segment::Index(out.len()));
                    return Err(e);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = a.next_key::<String>()? {
            let value = match a.next_value_seed(self) {
                Ok(v) => v,
                Err(e) => {
                    self.trail.borrow_mut().segments.push(Segment::Key(key));
                    return Err(e);
                }
            };
            match out.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                Entry::Occupied(slot) => {
                    let mut trail = self.trail.borrow_mut();
                    trail.duplicate = true;
                    trail.segments.push(Segment::Key(slot.key().clone()));
                    return Err(de::Error::custom("a member is given twice"));
                }
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dup(text: &str) -> Option<String> {
        match parse(text) {
            Err(TreeError::Duplicate(p)) => Some(p),
            _ => None,
        }
    }

    #[test]
    fn the_same_tree_as_serde_json() {
        for t in [
            r#"{"b":1,"a":[1,-2,3.5,1e300,null,true,"x\u00e9"],"c":{"d":{}}}"#,
            "[]",
            "12345678901234567890",
            r#""s""#,
        ] {
            let want: Value = serde_json::from_str(t).unwrap();
            assert_eq!(parse(t).unwrap(), want, "{t}");
        }
        assert!(matches!(parse("{\"a\":"), Err(TreeError::Json(_))));
        assert!(matches!(parse("{} x"), Err(TreeError::Json(_))));
    }

    #[test]
    fn duplicates_are_named_at_any_depth() {
        assert_eq!(dup(r#"{"a":1,"a":2}"#).as_deref(), Some("a"));
        assert_eq!(
            dup(r#"{"labels":{"en":"a","en":"b"}}"#).as_deref(),
            Some("labels.en")
        );
        assert_eq!(
            dup(r#"{"v":[{"x":1},{"y":{"z":1,"z":1}}]}"#).as_deref(),
            Some("v[1].y.z")
        );
        assert_eq!(dup(r#"[{"k":1,"k":1}]"#).as_deref(), Some("[0].k"));
        assert_eq!(dup(r#"{"a":{"b":1},"c":{"b":1}}"#), None);
    }
}
