//! The config's own deserializer: strict about types, silent about values,
//! and able to report every problem of a file rather than the first.
//!
//! - A string is never taken for a number or a boolean (`strict = "yes"`,
//!   `max_json_depth = "32"` are errors), except where the value came from
//!   the environment, whose values are all text: there `"2048"` is read as
//!   2048 when the key wants a number.
//! - No message holds a value: a type error says which kind was found
//!   (`found a string`), an enum error lists the valid values, a number out
//!   of range says the range.
//! - [`from_value`] collects every problem: after an error it drops the key
//!   at fault (its default applies) and deserializes again, so the types
//!   of all other keys are still checked.

use serde::de::{self, DeserializeOwned, Expected, Unexpected, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value;
use std::cell::RefCell;
use std::fmt;

/// A key's place: table keys, and `[n]` for the items of a list.
pub type KeyPath = Vec<String>;

/// Says whether the value at a path (relative to the value being read)
/// came from the environment.
pub type FromEnv<'e> = &'e dyn Fn(&[String]) -> bool;

/// The segment of a list item.
pub fn index(i: usize) -> String {
    format!("[{i}]")
}

/// `a.b[0].c`; a key that is not a bare TOML key is quoted.
pub fn render(path: &[String]) -> String {
    let mut out = String::new();
    for seg in path {
        if is_index(seg) {
            out.push_str(seg);
            continue;
        }
        if !out.is_empty() {
            out.push('.');
        }
        if is_bare(seg) {
            out.push_str(seg);
        } else {
            out.push_str(&format!("{seg:?}"));
        }
    }
    out
}

fn is_index(seg: &str) -> bool {
    seg.len() > 2
        && seg.starts_with('[')
        && seg.ends_with(']')
        && seg[1..seg.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

/// A TOML bare key: A-Z a-z 0-9 _ -.
pub fn is_bare(seg: &str) -> bool {
    !seg.is_empty()
        && seg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The inverse of [`render`] for keys made of bare segments (what every
/// gateway error names): `None` for anything else.
pub fn parse_path(text: &str) -> Option<KeyPath> {
    let mut out = Vec::new();
    for part in text.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if !is_bare(name) {
            return None;
        }
        out.push(name.to_string());
        while !rest.is_empty() {
            let end = rest.find(']')? + 1;
            let seg = &rest[..end];
            if !is_index(seg) {
                return None;
            }
            out.push(seg.to_string());
            rest = &rest[end..];
        }
    }
    Some(out)
}

/// A problem with one key. The message never holds the value.
#[derive(Debug, Clone)]
pub struct DeError {
    /// Where: set by the innermost deserializer the error passes.
    path: Option<KeyPath>,
    /// A key below `path` the error is about (unknown, missing, twice).
    field: Option<String>,
    /// A required key is not set.
    missing: bool,
    msg: String,
}

impl DeError {
    fn new(msg: impl Into<String>) -> Self {
        DeError {
            path: None,
            field: None,
            missing: false,
            msg: msg.into(),
        }
    }

    fn at(mut self, path: &[String]) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_vec());
        }
        self
    }

    fn with_field(field: &str, msg: &str) -> Self {
        DeError {
            field: Some(field.to_string()),
            ..DeError::new(msg)
        }
    }

    /// The full path of the key at fault.
    fn key(&self) -> KeyPath {
        let mut p = self.path.clone().unwrap_or_default();
        p.extend(self.field.clone());
        p
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::new(super::file_errors::one_line(&msg.to_string()))
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::new(format!(
            "expected {}, found {}",
            expected(exp),
            kind_of(&unexp)
        ))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        let what = match unexp {
            Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => {
                "out of range"
            }
            _ => "not a valid value",
        };
        DeError::new(format!("{what}: expected {}", expected(exp)))
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        DeError::new(format!("expected {}, found {len} items", expected(exp)))
    }

    fn unknown_variant(_variant: &str, valid: &'static [&'static str]) -> Self {
        DeError::new(one_of(valid))
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        DeError::with_field(field, "unknown key")
    }

    fn missing_field(field: &'static str) -> Self {
        DeError {
            missing: true,
            ..DeError::with_field(field, "required, and not set")
        }
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::with_field(field, "given twice")
    }
}

/// `expected one of `a`, `b``.
fn one_of(valid: &[&str]) -> String {
    let list: Vec<String> = valid.iter().map(|v| format!("`{v}`")).collect();
    format!("expected one of {}", list.join(", "))
}

