//! Arbitrary bytes as a BokaMera answer to `PUT /customers/{Id}`, read as
//! JSON and as JSV (the `CustomerQueryResponse` and the `ResponseStatus` of
//! an error), under the statuses the backend reads a body for: may be
//! refused, never panic. Also the codec on its own, both formats.

#![no_main]

use bytes::Bytes;
use crossdock::backends::bokamera::codec::decode;
use crossdock::backends::bokamera::wire::{CustomerQueryResponse, ResponseStatus};
use crossdock::backends::bokamera::Format;
use crossdock::backends::{vendor, Backend};
use crossdock::config::ConfigErrors;
use crossdock::outbound::VendorResponse;
use crossdock::unified::Customer;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

fn backends() -> &'static [Arc<dyn Backend>; 2] {
    static B: OnceLock<[Arc<dyn Backend>; 2]> = OnceLock::new();
    B.get_or_init(|| {
        ["json", "jsv"].map(|format| {
            let section = serde_json::json!({
                "base_url": "sandbox",
                "api_key": "k",
                "company_id": "5c9c2a0e-8b1f-4d7a-9e33-2f6b1d0c4a11",
                "format": format,
            });
            let built = vendor("bokamera")
                .and_then(|v| (v.build)(&(&section).into(), &mut ConfigErrors::default()));
            built.expect("the bokamera section builds").backend
        })
    })
}

fuzz_target!(|data: &[u8]| {
    for format in [Format::Json, Format::Jsv] {
        let _ = decode::<CustomerQueryResponse>(format, data);
        let _ = decode::<ResponseStatus>(format, data);
    }
    for backend in backends() {
        let customers = backend.customers().expect("bokamera serves customers");
        for content_type in ["application/json", "text/jsv", "text/html"] {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            for status in [200, 400, 409, 422, 500] {
                let resp = VendorResponse {
                    status: StatusCode::from_u16(status).expect("a status"),
                    headers: headers.clone(),
                    body: Bytes::copy_from_slice(data),
                };
                let _ = customers.decode_put(&resp, Customer::default());
            }
        }
    }
});
