//! Support for the built-in sandbox simulators that is not vendor specific.
//!
//! - [`faults`]: fault injection from `[backends.<name>.faults]`, a layer
//!   around any simulator router.

pub mod faults;

pub use faults::{FaultConfig, Faults, Injected};
