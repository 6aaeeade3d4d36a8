//! Writing JSV: a serde `Serializer` that emits compact text.

use serde::ser::{self, Serialize};
use std::fmt::Write as _;

use super::keyser::KeyWriter;
use super::{Error, MAX_DEPTH};

/// What one value wrote: something, or nothing at all (a null). A null member
/// of a struct or map is then taken back out, key and all.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    Value,
    Null,
}

pub(crate) struct Writer {
    pub(crate) out: String,
    depth: usize,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Writer {
            out: String::new(),
            depth: 0,
        }
    }

    fn open(&mut self, bracket: char) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::new("nesting too deep"));
        }
        self.out.push(bracket);
        Ok(())
    }

    fn close(&mut self, bracket: char) {
        self.depth -= 1;
        self.out.push(bracket);
    }

    fn display(&mut self, v: impl std::fmt::Display) -> Result<Written, Error> {
        write!(self.out, "{v}").map_err(Error::new)?;
        Ok(Written::Value)
    }
}

/// True when `s` must be quoted: it is empty, holds one of the JSV special
/// characters, or starts or ends with white space (a reader trims bare
/// tokens).
pub(crate) fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.bytes().any(|b| {
            matches!(
                b,
                b'"' | b':' | b',' | b'{' | b'}' | b'[' | b']' | b'\r' | b'\n'
            )
        })
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
}

pub(crate) fn write_str(out: &mut String, s: &str) {
    if needs_quotes(s) {
        out.push('"');
        for (i, part) in s.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

pub(crate) fn bool_text(v: bool) -> &'static str {
    if v {
        "True"
    } else {
        "False"
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = Written;
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<Written, Error> {
        self.out.push_str(bool_text(v));
        Ok(Written::Value)
    }
    fn serialize_i8(self, v: i8) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Written, Error> {
        self.display(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Written, Error> {
        // Debug is Rust's shortest round-trip form, with an exponent for very
        // large or small magnitudes (Display would write hundreds of digits).
        self.display(format_args!("{v:?}"))
    }
    fn serialize_f64(self, v: f64) -> Result<Written, Error> {
        self.display(format_args!("{v:?}"))
    }
    fn serialize_char(self, v: char) -> Result<Written, Error> {
        write_str(&mut self.out, v.encode_utf8(&mut [0; 4]));
        Ok(Written::Value)
    }
    fn serialize_str(self, v: &str) -> Result<Written, Error> {
        write_str(&mut self.out, v);
        Ok(Written::Value)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Written, Error> {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<Written, Error> {
        Ok(Written::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Written, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Written, Error> {
        Ok(Written::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Written, Error> {
        Ok(Written::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Written, Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Written, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Written, Error> {
        self.open('{')?;
        write_str(&mut self.out, variant);
        self.out.push(':');
        value.serialize(&mut *self)?;
        self.close('}');
        Ok(Written::Value)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.open('[')?;
        Ok(Compound::new(self, "]"))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.open('{')?;
        write_str(&mut self.out, variant);
        self.out.push(':');
        self.open('[')?;
        Ok(Compound::new(self, "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.open('{')?;
        Ok(Compound::new(self, "}"))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.open('{')?;
        write_str(&mut self.out, variant);
        self.out.push(':');
        self.open('{')?;
        Ok(Compound::new(self, "}}"))
    }
}

/// An open list or object. `closers` holds one bracket per level opened.
pub(crate) struct Compound<'a> {
    w: &'a mut Writer,
    closers: &'static str,
    first: bool,
    /// Whether the last list element wrote nothing (a null).
    last_null: bool,
    /// Where the current map entry began, to take it out if its value is null.
    entry_start: usize,
}

impl<'a> Compound<'a> {
    fn new(w: &'a mut Writer, closers: &'static str) -> Self {
        Compound {
            w,
            closers,
            first: true,
            last_null: false,
            entry_start: 0,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
        self.last_null = value.serialize(&mut *self.w)? == Written::Null;
        Ok(())
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.entry_start = self.w.out.len();
        if !self.first {
            self.w.out.push(',');
        }
        key.serialize(KeyWriter(&mut self.w.out))?;
        self.w.out.push(':');
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if value.serialize(&mut *self.w)? == Written::Null {
            self.w.out.truncate(self.entry_start);
        } else {
            self.first = false;
        }
        Ok(())
    }

    fn finish(self) -> Result<Written, Error> {
        // A list whose last element is empty gets a trailing comma, so that
        // `[None]` is `[,]` and not `[]` (see the module docs).
        if self.last_null {
            self.w.out.push(',');
        }
        for c in self.closers.chars() {
            self.w.close(c);
        }
        Ok(Written::Value)
    }
}

macro_rules! seq_impl {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = Written;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<Written, Error> {
                self.finish()
            }
        }
    )*};
}
seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = Written;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> Result<Written, Error> {
        self.finish()
    }
}

macro_rules! struct_impl {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = Written;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.key(key)?;
                self.value(value)
            }
            fn end(self) -> Result<Written, Error> {
                self.finish()
            }
        }
    )*};
}
struct_impl!(SerializeStruct, SerializeStructVariant);
