//! The OAuth2 `TokenSource` against a Keycloak-shaped token endpoint on
//! loopback: caching, renewal (refresh token, new grant, refused refresh),
//! single flight, invalidation, failures, and the token endpoint reached
//! over TLS through the backend's proxy. No secret in any error or Debug.

use crate::common;

use crate::common::proxy::start_proxy;
use crate::common::tls::{serve_tls, Pki, ServerOpts, Validity};
use crate::common::token::{TokenEndpoint, TOKEN_PATH};
use crossdock::config::{OAuthConfig, OutboundConfig};
use crossdock::outbound::{AuthError, BaseUrl, TlsFailure, TokenSource, VendorClient};
use http::{HeaderValue, StatusCode};
use hyper_util::client::proxy::matcher::Matcher;
use serde_json::json;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

const USER: &str = "svc-USER-41d";
const PASSWORD: &str = "svc-PASSW0RD-77e";
const CLIENT_SECRET: &str = "client-S3CRET-0b9";

/// A backend section with `oauth` pointing at `token_url`.
fn backend(token_url: &str, extra: serde_json::Value) -> OutboundConfig {
    let mut v = json!({
        "base_url": "https://api.bookmore.example",
        "timeout_ms": 2000,
        "oauth": {
            "token_url": token_url,
            "grant": "password",
            "client_id": "crossdock",
            "client_secret": CLIENT_SECRET,
            "username": USER,
            "password": PASSWORD,
            "scope": "openid",
        },
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    serde_json::from_value(v).unwrap()
}

/// A token endpoint over plain HTTP, and a source for it (no proxy).
async fn plain(lifetime_secs: u64) -> (Arc<TokenEndpoint>, TokenSource) {
    let endpoint = TokenEndpoint::new(USER, PASSWORD, lifetime_secs);
    let addr = common::serve(endpoint.router()).await;
    let cfg = backend(&format!("http://{addr}{TOKEN_PATH}"), json!({}));
    (endpoint, source(&cfg, Duration::from_secs(2)))
}

fn source(cfg: &OutboundConfig, timeout: Duration) -> TokenSource {
    let oauth: &OAuthConfig = cfg.oauth.as_ref().unwrap();
    let target = BaseUrl::parse(&oauth.token_url).unwrap();
    let client = VendorClient::with_proxy_env(cfg, &target, &Matcher::builder().build()).unwrap();
    TokenSource::new(oauth, client, timeout).unwrap()
}

fn text(v: &HeaderValue) -> &str {
    v.to_str().unwrap()
}

#[tokio::test]
async fn keycloak_password_grant_is_cached() {
    let (endpoint, tokens) = plain(60).await;
    let a = tokens.bearer().await.unwrap();
    let b = tokens.bearer().await.unwrap();
    assert_eq!(text(&a), "Bearer access-T0KEN-1");
    assert_eq!(a, b);
    assert!(a.is_sensitive());
    assert_eq!(endpoint.calls(), 1);
    let form = endpoint.forms.lock().unwrap()[0].clone();
    assert_eq!(form["grant_type"], "password");
    assert_eq!(form["client_id"], "crossdock");
    assert_eq!(form["client_secret"], CLIENT_SECRET);
    assert_eq!(form["username"], USER);
    assert_eq!(form["password"], PASSWORD);
    assert_eq!(form["scope"], "openid");
}

#[tokio::test]
async fn renewed_before_expiry_with_the_refresh_token() {
    // 1 s tokens: renewal is due after 750 ms (a quarter before expiry).
    let (endpoint, tokens) = plain(1).await;
    let first = tokens.bearer().await.unwrap();
    common::skip(Duration::from_millis(800)).await;
    let second = tokens.bearer().await.unwrap();
    assert_ne!(first, second);
    assert_eq!(endpoint.grants(), ["password", "refresh_token"]);
    let form = endpoint.forms.lock().unwrap()[1].clone();
    assert_eq!(form["refresh_token"], "refresh-T0KEN-1");
    assert_eq!(form["client_id"], "crossdock");
    assert!(!form.contains_key("password"));
}

#[tokio::test]
async fn expired_without_refresh_token_gets_a_new_grant() {
    let (endpoint, tokens) = plain(1).await;
    endpoint.refresh.store(false, Ordering::SeqCst);
    let first = tokens.bearer().await.unwrap();
    common::skip(Duration::from_millis(1050)).await;
    let second = tokens.bearer().await.unwrap();
    assert_ne!(first, second);
    assert_eq!(endpoint.grants(), ["password", "password"]);
}

#[tokio::test]
async fn refused_refresh_falls_back_to_a_new_grant() {
    let (endpoint, tokens) = plain(1).await;
    tokens.bearer().await.unwrap();
    endpoint.refuse_refresh.store(true, Ordering::SeqCst);
    common::skip(Duration::from_millis(1050)).await;
    let t = tokens.bearer().await.unwrap();
    assert_eq!(text(&t), "Bearer access-T0KEN-2");
    assert_eq!(endpoint.grants(), ["password", "refresh_token", "password"]);
}

#[tokio::test]
async fn fifty_concurrent_callers_make_one_token_call() {
    let (endpoint, tokens) = plain(60).await;
    endpoint.delay_ms.store(150, Ordering::SeqCst);
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let t = tokens.clone();
            tokio::spawn(async move { t.bearer().await })
        })
        .collect();
    for c in calls {
        assert_eq!(text(&c.await.unwrap().unwrap()), "Bearer access-T0KEN-1");
    }
    assert_eq!(endpoint.calls(), 1);
}

