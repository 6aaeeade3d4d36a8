//! Property tests for the BokaMera mapping, in JSON and in JSV:
//!
//! - unified -> `UpdateCustomer` -> bytes -> unified is the identity on
//!   every field BokaMera stores (JSV: a null is left out, so reads back
//!   absent, and is not reported as lost);
//! - for any customer, the fields the round trip loses are exactly reported
//!   by the unstored-field diff, and a second round trip loses nothing more;
//! - `CustomerQueryResponse` -> bytes -> unified -> wire is the identity, so
//!   no member of an answer is dropped.

use crossdock::backends::bokamera::codec::{decode, encode, Format};
use crossdock::backends::bokamera::mapping::{
    from_request, from_response, to_request, to_response,
};
use crossdock::backends::bokamera::wire::{
    CustomFieldConfigData, CustomFieldDataResponse, CustomFieldValueResponse,
    CustomerCommentsResponse, CustomerQueryResponse, InvoiceAddress as WireInvoice, UpdateCustomer,
    UserAccessKeys,
};
use crossdock::unified::customer::{
    AccessKey, AccessKeyRef, Address, CustomField, Email, InvoiceAddress, Phone,
};
use crossdock::unified::unstored::unstored_fields;
use crossdock::unified::{Customer, Field, Guid, Num, TextId};
use proptest::prelude::*;

const CASES: u32 = 1024;

fn text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => any::<char>(),
        2 => prop::sample::select(vec!['"', ':', ',', '{', '}', '[', ']', '\r', '\n', ' ', 'a', 'Z', '1']),
    ];
    prop::collection::vec(ch, 0..12).prop_map(|v| v.into_iter().collect())
}

fn guid() -> impl Strategy<Value = Guid> {
    (any::<u128>(), any::<bool>()).prop_map(|(n, hyphens)| {
        let u = uuid::Uuid::from_u128(n);
        Guid::from_vendor(if hyphens {
            u.hyphenated().to_string()
        } else {
            u.simple().to_string().to_uppercase()
        })
    })
}

/// A field that is absent, null (when `nulls`) or set.
fn field<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
    nulls: bool,
) -> BoxedStrategy<Field<T>> {
    if nulls {
        prop_oneof![1 => Just(Field::Absent), 1 => Just(Field::Null), 3 => s.prop_map(Field::Value)]
            .boxed()
    } else {
        prop_oneof![1 => Just(Field::Absent), 3 => s.prop_map(Field::Value)].boxed()
    }
}

fn int() -> impl Strategy<Value = Num> {
    any::<i64>().prop_map(Num::from)
}

/// A customer holding only what BokaMera stores, in the shape it comes back.
fn storable(nulls: bool) -> impl Strategy<Value = Customer> {
    let n = nulls;
    let invoice = (
        field(text(), n),
        field(text(), n),
        field(text(), n),
        field(text(), n),
        field(text(), n),
        field(text(), n),
    )
        .prop_map(|(a, b, c, d, e, f)| InvoiceAddress {
            corporate_identity_number: a,
            line1: b,
            line2: c,
            city: d,
            postal_code: e,
            country_code: f,
        });
    let access_key = (
        field(guid(), n),
        field(guid(), n),
        field(int(), n),
        field(text(), n),
        field(guid(), n),
        field(text(), n),
    )
        .prop_map(
            |(id, company_id, t, value, customer_id, description)| AccessKey {
                id,
                company_id,
                access_key_type_id: t,
                value,
                customer_id,
                description,
            },
        );
    (
        (guid(), field(text(), n), field(text(), n)),
        (
            field(
                text().prop_map(|a| {
                    vec![Email {
                        address: Field::Value(a),
                        ..Email::default()
                    }]
                }),
                n,
            ),
            field(
                text().prop_map(|p| {
                    vec![Phone {
                        number: Field::Value(p),
                        ..Phone::default()
                    }]
                }),
                n,
            ),
            field(invoice, n),
            field(any::<bool>(), n),
        ),
        (
            field(
                prop::collection::vec(
                    (field(int(), n), field(text(), n))
                        .prop_map(|(id, value)| CustomField { id, value }),
                    0..3,
                ),
                n,
            ),
            field(prop::collection::vec(access_key, 0..3), n),
            field(
                prop::collection::vec(field(guid(), n).prop_map(|id| AccessKeyRef { id }), 0..3),
                n,
            ),
        ),
    )
        .prop_map(
            |(
                (id, first_name, last_name),
                (emails, phones, invoice_address, subscribed_to_newsletter),
                (custom_fields, access_keys, access_keys_to_delete),
            )| Customer {
                // BokaMera's customer Id is a Guid; the unified id is its text.
                id: Field::Value(TextId::from_vendor(id.into_string())),
                first_name,
                last_name,
                emails,
                phones,
                invoice_address,
                subscribed_to_newsletter,
                custom_fields,
                access_keys,
                access_keys_to_delete,
                ..Customer::default()
            },
        )
}

/// What BokaMera stores of `c`, through the gateway's own bytes.
fn stored(c: &Customer, format: Format) -> Customer {
    let wire = to_request(c, None).unwrap();
    let bytes = encode(format, &wire).unwrap();
    let d = decode::<UpdateCustomer>(format, &bytes).unwrap();
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    let mut s = from_request(d.value);
    s.id = c.id.clone();
    s
}

