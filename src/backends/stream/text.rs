//! JSON scalars written the way serde_json writes them (compact), so a
//! streamed answer has the typed path's bytes.

/// `s` as a JSON string: serde_json's escaping (`"`, `\`, and the C0
/// controls: `\b \t \n \f \r`, the rest as `\u00XX` in lower-case hex;
/// everything else as UTF-8).
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    write_utf8(out, s.as_bytes());
}

/// [`write_str`] of text known to be UTF-8 (a piece of a document checked
/// as a whole): only ASCII bytes are ever escaped, so the bytes need not be
/// checked again.
pub fn write_utf8(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    write_contents(out, bytes);
    out.push(b'"');
}

/// What a byte is written as: 0 itself, `U` as `\u00XX`, else `\` and
/// that letter.
const U: u8 = b'u';
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = U;
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

fn write_contents(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs escaping, then straight
        // to the first that does.
        match bytes.get(i..i + 8) {
            Some(chunk) => {
                let mask = escape_mask(word(chunk));
                if mask == 0 {
                    i += 8;
                    continue;
                }
                i += first_byte(mask);
            }
            // Fewer than eight left: one look at the last eight (the
            // overlap was seen clean) instead of a byte at a time.
            None => {
                let last = bytes.len().checked_sub(8).and_then(|s| bytes.get(s..));
                if last.is_some_and(|w| escape_mask(word(w)) == 0) {
                    break;
                }
            }
        }
        let b = bytes[i];
        let esc = ESCAPE[usize::from(b)];
        if esc != 0 {
            out.extend_from_slice(&bytes[start..i]);
            if esc == U {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
            } else {
                out.push(b'\\');
                out.push(esc);
            }
            start = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Eight bytes as a word.
fn word(chunk: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(chunk);
    u64::from_le_bytes(w)
}

/// Whether any of the eight bytes of `x` is below 0x20, `"` or `\` (the
/// "has a byte less than / equal to" bit tricks; exact for "any").
#[cfg(test)]
fn needs_escape(x: u64) -> bool {
    escape_mask(x) != 0
}

/// The high bit of each byte of `x` (little-endian) that may need escaping.
/// The lowest bit set is exact: a borrow only flags bytes above one that
/// needs escaping.
pub(super) fn escape_mask(x: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let below = x.wrapping_sub(LO * 0x20) & !x & HI;
    below | zero(x ^ (LO * u64::from(b'"'))) | zero(x ^ (LO * u64::from(b'\\')))
}

/// The index of the first byte an [`escape_mask`] flags.
pub(super) fn first_byte(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
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
        fn strings_are_serde_jsons(s in "\\PC*|[\\x00-\\x20\"\\\\\u{7f}\u{2028}é😀]{0,24}|[a-z\\x00-\\x22\\\\\\x7f-\\xff]{0,80}") {
            let mut out = Vec::new();
            write_str(&mut out, &s);
            prop_assert_eq!(out, serde_json::to_vec(&s).unwrap());
        }
    }

    fn naive(x: u64) -> bool {
        x.to_le_bytes()
            .iter()
            .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
    }

    #[test]
    fn needs_escape_is_exact_for_any_byte_anywhere() {
        for fill in [b'a', 0xFF, 0x21, 0x5D] {
            for b in 0..=255u8 {
                for at in 0..8 {
                    let mut w = [fill; 8];
                    w[at] = b;
                    let x = u64::from_le_bytes(w);
                    assert_eq!(needs_escape(x), naive(x), "{b:#x} at {at} in {fill:#x}");
                }
            }
        }
    }

    fn naive_first(x: u64) -> Option<usize> {
        x.to_le_bytes()
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
    }

    proptest! {
        #[test]
        fn needs_escape_is_exact(x: u64) {
            prop_assert_eq!(needs_escape(x), naive(x));
        }

        #[test]
        fn first_byte_is_exact(x: u64, at in 0usize..8, b in prop::sample::select(vec![0u8, 0x1F, b'"', b'\\', 0x20, 0x7F, 0xFF])) {
            let mut w = x.to_le_bytes();
            w[at] = b;
            let x = u64::from_le_bytes(w);
            let mask = escape_mask(x);
            prop_assert_eq!((mask != 0).then(|| first_byte(mask)), naive_first(x));
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
