//! Property tests over generated customer groups: random presence, nulls,
//! int and float numbers, unknown enum values, unicode and XML-special text.

use crossdock::backends::vehizen::wire::{
    CustomerGroupDto, ExternalInterfaceHeaderDto, VehicleLightDto,
};
use crossdock::backends::vehizen::{decode_group, encode_group, Format};
use crossdock::unified::{CustomerGroup, EnumValue, Field, Num};
use proptest::collection::vec;
use proptest::prelude::*;

fn field<T: std::fmt::Debug + Clone + 'static>(
    v: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Field<T>> {
    prop_oneof![1 => Just(Field::Absent), 1 => Just(Field::Null), 4 => v.prop_map(Field::Value)]
        .boxed()
}

/// Any text XML 1.0 can carry (no NUL), weighted towards markup characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[^\u{0}]{0,16}",
        "[<&>\"' \t\r\na-zé€😀]{0,12}",
        Just("2026-04-20T07:30:04.1142082+00:00".to_owned()),
        Just(String::new()),
    ]
}

/// Integers of any size, and floats of up to 15 significant digits below
/// 1e15.
///
/// A float with no fractional part below 1e15 is left out: .NET writes it as
/// digits ("5"), so XML cannot tell it from an integer (see
/// `integral_floats_read_back_as_integers_in_xml`). Longer floats are left
/// out because serde_json without its `float_roundtrip` feature may read a
/// 17-digit float one ULP off (see the report on this branch).
fn num() -> impl Strategy<Value = Num> {
    prop_oneof![
        any::<i64>().prop_map(Num::from),
        any::<u64>().prop_map(|u| Num(u.into())),
        (-999_999_999_999_999i64..=999_999_999_999_999, -20i32..=0)
            .prop_map(|(m, e)| Num::parse(&format!("{m}e{e}")).unwrap_or_else(|| Num::from(0)))
            .prop_filter("not an XML-ambiguous integral float", |n| {
                n.as_f64()
                    .is_some_and(|f| f.fract() != 0.0 || f.abs() >= 1e15)
            }),
        Just(Num::parse("1.1").unwrap()),
        Just(Num::parse("1.5e-5").unwrap()),
    ]
}

/// A canonical wire enum: a known name, an unknown code, or an unknown
/// (non-numeric) name.
fn enum_value(known: &'static str) -> impl Strategy<Value = EnumValue> {
    prop_oneof![
        Just(EnumValue::Name(known.to_owned())),
        (1i64..1000).prop_map(EnumValue::Code),
        (-1000i64..0).prop_map(EnumValue::Code),
        "[A-Za-z_]{1,10}".prop_map(EnumValue::Name),
    ]
}

fn external_interface() -> impl Strategy<Value = ExternalInterfaceHeaderDto> {
    (field(text()), field(text()), field(text())).prop_map(|(id, customer_id, name)| {
        ExternalInterfaceHeaderDto {
            id,
            customer_id,
            name,
        }
    })
}

