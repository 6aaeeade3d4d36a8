//! ServiceStack JSV ("JSON-ish, CSV-style") as a serde data format.
//!
//! The codec knows nothing about any vendor; it maps serde's data model onto
//! JSV text and back.
//!
//! # The format as written
//!
//! - Objects `{Key:Value,Key2:Value2}`, lists `[a,b]`, no white space.
//! - A string is written bare unless it is empty, holds any of
//!   `" : , { } [ ] \r \n`, or starts or ends with white space
//!   (`char::is_whitespace`); then it is put in `"` quotes and an inner `"` is
//!   doubled. There is no backslash escaping.
//! - `None` (and `()`, unit structs) writes nothing: a struct member or map
//!   entry whose value is `None` is left out, key and all. In a list a `None`
//!   is an empty element, and a list whose *last* element is empty gets a
//!   trailing comma, so `[None]` is `[,]`, `[Some(1), None]` is `[1,,]` and
//!   `[None, Some(1)]` is `[,1]` (`[]` stays the empty list).
//! - Booleans `True` / `False`; integers as Rust prints them; floats in
//!   Rust's shortest round-trip form (`{:?}`: `1.0`, `0.1`, `1e300`; the
//!   non-finite ones as `NaN`, `inf`, `-inf`, which read back).
//! - Unit enum variants by name; other variants as `{Name:value}`.
//! - Map keys are strings, or scalars written as their text.
//!
//! # Reading
//!
//! - White space (ASCII) between tokens is skipped, and trimmed from the ends
//!   of a bare token; keys and values may be quoted (`"Id": "0"`).
//! - A bare value runs to the next `,` `}` `]` (so `10:00` needs no quotes);
//!   a bare key runs to `:`. A trailing comma before `}` or `]` is allowed.
//! - JSV is untyped text, so the target type decides: `deserialize_i64`
//!   parses the token as an integer, `deserialize_bool` takes `true` /
//!   `false` in any case, a string takes the token's text (quoted or not;
//!   given a list or object, the raw JSV text of it, as ServiceStack does).
//!   An empty value is `None` for an `Option`, `""` for a string.
//! - `deserialize_any` (`serde_json::Value`, untagged enums, flatten) sees
//!   `{` as a map, `[` as a list, a quoted token as a string, an empty bare
//!   token as unit (null), a bare `true`/`false` (any case) as a bool, and any
//!   other bare token as a string: it cannot tell numbers from strings. So a
//!   `serde_json::Value` comes back with numbers as strings, and a string
//!   `"true"` as a bool; serde's `flatten` and untagged enums see the same.
//! - Lossy by design: `Some(None)` and `Some(())` read back as `None`, as a
//!   null writes nothing.
//! - Limits against hostile input: nesting depth [`MAX_DEPTH`], and
//!   [`MAX_ITEMS`] list elements plus object members per document. Invalid
//!   UTF-8 and trailing characters are errors.

mod access;
mod de;
mod error;
mod keyser;
mod scalar;
mod ser;
#[cfg(test)]
mod tests;

pub use error::Error;

use serde::{Deserialize, Serialize};

/// Deepest nesting of lists and objects, when writing and reading.
pub const MAX_DEPTH: usize = 64;

/// Most list elements plus object members in one document read.
pub const MAX_ITEMS: usize = 1 << 20;

/// Writes `value` as compact JSV.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut writer = ser::Writer::new();
    value.serialize(&mut writer)?;
    Ok(writer.out)
}

/// Writes `value` as compact JSV, UTF-8 encoded.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    to_string(value).map(String::into_bytes)
}

/// Reads a `T` from JSV text; the whole input must be one value.
pub fn from_str<'de, T: Deserialize<'de>>(s: &'de str) -> Result<T, Error> {
    let mut de = de::Deserializer::new(s);
    let value = T::deserialize(&mut de).map_err(|e| e.with_offset(de.pos))?;
    if !de.at_end() {
        return Err(Error::at("trailing characters", de.pos));
    }
    Ok(value)
}

/// Reads a `T` from JSV bytes, which must be UTF-8.
pub fn from_slice<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, Error> {
    let s = std::str::from_utf8(bytes).map_err(|e| Error::at("invalid UTF-8", e.valid_up_to()))?;
    from_str(s)
}
