//! Printing the effective config (`crossdock check-config`) with every
//! secret redacted.
//!
//! The gateway's own sections hold secrets as [`Secret`](super::Secret),
//! which serializes as `[redacted]`. A backend section is kept as the raw
//! value its vendor parses, so it is redacted here by key name, failing
//! closed: any key that looks like a credential is hidden whatever its
//! value, and so is the user-info part of a `base_url`.

use super::Config;
use serde_json::Value;

/// What a redacted value prints as.
pub const REDACTED: &str = "[redacted]";

/// Key fragments that mark a backend key as a credential.
const SECRET_KEY_PARTS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "secret",
    "key",
    "credential",
    "username",
    "auth",
];

fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    SECRET_KEY_PARTS.iter().any(|p| k.contains(p))
}

/// Hides `user:password@` in a URL.
fn redact_userinfo(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..end].rfind('@')?;
    Some(format!("{scheme}://{REDACTED}@{}", &rest[at + 1..]))
}

/// A backend section fit to print: credential-like keys redacted (at any
/// depth), user-info stripped from URLs, and nulls (which TOML cannot
/// hold) left out.
pub fn redact_section(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let v = if is_secret_key(k) {
                        Value::String(REDACTED.into())
                    } else {
                        redact_section(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(redact_section)
                .collect(),
        ),
        Value::String(s) => Value::String(redact_userinfo(s).unwrap_or_else(|| s.clone())),
        other => other.clone(),
    }
}

/// The config as TOML, secrets redacted.
pub fn to_toml(config: &Config) -> Result<String, String> {
    let mut printable = config.clone();
    for section in printable.backends.values_mut() {
        *section = redact_section(section);
    }
    for tenant in printable.tenants.values_mut() {
        for section in tenant.backends.values_mut() {
            *section = redact_section(section);
        }
    }
    toml::to_string(&printable).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credential_keys_are_redacted_at_any_depth() {
        let v = redact_section(&json!({
            "base_url": "http://user:pw@vendor.example:8080/prefix",
            "token": "t0k",
            "api_key": 7,
            "password": "pw",
            "username": "me",
            "nested": {"bearer_token": "b", "client_secret": ["s"], "format": "xml"},
            "timeout_ms": 5000,
            "dropped": null,
        }));
        let text = v.to_string();
        for secret in ["t0k", "\"pw\"", "user:pw", "\"me\"", "\"b\"", "\"s\"", ":7"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(
            v["base_url"],
            "http://[redacted]@vendor.example:8080/prefix"
        );
        assert_eq!(v["nested"]["format"], "xml");
        assert_eq!(v["timeout_ms"], 5000);
        assert!(v.get("dropped").is_none());
    }

    #[test]
    fn plain_urls_are_kept() {
        assert_eq!(redact_userinfo("http://h:1/a@b"), None);
        assert_eq!(redact_userinfo("sandbox"), None);
    }
}
