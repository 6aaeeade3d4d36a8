//! Printing the effective config (`crossdock check-config`) with every
//! secret redacted.
//!
//! The gateway's own sections hold secrets as [`Secret`](super::Secret),
//! which serializes as `[redacted]`. A backend section is kept as the raw
//! value its vendor parses, so it is redacted here by key name, failing
//! closed: any key that looks like a credential is hidden whatever its
//! value, and so is the user-info part of a `base_url`.
//!
//! Three shared outbound keys are printed by their own rules, at the top of
//! a section only: `oauth` shows an allow-list of plain settings (its name
//! contains "auth", and it holds a client secret and a password); `tls`
//! shows its file paths (`client_key_file` names a file, not a key); and
//! `proxy_url` hides everything before its last `@`.

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

/// `[backends.<name>.oauth]` keys that are settings, not credentials.
/// Every other key inside `oauth` (secrets, and any key added later) is
/// redacted.
const OAUTH_PUBLIC_KEYS: &[&str] = &["token_url", "grant", "client_id", "scope"];

/// `[backends.<name>.tls]` keys that hold file paths, shown as they are.
const TLS_PATH_KEYS: &[&str] = &["ca_file", "client_cert_file", "client_key_file"];

/// A backend section fit to print: credential-like keys redacted (at any
/// depth), user-info stripped from URLs, and nulls (which TOML cannot
/// hold) left out.
pub fn redact_section(value: &Value) -> Value {
    let Value::Object(map) = value else {
        return redact_value(value);
    };
    Value::Object(
        map.iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| {
                let v = match k.as_str() {
                    "oauth" => redact_allowing(v, OAUTH_PUBLIC_KEYS, true),
                    "tls" => redact_allowing(v, TLS_PATH_KEYS, false),
                    "proxy_url" => redact_proxy_url(v),
                    _ if is_secret_key(k) => Value::String(REDACTED.into()),
                    _ => redact_value(v),
                };
                (k.clone(), v)
            })
            .collect(),
    )
}

/// A table whose `allowed` keys print as plain values (URLs still lose
/// their user-info). The other keys: all redacted when `strict`, else by
/// the usual key-name rule. Anything but a table is redacted when `strict`.
fn redact_allowing(value: &Value, allowed: &[&str], strict: bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let v = if allowed.contains(&k.as_str()) && !v.is_object() {
                        redact_value(v)
                    } else if strict || is_secret_key(k) {
                        Value::String(REDACTED.into())
                    } else {
                        redact_value(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        _ if strict => Value::String(REDACTED.into()),
        other => redact_value(other),
    }
}

/// A proxy URL without its credentials. Everything before the last `@` is
/// user-info (a proxy URL has no path that could hold one), so a password
/// holding `/` or `?` is still hidden; a value that is not text is hidden
/// whole.
fn redact_proxy_url(value: &Value) -> Value {
    let Value::String(url) = value else {
        return Value::String(REDACTED.into());
    };
    let Some(at) = url.rfind('@') else {
        return Value::String(url.clone());
    };
    let host = &url[at + 1..];
    match url[..at].split_once("://") {
        Some((scheme, _)) if !scheme.contains(['/', '@', ':']) => {
            Value::String(format!("{scheme}://{REDACTED}@{host}"))
        }
        _ => Value::String(format!("{REDACTED}@{host}")),
    }
}

/// Any value below a section's top: credential-like keys redacted.
fn redact_value(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let v = if is_secret_key(k) {
                        Value::String(REDACTED.into())
                    } else {
                        redact_value(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(redact_value)
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
    fn oauth_tls_and_proxy_show_settings_not_secrets() {
        let v = redact_section(&json!({
            "base_url": "https://api.vendor.example",
            "oauth": {
                "token_url": "https://id.example/realms/r/protocol/openid-connect/token",
                "grant": "password",
                "client_id": "crossdock",
                "scope": "openid",
                "client_secret": "cs-1",
                "username": "svc-user",
                "password": "pw-2",
                "refresh_token": "rt-3",
            },
            "tls": {
                "ca_file": "/etc/vendor/ca.pem",
                "client_cert_file": "/etc/vendor/client.pem",
                "client_key_file": "/etc/vendor/client.key",
            },
            "proxy_url": "http://proxy-user:pr/x?y@proxy.internal:3128",
        }));
        let text = v.to_string();
        for secret in ["cs-1", "svc-user", "pw-2", "rt-3", "proxy-user", "pr/x"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let o = &v["oauth"];
        assert_eq!(o["grant"], "password");
        assert_eq!(o["client_id"], "crossdock");
        assert_eq!(o["scope"], "openid");
        assert_eq!(
            o["token_url"],
            "https://id.example/realms/r/protocol/openid-connect/token"
        );
        for k in ["client_secret", "username", "password", "refresh_token"] {
            assert_eq!(o[k], REDACTED, "{k}");
        }
        assert_eq!(v["tls"]["client_key_file"], "/etc/vendor/client.key");
        assert_eq!(v["tls"]["ca_file"], "/etc/vendor/ca.pem");
        assert_eq!(v["proxy_url"], "http://[redacted]@proxy.internal:3128");
    }

    #[test]
    fn odd_shapes_fail_closed() {
        let v = redact_section(&json!({
            "oauth": "cs-1",
            "proxy_url": "u:p4ss@proxy:1",
            "nested": {"oauth": {"client_id": "x", "password": "pw"}},
        }));
        assert_eq!(v["oauth"], REDACTED);
        assert_eq!(v["proxy_url"], "[redacted]@proxy:1");
        // Below the top, `oauth` is just a credential-like key.
        assert_eq!(v["nested"]["oauth"], REDACTED);
        let v = redact_section(&json!({"proxy_url": 7, "oauth": {"client_id": {"a": "b"}}}));
        assert_eq!(v["proxy_url"], REDACTED);
        assert_eq!(v["oauth"]["client_id"], REDACTED);
        let v = redact_section(&json!({"proxy_url": "http://proxy:3128"}));
        assert_eq!(v["proxy_url"], "http://proxy:3128");
    }

    #[test]
    fn plain_urls_are_kept() {
        assert_eq!(redact_userinfo("http://h:1/a@b"), None);
        assert_eq!(redact_userinfo("sandbox"), None);
    }
}
