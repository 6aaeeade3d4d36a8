//! Differential: arbitrary bytes as every read that streams (Vehizen's
//! group in XML and JSON; fleet-admin's tree, one category, leaves and
//! vehicle pages). The streamed read (`decode_get_json`,
//! `decode_read_json`) and the typed read must answer the same body bytes,
//! envelope and warnings included, or the same failure; and the stream on
//! its own must never read what the typed path refuses.

#![no_main]

use bytes::Bytes;
use crossdock::api::envelope::{Envelope, JsonEnvelope};
use crossdock::backends::fleet_admin::{self, FleetAdmin};
use crossdock::backends::stream::CategoryRead;
use crossdock::backends::vehizen::{stream_json, stream_xml, Format, Vehizen};
use crossdock::backends::{CustomerGroups, PageRequest, VehicleCategories};
use crossdock::outbound::VendorResponse;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;

fn response(status: u16, content_type: &'static str, body: &[u8]) -> VendorResponse {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    VendorResponse {
        status: StatusCode::from_u16(status).expect("a status"),
        headers,
        body: Bytes::copy_from_slice(body),
    }
}

fn vehizen(format: Format, data: &[u8]) {
    let v = Vehizen::new(format);
    let resp = response(200, format.content_type(), data);
    let typed = v
        .decode_get(&resp)
        .map(|r| Envelope::ok(r.data, r.warnings).to_bytes().expect("typed body"));
    let streamed = v
        .decode_get_json(&resp)
        .map(|r| JsonEnvelope::ok(r).to_bytes().expect("streamed body"));
    assert_eq!(streamed, typed, "{format:?}");
    let raw = match format {
        Format::Json => stream_json::group(data),
        Format::Xml => stream_xml::group(data),
    };
    assert!(raw.is_none() || typed.is_ok(), "{format:?} streamed a refused body");
}

fn fleet(read: CategoryRead, status: u16, data: &[u8]) {
    let fa = FleetAdmin::default();
    let resp = response(status, "application/json", data);
    let typed = match read {
        CategoryRead::Tree => fa
            .decode_tree(&resp)
            .map(|r| Envelope::ok(r.data, r.warnings).to_bytes()),
        CategoryRead::One => fa
            .decode_get(&resp)
            .map(|r| Envelope::ok(r.data, r.warnings).to_bytes()),
        CategoryRead::Leaves(p) => fa
            .decode_leaves(&resp, p)
            .map(|r| Envelope::paged(r.data.items, r.warnings, r.data.page).to_bytes()),
        CategoryRead::Vehicles(p) => fa
            .decode_vehicles(&resp, p)
            .map(|r| Envelope::paged(r.data.items, r.warnings, r.data.page).to_bytes()),
    }
    .map(|b| b.expect("typed body"));
    let streamed = fa
        .decode_read_json(read, &resp)
        .map(|r| JsonEnvelope::ok(r).to_bytes().expect("streamed body"));
    assert_eq!(streamed, typed, "{read:?} {status}");
    let verdict = fleet_admin::verdict::failure(&resp).is_some();
    let raw = fleet_admin::stream::read(read, data);
    assert!(
        raw.is_none() || verdict || typed.is_ok(),
        "{read:?} streamed a refused body"
    );
}

fuzz_target!(|data: &[u8]| {
    vehizen(Format::Xml, data);
    vehizen(Format::Json, data);
    let small = PageRequest { number: 2, size: 1 };
    let big = PageRequest {
        number: 1,
        size: 50,
    };
    for read in [
        CategoryRead::Tree,
        CategoryRead::One,
        CategoryRead::Leaves(small),
        CategoryRead::Leaves(big),
        CategoryRead::Vehicles(small),
        CategoryRead::Vehicles(big),
    ] {
        fleet(read, 200, data);
    }
    fleet(CategoryRead::Tree, 500, data);
});
