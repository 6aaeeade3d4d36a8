//! Department customer service (a dealer CRM): `updateCustomer` over
//! camelCase JSON, with the subscriber token in the path and HTTP Basic.

pub mod adapter;
pub mod auth;
pub mod mapping;
pub mod sim;
pub mod wire;

pub use adapter::{Department, NAME, VENDOR};
