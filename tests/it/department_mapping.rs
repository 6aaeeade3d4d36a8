//! The department mapping against the vendor's own sample (golden) and
//! property tests: unified -> department body -> unified is the identity on
//! every field the department stores.

use crossdock::backends::department::mapping::{self, RequestOptions};
use crossdock::backends::department::wire::UpdateCustomerRequest;
use crossdock::backends::department::Department;
use crossdock::backends::{Customers, QueryOptions};
use crossdock::config::Secret;
use crossdock::unified::customer::{Address, Email, Phone, TimeWindow};
use crossdock::unified::id::TEXT_ID_MAX_BYTES;
use crossdock::unified::{
    Customer, Field, Guid, Num, NumOrText, Odometer, TextId, Timestamp, Vehicle, VehicleId,
};
use proptest::prelude::*;
use serde_json::Value;

/// The `--data-raw` body of the vendor page, verbatim.
const REQUEST: &str = include_str!("../fixtures/department/request.json");
/// Its unified form, reviewed by eye.
const REQUEST_UNIFIED: &str = include_str!("../fixtures/department/request.unified.json");

fn sample() -> UpdateCustomerRequest {
    serde_json::from_str(REQUEST).expect("the sample reads as the wire type")
}

fn options_of(r: &UpdateCustomerRequest) -> RequestOptions {
    RequestOptions {
        requester_user_uuid: r.requester_user_uuid.value().cloned(),
        dealer_uuid_list: r.dealer_uuid_list.value().cloned(),
        validate_vin: r.validate_vin.value().copied(),
        search_for_duplicate: r.search_for_duplicate.value().copied(),
    }
}

#[test]
fn golden_wire_round_trip_is_the_sample() {
    let sample_json: Value = serde_json::from_str(REQUEST).unwrap();
    let again = serde_json::to_value(sample()).unwrap();
    assert_eq!(again, sample_json);
}

#[test]
fn golden_unified_form() {
    if std::env::var_os("PRINT_GOLDEN").is_some() {
        println!(
            "{}",
            serde_json::to_string_pretty(&mapping::from_request(sample())).unwrap()
        );
    }
    let unified = serde_json::to_value(mapping::from_request(sample())).unwrap();
    let want: Value = serde_json::from_str(REQUEST_UNIFIED).unwrap();
    assert_eq!(unified, want);
}

#[test]
fn golden_unified_back_to_the_sample() {
    let req = sample();
    let options = options_of(&req);
    let back = mapping::to_request(mapping::from_request(req), options);
    let sample_json: Value = serde_json::from_str(REQUEST).unwrap();
    assert_eq!(serde_json::to_value(back).unwrap(), sample_json);
}

// ---- property tests ----

fn text() -> impl Strategy<Value = String> {
    // Unicode, quotes, backslashes and control characters included.
    prop_oneof![
        "\\PC{0,12}",
        ".{0,8}",
        Just(String::new()),
        Just("\"\\\n\u{1F697}é".to_string()),
    ]
}

fn field<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Field<T>> {
    prop_oneof![
        1 => Just(Field::Absent),
        1 => Just(Field::Null),
        3 => s.prop_map(Field::Value),
    ]
}

fn guid() -> impl Strategy<Value = Guid> {
    any::<u128>().prop_map(|n| {
        let u = uuid::Uuid::from_u128(n);
        if n % 2 == 0 {
            Guid::parse(&u.hyphenated().to_string()).unwrap()
        } else {
            Guid::parse(&u.simple().to_string().to_uppercase()).unwrap()
        }
    })
}

/// Any valid text id: GUIDs (either shape, any case), Unicode text without
/// control characters up to the byte bound, and a few hand-picked ones.
fn text_id() -> impl Strategy<Value = TextId> {
    prop_oneof![
        2 => guid().prop_map(|g| g.into_string()),
        // At most 64 characters of at most 4 bytes: within 256 bytes.
        4 => "[^\\p{Cc}]{1,64}",
        1 => prop::sample::select(vec![
            "ADDR-0001".to_string(),
            "v 1/ä".to_string(),
            " padded ".to_string(),
            "\"quoted\\\"".to_string(),
            "%2F?#&=+".to_string(),
            "x".repeat(TEXT_ID_MAX_BYTES),
            "ä".repeat(TEXT_ID_MAX_BYTES / 2),
            "🚗".repeat(TEXT_ID_MAX_BYTES / 4),
        ]),
    ]
    .prop_map(|t| TextId::parse(&t).unwrap())
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (
        2000u32..2100,
        1u32..13,
        1u32..29,
        0u32..24,
        0u32..60,
        0u32..60,
        prop::option::of(0u32..10_000_000),
    )
        .prop_map(|(y, mo, d, h, mi, s, f)| {
            let frac = f.map(|f| format!(".{f:07}")).unwrap_or_default();
            Timestamp::parse(&format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z"
            ))
            .unwrap()
        })
}

