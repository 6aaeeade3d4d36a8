//! BokaMera (ServiceStack): `PUT /customers/{Id}` over JSON or JSV.
//!
//! - [`wire`]: the vendor's DTOs (`UpdateCustomer`, `CustomerQueryResponse`,
//!   `ResponseStatus`), presence kept, usable with JSON and JSV
//! - [`codec`]: encode / decode in either format, unknown members named
//! - [`mapping`]: wire <-> unified (`Email`/`Phone` from the preferred entry)
//! - [`fields`]: ServiceStack `FieldName`s in unified names
//! - [`sim`]: the sandbox simulator
//! - `adapter`: config section, the request, response classification

mod adapter;
pub mod codec;
pub mod fields;
pub mod mapping;
pub mod sim;
pub mod wire;

pub use adapter::{
    error_items, update_path, BokaMera, API_KEY_HEADER, COMPANY_ID, NAME, OPERATION, VENDOR,
};
pub use codec::Format;
