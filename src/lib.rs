//! crossdock: an API gateway that serves one unified customer / vehicle API
//! over several vendor backends, translating names, envelopes, wire formats
//! and errors in both directions.

pub mod backends;
pub mod jsv;
pub mod unified;