fn num() -> impl Strategy<Value = Num> {
    prop_oneof![
        any::<i64>().prop_map(Num::from),
        any::<u64>().prop_map(|u| Num(u.into())),
        (-1.0e12f64..1.0e12).prop_map(|f| Num(serde_json::Number::from_f64(f).unwrap())),
    ]
}

/// Text that is not a canonical number (a canonical one is a number).
fn non_numeric_text() -> impl Strategy<Value = String> {
    text().prop_filter("not a canonical number", |t| {
        NumOrText::canonical_num(t).is_none()
    })
}

fn num_or_text() -> impl Strategy<Value = NumOrText> {
    prop_oneof![
        num().prop_map(NumOrText::Num),
        non_numeric_text().prop_map(NumOrText::Text),
    ]
}

fn email() -> impl Strategy<Value = Email> {
    (
        field(text()),
        field(text()),
        field(any::<bool>()),
        field(any::<bool>()),
        field(text()),
    )
        .prop_map(
            |(address, label, ok_to_email, is_preferred, comments)| Email {
                address,
                label,
                ok_to_email,
                is_preferred,
                comments,
            },
        )
}

fn phone() -> impl Strategy<Value = Phone> {
    (
        field(text()),
        field(text()),
        field(any::<bool>()),
        field(any::<bool>()),
        field(any::<bool>()),
        field(text()),
    )
        .prop_map(
            |(number, label, ok_to_call, ok_to_text, is_preferred, comments)| Phone {
                number,
                label,
                ok_to_call,
                ok_to_text,
                is_preferred,
                comments,
            },
        )
}

