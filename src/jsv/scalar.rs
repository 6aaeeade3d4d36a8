//! One scalar token (a map key, or a value that is neither a list nor an
//! object) as a serde `Deserializer`: the target type decides how to read the
//! text, since JSV does not mark numbers, booleans or strings apart.

use serde::de::{self, IntoDeserializer, Visitor};
use std::borrow::Cow;
use std::str::FromStr;

use super::Error;

pub(crate) struct Scalar<'de> {
    pub(crate) text: Cow<'de, str>,
    /// Written in quotes: then it is a string even when empty.
    pub(crate) quoted: bool,
    /// Byte offset of the token in the input, for errors.
    pub(crate) offset: usize,
}

impl<'de> Scalar<'de> {
    fn err(&self, what: &str) -> Error {
        Error::at(format_args!("expected {what}"), self.offset)
    }

    fn parse<T: FromStr>(&self, what: &str) -> Result<T, Error> {
        self.text.parse().map_err(|_| self.err(what))
    }

    fn is_empty_value(&self) -> bool {
        !self.quoted && self.text.is_empty()
    }

    fn parse_bool(&self) -> Option<bool> {
        if self.text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if self.text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    }
}

macro_rules! parse_num {
    ($($method:ident => $visit:ident : $ty:ty, $what:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let v: $ty = self.parse($what)?;
            visitor.$visit(v)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Scalar<'de> {
    type Error = Error;

    /// Quoted text is a string; an empty bare token is a unit (null); a bare
    /// `true`/`false` (any case) is a bool; any other bare token is a string,
    /// numbers included: the text alone cannot tell `1` the number from `1`
    /// the string.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.quoted {
            return self.deserialize_str(visitor);
        }
        if self.text.is_empty() {
            return visitor.visit_unit();
        }
        match self.parse_bool() {
            Some(b) => visitor.visit_bool(b),
            None => self.deserialize_str(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.parse_bool() {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.err("True or False")),
        }
    }

    parse_num! {
        deserialize_i8 => visit_i8: i8, "an integer";
        deserialize_i16 => visit_i16: i16, "an integer";
        deserialize_i32 => visit_i32: i32, "an integer";
        deserialize_i64 => visit_i64: i64, "an integer";
        deserialize_i128 => visit_i128: i128, "an integer";
        deserialize_u8 => visit_u8: u8, "an unsigned integer";
        deserialize_u16 => visit_u16: u16, "an unsigned integer";
        deserialize_u32 => visit_u32: u32, "an unsigned integer";
        deserialize_u64 => visit_u64: u64, "an unsigned integer";
        deserialize_u128 => visit_u128: u128, "an unsigned integer";
        deserialize_f32 => visit_f32: f32, "a number";
        deserialize_f64 => visit_f64: f64, "a number";
        deserialize_char => visit_char: char, "a single character";
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.text {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.text {
            Cow::Borrowed(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
            Cow::Owned(s) => visitor.visit_byte_buf(s.into_bytes()),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_empty_value() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_empty_value() {
            visitor.visit_unit()
        } else {
            Err(self.err("an empty value"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(self.err("a list"))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(self.err("an object"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// A bare or quoted token names a unit variant.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let offset = self.offset;
        let result = match self.text {
            Cow::Borrowed(s) => visitor.visit_enum(s.into_deserializer()),
            Cow::Owned(s) => visitor.visit_enum(s.into_deserializer()),
        };
        result.map_err(|e: Error| e.with_offset(offset))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}
