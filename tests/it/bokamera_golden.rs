//! Golden tests: BokaMera's documented `PUT /customers/{Id}` JSV samples
//! read into the wire types, mapped to the reviewed unified JSON, and the
//! request written back as the exact compact JSV text.

use crossdock::backends::bokamera::codec::{decode, encode, Format};
use crossdock::backends::bokamera::mapping::{
    from_request, from_response, to_request, to_response,
};
use crossdock::backends::bokamera::wire::{CustomerQueryResponse, ResponseStatus, UpdateCustomer};
use crossdock::jsv;
use crossdock::unified::{Customer, Field};

const REQUEST: &str = include_str!("../fixtures/bokamera/put-request.jsv");
const RESPONSE: &str = include_str!("../fixtures/bokamera/put-response.jsv");
const REQUEST_UNIFIED: &str = include_str!("../fixtures/bokamera/put-request.unified.json");
const RESPONSE_UNIFIED: &str = include_str!("../fixtures/bokamera/put-response.unified.json");

fn compact(sample: &str) -> String {
    // No value in the samples holds white space.
    sample.chars().filter(|c| !c.is_whitespace()).collect()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn request_sample_to_unified_and_back_exactly() {
    let d = decode::<UpdateCustomer>(Format::Jsv, REQUEST.as_bytes()).unwrap();
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    let wire = d.value;
    let company = wire.company_id.value().cloned();
    let unified = from_request(wire.clone());
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(
            "tests/fixtures/bokamera/put-request.unified.json",
            serde_json::to_string_pretty(&unified).unwrap() + "\n",
        )
        .unwrap();
    }
    assert_eq!(
        serde_json::to_value(&unified).unwrap(),
        json(REQUEST_UNIFIED)
    );
    // The reviewed unified JSON, as a caller would send it, writes the
    // sample back byte for byte (compact).
    let from_file: Customer = serde_json::from_str(REQUEST_UNIFIED).unwrap();
    let back = to_request(&from_file, company).unwrap();
    assert_eq!(back, wire);
    let text = String::from_utf8(encode(Format::Jsv, &back).unwrap()).unwrap();
    assert_eq!(text, compact(REQUEST));
}

#[test]
fn response_sample_every_member_in_unified() {
    let d = decode::<CustomerQueryResponse>(Format::Jsv, RESPONSE.as_bytes()).unwrap();
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    let mut wire = d.value;
    assert_eq!(
        wire.response_status,
        Field::Value(ResponseStatus::default())
    );
    let unified = from_response(wire.clone());
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(
            "tests/fixtures/bokamera/put-response.unified.json",
            serde_json::to_string_pretty(&unified).unwrap() + "\n",
        )
        .unwrap();
    }
    assert_eq!(
        serde_json::to_value(&unified).unwrap(),
        json(RESPONSE_UNIFIED)
    );
    // Nothing dropped: the unified customer gives the same answer back
    // (ResponseStatus is the envelope's, not the customer's).
    wire.response_status = Field::Absent;
    let from_file: Customer = serde_json::from_str(RESPONSE_UNIFIED).unwrap();
    assert_eq!(to_response(&from_file).unwrap(), wire);
}

#[test]
fn response_sample_in_json_reads_the_same() {
    let d = decode::<CustomerQueryResponse>(Format::Jsv, RESPONSE.as_bytes()).unwrap();
    let as_json = encode(Format::Json, &d.value).unwrap();
    let again = decode::<CustomerQueryResponse>(Format::Json, &as_json).unwrap();
    assert_eq!(again.value, d.value);
    assert!(again.unknown.is_empty());
}

#[test]
fn jsv_text_of_awkward_values() {
    let c: Customer = serde_json::from_value(serde_json::json!({
        "firstName": "Anna, \"Annie\"",
        "lastName": " Lind ",
        "emails": [{"address": ""}],
        "invoiceAddress": {"line1": "Box {7} [a]:b"}
    }))
    .unwrap();
    let w = to_request(&c, None).unwrap();
    let text = jsv::to_string(&w).unwrap();
    assert_eq!(
        text,
        "{Firstname:\"Anna, \"\"Annie\"\"\",Lastname:\" Lind \",Email:\"\",\
InvoiceAddress:{InvoiceAddress1:\"Box {7} [a]:b\"}}"
    );
    let back: UpdateCustomer = jsv::from_str(&text).unwrap();
    assert_eq!(back, w);
}
