//! The unified model: the one customer / vehicle API every vendor is mapped to.
//!
//! Field names here are the contract of `shared/spec/unified-api.md`; every
//! vendor member has a home here, in both directions.

pub mod field;
pub mod num;

pub use field::Field;
pub use num::Num;
