//! Arbitrary bytes as a unified request body (the checks every write runs:
//! UTF-8, depth and list bounds, JSON, the typed model): may be refused,
//! never panic.

#![no_main]

use crossdock::api::body::{parse, Limits};
use crossdock::unified::CustomerGroup;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        body_bytes: 1 << 20,
        depth: 32,
        list_len: 10_000,
    };
    let _ = parse::<CustomerGroup>(data, &limits);
    let _ = parse::<serde_json::Value>(data, &limits);
});
