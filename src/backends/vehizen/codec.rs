//! What the Vehizen adapter calls: decode and encode the wire types in the
//! backend's format.

use crate::backends::kit::format::WireFormat;

pub use super::error::CodecError;
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

impl WireFormat for Format {
    /// `*/json` and `*+json`, `*/xml` and `*+xml`.
    fn of_media_type(media: &str) -> Option<Format> {
        if media.ends_with("/json") || media.ends_with("+json") {
            Some(Format::Json)
        } else if media.ends_with("/xml") || media.ends_with("+xml") {
            Some(Format::Xml)
        } else {
            None
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
