//! [`unstored_fields_of`]: [`unstored_fields`](super::unstored_fields)
//! without building the stored value's JSON tree.
//!
//! A write's `stored` value is serialized into [`Cmp`], a serde
//! `Serializer` that walks the caller's JSON alongside and records the
//! paths `walk` would: no `Value` tree is built and dropped per write. Each
//! scalar becomes exactly the `Value` that `serde_json::to_value` makes
//! (serde_json's own value serializer builds it), so the comparison is the
//! same. Whatever `to_value` would have failed on, or that this serializer
//! does not handle itself (tuple and struct enum variants, `RawValue`,
//! non-string map keys), is a [`Fallback`]: the whole value then takes the
//! old road, `to_value` (or `Value::Null` when it fails) and `walk`.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Impossible, Serialize, Serializer};
use serde_json::value::Serializer as ValueSerializer;
use serde_json::Value;

use super::{unstored_fields, walk};

/// The same paths, in the same order, as
/// `unstored_fields(input, &serde_json::to_value(stored).unwrap_or_default())`.
pub fn unstored_fields_of<T: Serialize + ?Sized>(input: &Value, stored: &T) -> Vec<String> {
    let mut out = Vec::new();
    let mut path = String::new();
    let cmp = Cmp {
        input: Some(input),
        path: &mut path,
        out: &mut out,
    };
    match stored.serialize(cmp) {
        Ok(()) => out,
        Err(Fallback) => {
            let stored = serde_json::to_value(stored).unwrap_or_default();
            unstored_fields(input, &stored)
        }
    }
}

/// The name serde_json gives `RawValue`'s struct (its `raw_value` feature).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Take the `to_value` road for this value (see the module docs).
#[derive(Debug)]
pub struct Fallback;

impl Display for Fallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not compared in place")
    }
}

impl std::error::Error for Fallback {}

impl ser::Error for Fallback {
    fn custom<M: Display>(_msg: M) -> Self {
        Fallback
    }
}

/// Compares what is serialized with `input` at `path`, pushing to `out`
/// the paths that differ. `input` is `None` below a stored member the
/// caller's JSON lacks: nothing is compared there, but serialization still
/// runs so that an error `to_value` would meet is met here too.
pub struct Cmp<'a, 'p> {
    input: Option<&'a Value>,
    path: &'p mut String,
    out: &'p mut Vec<String>,
}

/// `walk`'s answer for a stored scalar (neither side both objects nor both
/// arrays).
fn same_leaf(input: &Value, stored: &Value) -> bool {
    match (input, stored) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn report(path: &str, out: &mut Vec<String>) {
    out.push(if path.is_empty() {
        "$".into()
    } else {
        path.to_owned()
    });
}

/// Appends `.key` (or `key` at the top) to `path`; returns the old length.
fn push_key(path: &mut String, key: &str) -> usize {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
    len
}

impl Cmp<'_, '_> {
    /// Compares a scalar as serde_json's value serializer made it.
    fn leaf(self, stored: Result<Value, serde_json::Error>) -> Result<(), Fallback> {
        let stored = stored.map_err(|_| Fallback)?;
        if let Some(input) = self.input {
            if !same_leaf(input, &stored) {
                report(self.path, self.out);
            }
        }
        Ok(())
    }

    /// Compares a value serde_json built (the cases not done in place).
    fn built(self, stored: Result<Value, serde_json::Error>) -> Result<(), Fallback> {
        let stored = stored.map_err(|_| Fallback)?;
        if let Some(input) = self.input {
            walk(input, &stored, self.path, self.out);
        }
        Ok(())
    }

    /// Serializes `value` with nothing to compare it to.
    fn check<T: Serialize + ?Sized>(
        path: &mut String,
        out: &mut Vec<String>,
        value: &T,
    ) -> Result<(), Fallback> {
        value.serialize(Cmp {
            input: None,
            path,
            out,
        })
    }
}

macro_rules! leaves {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, v: $ty) -> Result<(), Fallback> {
                self.leaf(ValueSerializer.$method(v))
            }
        )*
    };
}

