//! Arbitrary bytes as a department answer to `updateCustomer` (the
//! `{errors, warnings}` envelope), under every status class the backend
//! reads a body for: may be refused, never panic.

#![no_main]

use bytes::Bytes;
use crossdock::backends::{vendor, Backend};
use crossdock::config::ConfigErrors;
use crossdock::outbound::VendorResponse;
use crossdock::unified::Customer;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

fn backend() -> &'static Arc<dyn Backend> {
    static B: OnceLock<Arc<dyn Backend>> = OnceLock::new();
    B.get_or_init(|| {
        let section = serde_json::json!({
            "base_url": "sandbox",
            "token": "t",
            "username": "u",
            "password": "p",
        });
        let built = vendor("department")
            .and_then(|v| (v.build)(&(&section).into(), &mut ConfigErrors::default()));
        built.expect("the department section builds").backend
    })
}

fuzz_target!(|data: &[u8]| {
    let customers = backend().customers().expect("department serves customers");
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    for status in [200, 201, 204, 400, 401, 404, 409, 500] {
        let resp = VendorResponse {
            status: StatusCode::from_u16(status).expect("a status"),
            headers: headers.clone(),
            body: Bytes::copy_from_slice(data),
        };
        let _ = customers.decode_put(&resp, Customer::default());
    }
});
