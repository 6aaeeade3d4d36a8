//! Walking lists, objects and `{Name:value}` enum variants while reading.

use serde::de::{self, DeserializeSeed, Visitor};

use super::de::Deserializer;
use super::Error;

/// Walks the elements of a list or the members of an object.
pub(crate) struct Access<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    first: bool,
    done: bool,
}

impl<'a, 'de> Access<'a, 'de> {
    pub(crate) fn new(de: &'a mut Deserializer<'de>) -> Self {
        Access {
            de,
            first: true,
            done: false,
        }
    }

    /// Steps to the next item: returns false at the closing bracket, which
    /// it consumes. A `,` right before the closing bracket ends the list too:
    /// the writer adds it after an empty last element (`[,]` is `[None]`).
    fn advance(&mut self, close: u8, message: &str) -> Result<bool, Error> {
        if self.done {
            return Ok(false);
        }
        self.de.skip_ws();
        if !self.first {
            match self.de.peek() {
                Some(b',') => {
                    self.de.pos += 1;
                    self.de.skip_ws();
                }
                Some(b) if b == close => {}
                _ => return Err(self.de.err(message)),
            }
        }
        if self.de.peek() == Some(close) {
            self.de.pos += 1;
            self.done = true;
            return Ok(false);
        }
        self.first = false;
        self.de.count_item()?;
        Ok(true)
    }

    /// After the visitor: the list or object must end here.
    pub(crate) fn finish(&mut self, close: u8, message: &str) -> Result<(), Error> {
        if self.done {
            return Ok(());
        }
        if self.advance(close, message)? {
            return Err(self.de.err(message));
        }
        Ok(())
    }
}

impl<'de> de::SeqAccess<'de> for Access<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if !self.advance(b']', "expected `,` or `]` in a list")? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Access<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if !self.advance(b'}', "expected `,` or `}` in an object")? {
            return Ok(None);
        }
        let key = self.de.scalar(true)?;
        let offset = key.offset;
        self.de.expect(b':', "expected `:` after a key")?;
        seed.deserialize(key)
            .map(Some)
            .map_err(|e| e.with_offset(offset))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(&mut *self.de)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Deserializer<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let key = self.scalar(true)?;
        let offset = key.offset;
        self.expect(b':', "expected `:` after a variant name")?;
        let value = seed.deserialize(key).map_err(|e| e.with_offset(offset))?;
        Ok((value, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
