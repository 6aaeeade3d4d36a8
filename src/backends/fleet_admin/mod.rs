//! Fleet-admin (the vehicle-admin API, `/api/vehicle-admin/v1/...`): vehicle
//! categories and their vehicles, JSON with `Labels` as stringified JSON,
//! positive / negative responses.

pub mod adapter;
pub mod images;
pub mod labels;
pub mod mapping;
pub mod paging;
pub mod sim;
pub mod stream;
pub mod verdict;
pub mod wire;

pub use adapter::{FleetAdmin, NAME, VENDOR};
