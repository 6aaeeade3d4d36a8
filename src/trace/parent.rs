//! The W3C `traceparent` header: `00-<trace id>-<parent id>-<flags>`, 32,
//! 16 and 2 lower-case hex digits. Parsed by hand (no allocation), as the
//! Trace Context recommendation says:
//!
//! - version `ff` is invalid; version `00` is exactly 55 characters; a
//!   later version may be longer, with a `-` after the first 55 (its
//!   first four fields are read as version 00's);
//! - hex digits are lower case only;
//! - an all-zero trace id or parent id is invalid.

use http::HeaderValue;

/// The `sampled` flag: the caller may have recorded the trace.
pub const SAMPLED: u8 = 0x01;

/// A valid `traceparent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceParent {
    pub trace_id: [u8; 16],
    /// The caller's span.
    pub parent_id: [u8; 8],
    pub flags: u8,
}

/// Length of a version `00` value.
const LEN: usize = 55;

impl TraceParent {
    /// The header's value, or `None` when it is not a valid traceparent.
    pub fn parse(value: &[u8]) -> Option<TraceParent> {
        if value.len() < LEN {
            return None;
        }
        let version = hex_byte(&value[0..2])?;
        if version == 0xff {
            return None;
        }
        if version == 0 && value.len() != LEN {
            return None;
        }
        if value.len() > LEN && value[LEN] != b'-' {
            return None;
        }
        if value[2] != b'-' || value[35] != b'-' || value[52] != b'-' {
            return None;
        }
        let mut trace_id = [0; 16];
        for (i, b) in trace_id.iter_mut().enumerate() {
            *b = hex_byte(&value[3 + 2 * i..5 + 2 * i])?;
        }
        let mut parent_id = [0; 8];
        for (i, b) in parent_id.iter_mut().enumerate() {
            *b = hex_byte(&value[36 + 2 * i..38 + 2 * i])?;
        }
        let flags = hex_byte(&value[53..55])?;
        if trace_id == [0; 16] || parent_id == [0; 8] {
            return None;
        }
        Some(TraceParent {
            trace_id,
            parent_id,
            flags,
        })
    }

    /// Whether the caller may have recorded the trace.
    pub fn sampled(&self) -> bool {
        self.flags & SAMPLED != 0
    }

    /// As a version `00` header value. Only the flags this version knows
    /// (`sampled`) are passed on.
    pub fn to_header(&self) -> HeaderValue {
        let mut out = [0u8; LEN];
        out[..3].copy_from_slice(b"00-");
        write_hex(&mut out[3..35], &self.trace_id);
        out[35] = b'-';
        write_hex(&mut out[36..52], &self.parent_id);
        out[52] = b'-';
        write_hex(&mut out[53..55], &[self.flags & SAMPLED]);
        // Hex digits and dashes only: always a valid header value.
        HeaderValue::from_bytes(&out).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn write_hex(out: &mut [u8], bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = HEX[(b >> 4) as usize];
        out[2 * i + 1] = HEX[(b & 0xf) as usize];
    }
}

/// Two lower-case hex digits.
fn hex_byte(two: &[u8]) -> Option<u8> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    Some(digit(two[0])? << 4 | digit(two[1])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn parse(s: &str) -> Option<TraceParent> {
        TraceParent::parse(s.as_bytes())
    }

    #[test]
    fn a_valid_value_is_read_and_written_back() {
        let p = parse(VALID).unwrap();
        assert_eq!(p.trace_id[0], 0x4b);
        assert_eq!(p.trace_id[15], 0x36);
        assert_eq!(
            p.parent_id,
            [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]
        );
        assert!(p.sampled());
        assert_eq!(p.to_header(), VALID);
        let unsampled = parse(&VALID.replace("-01", "-00")).unwrap();
        assert!(!unsampled.sampled());
    }

    #[test]
    fn version_00_has_exactly_its_length() {
        for bad in [
            String::new(),
            "00".into(),
            VALID[..54].into(),
            format!("{VALID}-"),
            format!("{VALID}0"),
            format!(" {VALID}"),
            // A field one digit short, another one long.
            "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01".into(),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-701".into(),
        ] {
            assert_eq!(parse(&bad), None, "{bad:?}");
        }
    }

    #[test]
    fn all_zero_ids_are_invalid() {
        assert_eq!(
            parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            None
        );
        assert_eq!(
            parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"),
            None
        );
    }

    #[test]
    fn only_lower_case_hex_and_dashes() {
        for bad in [
            VALID.to_uppercase(),
            VALID.replace("4bf9", "4bg9"),
            VALID.replace('-', "_"),
            VALID.replacen("-00f0", "+00f0", 1),
            VALID.replace("-01", "-0x"),
            VALID.replacen("00-", "0g-", 1),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn version_ff_is_invalid_and_later_versions_are_read_as_00() {
        assert_eq!(parse(&VALID.replacen("00-", "ff-", 1)), None);
        let later = VALID.replacen("00-", "cc-", 1);
        assert_eq!(parse(&later), parse(VALID));
        assert_eq!(parse(&format!("{later}-what-comes-next")), parse(VALID));
        assert_eq!(parse(&format!("{later}x")), None);
        // Written back as version 00, with only the flags 00 knows.
        let p = parse(&later.replace("-01", "-03")).unwrap();
        assert_eq!(p.to_header(), VALID);
    }
}
