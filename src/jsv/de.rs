//! Reading JSV: a serde `Deserializer` driven by the target type.

use serde::de::{self, IgnoredAny, Visitor};
use std::borrow::Cow;

use super::access::Access;
use super::scalar::Scalar;
use super::{Error, MAX_DEPTH, MAX_ITEMS};

pub(crate) struct Deserializer<'de> {
    input: &'de str,
    pub(crate) pos: usize,
    depth: usize,
    items: usize,
}

fn is_ws(b: u8) -> bool {
    b.is_ascii_whitespace()
}

impl<'de> Deserializer<'de> {
    pub(crate) fn new(input: &'de str) -> Self {
        Deserializer {
            input,
            pos: 0,
            depth: 0,
            items: 0,
        }
    }

    pub(crate) fn err(&self, message: &str) -> Error {
        Error::at(message, self.pos)
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.input.as_bytes().get(self.pos).copied()
    }

    pub(crate) fn skip_ws(&mut self) {
        while self.peek().is_some_and(is_ws) {
            self.pos += 1;
        }
    }

    /// Skips white space and reports whether the input ends here.
    pub(crate) fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos == self.input.len()
    }

    pub(crate) fn expect(&mut self, byte: u8, message: &str) -> Result<(), Error> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(message))
        }
    }

    fn enter(&mut self, open: u8, message: &str) -> Result<(), Error> {
        self.expect(open, message)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("nesting too deep"));
        }
        Ok(())
    }

    pub(crate) fn count_item(&mut self) -> Result<(), Error> {
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(self.err("too many list elements or members"));
        }
        Ok(())
    }

    /// Reads a quoted token; `self.pos` is at the opening quote.
    fn quoted(&mut self) -> Result<Cow<'de, str>, Error> {
        let start = self.pos;
        let bytes = self.input.as_bytes();
        let mut i = start + 1;
        let mut doubled = false;
        loop {
            match bytes[i..].iter().position(|&b| b == b'"') {
                None => return Err(Error::at("unterminated quoted string", start)),
                Some(n) => i += n,
            }
            if bytes.get(i + 1) == Some(&b'"') {
                doubled = true;
                i += 2;
            } else {
                break;
            }
        }
        // `i` is at the closing quote; both quotes are ASCII, so these are
        // char boundaries.
        let inner = &self.input[start + 1..i];
        self.pos = i + 1;
        Ok(if doubled {
            Cow::Owned(inner.replace("\"\"", "\""))
        } else {
            Cow::Borrowed(inner)
        })
    }

    /// Reads one scalar token: quoted, or bare up to the next delimiter with
    /// white space trimmed. A key ends at `:`, a value at `,` `}` `]`.
    pub(crate) fn scalar(&mut self, key: bool) -> Result<Scalar<'de>, Error> {
        self.skip_ws();
        let offset = self.pos;
        match self.peek() {
            Some(b'"') => {
                let text = self.quoted()?;
                return Ok(Scalar {
                    text,
                    quoted: true,
                    offset,
                });
            }
            Some(b'{') | Some(b'[') => {
                return Err(self.err(if key {
                    "expected a key"
                } else {
                    "expected a scalar value, found a list or object"
                }))
            }
            _ => {}
        }
        let rest = &self.input.as_bytes()[offset..];
        let len = rest
            .iter()
            .position(|&b| {
                if key {
                    matches!(b, b':' | b',' | b'{' | b'}' | b'[' | b']')
                } else {
                    matches!(b, b',' | b'}' | b']')
                }
            })
            .unwrap_or(rest.len());
        self.pos = offset + len;
        // Delimiters are ASCII, so `offset + len` is a char boundary.
        let text =
            self.input[offset..offset + len].trim_end_matches(|c: char| c.is_ascii_whitespace());
        Ok(Scalar {
            text: Cow::Borrowed(text),
            quoted: false,
            offset,
        })
    }

    /// Skips one whole value of any shape, with the same limits as reading.
    fn skip_value(&mut self) -> Result<(), Error> {
        self.skip_ws();
        match self.peek() {
            Some(b'{') => de::Deserializer::deserialize_map(&mut *self, IgnoredAny).map(|_| ()),
            Some(b'[') => de::Deserializer::deserialize_seq(&mut *self, IgnoredAny).map(|_| ()),
            _ => self.scalar(false).map(|_| ()),
        }
    }

    fn next_is_empty_value(&mut self) -> bool {
        self.skip_ws();
        matches!(self.peek(), None | Some(b',' | b'}' | b']'))
    }

    fn next_is_compound(&mut self) -> bool {
        self.skip_ws();
        matches!(self.peek(), Some(b'{' | b'['))
    }
}

macro_rules! via_scalar {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.scalar(false)?.$method(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    /// `{` is a map, `[` a list; anything else is read as a scalar (see
    /// `Scalar::deserialize_any`: strings, bools and empty values only).
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip_ws();
        match self.peek() {
            Some(b'{') => self.deserialize_map(visitor),
            Some(b'[') => self.deserialize_seq(visitor),
            _ => self.scalar(false)?.deserialize_any(visitor),
        }
    }

    via_scalar! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_unit deserialize_identifier
    }

    /// A string target takes a scalar's text; given a list or object it takes
    /// the raw JSV text of it, as ServiceStack does for a string member.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.next_is_compound() {
            let start = self.pos;
            self.skip_value()?;
            let raw = &self.input[start..self.pos];
            return visitor.visit_borrowed_str(raw);
        }
        self.scalar(false)?.deserialize_str(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.next_is_compound() {
            return self.deserialize_seq(visitor);
        }
        self.scalar(false)?.deserialize_bytes(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    /// An empty value (nothing before the next `,` `}` `]` or the end) is
    /// `None`; anything else, `""` included, is `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.next_is_empty_value() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
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

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.enter(b'[', "expected a list")?;
        let mut access = Access::new(self);
        let value = visitor.visit_seq(&mut access)?;
        access.finish(b']', "list longer than expected")?;
        self.depth -= 1;
        Ok(value)
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

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.enter(b'{', "expected an object")?;
        let mut access = Access::new(self);
        let value = visitor.visit_map(&mut access)?;
        access.finish(b'}', "object longer than expected")?;
        self.depth -= 1;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// A unit variant is its name; any other variant is `{Name:value}`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.skip_ws();
        if self.peek() != Some(b'{') {
            return self
                .scalar(false)?
                .deserialize_enum(name, variants, visitor);
        }
        self.enter(b'{', "expected an enum")?;
        let value = visitor.visit_enum(&mut *self)?;
        self.expect(b'}', "expected `}` after an enum variant")?;
        self.depth -= 1;
        Ok(value)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip_value()?;
        visitor.visit_unit()
    }
}