/// What a visitor expects, in the config's words.
fn expected(exp: &dyn Expected) -> String {
    let text = exp.to_string();
    let range = |min: i128, max: i128| format!("a whole number from {min} to {max}");
    match text.as_str() {
        "u8" => range(0, u8::MAX.into()),
        "u16" => range(0, u16::MAX.into()),
        "u32" => range(0, u32::MAX.into()),
        "u64" | "usize" => "a whole number, 0 or more".into(),
        "i8" => range(i8::MIN.into(), i8::MAX.into()),
        "i16" => range(i16::MIN.into(), i16::MAX.into()),
        "i32" => range(i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        "a map" => "a table".into(),
        t if t.starts_with("struct ") => "a table".into(),
        _ => text,
    }
}

/// The kind of a value, never the value.
fn kind_of(u: &Unexpected<'_>) -> &'static str {
    match u {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "an integer",
        Unexpected::Float(_) => "a number with a fraction",
        Unexpected::Char(_) | Unexpected::Str(_) => "a string",
        Unexpected::Bytes(_) => "bytes",
        Unexpected::Unit => "nothing",
        Unexpected::Option => "an optional value",
        Unexpected::NewtypeStruct => "a value",
        Unexpected::Seq => "a list",
        Unexpected::Map => "a table",
        Unexpected::Enum
        | Unexpected::UnitVariant
        | Unexpected::NewtypeVariant
        | Unexpected::TupleVariant
        | Unexpected::StructVariant => "a variant",
        Unexpected::Other(_) => "another kind of value",
    }
}

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) if n.is_f64() => Unexpected::Float(0.0),
        Value::Number(_) => Unexpected::Signed(0),
        Value::String(_) => Unexpected::Str(""),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// What one deserialization run shares.
struct Ctx<'e> {
    env: Option<FromEnv<'e>>,
    /// Keys no field took (unknown keys).
    ignored: RefCell<Vec<KeyPath>>,
}

struct De<'a, 'e> {
    v: &'a Value,
    path: KeyPath,
    ctx: &'a Ctx<'e>,
}

/// What a key of this kind wants, for a string in its place.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    Number,
    Bool,
    Other,
}

impl<'a, 'e> De<'a, 'e> {
    fn child(&self, v: &'a Value, seg: String) -> De<'a, 'e> {
        let mut path = self.path.clone();
        path.push(seg);
        De {
            v,
            path,
            ctx: self.ctx,
        }
    }

    fn is_env_text(&self) -> bool {
        self.ctx.env.is_some_and(|f| f(&self.path))
    }

    /// A value of the wrong kind.
    fn wrong(&self, exp: &dyn Expected, want: Want) -> DeError {
        let mut e = <DeError as de::Error>::invalid_type(unexpected(self.v), exp);
        if self.v.is_string() && want != Want::Other {
            e.msg
                .push_str(" (numbers, true and false are written without quotes)");
        }
        e.at(&self.path)
    }

    fn number<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match self.v {
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) if self.is_env_text() => {
                let s = s.trim();
                if let Ok(u) = s.parse::<u64>() {
                    visitor.visit_u64(u)
                } else if let Ok(i) = s.parse::<i64>() {
                    visitor.visit_i64(i)
                } else {
                    match s.parse::<f64>() {
                        Ok(f) if f.is_finite() => visitor.visit_f64(f),
                        _ => Err(DeError::new(format!(
                            "expected {}, found text that is not a number",
                            expected(&visitor)
                        ))),
                    }
                }
            }
            _ => return Err(self.wrong(&visitor, Want::Number)),
        };
        r.map_err(|e| e.at(&self.path))
    }
}

fn visit_number<'a, V: Visitor<'a>>(
    n: &serde_json::Number,
    visitor: V,
) -> Result<V::Value, DeError> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// The environment's words for true and false.
fn env_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

macro_rules! numbers {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
                self.number(visitor)
            }
        )*
    };
}

