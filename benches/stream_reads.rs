//! Reads, typed against streamed (`backends::stream`), per document, each
//! beside the bare parser's pass over the same bytes (its floor):
//!
//! - `typed`: what the GET handlers did before the stream: the adapter's
//!   typed decode (wire types, mapping, unified model) and the envelope
//!   serialized (`Envelope::to_bytes`);
//! - `stream`: the adapter's streamed decode and the envelope around it
//!   (`JsonEnvelope::to_bytes`), the whole response body;
//! - floors: quick-xml's event pass (plain `Reader`, and `NsReader`
//!   resolving every element's namespace, the typed reader's base), and
//!   serde_json's parse into a `Value` and with nothing kept
//!   (`IgnoredAny`).
//!
//! Samples: Vehizen's GET in XML (`get.xml`, 6.9 KB) and JSON (`get.json`,
//! 4 KB), fleet-admin's tree (`tree.json`, 1 KB) and vehicle list
//! (`vehicles.json`, 2.3 KB).

use std::hint::black_box;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossdock::api::envelope::{Envelope, JsonEnvelope};
use crossdock::backends::fleet_admin::FleetAdmin;
use crossdock::backends::stream::CategoryRead;
use crossdock::backends::vehizen::{Format, Vehizen};
use crossdock::backends::{CustomerGroups, PageRequest, VehicleCategories};
use crossdock::outbound::VendorResponse;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use quick_xml::events::Event;
use serde::de::IgnoredAny;

const VEHIZEN_XML: &[u8] = include_bytes!("../tests/fixtures/vehizen/get.xml");
const VEHIZEN_JSON: &[u8] = include_bytes!("../tests/fixtures/vehizen/get.json");
const FLEET_TREE: &[u8] = include_bytes!("../tests/fixtures/fleet_admin/tree.json");
const FLEET_VEHICLES: &[u8] = include_bytes!("../tests/fixtures/fleet_admin/vehicles.json");
const PAGE: PageRequest = PageRequest {
    number: 1,
    size: 50,
};

fn response(content_type: &'static str, body: &'static [u8]) -> VendorResponse {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    VendorResponse {
        status: StatusCode::OK,
        headers,
        body: Bytes::from_static(body),
    }
}

// The measured functions are never inlined, so a profiler (callgrind)
// can count each one's instructions per document.

#[inline(never)]
fn floor_reader(body: &[u8]) -> usize {
    let mut r = quick_xml::Reader::from_reader(body);
    let mut n = 0;
    loop {
        match r.read_event() {
            Ok(Event::Eof) | Err(_) => return n,
            Ok(_) => n += 1,
        }
    }
}

#[inline(never)]
fn floor_ns_reader(body: &[u8]) -> usize {
    let mut r = quick_xml::NsReader::from_reader(body);
    let mut n = 0;
    loop {
        match r.read_resolved_event() {
            Ok((_, Event::Eof)) | Err(_) => return n,
            Ok(_) => n += 1,
        }
    }
}

#[inline(never)]
fn floor_value(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok()
}

#[inline(never)]
fn floor_ignored(body: &[u8]) -> bool {
    serde_json::from_slice::<IgnoredAny>(body).is_ok()
}

#[inline(never)]
fn vehizen_typed(v: &Vehizen, resp: &VendorResponse) -> Option<Vec<u8>> {
    v.decode_get(resp)
        .ok()
        .and_then(|r| Envelope::ok(r.data, r.warnings).to_bytes().ok())
}

#[inline(never)]
fn vehizen_stream(v: &Vehizen, resp: &VendorResponse) -> Option<Vec<u8>> {
    v.decode_get_json(resp)
        .ok()
        .and_then(|r| JsonEnvelope::ok(r).to_bytes().ok())
}

#[inline(never)]
fn fleet_typed(fa: &FleetAdmin, read: CategoryRead, resp: &VendorResponse) -> Option<Vec<u8>> {
    match read {
        CategoryRead::Vehicles(p) => fa.decode_vehicles(resp, p).ok().and_then(|r| {
            Envelope::paged(r.data.items, r.warnings, r.data.page)
                .to_bytes()
                .ok()
        }),
        _ => fa
            .decode_tree(resp)
            .ok()
            .and_then(|r| Envelope::ok(r.data, r.warnings).to_bytes().ok()),
    }
}

#[inline(never)]
fn fleet_stream(fa: &FleetAdmin, read: CategoryRead, resp: &VendorResponse) -> Option<Vec<u8>> {
    fa.decode_read_json(read, resp)
        .ok()
        .and_then(|r| JsonEnvelope::ok(r).to_bytes().ok())
}

fn json_floors(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    body: &[u8],
) {
    g.bench_function("floor: serde_json Value", |b| {
        b.iter(|| floor_value(black_box(body)))
    });
    g.bench_function("floor: serde_json IgnoredAny", |b| {
        b.iter(|| floor_ignored(black_box(body)))
    });
}

fn vehizen(c: &mut Criterion) {
    for (name, format, body) in [
        ("vehizen xml", Format::Xml, VEHIZEN_XML),
        ("vehizen json", Format::Json, VEHIZEN_JSON),
    ] {
        let v = Vehizen::new(format);
        let resp = response(format.content_type(), body);
        let typed = vehizen_typed(&v, &resp);
        assert!(typed.is_some(), "{name}: the sample reads");
        assert_eq!(
            typed,
            vehizen_stream(&v, &resp),
            "{name}: both paths answer the same"
        );

        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(body.len() as u64));
        match format {
            Format::Xml => {
                g.bench_function("floor: quick-xml Reader events", |b| {
                    b.iter(|| floor_reader(black_box(body)))
                });
                g.bench_function("floor: quick-xml NsReader events", |b| {
                    b.iter(|| floor_ns_reader(black_box(body)))
                });
            }
            Format::Json => json_floors(&mut g, body),
        }
        g.bench_function("typed", |b| b.iter(|| vehizen_typed(&v, black_box(&resp))));
        g.bench_function("stream", |b| {
            b.iter(|| vehizen_stream(&v, black_box(&resp)))
        });
        g.finish();
    }
}

fn fleet_admin(c: &mut Criterion) {
    let fa = FleetAdmin::default();
    for (name, read, body) in [
        ("fleet-admin tree", CategoryRead::Tree, FLEET_TREE),
        (
            "fleet-admin vehicles",
            CategoryRead::Vehicles(PAGE),
            FLEET_VEHICLES,
        ),
    ] {
        let resp = response("application/json", body);
        let typed = fleet_typed(&fa, read, &resp);
        assert!(typed.is_some(), "{name}: the sample reads");
        assert_eq!(
            typed,
            fleet_stream(&fa, read, &resp),
            "{name}: both paths answer the same"
        );

        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(body.len() as u64));
        json_floors(&mut g, body);
        g.bench_function("typed", |b| {
            b.iter(|| fleet_typed(&fa, read, black_box(&resp)))
        });
        g.bench_function("stream", |b| {
            b.iter(|| fleet_stream(&fa, read, black_box(&resp)))
        });
        g.finish();
    }
}

criterion_group!(benches, vehizen, fleet_admin);
criterion_main!(benches);
