//! JSON scalars written the way serde_json writes them (compact), so a
//! streamed answer has the typed path's bytes.

/// `s` as a JSON string: serde_json's escaping (`"`, `\`, and the C0
/// controls: `\b \t \n \f \r`, the rest as `\u00XX` in lower-case hex;
/// everything else as UTF-8).
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    write_str_contents(out, s);
    out.push(b'"');
}

/// The inside of [`write_str`], so a string read in pieces (XML text with
/// references in it) can be written piece by piece.
pub fn write_str_contents(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1F => {
                out.extend_from_slice(&bytes[start..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// A number, through serde_json's own formatter (integers as digits,
/// floats as serde_json writes an `f64`).
pub fn write_number(out: &mut Vec<u8>, n: &serde_json::Number) {
    // Writing a number into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, n);
}

pub fn write_u64(out: &mut Vec<u8>, v: u64) {
    let _ = serde_json::to_writer(&mut *out, &v);
}

pub fn write_i64(out: &mut Vec<u8>, v: i64) {
    let _ = serde_json::to_writer(&mut *out, &v);
}

pub fn write_f64(out: &mut Vec<u8>, v: f64) {
    let _ = serde_json::to_writer(&mut *out, &v);
}

pub fn write_bool(out: &mut Vec<u8>, v: bool) {
    out.extend_from_slice(if v { b"true" } else { b"false" });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn strings_are_serde_jsons(s in "\\PC*|[\\x00-\\x20\"\\\\\u{7f}\u{2028}é😀]{0,24}") {
            let mut out = Vec::new();
            write_str(&mut out, &s);
            prop_assert_eq!(out, serde_json::to_vec(&s).unwrap());
        }
    }

    #[test]
    fn every_control_character() {
        for c in (0u8..0x80).map(char::from) {
            let s = format!("a{c}b");
            let mut out = Vec::new();
            write_str(&mut out, &s);
            assert_eq!(out, serde_json::to_vec(&s).unwrap(), "{c:?}");
        }
    }
}
