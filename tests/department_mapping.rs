//! The department mapping against the vendor's own sample (golden) and
//! property tests: unified -> department body -> unified is the identity on
//! every field the department stores.

use crossdock::backends::department::mapping::{self, RequestOptions};
use crossdock::backends::department::wire::UpdateCustomerRequest;
use crossdock::unified::customer::{Address, Email, Phone, TimeWindow};
use crossdock::unified::{Customer, Field, Guid, Num, NumOrText, Odometer, Timestamp, Vehicle};
use proptest::prelude::*;
use serde_json::Value;

/// The `--data-raw` body of the vendor page, verbatim.
const REQUEST: &str = include_str!("fixtures/department/request.json");
/// Its unified form, reviewed by eye.
const REQUEST_UNIFIED: &str = include_str!("fixtures/department/request.unified.json");

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
            field(guid()),
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
            field(guid()),
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
                    id,
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
            guid(),
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
