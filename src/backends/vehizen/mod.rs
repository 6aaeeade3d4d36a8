//! Vehizen fleet telematics (ASP.NET Web API): customer groups, JSON and
//! DataContract XML.
//!
//! - [`wire`]: the vendor's DTOs, presence kept; [`enums`]: name/code tables
//! - [`codec`]: decode / encode in either format (what the adapter calls):
//!   [`json`], and DataContract XML in [`xml`] (group and response
//!   documents), [`xml_vehicle`] (vehicles) and [`xml_members`] (what
//!   every DTO shares); `error`: why a body could not be read
//! - [`mapping`]: wire <-> unified, lossless both ways
//! - [`sim`]: the sandbox simulator
//! - [`stream_json`], [`stream_xml`]: GET answers straight to unified JSON
//! - `adapter`: config section, requests, response classification

mod adapter;
pub mod codec;
pub mod enums;
mod error;
pub mod json;
pub mod mapping;
pub mod response;
pub mod sim;
pub mod stream_json;
pub mod stream_out;
pub mod stream_xml;
pub mod wire;
pub mod xml;
pub mod xml_members;
pub mod xml_vehicle;

pub use adapter::{Vehizen, NAME, VENDOR};
pub use codec::{
    decode_group, decode_response, encode_group, encode_response, CodecError, Decoded, Format,
};
#[cfg(test)]
mod sim_tests;