impl<'a> de::Deserializer<'a> for De<'a, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match self.v {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Seq {
                items: items.iter(),
                i: 0,
                parent: &self,
            }),
            Value::Object(map) => visitor.visit_map(Map {
                iter: map.iter(),
                value: None,
                parent: &self,
            }),
        };
        r.map_err(|e| e.at(&self.path))
    }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f32 deserialize_f64
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match self.v {
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::String(s) if self.is_env_text() => match env_bool(s) {
                Some(b) => visitor.visit_bool(b),
                None => Err(DeError::new("expected true or false, found other text")),
            },
            _ => return Err(self.wrong(&visitor, Want::Bool)),
        };
        r.map_err(|e| e.at(&self.path))
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.v {
            Value::String(s) => visitor
                .visit_borrowed_str(s)
                .map_err(|e: DeError| e.at(&self.path)),
            _ => Err(self.wrong(&visitor, Want::Other)),
        }
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.v {
            Value::Null => visitor.visit_none(),
            _ => {
                let path = self.path.clone();
                visitor.visit_some(self).map_err(|e| e.at(&path))
            }
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.v {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.wrong(&visitor, Want::Other)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let path = self.path.clone();
        visitor.visit_newtype_struct(self).map_err(|e| e.at(&path))
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.v {
            Value::Array(_) => self.deserialize_any(visitor),
            _ => Err(self.wrong(&visitor, Want::Other)),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.v {
            Value::Object(_) => self.deserialize_any(visitor),
            _ => Err(self.wrong(&visitor, Want::Other)),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.v {
            Value::String(s) => visitor
                .visit_enum(de::value::BorrowedStrDeserializer::<DeError>::new(s))
                .map_err(|e| e.at(&self.path)),
            _ => Err(DeError::new(format!(
                "{}, found {}",
                one_of(variants),
                kind_of(&unexpected(self.v))
            ))
            .at(&self.path)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.ctx.ignored.borrow_mut().push(self.path.clone());
        visitor.visit_unit()
    }

    forward_to_deserialize_any! { <W: Visitor<'a>> bytes byte_buf i128 u128 }
}

struct Seq<'p, 'a, 'e> {
    items: std::slice::Iter<'a, Value>,
    i: usize,
    parent: &'p De<'a, 'e>,
}

impl<'a> de::SeqAccess<'a> for Seq<'_, 'a, '_> {
    type Error = DeError;

    fn next_element_seed<T: de::DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(v) = self.items.next() else {
            return Ok(None);
        };
        let child = self.parent.child(v, index(self.i));
        self.i += 1;
        // Errors a `deserialize_with` function raises after reading its
        // value are about this item.
        let path = child.path.clone();
        seed.deserialize(child).map(Some).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map<'p, 'a, 'e> {
    iter: serde_json::map::Iter<'a>,
    value: Option<(&'a String, &'a Value)>,
    parent: &'p De<'a, 'e>,
}

impl<'a> de::MapAccess<'a> for Map<'_, 'a, '_> {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((k, v)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some((k, v));
        seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(k))
            .map(Some)
            .map_err(|e| e.at(&self.parent.path))
    }

    fn next_value_seed<V: de::DeserializeSeed<'a>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DeError> {
        let Some((k, v)) = self.value.take() else {
            return Err(DeError::new("a value without its key").at(&self.parent.path));
        };
        let child = self.parent.child(v, k.clone());
        // Errors a `deserialize_with` function raises after reading its
        // value are about this key.
        let path = child.path.clone();
        seed.deserialize(child).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// What [`from_value`] found.
pub struct Parsed<T> {
    /// The value with every key at fault dropped (so its default applies);
    /// `None` when nothing could be read at all.
    pub value: Option<T>,
    /// Each key at fault and what is wrong with it.
    pub problems: Vec<(KeyPath, String)>,
    /// Keys no field takes.
    pub unknown: Vec<KeyPath>,
}

/// Reads `value` as `T`, with every problem found. `env` says which
/// values came from the environment (text that a number or boolean key
/// may parse).
pub fn from_value<T: DeserializeOwned>(value: &Value, env: Option<FromEnv<'_>>) -> Parsed<T> {
    let mut value = value.clone();
    let mut problems: Vec<(KeyPath, String)> = Vec::new();
    let mut unknown: Vec<KeyPath> = Vec::new();
    let mut dropped: Vec<KeyPath> = Vec::new();
    // Each round drops one key: bounded by the number of values.
    let rounds = count(&value) + 1;
    for _ in 0..rounds {
        let ctx = Ctx {
            env,
            ignored: RefCell::new(Vec::new()),
        };
        let result = T::deserialize(De {
            v: &value,
            path: Vec::new(),
            ctx: &ctx,
        });
        for p in ctx.ignored.into_inner() {
            if !unknown.contains(&p) {
                unknown.push(p);
            }
        }
        let e = match result {
            Ok(v) => {
                return Parsed {
                    value: Some(v),
                    problems,
                    unknown,
                }
            }
            Err(e) => e,
        };
        let key = e.key();
        // A required key dropped for its own error is not reported again
        // as missing; its table goes instead.
        if !(e.missing && dropped.contains(&key)) {
            problems.push((key.clone(), e.msg.clone()));
        }
        let drop = if e.missing {
            e.path.clone().unwrap_or_default()
        } else {
            key
        };
        if drop.is_empty() || !remove(&mut value, &drop) {
            break;
        }
        dropped.push(drop);
    }
    Parsed {
        value: None,
        problems,
        unknown,
    }
}

fn count(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(count).sum::<usize>(),
        _ => 1,
    }
}