fn address() -> impl Strategy<Value = Address> {
    (
        (
            field(text_id()),
            field(text()),
            field(text()),
            field(text()),
            field(text()),
            field(text()),
        ),
        (
            field(text()),
            field(text()),
            field(text()),
            field(any::<bool>()),
            field(any::<bool>()),
            field(timestamp()),
        ),
    )
        .prop_map(
            |(
                (id, line1, line2, city, postal_code, state),
                (country, address_type, r#type, is_preferred, is_valid, updated_at),
            )| Address {
                id,
                line1,
                line2,
                city,
                postal_code,
                state,
                country,
                address_type,
                r#type,
                is_preferred,
                is_valid,
                updated_at,
            },
        )
}

/// The odometer as the department stores it: absent, null, or a km value.
fn odometer() -> impl Strategy<Value = Field<Odometer>> {
    prop_oneof![
        Just(Field::Absent),
        Just(Field::Null),
        num().prop_map(|n| Field::Value(Odometer {
            km: Field::Value(n),
            reported_at: Field::Absent,
        })),
    ]
}

fn vehicle() -> impl Strategy<Value = Vehicle> {
    (
        (
            field(text_id()),
            field(text()),
            field(text()),
            field(text()),
            field(text()),
        ),
        (
            odometer(),
            field(num_or_text()),
            field(text()),
            field(text()),
            field(text()),
        ),
        (
            field(text()),
            field(any::<bool>()),
            field(any::<bool>()),
            prop::option::of(non_numeric_text()),
        ),
    )
        .prop_map(
            |(
                (id, vin, license_plate, make, model),
                (odometer, year, trim, color, engine),
                (external_key, is_matching, is_valid, odo_text),
            )| {
                // `odometerText` is stored only when there is no odometer.
                let odometer_text = match (&odometer, odo_text) {
                    (Field::Absent, Some(t)) => Field::Value(t),
                    _ => Field::Absent,
                };
                Vehicle {
                    id: id.map(VehicleId::from),
                    vin,
                    license_plate,
                    make,
                    model,
                    odometer,
                    year,
                    trim,
                    color,
                    engine,
                    external_key,
                    odometer_text,
                    is_matching,
                    is_valid,
                    ..Vehicle::default()
                }
            },
        )
}

fn customer() -> impl Strategy<Value = Customer> {
    (
        (
            text_id(),
            field(text()),
            field(text()),
            field(text()),
            field(text()),
            field(any::<bool>()),
        ),
        (
            field(prop::collection::vec(email(), 0..3)),
            field(prop::collection::vec(phone(), 0..3)),
            field(prop::collection::vec(address(), 0..3)),
        ),
        (
            field(text()),
            field(text()),
            field(
                (field(text()), field(text())).prop_map(|(start, end)| TimeWindow { start, end }),
            ),
            field(prop::collection::vec(vehicle(), 0..3)),
        ),
    )
        .prop_map(
            |(
                (id, external_key, first_name, last_name, company, is_business),
                (emails, phones, addresses),
                (preferred_locale, preferred_communication, best_time_to_contact, vehicles),
            )| Customer {
                // The id is always the path's.
                id: Field::Value(id),
                external_key,
                first_name,
                last_name,
                company,
                is_business,
                emails,
                phones,
                addresses,
                preferred_locale,
                preferred_communication,
                best_time_to_contact,
                vehicles,
                ..Customer::default()
            },
        )
}

fn options() -> impl Strategy<Value = RequestOptions> {
    (
        prop::option::of(text()),
        prop::option::of(prop::collection::vec(text(), 0..3)),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(requester_user_uuid, dealer_uuid_list, validate_vin, search_for_duplicate)| {
                RequestOptions {
                    requester_user_uuid,
                    dealer_uuid_list,
                    validate_vin,
                    search_for_duplicate,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// unified -> body bytes -> wire -> unified is the identity, as values
    /// and as unified JSON, and the options come through as given.
    #[test]
    fn unified_to_department_and_back_is_identity(c in customer(), o in options()) {
        let body = mapping::to_request(c.clone(), o.clone());
        let bytes = serde_json::to_vec(&body).unwrap();
        let read: UpdateCustomerRequest = serde_json::from_slice(&bytes).unwrap();
        prop_assert_eq!(options_of(&read), o);
        let back = mapping::from_request(read);
        prop_assert_eq!(
            serde_json::to_value(&back).unwrap(),
            serde_json::to_value(&c).unwrap()
        );
        prop_assert_eq!(back, c);
    }

    /// The gateway's unstored-field diff finds nothing to warn about for a
    /// customer made only of stored fields.
    #[test]
    fn stored_fields_raise_no_warning(c in customer()) {
        let json = serde_json::to_value(&c).unwrap();
        let stored = mapping::from_request(mapping::to_request(c, RequestOptions::default()));
        let lost = crossdock::unified::unstored::unstored_fields(&json, &serde_json::to_value(stored).unwrap());
        prop_assert!(lost.is_empty(), "{:?}", lost);
    }
}

/// Decodes `%XX` escapes (the department path segment).
fn percent_decode(segment: &str) -> Vec<u8> {
    let b = segment.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&segment[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any valid text id, as the customer id (path `customerID` and
    /// `customerUuid`), an address `uuid` and a `vehicleUuid`, reaches the
    /// department byte for byte (the path segment once percent-decoded),
    /// and reads back as the same id.
    #[test]
    fn any_text_id_reaches_the_department_byte_exact(
        id in text_id(),
        address_id in text_id(),
        vehicle_id in text_id(),
    ) {
        // From the caller's JSON, as the gateway reads it.
        let input = serde_json::json!({
            "id": id.as_str(),
            "addresses": [{"id": address_id.as_str()}],
            "vehicles": [{"id": vehicle_id.as_str()}],
        });
        let c: Customer = serde_json::from_value(input).unwrap();
        let dept = Department::new(Secret::new("t"), None, RequestOptions::default());
        let e = dept.put_request(&id, &c, &QueryOptions::default()).unwrap();

        let segment = e.request.path.rsplit('/').next().unwrap();
        prop_assert_eq!(percent_decode(segment), id.as_str().as_bytes());
        let body: Value = serde_json::from_slice(&e.request.body).unwrap();
        let sent = |ptr: &str| body.pointer(ptr).and_then(Value::as_str).map(str::as_bytes);
        prop_assert_eq!(sent("/customer/customerUuid"), Some(id.as_str().as_bytes()));
        prop_assert_eq!(sent("/customer/addresses/0/uuid"), Some(address_id.as_str().as_bytes()));
        prop_assert_eq!(sent("/vehicles/0/vehicleUuid"), Some(vehicle_id.as_str().as_bytes()));

        let back = mapping::from_request(serde_json::from_slice(&e.request.body).unwrap());
        prop_assert_eq!(back.id.value(), Some(&id));
        prop_assert_eq!(
            back.addresses.value().and_then(|a| a[0].id.value()),
            Some(&address_id)
        );
        prop_assert_eq!(
            back.vehicles.value().and_then(|v| v[0].id.value()),
            Some(&VehicleId::Text(vehicle_id.clone()))
        );
        prop_assert_eq!(e.stored, back);
    }
}
