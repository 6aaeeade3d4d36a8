//! Every vendor codec and mapping except Vehizen's (`vehizen_codec.rs`), on
//! the golden samples in `tests/fixtures/`, each next to a floor:
//!
//! - JSON: `serde_json::from_slice::<serde_json::Value>` over the same bytes
//!   (a bare parse that builds a generic tree);
//! - JSV: there is no third-party JSV parser, so the floor is a bare byte
//!   scan counting the structural bytes (`{ } [ ] , :`) of the same bytes.
//!   It reads every byte once and allocates nothing: a lower floor than the
//!   JSON one, so JSV ratios are not comparable with JSON ratios.
//!
//! For each sample: `decode` (bytes -> wire type, the way the adapter
//! reads it), `decode + map` (bytes -> unified), `encode` (wire -> bytes)
//! and `map + encode` (unified -> bytes). BokaMera has no JSON sample, so
//! its JSON bytes are the JSV sample re-encoded as JSON.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use crossdock::api::problem::ErrorItem;
use crossdock::backends::bokamera::codec::{decode, encode, Format, MapKeys};
use crossdock::backends::bokamera::mapping as boka_map;
use crossdock::backends::bokamera::wire::{CustomerQueryResponse, UpdateCustomer};
use crossdock::backends::department::mapping as dept_map;
use crossdock::backends::department::wire::UpdateCustomerRequest;
use crossdock::backends::fleet_admin::mapping as fleet_map;
use crossdock::backends::fleet_admin::wire::{VehicleCategoryDto, VehicleDto};
use crossdock::unified::customer::Customer;
use serde::de::DeserializeOwned;

const DEPARTMENT_REQUEST: &[u8] = include_bytes!("../tests/fixtures/department/request.json");
const BOKAMERA_REQUEST_JSV: &[u8] = include_bytes!("../tests/fixtures/bokamera/put-request.jsv");
const BOKAMERA_RESPONSE_JSV: &[u8] = include_bytes!("../tests/fixtures/bokamera/put-response.jsv");
const FLEET_TREE: &[u8] = include_bytes!("../tests/fixtures/fleet_admin/tree.json");
const FLEET_VEHICLES: &[u8] = include_bytes!("../tests/fixtures/fleet_admin/vehicles.json");
const COMPANY_ID: &str = "5c9c2a0e-8b1f-4d7a-9e33-2f6b1d0c4a11";

fn floor_json(body: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice::<serde_json::Value>(body).ok()
}

fn floor_jsv_scan(body: &[u8]) -> usize {
    body.iter()
        .filter(|b| matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':'))
        .count()
}

/// The fleet-admin adapter's read: serde_json with `serde_ignored` naming
/// every unknown member, then a check that nothing trails the value.
fn fleet_read<T: DeserializeOwned>(body: &[u8]) -> (T, Vec<String>) {
    let mut unknown = Vec::new();
    let de = &mut serde_json::Deserializer::from_slice(body);
    let value: T = match serde_ignored::deserialize(&mut *de, |p| unknown.push(p.to_string())) {
        Ok(v) => v,
        Err(e) => panic!("fleet-admin sample: {e}"),
    };
    if let Err(e) = de.end() {
        panic!("fleet-admin sample: {e}");
    }
    (value, unknown)
}

fn group<'a>(c: &'a mut Criterion, name: &str, bytes: &[u8]) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g
}

fn department(c: &mut Criterion) {
    let bytes = DEPARTMENT_REQUEST;
    let wire: UpdateCustomerRequest = match serde_json::from_slice(bytes) {
        Ok(w) => w,
        Err(e) => panic!("department sample: {e}"),
    };
    let customer = dept_map::from_request(wire.clone());

    let mut g = group(c, "department request json", bytes);
    g.bench_function("floor: serde_json Value", |b| {
        b.iter(|| floor_json(black_box(bytes)))
    });
    g.bench_function("decode", |b| {
        b.iter(|| serde_json::from_slice::<UpdateCustomerRequest>(black_box(bytes)))
    });
    g.bench_function("decode + map", |b| {
        b.iter(|| {
            serde_json::from_slice::<UpdateCustomerRequest>(black_box(bytes))
                .map(dept_map::from_request)
        })
    });
    g.bench_function("encode", |b| {
        b.iter(|| serde_json::to_vec(black_box(&wire)))
    });
    g.bench_function("map + encode", |b| {
        b.iter(|| {
            let w = dept_map::to_request(
                black_box(&customer).clone(),
                dept_map::RequestOptions::default(),
            );
            serde_json::to_vec(&w)
        })
    });
    g.finish();
}

fn bokamera_request(c: &mut Criterion) {
    bokamera_sample::<UpdateCustomer>(
        c,
        "bokamera request",
        BOKAMERA_REQUEST_JSV,
        boka_map::from_request,
        |customer| boka_map::to_request(customer, Some(COMPANY_ID.to_owned())),
    );
}

fn bokamera_response(c: &mut Criterion) {
    bokamera_sample::<CustomerQueryResponse>(
        c,
        "bokamera response",
        BOKAMERA_RESPONSE_JSV,
        boka_map::from_response,
        boka_map::to_response,
    );
}