#[tokio::test]
async fn concurrent_callers_share_one_failure() {
    let (endpoint, tokens) = plain(60).await;
    endpoint.delay_ms.store(150, Ordering::SeqCst);
    endpoint.refuse_all.store(true, Ordering::SeqCst);
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let t = tokens.clone();
            tokio::spawn(async move { t.bearer().await })
        })
        .collect();
    for c in calls {
        assert!(matches!(c.await.unwrap(), Err(AuthError::Refused { .. })));
    }
    assert_eq!(endpoint.calls(), 1);
    // A later caller tries again.
    endpoint.refuse_all.store(false, Ordering::SeqCst);
    assert!(tokens.bearer().await.is_ok());
    assert_eq!(endpoint.calls(), 2);
}

#[tokio::test]
async fn invalidate_gets_a_fresh_token_once() {
    let (endpoint, tokens) = plain(60).await;
    let refused = tokens.bearer().await.unwrap();
    tokens.invalidate(&refused);
    let fresh = tokens.bearer().await.unwrap();
    assert_ne!(refused, fresh);
    assert_eq!(endpoint.calls(), 2);
    // A late 401 on the old token does not drop the new one.
    tokens.invalidate(&refused);
    assert_eq!(tokens.bearer().await.unwrap(), fresh);
    assert_eq!(endpoint.calls(), 2);
}

#[tokio::test]
async fn refused_endpoint_is_an_auth_error_without_secrets() {
    let endpoint = TokenEndpoint::new(USER, "another-password", 60);
    let addr = common::serve(endpoint.router()).await;
    let cfg = backend(&format!("http://{addr}{TOKEN_PATH}"), json!({}));
    let tokens = source(&cfg, Duration::from_secs(2));
    let e = tokens.bearer().await.unwrap_err();
    assert_eq!(
        e,
        AuthError::Refused {
            status: StatusCode::UNAUTHORIZED,
            error: Some("invalid_grant")
        }
    );
    assert_eq!(
        e.to_string(),
        "the token endpoint refused the request (HTTP 401): invalid_grant"
    );
    let printed = format!("{e} {e:?} {tokens:?} {cfg:?} {:?}", cfg.oauth);
    for secret in [
        USER,
        PASSWORD,
        CLIENT_SECRET,
        "access-T0KEN",
        "refresh-T0KEN",
    ] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    assert!(!printed.contains("refused by the test endpoint"), "no body");
}

