//! Arbitrary bytes as every fleet-admin answer: the category tree, one
//! category, the leaf list, a vehicles list, images, and the positive /
//! negative verdict of a write, each under a success and an error status;
//! and as a `Labels` string. May be refused, never panic. A `Labels` text
//! that parses must stringify and parse back to the same value.

#![no_main]

use bytes::Bytes;
use crossdock::backends::fleet_admin::labels;
use crossdock::backends::{vendor, Backend, PageRequest};
use crossdock::config::ConfigErrors;
use crossdock::outbound::VendorResponse;
use crossdock::unified::VehicleCategory;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

fn backend() -> &'static Arc<dyn Backend> {
    static B: OnceLock<Arc<dyn Backend>> = OnceLock::new();
    B.get_or_init(|| {
        let section = serde_json::json!({"base_url": "sandbox"});
        let built = vendor("fleet_admin")
            .and_then(|v| (v.build)(&(&section).into(), &mut ConfigErrors::default()));
        built.expect("the fleet_admin section builds").backend
    })
}

fuzz_target!(|data: &[u8]| {
    let cats = backend()
        .vehicle_categories()
        .expect("fleet_admin serves vehicle categories");
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let page = PageRequest { number: 2, size: 3 };
    for status in [200, 400, 404, 500] {
        let resp = VendorResponse {
            status: StatusCode::from_u16(status).expect("a status"),
            headers: headers.clone(),
            body: Bytes::copy_from_slice(data),
        };
        let _ = cats.decode_tree(&resp);
        let _ = cats.decode_get(&resp);
        let _ = cats.decode_leaves(&resp, page);
        let _ = cats.decode_vehicles(&resp, page);
        let _ = cats.decode_images(&resp);
        let _ = cats.decode_save(&resp, VehicleCategory::default());
        let _ = cats.decode_delete(&resp);
        let _ = cats.decode_image(&resp);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(l) = labels::parse(text, || "fuzz".into(), "Labels") {
            let again = labels::parse(&labels::stringify(&l), || "again".into(), "Labels")
                .expect("our own text reads back");
            assert_eq!(again, l);
        }
    }
});
