//! Wiring: from a config to running listeners, one job per file, in the
//! order a start goes through them:
//!
//! - `plan`: a config checked and resolved into a [`Plan`] (vendor
//!   sections parsed, tenants merged over the top level, routes resolved);
//!   the checks that need only the config are `crate::config::validate`.
//!   `effective`: what `check-config` prints of a plan.
//! - `sandbox`: the built-in simulators a plan may ask for.
//! - `start`: a plan turned into each tenant's `AppState`, reusing from
//!   `kept` what a reload carries over (stores, pools, breakers, buckets,
//!   each with the settings that shaped it).
//! - `running`: both listeners serving a started plan ([`start`]), reloads
//!   and shutdown.

mod effective;
mod kept;
mod plan;
mod running;
mod sandbox;
mod start;

pub use kept::{Kept, KeptStore};
pub use plan::Plan;
pub use running::{start, Running};
pub use sandbox::{spawn_router, Sandbox, Sandboxes};