fn vehicle() -> impl Strategy<Value = VehicleLightDto> {
    (
        vec(field(text()), 26),
        vec(field(num()), 12),
        vec(field(any::<bool>()), 7),
        (
            field(enum_value("WITHOUT_CAMERA")),
            field(enum_value("Active")),
            field(enum_value("Active")),
            field(enum_value("Null")),
        ),
        field(vec(external_interface(), 0..3)),
    )
        .prop_map(
            |(s, n, b, (camera_type, vehicle_state, state, malfunction_level), ext)| {
                let (mut s, mut n, mut b) = (s.into_iter(), n.into_iter(), b.into_iter());
                let mut s = move || s.next().unwrap();
                let mut n = move || n.next().unwrap();
                let mut b = move || b.next().unwrap();
                VehicleLightDto {
                    id_ws: n(),
                    agency_affiliation_name: s(),
                    agency_affiliation_id: s(),
                    customer_group_id: s(),
                    customer_group_name: s(),
                    vin: s(),
                    external_interface_id: s(),
                    initial_entry_into_service: s(),
                    external_interfaces: ext,
                    job_activity: s(),
                    renting: b(),
                    utc_end_of_lease: s(),
                    utc_start_of_lease: s(),
                    km_end_of_lease: n(),
                    km_start_of_lease: n(),
                    theoretical_consumption: n(),
                    reservoir_volume: n(),
                    tolerance: n(),
                    mobile_unit_id: s(),
                    mobile_unit_name: s(),
                    imei: s(),
                    total_fuel_used: n(),
                    can_fuel_report_utc: s(),
                    milestone: n(),
                    utc_mileage_report: s(),
                    milestone_at_assignment: n(),
                    tachy_speed_limit: n(),
                    camera_type,
                    no_geoloc: b(),
                    vehicle_state,
                    vehicle_id: s(),
                    customer_id: s(),
                    licence_plate: s(),
                    name: s(),
                    vehicle_type: s(),
                    brand: s(),
                    model: s(),
                    state,
                    malfunction_level,
                    date_utc_change_malfunction_level: s(),
                    has_malfunction_history: b(),
                    is_vehicle_call_for_maintenance: b(),
                    fuel_name: s(),
                    full_name: s(),
                    utility: s(),
                    fuel_type_id: n(),
                    fuel_type_id_synthesis: n(),
                    is_fuel_type_conflict: b(),
                    is_active: b(),
                    compatible_download: b(),
                }
            },
        )
}

fn group() -> impl Strategy<Value = CustomerGroupDto> {
    (
        field(text()),
        field(text()),
        field(text()),
        field(text()),
        field(vec(vehicle(), 0..3)),
    )
        .prop_map(
            |(id, customer_id, name, profil_eco_drive_id, vehicles)| CustomerGroupDto {
                id,
                customer_id,
                name,
                profil_eco_drive_id,
                vehicles,
            },
        )
}

/// What XML can carry: `FullName` and `Utility` are not in its contract.
fn xml_view(mut g: CustomerGroupDto) -> CustomerGroupDto {
    if let Field::Value(vs) = &mut g.vehicles {
        for v in vs {
            v.full_name = Field::Absent;
            v.utility = Field::Absent;
        }
    }
    g
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn xml_encode_decode_is_identity(g in group()) {
        let bytes = encode_group(Format::Xml, &g);
        let d = decode_group(Format::Xml, &bytes).unwrap();
        prop_assert!(d.unknown.is_empty());
        prop_assert_eq!(d.value, xml_view(g));
    }

    #[test]
    fn json_encode_decode_is_identity(g in group()) {
        let bytes = encode_group(Format::Json, &g);
        let d = decode_group(Format::Json, &bytes).unwrap();
        prop_assert!(d.unknown.is_empty());
        prop_assert_eq!(d.value, g);
    }

    #[test]
    fn wire_unified_wire_is_identity(g in group()) {
        let unified = CustomerGroup::from(g.clone());
        prop_assert_eq!(CustomerGroupDto::from(unified), g);
    }

    #[test]
    fn decoders_never_panic(bytes in vec(any::<u8>(), 0..256)) {
        let _ = decode_group(Format::Xml, &bytes);
        let _ = decode_group(Format::Json, &bytes);
    }
}

#[test]
fn integral_floats_read_back_as_integers_in_xml() {
    // .NET's XmlConvert writes 5.0 as "5": the XML has no kind to keep.
    let v = VehicleLightDto {
        tolerance: Field::Value(Num::parse("5.0").unwrap()),
        ..Default::default()
    };
    let g = CustomerGroupDto {
        vehicles: Field::Value(vec![v]),
        ..Default::default()
    };
    let bytes = encode_group(Format::Xml, &g);
    assert!(String::from_utf8_lossy(&bytes).contains("<d2p1:Tolerance>5</d2p1:Tolerance>"));
    let back = decode_group(Format::Xml, &bytes).unwrap().value;
    let tolerance = back.vehicles.value().unwrap()[0]
        .tolerance
        .value()
        .unwrap()
        .clone();
    assert!(tolerance.is_integer());
}
