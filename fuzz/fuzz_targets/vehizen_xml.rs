//! Arbitrary bytes as a Vehizen DataContract XML answer (group and
//! ResponseDto): may fail, never panic, hang or expand an entity. A group it
//! does read must encode and decode back to the same group.

#![no_main]

use crossdock::backends::vehizen::{decode_group, decode_response, encode_group, Format};
use crossdock::unified::CustomerGroup;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Numbers by value: XML cannot tell `1.0` from `1` (.NET writes both as
/// `1`), so a float read as `1.0` may come back as the integer 1.
fn by_value(v: Value) -> Value {
    match v {
        Value::Number(n) => n.as_f64().map(Value::from).unwrap_or(Value::Number(n)),
        Value::Array(a) => Value::Array(a.into_iter().map(by_value).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, by_value(v))).collect()),
        v => v,
    }
}

fn unified(g: crossdock::backends::vehizen::wire::CustomerGroupDto) -> Value {
    by_value(serde_json::to_value(CustomerGroup::from(g)).expect("serializable"))
}

fuzz_target!(|data: &[u8]| {
    let _ = decode_response(Format::Xml, data);
    if let Ok(g) = decode_group(Format::Xml, data) {
        let again = decode_group(Format::Xml, &encode_group(Format::Xml, &g.value))
            .expect("our own encoding reads back");
        assert_eq!(unified(again.value), unified(g.value));
    }
});