#[tokio::test]
async fn unreachable_slow_and_unreadable_endpoints() {
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let cfg = backend(&format!("http://127.0.0.1:{port}{TOKEN_PATH}"), json!({}));
    let e = source(&cfg, Duration::from_secs(2))
        .bearer()
        .await
        .unwrap_err();
    assert_eq!(e, AuthError::Unreachable);

    let (endpoint, _) = plain(60).await;
    endpoint.delay_ms.store(500, Ordering::SeqCst);
    let addr = common::serve(endpoint.router()).await;
    let cfg = backend(&format!("http://{addr}{TOKEN_PATH}"), json!({}));
    let e = source(&cfg, Duration::from_millis(100))
        .bearer()
        .await
        .unwrap_err();
    assert_eq!(e, AuthError::Timeout);

    let html = axum::Router::new().route(
        TOKEN_PATH,
        axum::routing::post(|| async { "<html>access-T0KEN-9</html>" }),
    );
    let addr = common::serve(html).await;
    let cfg = backend(&format!("http://{addr}{TOKEN_PATH}"), json!({}));
    let e = source(&cfg, Duration::from_secs(2))
        .bearer()
        .await
        .unwrap_err();
    assert!(matches!(e, AuthError::Unreadable(_)), "{e}");
    assert!(!e.to_string().contains("access-T0KEN"), "{e}");

    let mac = axum::Router::new().route(
        TOKEN_PATH,
        axum::routing::post(|| async {
            axum::Json(json!({"access_token": "access-T0KEN-9", "token_type": "mac"}))
        }),
    );
    let addr = common::serve(mac).await;
    let cfg = backend(&format!("http://{addr}{TOKEN_PATH}"), json!({}));
    let e = source(&cfg, Duration::from_secs(2))
        .bearer()
        .await
        .unwrap_err();
    assert_eq!(e, AuthError::Unreadable("token_type is not Bearer"));
}

#[tokio::test]
async fn client_credentials_grant() {
    let (endpoint, _) = plain(60).await;
    let addr = common::serve(endpoint.router()).await;
    let mut cfg = backend(&format!("http://{addr}{TOKEN_PATH}"), json!({}));
    let oauth = cfg.oauth.as_mut().unwrap();
    oauth.grant = crossdock::config::OAuthGrant::ClientCredentials;
    oauth.username = None;
    oauth.password = None;
    oauth.scope = None;
    source(&cfg, Duration::from_secs(2)).bearer().await.unwrap();
    let form = endpoint.forms.lock().unwrap()[0].clone();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_secret"], CLIENT_SECRET);
    for absent in ["username", "password", "scope"] {
        assert!(!form.contains_key(absent), "{absent}");
    }
}

#[tokio::test]
async fn token_endpoint_over_tls_through_the_backends_proxy() {
    let pki = Pki::new();
    let endpoint = TokenEndpoint::new(USER, PASSWORD, 60);
    let leaf = pki.server(&["localhost", "127.0.0.1"], Validity::Now);
    let server = serve_tls(endpoint.router(), ServerOpts::new(leaf)).await;
    let proxy = start_proxy(None).await;
    let token_url = format!("https://localhost:{}{TOKEN_PATH}", server.addr.port());
    let cfg = backend(
        &token_url,
        json!({
            "tls": {"ca_file": pki.ca_file()},
            "proxy_url": proxy.url(None),
        }),
    );
    let tokens = TokenSource::for_backend(&cfg).unwrap().unwrap();
    assert_eq!(
        text(&tokens.bearer().await.unwrap()),
        "Bearer access-T0KEN-1"
    );
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "CONNECT");
    assert_eq!(seen[0].target, format!("localhost:{}", server.addr.port()));

    // Without the CA: the endpoint's certificate is not trusted.
    let cfg = backend(&token_url, json!({"proxy_url": proxy.url(None)}));
    let e = TokenSource::for_backend(&cfg)
        .unwrap()
        .unwrap()
        .bearer()
        .await
        .unwrap_err();
    assert_eq!(e, AuthError::Tls(TlsFailure::Untrusted));
    assert_eq!(
        e.to_string(),
        "TLS with the token endpoint failed: the server's TLS certificate is not trusted"
    );
    assert_eq!(endpoint.calls(), 1);
    // No oauth section, no source.
    let mut none = cfg.clone();
    none.oauth = None;
    assert!(TokenSource::for_backend(&none).unwrap().is_none());
}
