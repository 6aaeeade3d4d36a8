//! The one error type of the JSV codec, for writing and reading alike.

use std::fmt;

/// Longest message kept; serde's own messages may quote input text, and an
/// error must not echo a large (possibly hostile) input back to a log.
const MAX_MESSAGE: usize = 120;

/// A JSV error: a short message and, when reading, the byte offset in the
/// input where the reader stopped.
///
/// serde's type, value, variant and field errors are written here without
/// the value read (`invalid type: string, expected i64`): the input may be
/// a vendor's body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("jsv: {message}{}", At(*.offset))]
pub struct Error {
    message: String,
    offset: Option<usize>,
    /// The message is a `Deserialize` impl's own (serde's `custom`), which
    /// may quote the input.
    custom: bool,
}

struct At(Option<usize>);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(offset) => write!(f, " at byte {offset}"),
            None => Ok(()),
        }
    }
}

impl Error {
    pub(crate) fn new(message: impl fmt::Display) -> Self {
        let mut message = message.to_string();
        if message.len() > MAX_MESSAGE {
            let mut end = MAX_MESSAGE;
            while !message.is_char_boundary(end) {
                end -= 1;
            }
            message.truncate(end);
            message.push('…');
        }
        Error {
            message,
            offset: None,
            custom: false,
        }
    }

    pub(crate) fn at(message: impl fmt::Display, offset: usize) -> Self {
        Error::new(message).with_offset(offset)
    }

    /// Sets the offset unless one is already known (the innermost is best).
    pub(crate) fn with_offset(mut self, offset: usize) -> Self {
        self.offset.get_or_insert(offset);
        self
    }

    /// The message, without position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset in the input where reading stopped; `None` for errors
    /// raised while writing.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// Whether the message was written by a `Deserialize` impl (serde's
    /// `custom`) rather than by this codec or serde's fixed texts: it may
    /// quote the input.
    pub fn is_custom(&self) -> bool {
        self.custom
    }
}

/// The kind of a value serde did not expect, without the value.
fn kind(u: &serde::de::Unexpected<'_>) -> &'static str {
    use serde::de::Unexpected as U;
    match u {
        U::Bool(_) => "boolean",
        U::Unsigned(_) | U::Signed(_) => "integer",
        U::Float(_) => "floating point",
        U::Char(_) => "character",
        U::Str(_) => "string",
        U::Bytes(_) => "byte array",
        U::Unit => "unit value",
        U::Option => "Option value",
        U::NewtypeStruct => "newtype struct",
        U::Seq => "sequence",
        U::Map => "map",
        U::Enum => "enum",
        U::UnitVariant => "unit variant",
        U::NewtypeVariant => "newtype variant",
        U::TupleVariant => "tuple variant",
        U::StructVariant => "struct variant",
        U::Other(_) => "value",
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(msg)
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let mut e = Error::new(msg);
        e.custom = true;
        e
    }

    fn invalid_type(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Error::new(format_args!(
            "invalid type: {}, expected {exp}",
            kind(&unexp)
        ))
    }

    fn invalid_value(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Error::new(format_args!(
            "invalid value: {}, expected {exp}",
            kind(&unexp)
        ))
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        match expected {
            [] => Error::new("unknown variant, there are no variants"),
            names => Error::new(format_args!(
                "unknown variant, expected one of `{}`",
                names.join("`, `")
            )),
        }
    }

    fn unknown_field(_field: &str, _expected: &'static [&'static str]) -> Self {
        Error::new("unknown field")
    }
}
