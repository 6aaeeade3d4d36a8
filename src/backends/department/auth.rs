//! HTTP Basic for the department: the header the adapter sends and the
//! simulator checks.

use crate::secret::{sensitive_header, Secret};
use http::HeaderValue;

/// `Authorization: Basic base64(user:password)`, marked sensitive so it is
/// never printed by `Debug` nor indexed by HPACK.
pub fn basic_auth(username: &Secret, password: &Secret) -> HeaderValue {
    let raw = format!("{}:{}", username.expose(), password.expose());
    let text = format!("Basic {}", base64(raw.as_bytes()));
    // Base64 is ASCII, so the value is always valid.
    sensitive_header(&text).unwrap_or_else(|| HeaderValue::from_static(""))
}

/// Standard base64 with padding (RFC 4648 §4).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
        let h = basic_auth(&Secret::new("Aladdin"), &Secret::new("open sesame"));
        assert_eq!(h, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(h.is_sensitive());
        assert!(!format!("{h:?}").contains("QWxh"));
    }
}