/// Removes the value at `path`; false when there is none.
fn remove(root: &mut Value, path: &[String]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut at = root;
    for seg in parents {
        at = match (at, seg_index(seg)) {
            (Value::Array(items), Some(i)) => match items.get_mut(i) {
                Some(v) => v,
                None => return false,
            },
            (Value::Object(map), None) => match map.get_mut(seg) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match (at, seg_index(last)) {
        (Value::Array(items), Some(i)) if i < items.len() => {
            items.remove(i);
            true
        }
        (Value::Object(map), None) => map.remove(last).is_some(),
        _ => false,
    }
}

fn seg_index(seg: &str) -> Option<usize> {
    if is_index(seg) {
        seg[1..seg.len() - 1].parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, Default)]
    #[serde(default)]
    struct Inner {
        n: u32,
        on: bool,
        rate: f64,
        name: String,
        mode: Mode,
        list: Vec<u16>,
    }

    #[derive(Debug, Deserialize, Default, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Mode {
        #[default]
        Json,
        Text,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        a: u8,
        b: u8,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Top {
        #[serde(default)]
        inner: Inner,
        #[serde(default)]
        strict: Option<Strict>,
    }

    fn parse(v: Value) -> Parsed<Top> {
        from_value(&v, None)
    }

    fn messages(p: &Parsed<Top>) -> Vec<String> {
        p.problems
            .iter()
            .map(|(k, m)| format!("{}: {m}", render(k)))
            .collect()
    }

    #[test]
    fn strings_are_not_numbers_or_booleans_and_every_problem_is_named() {
        let p = parse(json!({"inner": {
            "n": "32", "on": "yes", "rate": "0.5", "name": 5, "mode": "jsonl",
            "list": [1, "2", 70000]
        }}));
        let m = messages(&p);
        for want in [
            "inner.n: expected a whole number from 0 to 4294967295, found a string",
            "inner.on: expected true or false, found a string",
            "inner.rate: expected a number, found a string",
            "inner.name: expected a string, found an integer",
            "inner.mode: expected one of `json`, `text`",
            "inner.list[1]: expected a whole number from 0 to 65535, found a string",
        ] {
            assert!(
                m.iter().any(|l| l.starts_with(want)),
                "{want} not in {m:#?}"
            );
        }
        // 70000 is out of u16's range; the bad item before it was dropped,
        // so it is item 1 by then: the problem is still named.
        assert!(m.iter().any(|l| l.contains("out of range")), "{m:#?}");
        let text = m.join("\n");
        for value in ["32", "yes", "0.5", "jsonl", "70000"] {
            assert!(!text.contains(&format!("\"{value}\"")), "{text}");
            assert!(!text.contains(&format!("`{value}`")), "{text}");
        }
        // The rest of the value is still read, with defaults for the keys
        // at fault.
        let v = p.value.unwrap();
        assert_eq!(v.inner.n, 0);
        assert_eq!(v.inner.mode, Mode::Json);
    }

    #[test]
    fn environment_text_is_read_as_the_key_wants() {
        let v = json!({"inner": {"n": "32", "on": "true", "rate": "0.25", "name": "007"}});
        let env = |p: &[String]| p.first().is_some_and(|s| s == "inner");
        let p: Parsed<Top> = from_value(&v, Some(&env));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let inner = p.value.unwrap().inner;
        assert_eq!((inner.n, inner.on, inner.rate), (32, true, 0.25));
        assert_eq!(inner.name, "007");
        let v = json!({"inner": {"n": "thirty", "on": "maybe"}});
        let p: Parsed<Top> = from_value(&v, Some(&env));
        let m = messages(&p).join("\n");
        assert!(m.contains("inner.n: expected a whole number"), "{m}");
        assert!(m.contains("inner.on: expected true or false"), "{m}");
        assert!(!m.contains("thirty") && !m.contains("maybe"), "{m}");
    }

    #[test]
    fn unknown_and_missing_keys_are_named_once() {
        let p = parse(json!({"strict": {"a": "1", "c": 1}, "extra": {"x": 1}}));
        let m = messages(&p);
        assert!(
            m.iter().any(|l| l.starts_with("strict.a: expected")),
            "{m:?}"
        );
        assert!(m.iter().any(|l| l == "strict.c: unknown key"), "{m:?}");
        // `a` was dropped for its type: not reported again as missing.
        assert!(!m.iter().any(|l| l.contains("strict.a: required")), "{m:?}");
        assert_eq!(p.unknown, vec![vec!["extra".to_string()]]);
        let p = parse(json!({"strict": {"a": 1}}));
        assert_eq!(messages(&p), ["strict.b: required, and not set"]);
    }

    #[test]
    fn paths_render_and_parse_back() {
        let p: KeyPath = vec!["auth".into(), "api_keys".into(), index(1)];
        assert_eq!(render(&p), "auth.api_keys[1]");
        assert_eq!(parse_path("auth.api_keys[1]"), Some(p));
        assert_eq!(render(&["a b".to_string()]), "\"a b\"");
        assert_eq!(parse_path("/tmp/x.toml:3:1"), None);
        assert_eq!(parse_path("a..b"), None);
    }
}
