//! Vehizen codec throughput on the GET sample, each next to a floor: a bare
//! quick-xml event pass, a bare `serde_json::Value` parse.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossdock::backends::vehizen::sim::fixtures::{GET_JSON, GET_XML};
use crossdock::backends::vehizen::{decode_group, encode_group, Format};
use crossdock::unified::CustomerGroup;
use quick_xml::events::Event;

fn floor_xml_events(body: &[u8]) -> usize {
    let mut r = quick_xml::NsReader::from_reader(body);
    let mut n = 0;
    loop {
        match r.read_resolved_event() {
            Ok((_, Event::Eof)) | Err(_) => return n,
            Ok(_) => n += 1,
        }
    }
}

fn bench(c: &mut Criterion) {
    let xml = GET_XML.as_bytes();
    let json = GET_JSON.as_bytes();
    let group = match decode_group(Format::Json, json) {
        Ok(d) => d.value,
        Err(e) => panic!("GET sample: {e}"),
    };

    let mut g = c.benchmark_group("xml");
    g.throughput(Throughput::Bytes(xml.len() as u64));
    g.bench_function("floor: quick-xml events", |b| {
        b.iter(|| floor_xml_events(black_box(xml)))
    });
    g.bench_function("decode", |b| {
        b.iter(|| decode_group(Format::Xml, black_box(xml)))
    });
    g.bench_function("encode", |b| {
        b.iter(|| encode_group(Format::Xml, black_box(&group)))
    });
    g.finish();

    let mut g = c.benchmark_group("json");
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("floor: serde_json Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(json)))
    });
    g.bench_function("decode", |b| {
        b.iter(|| decode_group(Format::Json, black_box(json)))
    });
    g.bench_function("encode", |b| {
        b.iter(|| encode_group(Format::Json, black_box(&group)))
    });
    g.finish();

    let mut g = c.benchmark_group("unified");
    g.bench_function("wire -> unified JSON bytes", |b| {
        b.iter(|| {
            let unified = CustomerGroup::from(black_box(&group).clone());
            serde_json::to_vec(&unified)
        })
    });
    g.bench_function("floor: clone of the wire group", |b| {
        b.iter(|| black_box(&group).clone())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
