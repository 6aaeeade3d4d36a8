//! The JSON driver: serde_json tokenizes, and visitors write the unified
//! JSON instead of building values.
//!
//! Each value is asked of the deserializer with the same `deserialize_*`
//! call the typed path's `Deserialize` impls make (`Field<T>` is an
//! `Option<T>`, `String` a string, `i64` an `i64`, `Num` and `EnumValue`
//! anything), so a value is accepted exactly when the typed path accepts
//! it. What the derived impls add is checked here too: a repeated known
//! member is an error (serde's `duplicate field`). Any error gives up the
//! stream: the caller then runs the typed path, which names it.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::fast;
use super::shape::{Frames, Kind, Shape};
use super::text::{write_bool, write_f64, write_i64, write_str, write_u64};
use super::unknown::{Seg, Style, Unknown};
use super::ListJson;

/// What a driver keeps for the whole document.
struct Ctx {
    frames: Frames,
    unknown: Unknown,
}

/// A streamed object: its unified JSON and the paths of the vendor
/// members it skipped.
pub type Streamed = (Vec<u8>, Vec<String>);

/// `body` as one object of `shape`, or `None` when the typed path must
/// read it.
pub fn object(body: &[u8], shape: &'static Shape, style: Style) -> Option<Streamed> {
    let mut ctx = Ctx {
        frames: Frames::default(),
        unknown: Unknown::new(style),
    };
    let text = whole_text(body)?;
    let mut out = Vec::with_capacity(body.len() + body.len() / 8);
    if let Some(unknown) = fast::object(text, shape, style, &mut out) {
        return Some((out, unknown));
    }
    out.clear();
    let mut de = serde_json::Deserializer::from_str(text);
    Obj {
        ctx: &mut ctx,
        shape,
        out: &mut out,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some((out, ctx.unknown.found))
}

/// `body` as a list of objects of `shape` (the top level is a `Vec`, not
/// a `Field`), with where each item is, or `None`.
pub fn list(body: &[u8], shape: &'static Shape, style: Style) -> Option<(ListJson, Vec<String>)> {
    let mut ctx = Ctx {
        frames: Frames::default(),
        unknown: Unknown::new(style),
    };
    let mut list = ListJson {
        json: Vec::with_capacity(body.len() + body.len() / 8),
        items: Vec::new(),
    };
    let text = whole_text(body)?;
    if let Some(unknown) = fast::list(text, shape, style, &mut list) {
        return Some((list, unknown));
    }
    list.json.clear();
    list.items.clear();
    let mut de = serde_json::Deserializer::from_str(text);
    (&mut de)
        .deserialize_seq(List {
            ctx: &mut ctx,
            shape,
            out: &mut list.json,
            items: Some(&mut list.items),
        })
        .ok()?;
    de.end().ok()?;
    Some((list, ctx.unknown.found))
}

/// The document as text, checked once: serde_json then reads each string
/// without checking it again (from bytes it checks every string, keys
/// included, one call each). Not UTF-8: `None`, the typed path says why
/// (invalid UTF-8 outside a string is a syntax error either way).
fn whole_text(body: &[u8]) -> Option<&str> {
    std::str::from_utf8(body).ok()
}

fn custom<E: de::Error>(what: &'static str) -> E {
    E::custom(what)
}

/// An object of `shape`, written to `out` in unified order.
struct Obj<'c> {
    ctx: &'c mut Ctx,
    shape: &'static Shape,
    out: &'c mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for Obj<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Obj<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Obj { ctx, shape, out } = self;
        let mut frame = ctx.frames.take(shape.slots);
        let mut hint = 0;
        while let Some(key) = map.next_key_seed(Key { shape, hint })? {
            let Some(i) = key.known else {
                ctx.unknown.report(&key.name);
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let m = &shape.members[i];
            hint = i + 1;
            if frame.is_set(m.slot) {
                return Err(custom("duplicate member"));
            }
            let start = frame.buf.len();
            ctx.unknown.push(Seg::Name(m.name));
            map.next_value_seed(Value {
                ctx: &mut *ctx,
                kind: &m.kind,
                out: &mut frame.buf,
            })?;
            ctx.unknown.pop();
            frame.set(m.slot, start);
        }
        frame.emit(shape, out);
        ctx.frames.give(frame);
        Ok(())
    }
}

/// A key: the index of a known member, or the name of an unknown one.
struct KeyOf {
    known: Option<usize>,
    name: String,
}

struct Key {
    shape: &'static Shape,
    hint: usize,
}

impl Key {
    fn of<E>(self, v: &str) -> Result<KeyOf, E> {
        Ok(match self.shape.find(self.hint, v.as_bytes()) {
            Some(i) => KeyOf {
                known: Some(i),
                name: String::new(),
            },
            None => KeyOf {
                known: None,
                name: v.to_owned(),
            },
        })
    }
}

impl<'de> DeserializeSeed<'de> for Key {
    type Value = KeyOf;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<KeyOf, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = KeyOf;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyOf, E> {
        self.of(v)
    }
}

