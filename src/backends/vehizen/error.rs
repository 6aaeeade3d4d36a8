//! Why a Vehizen body could not be read, in either format.

use crate::backends::decode_error;
use crate::xml::XmlError;

/// Why a vendor body could not be read. The message names the problem, the
/// member and a position, never the body's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// See [`crate::backends::decode_error`].
    #[error("{0}")]
    Json(String),
    #[error(transparent)]
    Xml(#[from] XmlError),
}

impl CodecError {
    pub(crate) fn from_json(e: serde_json::Error) -> Self {
        CodecError::Json(decode_error::json_at(None, &e))
    }

    pub(crate) fn from_json_at(e: serde_path_to_error::Error<serde_json::Error>) -> Self {
        CodecError::Json(decode_error::json(&e))
    }
}
