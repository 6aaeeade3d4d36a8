//! Naming the fields a backend cannot store, once per backend per unified
//! write (`api::write::lost_fields`): the old road (`serde_json::to_value`
//! of the stored value, then `unstored_fields` over both trees) next to
//! `unstored_fields_of`, which compares while serializing. The sample is the
//! docs-sized unified customer of `tests/fixtures/department`, stored as
//! sent (nothing lost) and without its vehicles (the vehicles reported).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use crossdock::unified::customer::Customer;
use crossdock::unified::unstored::{unstored_fields, unstored_fields_of};
use crossdock::unified::Field;
use serde_json::Value;

const CUSTOMER: &str = include_str!("../tests/fixtures/department/request.unified.json");

fn old(input: &Value, stored: &Customer) -> Vec<String> {
    let stored = serde_json::to_value(stored).unwrap_or_default();
    unstored_fields(input, &stored)
}

fn bench(c: &mut Criterion) {
    let input: Value = match serde_json::from_str(CUSTOMER) {
        Ok(v) => v,
        Err(e) => panic!("customer sample: {e}"),
    };
    let same: Customer = match serde_json::from_value(input.clone()) {
        Ok(v) => v,
        Err(e) => panic!("customer sample: {e}"),
    };
    let lossy = Customer {
        vehicles: Field::Absent,
        ..same.clone()
    };
    assert_eq!(old(&input, &lossy), unstored_fields_of(&input, &lossy));
    let mut g = c.benchmark_group("unstored/customer");
    for (name, stored) in [("nothing lost", &same), ("vehicles lost", &lossy)] {
        g.bench_function(format!("{name}: to_value + walk"), |b| {
            b.iter(|| old(black_box(&input), black_box(stored)))
        });
        g.bench_function(format!("{name}: unstored_fields_of"), |b| {
            b.iter(|| unstored_fields_of(black_box(&input), black_box(stored)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
