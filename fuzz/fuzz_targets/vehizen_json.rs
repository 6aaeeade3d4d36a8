//! Arbitrary bytes as a Vehizen JSON answer: may fail, never panic. A group
//! it does read must encode and decode back to the same group.

#![no_main]

use crossdock::backends::vehizen::{decode_group, decode_response, encode_group, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode_response(Format::Json, data);
    if let Ok(g) = decode_group(Format::Json, data) {
        let again = decode_group(Format::Json, &encode_group(Format::Json, &g.value))
            .expect("our own encoding reads back");
        assert_eq!(again.value, g.value);
    }
});
