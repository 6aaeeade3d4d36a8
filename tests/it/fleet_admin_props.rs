//! Property tests: a category (labels with any text) and a vehicle (ints and
//! floats) survive wire -> unified -> JSON -> unified -> wire unchanged.

use crossdock::backends::fleet_admin::{mapping, wire};
use crossdock::unified::{Field, Labels, Num, Vehicle, VehicleCategory};
use proptest::prelude::*;
use serde_json::Value;

fn field<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Field<T>> {
    prop_oneof![
        Just(Field::Absent),
        Just(Field::Null),
        s.prop_map(Field::Value)
    ]
}

fn labels() -> impl Strategy<Value = Labels> {
    prop::collection::vec(("[a-z]{2}(-[A-Z]{2})?", any::<String>()), 0..4)
        .prop_map(|v| Labels(v.into_iter().map(|(k, t)| (k, Value::String(t))).collect()))
}

fn num() -> impl Strategy<Value = Num> {
    prop_oneof![
        any::<i64>().prop_map(Num::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Num(serde_json::Number::from_f64(f).unwrap_or_else(|| 0.into()))),
    ]
}

fn leaf() -> impl Strategy<Value = wire::VehicleCategoryDto> {
    (
        field(1..i64::MAX),
        field(1..i64::MAX),
        field(labels()),
        field(".*"),
        field(num()),
        field(any::<bool>()),
    )
        .prop_map(
            |(id, parent_id, labels, model, year, is_root)| wire::VehicleCategoryDto {
                id,
                parent_id,
                labels: labels.map(|l| serde_json::to_string(&l).unwrap()),
                model,
                year,
                is_root,
                guid: Field::Value("53155c4a-b2a0-412f-ab41-552d9ccdf784".into()),
                ..Default::default()
            },
        )
}

fn category() -> impl Strategy<Value = wire::VehicleCategoryDto> {
    (leaf(), field(prop::collection::vec(leaf(), 0..3))).prop_map(|(mut c, kids)| {
        c.children = kids;
        c
    })
}

/// Through the unified JSON a caller sees and sends back.
fn via_caller<T: serde::Serialize + serde::de::DeserializeOwned>(u: &T) -> T {
    let text = serde_json::to_string(u).unwrap();
    serde_json::from_str(&text).unwrap()
}

proptest! {
    #[test]
    fn category_round_trip(w in category()) {
        let text = serde_json::to_string(&w).unwrap();
        let u: VehicleCategory = mapping::category_from_wire(serde_json::from_str(&text).unwrap()).unwrap();
        let back = mapping::category_to_wire(via_caller(&u));
        // Byte for byte, Labels strings included.
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    #[test]
    fn vehicle_round_trip(
        lat in field(num()), lon in field(num()), km in field(num()),
        fuel in field(num()), id in field(any::<i64>()), labels in field(labels()),
    ) {
        let w = wire::VehicleDto {
            id,
            latitude: lat,
            longitude: lon,
            odometer_km: km,
            fuel_level_pct: fuel,
            category_labels: labels.map(|l| serde_json::to_string(&l).unwrap()),
            ..Default::default()
        };
        let text = serde_json::to_string(&w).unwrap();
        let u: Vehicle = mapping::vehicle_from_wire(serde_json::from_str(&text).unwrap()).unwrap();
        let back = mapping::vehicle_to_wire(via_caller(&u));
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}
