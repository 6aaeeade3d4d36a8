//! The one error type of the JSV codec, for writing and reading alike.

use std::fmt;

/// Longest message kept; serde's own messages may quote input text, and an
/// error must not echo a large (possibly hostile) input back to a log.
const MAX_MESSAGE: usize = 120;

/// A JSV error: a short message and, when reading, the byte offset in the
/// input where the reader stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("jsv: {message}{}", At(*.offset))]
pub struct Error {
    message: String,
    offset: Option<usize>,
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
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(msg)
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(msg)
    }
}