/// One BokaMera sample (JSV, and the same values re-encoded as JSON): the
/// floor, then decode, decode + map, encode and map + encode, in groups
/// `<name> jsv` and `<name> json`.
fn bokamera_sample<W>(
    c: &mut Criterion,
    name: &str,
    jsv: &[u8],
    from_wire: fn(W) -> Customer,
    to_wire: impl Fn(&Customer) -> Result<W, Vec<ErrorItem>>,
) where
    W: serde::Serialize + DeserializeOwned + MapKeys + Clone,
{
    let wire: W = match decode(Format::Jsv, jsv) {
        Ok(d) => d.value,
        Err(e) => panic!("{name} sample: {e}"),
    };
    let json = match encode(Format::Json, &wire) {
        Ok(b) => b,
        Err(e) => panic!("{name} as JSON: {e}"),
    };
    let customer = from_wire(wire.clone());

    for (format, suffix, bytes) in [
        (Format::Jsv, "jsv", jsv),
        (Format::Json, "json", json.as_slice()),
    ] {
        let mut g = group(c, &format!("{name} {suffix}"), bytes);
        match format {
            Format::Jsv => g.bench_function("floor: byte scan", |b| {
                b.iter(|| floor_jsv_scan(black_box(bytes)))
            }),
            Format::Json => g.bench_function("floor: serde_json Value", |b| {
                b.iter(|| floor_json(black_box(bytes)))
            }),
        };
        g.bench_function("decode", |b| {
            b.iter(|| decode::<W>(format, black_box(bytes)))
        });
        g.bench_function("decode + map", |b| {
            b.iter(|| decode::<W>(format, black_box(bytes)).map(|d| from_wire(d.value)))
        });
        g.bench_function("encode", |b| b.iter(|| encode(format, black_box(&wire))));
        g.bench_function("map + encode", |b| {
            b.iter(|| to_wire(black_box(&customer)).map(|w| encode(format, &w)))
        });
        g.finish();
    }
}

fn fleet_admin(c: &mut Criterion) {
    let (tree, _) = fleet_read::<Vec<VehicleCategoryDto>>(FLEET_TREE);
    let categories = tree
        .iter()
        .cloned()
        .map(fleet_map::category_from_wire)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("fleet-admin tree: {e}"));

    let mut g = group(c, "fleet_admin tree json", FLEET_TREE);
    g.bench_function("floor: serde_json Value", |b| {
        b.iter(|| floor_json(black_box(FLEET_TREE)))
    });
    g.bench_function("decode", |b| {
        b.iter(|| fleet_read::<Vec<VehicleCategoryDto>>(black_box(FLEET_TREE)))
    });
    g.bench_function("decode + map", |b| {
        b.iter(|| {
            let (list, _) = fleet_read::<Vec<VehicleCategoryDto>>(black_box(FLEET_TREE));
            list.into_iter()
                .map(fleet_map::category_from_wire)
                .collect::<Result<Vec<_>, _>>()
        })
    });
    g.bench_function("encode", |b| {
        b.iter(|| serde_json::to_vec(black_box(&tree)))
    });
    g.bench_function("map + encode", |b| {
        b.iter(|| {
            let list: Vec<VehicleCategoryDto> = black_box(&categories)
                .iter()
                .cloned()
                .map(fleet_map::category_to_wire)
                .collect();
            serde_json::to_vec(&list)
        })
    });
    g.finish();

    let (vehicles_wire, _) = fleet_read::<Vec<VehicleDto>>(FLEET_VEHICLES);
    let vehicles = vehicles_wire
        .iter()
        .cloned()
        .map(fleet_map::vehicle_from_wire)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("fleet-admin vehicles: {e}"));

    let mut g = group(c, "fleet_admin vehicles json", FLEET_VEHICLES);
    g.bench_function("floor: serde_json Value", |b| {
        b.iter(|| floor_json(black_box(FLEET_VEHICLES)))
    });
    g.bench_function("decode", |b| {
        b.iter(|| fleet_read::<Vec<VehicleDto>>(black_box(FLEET_VEHICLES)))
    });
    g.bench_function("decode + map", |b| {
        b.iter(|| {
            let (list, _) = fleet_read::<Vec<VehicleDto>>(black_box(FLEET_VEHICLES));
            list.into_iter()
                .map(fleet_map::vehicle_from_wire)
                .collect::<Result<Vec<_>, _>>()
        })
    });
    g.bench_function("encode", |b| {
        b.iter(|| serde_json::to_vec(black_box(&vehicles_wire)))
    });
    g.bench_function("map + encode", |b| {
        b.iter(|| {
            let list: Vec<VehicleDto> = black_box(&vehicles)
                .iter()
                .cloned()
                .map(fleet_map::vehicle_to_wire)
                .collect();
            serde_json::to_vec(&list)
        })
    });
    g.finish();
}

fn config() -> Criterion {
    // Short runs: the samples are small (under 3 KB), so 1 s per bench is
    // plenty of iterations, and the whole file runs in about a minute.
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = department, bokamera_request, bokamera_response, fleet_admin
}
criterion_main!(benches);
