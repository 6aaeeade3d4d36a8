//! The unified model: the one customer / vehicle API every vendor is mapped to.
//!
//! Field names here are the contract of `shared/spec/unified-api.md`; every
//! vendor member has a home here, in both directions.

pub mod field;
pub mod num;
pub mod unstored;

pub use field::Field;
pub use num::Num;
pub mod customer_group;
pub mod enum_value;
pub mod guid;
pub mod id;
pub mod labels;
pub mod timestamp;
pub mod vehicle;
pub mod vehicle_category;
pub mod vehicle_fleet;
pub mod vehicle_id;

pub use customer_group::CustomerGroup;
pub use enum_value::EnumValue;
pub use guid::Guid;
pub use id::TextId;
pub use labels::Labels;
pub use timestamp::Timestamp;
pub use vehicle::{ExternalInterface, Odometer, Vehicle};
pub mod customer;
pub mod num_or_text;
pub mod page;
pub mod report;

pub use page::Page;
pub use report::{ErrorItem, Warning};

pub use customer::Customer;
pub use num_or_text::NumOrText;
pub use vehicle_category::{CategoryImages, VehicleCategory};
pub use vehicle_fleet::{Position, VehicleDevice, VehicleStatus};
pub use vehicle_id::VehicleId;
