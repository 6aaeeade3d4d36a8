//! Feeds arbitrary bytes to the JSV reader: it may fail, never panic or hang.
//! A value it does read must write and read back to the same value.

#![no_main]

use crossdock::jsv;
use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Customer {
    id: Option<String>,
    firstname: Option<String>,
    age: Option<i32>,
    score: Option<f64>,
    subscribed: Option<bool>,
    #[serde(default)]
    tags: Vec<Option<String>>,
    address: Option<Address>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Address {
    city: String,
    lines: Vec<String>,
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = jsv::from_slice::<serde_json::Value>(data) {
        // Writing what was read must work (it is within the limits).
        let _ = jsv::to_string(&value).expect("write a value read");
    }
    if let Ok(customer) = jsv::from_slice::<Customer>(data) {
        let text = jsv::to_string(&customer).expect("write a struct read");
        let back: Customer = jsv::from_str(&text).expect("read what was written");
        // NaN is the one value not equal to itself.
        if customer.score.is_none_or(|f| !f.is_nan()) {
            assert_eq!(back, customer);
        }
    }
});
