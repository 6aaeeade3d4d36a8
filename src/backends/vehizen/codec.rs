//! What the Vehizen adapter calls: decode and encode the wire types in the
//! backend's format.

use crate::backends::decode_error;
use crate::xml::XmlError;

use super::response::ResponseDto;
use super::wire::CustomerGroupDto;
use super::{json, xml};

/// The backend's wire format (`format = "json" | "xml"` in config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// The `Content-Type` (and `Accept`) value for this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xml => "application/xml",
        }
    }
}

/// A decoded value and the paths of the members that were skipped because
/// the wire types do not know them (`Vehicles.0.Foo`).
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T> {
    pub value: T,
    pub unknown: Vec<String>,
}

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

pub fn decode_group(format: Format, body: &[u8]) -> Result<Decoded<CustomerGroupDto>, CodecError> {
    let (value, unknown) = match format {
        Format::Json => json::decode(body)?,
        Format::Xml => xml::decode_group(body)?,
    };
    Ok(Decoded { value, unknown })
}

pub fn encode_group(format: Format, group: &CustomerGroupDto) -> Vec<u8> {
    match format {
        Format::Json => json::encode(group),
        Format::Xml => xml::encode_group(group),
    }
}

pub fn decode_response(format: Format, body: &[u8]) -> Result<Decoded<ResponseDto>, CodecError> {
    let (value, unknown) = match format {
        Format::Json => json::decode(body)?,
        Format::Xml => xml::decode_response(body)?,
    };
    Ok(Decoded { value, unknown })
}

pub fn encode_response(format: Format, resp: &ResponseDto) -> Vec<u8> {
    match format {
        Format::Json => json::encode(resp),
        Format::Xml => xml::encode_response(resp),
    }
}