impl<'a, 'p> Serializer for Cmp<'a, 'p> {
    type Ok = ();
    type Error = Fallback;
    type SerializeSeq = Seq<'a, 'p>;
    type SerializeTuple = Seq<'a, 'p>;
    type SerializeTupleStruct = Seq<'a, 'p>;
    type SerializeTupleVariant = Impossible<(), Fallback>;
    type SerializeMap = Obj<'a, 'p>;
    type SerializeStruct = Obj<'a, 'p>;
    type SerializeStructVariant = Impossible<(), Fallback>;

    leaves! {
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128,
        serialize_f32: f32,
        serialize_f64: f64,
        serialize_char: char,
    }

    fn serialize_str(self, v: &str) -> Result<(), Fallback> {
        if let Some(input) = self.input {
            if !matches!(input, Value::String(s) if s == v) {
                report(self.path, self.out);
            }
        }
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Fallback> {
        self.built(ValueSerializer.serialize_bytes(v))
    }

    fn serialize_none(self) -> Result<(), Fallback> {
        self.leaf(Ok(Value::Null))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Fallback> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Fallback> {
        self.leaf(Ok(Value::Null))
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Fallback> {
        self.leaf(Ok(Value::Null))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Fallback> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Fallback> {
        value.serialize(self)
    }

    /// `{variant: value}`: an object of one member.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Fallback> {
        let Cmp { input, path, out } = self;
        let Some(Value::Object(a)) = input else {
            Cmp::check(path, out, value)?;
            if input.is_some() {
                report(path, out);
            }
            return Ok(());
        };
        if !a.contains_key(variant) {
            Cmp::check(path, out, value)?;
        }
        for (k, va) in a {
            let len = push_key(path, k);
            if k == variant {
                value.serialize(Cmp {
                    input: Some(va),
                    path: &mut *path,
                    out: &mut *out,
                })?;
            } else if !va.is_null() {
                out.push(path.clone());
            }
            path.truncate(len);
        }
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a, 'p>, Fallback> {
        let start = self.out.len();
        Ok(Seq {
            input: self.input,
            path: self.path,
            out: self.out,
            start,
            n: 0,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, 'p>, Fallback> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Seq<'a, 'p>, Fallback> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Fallback> {
        Err(Fallback)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Obj<'a, 'p>, Fallback> {
        let slots = match self.input {
            None => Slots::Check,
            Some(Value::Object(a)) => Slots::Against(
                a.iter()
                    .map(|(key, input)| Slot {
                        key,
                        input,
                        paths: None,
                    })
                    .collect(),
            ),
            Some(_) => Slots::Mismatch,
        };
        Ok(Obj {
            slots,
            path: self.path,
            out: self.out,
            key: None,
        })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Obj<'a, 'p>, Fallback> {
        if name == RAW_VALUE_TOKEN {
            return Err(Fallback);
        }
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Fallback> {
        Err(Fallback)
    }
}

/// A stored array against `input`: element by element while the caller's
/// JSON is an array, the whole path when the lengths end up different.
pub struct Seq<'a, 'p> {
    input: Option<&'a Value>,
    path: &'p mut String,
    out: &'p mut Vec<String>,
    /// `out`'s length before the first element.
    start: usize,
    /// Elements so far.
    n: usize,
}

impl Seq<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fallback> {
        let i = self.n;
        self.n += 1;
        match self.input {
            Some(Value::Array(items)) if i < items.len() => {
                let len = self.path.len();
                let _ = write!(self.path, "[{i}]");
                let r = value.serialize(Cmp {
                    input: items.get(i),
                    path: &mut *self.path,
                    out: &mut *self.out,
                });
                self.path.truncate(len);
                r
            }
            _ => Cmp::check(self.path, self.out, value),
        }
    }

    fn finish(self) -> Result<(), Fallback> {
        match self.input {
            None => {}
            Some(Value::Array(items)) if items.len() == self.n => {}
            Some(_) => {
                self.out.truncate(self.start);
                report(self.path, self.out);
            }
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_, '_> {
    type Ok = ();
    type Error = Fallback;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fallback> {
        self.element(value)
    }
    fn end(self) -> Result<(), Fallback> {
        self.finish()
    }
}

impl ser::SerializeTuple for Seq<'_, '_> {
    type Ok = ();
    type Error = Fallback;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fallback> {
        self.element(value)
    }
    fn end(self) -> Result<(), Fallback> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Seq<'_, '_> {
    type Ok = ();
    type Error = Fallback;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fallback> {
        self.element(value)
    }
    fn end(self) -> Result<(), Fallback> {
        self.finish()
    }
}

/// What a stored object is compared with.
enum Slots<'a> {
    /// Nothing (below a member the caller's JSON lacks).
    Check,
    /// Not an object: the whole path differs.
    Mismatch,
    /// The caller's object, member by member in its order (serde_json's
    /// map without `preserve_order` is a BTreeMap: sorted). A later stored member of the same name replaces an earlier
    /// one, as in `to_value`'s map.
    Against(Vec<Slot<'a>>),
}

/// One member of the caller's object: its key, its value, and the paths
/// the stored member of that name gave (`None` while there is none).
struct Slot<'a> {
    key: &'a str,
    input: &'a Value,
    paths: Option<Vec<String>>,
}

/// Where `key` is among `slots` (sorted by key). A small object is
/// scanned comparing lengths first: most keys differ in length, so this
/// costs less than a binary search's calls to `memcmp`.
fn find(slots: &[Slot<'_>], key: &str) -> Option<usize> {
    if slots.len() <= 16 {
        slots
            .iter()
            .position(|s| s.key.len() == key.len() && s.key == key)
    } else {
        slots.binary_search_by(|s| s.key.cmp(key)).ok()
    }
}

/// A stored object (struct or map). Members come in the stored order;
/// paths are given out in the caller's key order at the end.
pub struct Obj<'a, 'p> {
    slots: Slots<'a>,
    path: &'p mut String,
    out: &'p mut Vec<String>,
    /// A map's key waiting for its value.
    key: Option<String>,
}

impl Obj<'_, '_> {
    fn member<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Fallback> {
        let Slots::Against(slots) = &mut self.slots else {
            return Cmp::check(self.path, self.out, value);
        };
        let Some(i) = find(slots, key) else {
            return Cmp::check(self.path, self.out, value);
        };
        let Some(slot) = slots.get_mut(i) else {
            return Err(Fallback);
        };
        let mut paths = Vec::new();
        let len = push_key(self.path, key);
        let r = value.serialize(Cmp {
            input: Some(slot.input),
            path: &mut *self.path,
            out: &mut paths,
        });
        self.path.truncate(len);
        slot.paths = Some(paths);
        r
    }

    fn finish(self) -> Result<(), Fallback> {
        match self.slots {
            Slots::Check => {}
            Slots::Mismatch => report(self.path, self.out),
            Slots::Against(slots) => {
                for slot in slots {
                    match slot.paths {
                        Some(paths) => self.out.extend(paths),
                        None if slot.input.is_null() => {}
                        // `walk` names a missing member by its path as is
                        // (`""` for a top-level empty key), not `$`.
                        None => {
                            let len = push_key(self.path, slot.key);
                            self.out.push(self.path.clone());
                            self.path.truncate(len);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl ser::SerializeStruct for Obj<'_, '_> {
    type Ok = ();
    type Error = Fallback;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Fallback> {
        self.member(key, value)
    }
    fn end(self) -> Result<(), Fallback> {
        self.finish()
    }
}

impl ser::SerializeMap for Obj<'_, '_> {
    type Ok = ();
    type Error = Fallback;

    /// A key as serde_json's map would hold it: string keys (and what
    /// serializes as a string) only; any other key takes the `to_value`
    /// road, which names them as serde_json does or fails as it does.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Fallback> {
        match serde_json::to_value(key) {
            Ok(Value::String(k)) => {
                self.key = Some(k);
                Ok(())
            }
            _ => Err(Fallback),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fallback> {
        let key = self.key.take().ok_or(Fallback)?;
        self.member(&key, value)
    }

    fn end(self) -> Result<(), Fallback> {
        self.finish()
    }
}
