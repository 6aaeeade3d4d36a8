//! Golden tests against the Vehizen doc samples.

use crossdock::backends::vehizen::sim::fixtures::*;
use crossdock::backends::vehizen::{
    decode_group, decode_response, encode_group, encode_response, Format,
};
use crossdock::unified::CustomerGroup;

/// The sample with the whitespace between elements removed.
fn compact(xml: &str) -> String {
    xml.lines().map(str::trim).collect()
}

fn json_value(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn xml_group_samples_are_written_back_byte_for_byte() {
    for sample in [GET_XML, PUT_REQUEST_XML] {
        let d = decode_group(Format::Xml, sample.as_bytes()).unwrap();
        assert!(d.unknown.is_empty(), "{:?}", d.unknown);
        let out = encode_group(Format::Xml, &d.value);
        assert_eq!(String::from_utf8(out).unwrap(), compact(sample));
    }
}

#[test]
fn xml_response_sample_is_written_back_byte_for_byte() {
    let d = decode_response(Format::Xml, RESPONSE_XML.as_bytes()).unwrap();
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    let out = encode_response(Format::Xml, &d.value);
    assert_eq!(String::from_utf8(out).unwrap(), compact(RESPONSE_XML));
}

#[test]
fn json_samples_are_written_back_equal() {
    for sample in [GET_JSON, PUT_REQUEST_JSON] {
        let d = decode_group(Format::Json, sample.as_bytes()).unwrap();
        assert!(d.unknown.is_empty(), "{:?}", d.unknown);
        let out = encode_group(Format::Json, &d.value);
        assert_eq!(json_value(&out), json_value(sample.as_bytes()));
    }
    let d = decode_response(Format::Json, RESPONSE_JSON.as_bytes()).unwrap();
    assert!(d.unknown.is_empty());
    let out = encode_response(Format::Json, &d.value);
    assert_eq!(json_value(&out), json_value(RESPONSE_JSON.as_bytes()));
}

#[test]
fn json_member_order_is_the_samples() {
    // serde_json without preserve_order sorts keys when parsing to Value,
    // so compare the order of keys as written.
    for sample in [GET_JSON, PUT_REQUEST_JSON] {
        let d = decode_group(Format::Json, sample.as_bytes()).unwrap();
        let out = String::from_utf8(encode_group(Format::Json, &d.value)).unwrap();
        let squeezed: String = sample.lines().map(str::trim).collect::<Vec<_>>().join("");
        let squeezed = squeezed.replace("\": ", "\":");
        assert_eq!(out, squeezed);
    }
}

const UNIFIED_GET: &str = include_str!("../fixtures/vehizen/get.unified.json");

fn unified_json(g: CustomerGroup) -> serde_json::Value {
    serde_json::to_value(g).unwrap()
}

#[test]
fn get_sample_maps_to_the_golden_unified_json() {
    let json = decode_group(Format::Json, GET_JSON.as_bytes())
        .unwrap()
        .value;
    let got = unified_json(json.into());
    let want: serde_json::Value = serde_json::from_str(UNIFIED_GET).unwrap();
    assert_eq!(got, want);

    // XML has no FullName / Utility; otherwise the same.
    let xml = decode_group(Format::Xml, GET_XML.as_bytes()).unwrap().value;
    let got = unified_json(xml.into());
    let mut want = want;
    for v in want["vehicles"].as_array_mut().unwrap() {
        let v = v.as_object_mut().unwrap();
        v.remove("fullName").unwrap();
        v.remove("utility").unwrap();
    }
    assert_eq!(got, want);
}

#[test]
fn wire_to_unified_text_and_back_is_identity() {
    for (format, sample) in [
        (Format::Json, GET_JSON),
        (Format::Json, PUT_REQUEST_JSON),
        (Format::Xml, GET_XML),
        (Format::Xml, PUT_REQUEST_XML),
    ] {
        let wire = decode_group(format, sample.as_bytes()).unwrap().value;
        let text = serde_json::to_string(&CustomerGroup::from(wire.clone())).unwrap();
        let unified: CustomerGroup = serde_json::from_str(&text).unwrap();
        let back = crossdock::backends::vehizen::wire::CustomerGroupDto::from(unified);
        assert_eq!(back, wire);
        assert_eq!(encode_group(format, &back), encode_group(format, &wire));
    }
}
