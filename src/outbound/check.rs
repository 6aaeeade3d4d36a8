//! `check_config`: every problem with a backend's `tls`, `oauth` and
//! `proxy_url`, found before anything starts (`check-config`, a start, a
//! reload). Files are read as the client will read them. Messages name the
//! key and the problem, never a secret's value nor a file's bytes.

use super::{proxy, tls_config, BaseUrl};
use super::{OAuthConfig, OAuthGrant, OutboundConfig};

/// The problems, each as `<key>: <problem>` relative to the backend's
/// section (the caller prefixes `backends.<name>.`).
pub fn check_config(cfg: &OutboundConfig) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(tls) = &cfg.tls {
        out.extend(tls_config::problems(tls));
    }
    if let Some(oauth) = &cfg.oauth {
        out.extend(
            oauth_problems(oauth)
                .into_iter()
                .map(|p| format!("oauth.{p}")),
        );
    }
    if let Some(url) = &cfg.proxy_url {
        if let Err(e) = proxy::check_proxy_url(url.expose()) {
            out.push(format!("proxy_url: {e}"));
        }
    }
    out
}

fn oauth_problems(o: &OAuthConfig) -> Vec<String> {
    let mut out = Vec::new();
    if let Err(e) = BaseUrl::parse(&o.token_url) {
        out.push(format!("token_url: {e}"));
    }
    if o.client_id.trim().is_empty() {
        out.push("client_id: must not be empty".into());
    }
    let empty = |s: &Option<crate::secret::Secret>| s.as_ref().is_some_and(|s| s.is_empty());
    if empty(&o.client_secret) {
        out.push("client_secret: must not be empty (leave it out for a public client)".into());
    }
    match o.grant {
        OAuthGrant::Password => {
            for (key, value) in [("username", &o.username), ("password", &o.password)] {
                match value {
                    None => out.push(format!("{key}: needed with grant = \"password\"")),
                    Some(v) if v.is_empty() => out.push(format!("{key}: must not be empty")),
                    Some(_) => {}
                }
            }
        }
        OAuthGrant::ClientCredentials => {
            if o.client_secret.is_none() {
                out.push("client_secret: needed with grant = \"client_credentials\"".into());
            }
            for (key, value) in [("username", &o.username), ("password", &o.password)] {
                if value.is_some() {
                    out.push(format!(
                        "{key}: only used with grant = \"password\" (remove it)"
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn outbound(extra: serde_json::Value) -> OutboundConfig {
        let mut v = json!({"base_url": "https://api.vendor.example"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn nothing_set_is_fine() {
        assert!(check_config(&outbound(json!({}))).is_empty());
    }

    #[test]
    fn keycloak_password_grant_is_fine() {
        let cfg = outbound(json!({"oauth": {
            "token_url": "https://identity.bookmore.com/realms/bookmore-admin/protocol/openid-connect/token",
            "grant": "password",
            "client_id": "crossdock",
            "username": "svc@example.com",
            "password": "hunter2",
        }}));
        assert!(check_config(&cfg).is_empty(), "{:?}", check_config(&cfg));
    }

    #[test]
    fn oauth_problems_are_named_without_values() {
        let cfg = outbound(json!({"oauth": {
            "token_url": "ftp://id.example/token",
            "grant": "password",
            "client_id": " ",
            "client_secret": "",
            "password": "hunter2",
        }}));
        let p = check_config(&cfg);
        assert_eq!(
            p,
            [
                "oauth.token_url: scheme ftp is not supported (want https or http)",
                "oauth.client_id: must not be empty",
                "oauth.client_secret: must not be empty (leave it out for a public client)",
                "oauth.username: needed with grant = \"password\"",
            ]
        );
        let cfg = outbound(json!({"oauth": {
            "token_url": "https://id.example/token",
            "grant": "client_credentials",
            "client_id": "c",
            "username": "u-hunter2",
        }}));
        let p = check_config(&cfg);
        assert_eq!(
            p,
            [
                "oauth.client_secret: needed with grant = \"client_credentials\"",
                "oauth.username: only used with grant = \"password\" (remove it)",
            ]
        );
        assert!(!format!("{p:?}{cfg:?}").contains("hunter2"));
    }

    #[test]
    fn proxy_and_tls_problems_are_prefixed() {
        let cfg = outbound(json!({
            "proxy_url": "https://u:hunter2@proxy:3128",
            "tls": {"ca_file": "/nonexistent/ca.pem"},
        }));
        let p = check_config(&cfg);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("tls.ca_file: cannot read /nonexistent/ca.pem"));
        assert_eq!(p[1], "proxy_url: only http:// proxies are supported");
    }

    #[test]
    fn unknown_keys_inside_are_refused() {
        for extra in [
            json!({"tls": {"ca_flie": "/x"}}),
            json!({"oauth": {"token_url": "https://x/t", "grant": "password", "client_id": "c", "secret": "s"}}),
        ] {
            let mut v = json!({"base_url": "https://api.vendor.example"});
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            let e = serde_json::from_value::<OutboundConfig>(v).unwrap_err();
            assert!(e.to_string().contains("unknown field"), "{e}");
        }
        let e = serde_json::from_value::<OutboundConfig>(json!({
            "base_url": "https://x",
            "oauth": {"token_url": "https://x/t", "grant": "implicit", "client_id": "c"},
        }))
        .unwrap_err();
        assert!(e.to_string().contains("password"), "{e}");
    }
}