/// A member's value (`Field<T>`: null, or a `T` of `kind`).
struct Value<'c> {
    ctx: &'c mut Ctx,
    kind: &'static Kind,
    out: &'c mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for Value<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Value<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member value")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let Value { ctx, kind, out } = self;
        match kind {
            Kind::Str => d.deserialize_string(Str(out)),
            Kind::Num => d.deserialize_any(Number(out)),
            Kind::Int => d.deserialize_i64(Int(out)),
            Kind::Bool => d.deserialize_bool(Bool(out)),
            Kind::Enum(table) => d.deserialize_any(Enum(table, out)),
            Kind::Labels => d.deserialize_string(Labels(out)),
            Kind::StrList => d.deserialize_seq(StrList(out)),
            Kind::List(shape) => {
                ctx.unknown.push(Seg::Opt);
                d.deserialize_seq(List {
                    ctx: &mut *ctx,
                    shape,
                    out,
                    items: None,
                })?;
                ctx.unknown.pop();
                Ok(())
            }
            Kind::Object(shape) => {
                ctx.unknown.push(Seg::Opt);
                Obj {
                    ctx: &mut *ctx,
                    shape,
                    out,
                }
                .deserialize(d)?;
                ctx.unknown.pop();
                Ok(())
            }
        }
    }
}

/// A list of objects of `shape`; `items` collects where each one is.
struct List<'c> {
    ctx: &'c mut Ctx,
    shape: &'static Shape,
    out: &'c mut Vec<u8>,
    items: Option<&'c mut Vec<(usize, usize)>>,
}

impl<'de> Visitor<'de> for List<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let List {
            ctx,
            shape,
            out,
            mut items,
        } = self;
        out.push(b'[');
        let mut i = 0;
        loop {
            let mark = out.len();
            if i > 0 {
                out.push(b',');
            }
            let start = out.len();
            ctx.unknown.push(Seg::Index(i));
            let got = seq.next_element_seed(Obj {
                ctx: &mut *ctx,
                shape,
                out: &mut *out,
            })?;
            ctx.unknown.pop();
            if got.is_none() {
                out.truncate(mark);
                break;
            }
            if let Some(items) = items.as_deref_mut() {
                items.push((start, out.len()));
            }
            i += 1;
        }
        out.push(b']');
        Ok(())
    }
}

/// A `String`.
struct Str<'o>(&'o mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for Str<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_string(self)
    }
}

impl<'de> Visitor<'de> for Str<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        write_str(self.0, v);
        Ok(())
    }
}

/// A `Num` (serde_json's `Number`: any JSON number).
struct Number<'o>(&'o mut Vec<u8>);

impl<'de> Visitor<'de> for Number<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        write_i64(self.0, v);
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        write_u64(self.0, v);
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if !v.is_finite() {
            return Err(custom("not a JSON number"));
        }
        write_f64(self.0, v);
        Ok(())
    }
}

/// An `i64`.
struct Int<'o>(&'o mut Vec<u8>);

impl<'de> Visitor<'de> for Int<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an i64")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        write_i64(self.0, v);
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        let v = i64::try_from(v).map_err(|_| custom("i64 out of range"))?;
        write_i64(self.0, v);
        Ok(())
    }
}

struct Bool<'o>(&'o mut Vec<u8>);

impl<'de> Visitor<'de> for Bool<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        write_bool(self.0, v);
        Ok(())
    }
}

/// An `EnumValue`: a name as it is, a code as its name when `table` has it.
struct Enum<'o>(&'static [(i64, &'static str)], &'o mut Vec<u8>);

impl Enum<'_> {
    fn code(self, c: i64) {
        match self.0.iter().find(|(code, _)| *code == c) {
            Some((_, name)) => write_str(self.1, name),
            None => write_i64(self.1, c),
        }
    }
}

impl<'de> Visitor<'de> for Enum<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an enum name or code")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        write_str(self.1, v);
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.code(v);
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        let v = i64::try_from(v).map_err(|_| custom("enum code out of range"))?;
        self.code(v);
        Ok(())
    }
}

/// A list of `String`.
struct StrList<'o>(&'o mut Vec<u8>);

impl<'de> Visitor<'de> for StrList<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of strings")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let out = self.0;
        out.push(b'[');
        let mut first = true;
        loop {
            let mark = out.len();
            if !first {
                out.push(b',');
            }
            if seq.next_element_seed(Str(&mut *out))?.is_none() {
                out.truncate(mark);
                break;
            }
            first = false;
        }
        out.push(b']');
        Ok(())
    }
}

/// Fleet-admin's `Labels`: a string holding a JSON object, written as the
/// object. Its members keep their order (and repeats), as `unified::Labels`
/// does; a value that is an array or an object gives up the stream
/// (`serde_json::Value` would reorder an object's members).
struct Labels<'o>(&'o mut Vec<u8>);

impl<'de> Visitor<'de> for Labels<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a stringified JSON object")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        let mut de = serde_json::Deserializer::from_str(v);
        (&mut de)
            .deserialize_map(LabelMembers(&mut *self.0))
            .and_then(|()| de.end())
            .map_err(|_| custom("unreadable labels"))
    }
}

struct LabelMembers<'o>(&'o mut Vec<u8>);

impl<'de> Visitor<'de> for LabelMembers<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.0;
        out.push(b'{');
        let mut first = true;
        loop {
            let mark = out.len();
            if !first {
                out.push(b',');
            }
            if map.next_key_seed(Str(&mut *out))?.is_none() {
                out.truncate(mark);
                break;
            }
            out.push(b':');
            map.next_value_seed(Scalar(&mut *out))?;
            first = false;
        }
        out.push(b'}');
        Ok(())
    }
}

/// A `serde_json::Value` that is no array or object.
struct Scalar<'o>(&'o mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for Scalar<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scalar<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON scalar")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        write_bool(self.0, v);
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        write_i64(self.0, v);
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        write_u64(self.0, v);
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        // `Value` turns a float that is no JSON number into null; the
        // parser never yields one, but give up rather than guess.
        if !v.is_finite() {
            return Err(custom("not a JSON number"));
        }
        write_f64(self.0, v);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        write_str(self.0, v);
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }
}