/// `c` with every null left out, as JSV reads it back.
fn without_nulls(c: &Customer) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(c).unwrap();
    strip(&mut v);
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn json_round_trip_is_identity_on_stored_fields(c in storable(true)) {
        prop_assert_eq!(stored(&c, Format::Json), c);
    }

    #[test]
    fn jsv_round_trip_is_identity_on_stored_fields(c in storable(true)) {
        let s = stored(&c, Format::Jsv);
        prop_assert_eq!(serde_json::to_value(&s).unwrap(), without_nulls(&c));
        // Nothing is reported lost: a null BokaMera leaves out is not a loss.
        let input = serde_json::to_value(&c).unwrap();
        prop_assert!(unstored_fields(&input, &serde_json::to_value(&s).unwrap()).is_empty());
    }

    #[test]
    fn extra_entries_and_other_members_are_reported(
        c in storable(false),
        extra_email in text(),
        label in text(),
        street in text(),
    ) {
        let mut c = c;
        let mut emails = c.emails.clone().into_value().unwrap_or_default();
        let had = emails.len();
        emails.push(Email { address: Field::Value(extra_email), label: Field::Value(label), ..Email::default() });
        c.emails = Field::Value(emails);
        c.addresses = Field::Value(vec![Address { line1: Field::Value(street), ..Address::default() }]);
        for format in [Format::Json, Format::Jsv] {
            let s = stored(&c, format);
            let lost = unstored_fields(&serde_json::to_value(&c).unwrap(), &serde_json::to_value(&s).unwrap());
            let want_email = if had == 0 { "emails[0].label" } else { "emails" };
            prop_assert!(lost.contains(&"addresses".to_string()), "{:?}", lost);
            prop_assert!(lost.contains(&want_email.to_string()), "{:?}", lost);
            // A second round trip is a fixed point.
            prop_assert_eq!(stored(&s, format), s);
        }
    }

    #[test]
    fn answer_round_trip_drops_nothing(w in response(), jsv in any::<bool>()) {
        let format = if jsv { Format::Jsv } else { Format::Json };
        let bytes = encode(format, &w).unwrap();
        let d = decode::<CustomerQueryResponse>(format, &bytes).unwrap();
        prop_assert!(d.unknown.is_empty());
        let read = d.value;
        let back = to_response(&from_response(read.clone())).unwrap();
        prop_assert_eq!(back, read);
    }
}

fn wtext() -> BoxedStrategy<Field<String>> {
    // Not .NET's `/Date(...)/`, which is read as RFC 3339 on purpose.
    field(
        text().prop_filter("not a .NET date", |t| !t.contains("Date(")),
        true,
    )
}

fn wint() -> BoxedStrategy<Field<i64>> {
    field(any::<i64>(), true)
}

fn wguid() -> BoxedStrategy<Field<String>> {
    field(guid().prop_map(Guid::into_string), true)
}

fn response() -> impl Strategy<Value = CustomerQueryResponse> {
    let def = (
        (
            wint(),
            wtext(),
            wtext(),
            wint(),
            wtext(),
            wtext(),
            field(any::<bool>(), true),
        ),
        (
            wtext(),
            wint(),
            field(any::<bool>(), true),
            wtext(),
            wtext(),
        ),
        field(
            prop::collection::vec(
                wtext().prop_map(|value| CustomFieldValueResponse { value }),
                0..2,
            ),
            true,
        ),
    )
        .prop_map(
            |(
                (id, name, description, width, data_type, default_value, is_mandatory),
                (
                    mandatory_error_message,
                    max_length,
                    multiple_line_text,
                    reg_ex,
                    reg_ex_error_message,
                ),
                values,
            )| {
                CustomFieldConfigData {
                    id,
                    name,
                    description,
                    width,
                    data_type,
                    default_value,
                    is_mandatory,
                    mandatory_error_message,
                    max_length,
                    multiple_line_text,
                    reg_ex,
                    reg_ex_error_message,
                    values,
                }
            },
        );
    let value = (wint(), wtext(), wtext(), wtext(), wtext(), wtext()).prop_map(
        |(id, column, name, description, value, data_type)| CustomFieldDataResponse {
            id,
            column,
            name,
            description,
            value,
            data_type,
        },
    );
    let comment = (wint(), wguid(), wtext(), wtext(), wtext(), wtext()).prop_map(
        |(id, customer_id, comments, updated, created, image_url)| CustomerCommentsResponse {
            id,
            customer_id,
            comments,
            updated,
            created,
            image_url,
        },
    );
    let key = (wguid(), wint(), wtext(), wguid(), wtext(), wguid()).prop_map(
        |(company_id, access_key_type_id, value, customer_id, description, id)| UserAccessKeys {
            company_id,
            access_key_type_id,
            value,
            customer_id,
            description,
            id,
        },
    );
    let invoice =
        (wtext(), wtext(), wtext(), wtext(), wtext(), wtext()).prop_map(|(a, b, c, d, e, f)| {
            WireInvoice {
                corporate_identity_number: a,
                invoice_address1: b,
                invoice_address2: c,
                invoice_city: d,
                invoice_postal_code: e,
                invoice_country_code: f,
            }
        });
    (
        (wguid(), wtext(), wtext(), wtext(), wtext(), wtext()),
        (
            field(prop::collection::vec(def, 0..2), true),
            field(prop::collection::vec(value, 0..2), true),
            field(prop::collection::vec(comment, 0..2), true),
            field(prop::collection::vec(key, 0..2), true),
        ),
        (
            wtext(),
            wtext(),
            field(any::<bool>(), true),
            field(invoice, true),
        ),
    )
        .prop_map(
            |(
                (id, firstname, lastname, email, phone, image_url),
                (custom_fields, custom_field_values, comments, access_keys),
                (updated, created, subscribed_to_newsletter, invoice_address),
            )| {
                CustomerQueryResponse {
                    id,
                    firstname,
                    lastname,
                    email,
                    phone,
                    image_url,
                    custom_fields,
                    custom_field_values,
                    comments,
                    access_keys,
                    updated,
                    created,
                    response_status: Field::Absent,
                    subscribed_to_newsletter,
                    invoice_address,
                }
            },
        )
}
