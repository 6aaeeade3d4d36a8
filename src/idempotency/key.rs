//! The pure parts: the header's syntax, the store key, the request
//! fingerprint, and which answers are final.

use http::{Method, StatusCode};
use sha2::{Digest, Sha256};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";
/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// A valid `Idempotency-Key`: 1..=255 visible ASCII characters (`!`..`~`).
pub fn valid(key: &[u8]) -> bool {
    (1..=MAX_KEY_LEN).contains(&key.len()) && key.iter().all(|b| (0x21..=0x7e).contains(b))
}

/// The key of the record: the tenant, the method and the route template
/// scope the caller's key, so the same key on two routes, or from two
/// tenants, never meet. The parts are length-prefixed so no choice of
/// caller key can collide with another scope.
pub fn store_key(tenant: &str, method: &Method, route: &str, key: &str) -> String {
    format!(
        "{}:{tenant}:{}:{}:{route}:{key}",
        tenant.len(),
        method.as_str(),
        route.len()
    )
}

/// SHA-256 (hex) of the method, the path with its query, and the body:
/// the same key with a different request is a misuse (422).
pub fn fingerprint(method: &Method, path_and_query: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_str().as_bytes());
    h.update([0]);
    h.update(path_and_query.as_bytes());
    h.update([0]);
    h.update(body);
    hex(&h.finalize())
}

/// The `Idempotency-Key` sent to a vendor that opts in: SHA-256 (hex) of
/// the store key, so it is unique per tenant, method and route.
pub fn vendor_key(store_key: &str) -> String {
    hex(&Sha256::digest(store_key.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether an answer is final, so it is stored and replayed:
///
/// - 2xx: the vendor confirmed the write;
/// - 4xx verdicts on the request's content (404, 409, 422, ...): sending
///   it again would get the same answer.
///
/// Not stored (the key is released and the caller may retry):
///
/// - 5xx (502, 503, 504, ...): the write may or may not have happened, and
///   a retry is how the caller finds out;
/// - 400, 413, 415: the gateway refused the request before anything was
///   sent, so the caller may fix it and reuse the key;
/// - 401, 403, 408, 429: about the caller or the moment, not the request.
pub fn is_final(status: StatusCode) -> bool {
    if status.is_success() {
        return true;
    }
    status.is_client_error() && !matches!(status.as_u16(), 400 | 401 | 403 | 408 | 413 | 415 | 429)
}

/// The tenant of a caller: `k` and the first 16 hex digits of the SHA-256
/// of its API key when `auth.api_keys` is set (so callers never see each
/// other's answers, and the key itself is never stored), else `default`.
pub fn tenant_of_api_key(api_key: &str) -> String {
    let digest = Sha256::digest(api_key.as_bytes());
    format!("k{}", hex(&digest[..8]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_syntax() {
        assert!(valid(b"a"));
        assert!(valid(b"0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(valid(&[b'~'; 255]));
        assert!(!valid(b""));
        assert!(!valid(&[b'a'; 256]));
        assert!(!valid(b"a b"));
        assert!(!valid(b"a\tb"));
        assert!(!valid("é".as_bytes()));
        assert!(!valid(b"a\x7f"));
    }

    #[test]
    fn scopes_do_not_collide() {
        let a = store_key("default", &Method::PUT, "/v1/x/{id}", "k");
        let b = store_key("default", &Method::POST, "/v1/x/{id}", "k");
        let c = store_key("default:1", &Method::PUT, "/v1/x/{id}", "k");
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, store_key("default", &Method::PUT, "/v1/x/{id}", "k"));
    }

    #[test]
    fn fingerprint_covers_method_path_and_body() {
        let f = fingerprint(&Method::PUT, "/v1/x/1", b"{}");
        assert_eq!(f.len(), 64);
        assert_eq!(f, fingerprint(&Method::PUT, "/v1/x/1", b"{}"));
        assert_ne!(f, fingerprint(&Method::POST, "/v1/x/1", b"{}"));
        assert_ne!(f, fingerprint(&Method::PUT, "/v1/x/2", b"{}"));
        assert_ne!(f, fingerprint(&Method::PUT, "/v1/x/1", b"{ }"));
        assert_ne!(f, fingerprint(&Method::PUT, "/v1/x/1?a=1", b"{}"));
    }

    #[test]
    fn final_answers() {
        for s in [200, 201, 204, 404, 409, 422] {
            assert!(is_final(StatusCode::from_u16(s).unwrap()), "{s}");
        }
        for s in [400, 401, 413, 415, 429, 500, 501, 502, 503, 504] {
            assert!(!is_final(StatusCode::from_u16(s).unwrap()), "{s}");
        }
    }

    #[test]
    fn tenants_hide_the_key() {
        let t = tenant_of_api_key("hunter2");
        assert_eq!(t.len(), 17);
        assert!(!t.contains("hunter2"));
        assert_ne!(t, tenant_of_api_key("hunter3"));
    }
}
