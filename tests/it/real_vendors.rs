//! The gateway against vendors as they really are: over TLS with a CA made
//! in the test, behind an OAuth2 token endpoint that issues short-lived
//! tokens, and through an egress proxy. Every case goes through the whole
//! gateway over real sockets and checks what the caller and the vendor see.

#[allow(deprecated)]
use crate::common;

use crate::common::proxy::start_proxy;
use crate::common::scripted::{Answer, Scripted};
use crate::common::tls::{serve_tls, Pki, ServerOpts, TlsServer, Validity};
use crate::common::token::{TokenEndpoint, TOKEN_PATH};
use crate::common::{Gateway, GatewayConfig};
use std::sync::atomic::Ordering;
use std::sync::Arc;

const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const USER: &str = "api-user";
const PASSWORD: &str = "pw-S3CRET-oauth";
const CLIENT_SECRET: &str = "cs-S3CRET-oauth";

fn ok() -> Answer {
    Answer::Body(204, "text/plain", "".into())
}

fn unauthorized() -> Answer {
    Answer::json(401, r#"{"errors":[]}"#)
}

async fn tls_vendor(pki: &Pki, vendor: &Scripted) -> TlsServer {
    let leaf = pki.server(&["localhost", "127.0.0.1"], Validity::Now);
    serve_tls(vendor.router(), ServerOpts::new(leaf)).await
}

async fn tls_tokens(pki: &Pki, endpoint: &Arc<TokenEndpoint>) -> String {
    let leaf = pki.server(&["localhost", "127.0.0.1"], Validity::Now);
    let server = serve_tls(endpoint.router(), ServerOpts::new(leaf)).await;
    format!("{}{TOKEN_PATH}", server.url())
}

/// The department over `https://`, with `extra` in its section.
fn config(base_url: &str, extra: &str) -> String {
    GatewayConfig::new()
        .backend("department", base_url)
        .set("timeout_ms", 2000)
        .set("token", "path-token")
        .set("retry.attempts", 0)
        .lines(extra)
        .route("customers", &["department"])
        .build()
}

fn tls(pki: &Pki) -> String {
    format!(
        "[backends.department.tls]\nca_file = \"{}\"\n",
        pki.ca_file().display()
    )
}

fn oauth(token_url: &str) -> String {
    format!(
        r#"[backends.department.oauth]
token_url = "{token_url}"
grant = "password"
client_id = "bm-external-api-users"
client_secret = "{CLIENT_SECRET}"
username = "{USER}"
password = "{PASSWORD}"
"#
    )
}

async fn put(gw: &Gateway) -> common::Resp {
    gw.put_json(
        &format!("/v1/customers/{ID}"),
        &serde_json::json!({"firstName": "Ada"}),
    )
    .await
}

fn bearer(r: &common::scripted::Received) -> String {
    r.headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A gateway whose department is `vendor` over TLS, with its tokens from
/// `tokens` (also over TLS), both under `pki`.
async fn oauth_gateway(pki: &Pki, vendor: &Scripted, tokens: &Arc<TokenEndpoint>) -> Gateway {
    let server = tls_vendor(pki, vendor).await;
    let token_url = tls_tokens(pki, tokens).await;
    Gateway::start(&config(
        &server.url(),
        &format!("{}{}", tls(pki), oauth(&token_url)),
    ))
    .await
}

#[tokio::test]
async fn https_vendor_with_oauth_tokens_from_a_tls_token_endpoint() {
    let pki = Pki::new();
    let vendor = Scripted::new([ok(), ok()]);
    let tokens = TokenEndpoint::new(USER, PASSWORD, 300);
    let gw = oauth_gateway(&pki, &vendor, &tokens).await;
    for _ in 0..2 {
        let r = put(&gw).await;
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    }
    let got = vendor.received();
    assert_eq!(got.len(), 2);
    assert_eq!(bearer(&got[0]), "Bearer access-T0KEN-1");
    assert_eq!(
        bearer(&got[1]),
        "Bearer access-T0KEN-1",
        "the token is cached"
    );
    assert_eq!(tokens.calls(), 1);
    assert_eq!(tokens.grants(), ["password"]);
    let form = tokens.forms.lock().unwrap()[0].clone();
    assert_eq!(form["client_id"], "bm-external-api-users");
    assert_eq!(form["username"], USER);
    // Nothing secret in the metrics.
    let m = gw.metrics().await;
    for s in [PASSWORD, CLIENT_SECRET, "access-T0KEN", "path-token"] {
        assert!(!m.contains(s), "{s} in metrics");
    }
}

#[tokio::test]
async fn a_vendor_401_gets_one_fresh_token_and_one_retry_never_more() {
    let pki = Pki::new();
    let vendor = Scripted::new([unauthorized(), ok(), unauthorized(), unauthorized()]);
    let tokens = TokenEndpoint::new(USER, PASSWORD, 300);
    let gw = oauth_gateway(&pki, &vendor, &tokens).await;
    let r = put(&gw).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got = vendor.received();
    assert_eq!(got.len(), 2, "one retry");
    assert_eq!(bearer(&got[0]), "Bearer access-T0KEN-1");
    assert_eq!(bearer(&got[1]), "Bearer access-T0KEN-2", "a fresh token");
    assert_eq!(tokens.calls(), 2);
    // Refused twice: one retry only, then the vendor's refusal of the
    // gateway's credentials (502, never 401).
    let r = put(&gw).await;
    let p = r.assert_problem(502);
    assert_eq!(p["backend"], "department");
    assert_eq!(vendor.received().len(), 4, "never a second retry");
    assert_eq!(tokens.calls(), 3);
}

#[tokio::test]
async fn concurrent_requests_share_one_token_call() {
    let pki = Pki::new();
    let vendor = Scripted::new((0..30).map(|_| ok()));
    let tokens = TokenEndpoint::new(USER, PASSWORD, 300);
    tokens.delay_ms.store(150, Ordering::SeqCst);
    let gw = Arc::new(oauth_gateway(&pki, &vendor, &tokens).await);
    let calls: Vec<_> = (0..30)
        .map(|_| {
            let gw = gw.clone();
            tokio::spawn(async move { put(&gw).await.status })
        })
        .collect();
    for c in calls {
        assert_eq!(c.await.unwrap(), 200);
    }
    assert_eq!(tokens.calls(), 1, "single flight");
    assert!(vendor
        .received()
        .iter()
        .all(|r| bearer(r) == "Bearer access-T0KEN-1"));
}

#[tokio::test]
async fn short_lived_tokens_are_renewed_with_the_refresh_token() {
    let pki = Pki::new();
    let vendor = Scripted::new([ok(), ok()]);
    // Renewed min(30 s, lifetime / 4) before expiry: 0.5 s into 2 s.
    let tokens = TokenEndpoint::new(USER, PASSWORD, 2);
    let gw = oauth_gateway(&pki, &vendor, &tokens).await;
    assert_eq!(put(&gw).await.status, 200);
    common::skip(std::time::Duration::from_millis(1700)).await;
    assert_eq!(put(&gw).await.status, 200);
    assert_eq!(tokens.grants(), ["password", "refresh_token"]);
    let got = vendor.received();
    assert_eq!(bearer(&got[1]), "Bearer access-T0KEN-2");
}

#[tokio::test]
async fn a_token_endpoint_that_refuses_or_is_down_is_a_502_vendor_auth_failed() {
    let pki = Pki::new();
    let vendor = Scripted::new([]);
    let server = tls_vendor(&pki, &vendor).await;
    let tokens = TokenEndpoint::new(USER, PASSWORD, 300);
    tokens.refuse_all.store(true, Ordering::SeqCst);
    let token_url = tls_tokens(&pki, &tokens).await;
    let down = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        drop(l);
        format!("https://{a}{TOKEN_PATH}")
    };
    for url in [token_url, down] {
        let gw = Gateway::start(&config(
            &server.url(),
            &format!("{}{}", tls(&pki), oauth(&url)),
        ))
        .await;
        let r = put(&gw).await;
        let p = r.assert_problem(502);
        assert_eq!(p["backend"], "department");
        assert_eq!(p["code"], "vendor_auth_failed");
        assert_eq!(p["errors"][0]["code"], "vendor_auth_failed");
        let body = String::from_utf8_lossy(&r.body);
        for s in [
            PASSWORD,
            CLIENT_SECRET,
            USER,
            "refused by the test endpoint",
        ] {
            assert!(!body.contains(s), "{s} in {body}");
        }
        let m = gw.metrics().await;
        assert!(m.contains(r#"outcome="auth_failed""#), "counted by outcome");
    }
    assert!(vendor.received().is_empty(), "nothing sent without a token");
}

#[tokio::test]
async fn certificate_failures_are_502s_that_say_why_and_are_counted() {
    let pki = Pki::new();
    let other = Pki::new();
    let vendor = Scripted::new([]);
    let cases = [
        (
            "untrusted",
            pki.server(&["127.0.0.1"], Validity::Now),
            tls(&other),
            "not trusted",
        ),
        (
            "expired",
            pki.server(&["127.0.0.1"], Validity::Expired),
            tls(&pki),
            "expired",
        ),
        (
            "wrong_host",
            pki.server(&["other.example"], Validity::Now),
            tls(&pki),
            "host",
        ),
    ];
    for (reason, leaf, tls_section, says) in cases {
        let server = serve_tls(vendor.router(), ServerOpts::new(leaf)).await;
        let gw = Gateway::start(&config(&server.url(), &tls_section)).await;
        let r = put(&gw).await;
        let p = r.assert_problem(502);
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains(says), "{reason}: {detail}");
        assert!(!detail.contains("BEGIN"), "no certificate bytes");
        let m = gw.metrics().await;
        assert!(
            m.contains(&format!(
                r#"crossdock_backend_tls_errors_total{{backend="department",reason="{reason}"}} 1"#
            )),
            "{reason}: {m}"
        );
    }
    assert!(vendor.received().is_empty());
}

#[tokio::test]
async fn mtls_vendor_gets_the_client_certificate() {
    let pki = Pki::new();
    let vendor = Scripted::new([ok()]);
    let mut opts = ServerOpts::new(pki.server(&["127.0.0.1"], Validity::Now));
    opts.client_ca = Some(pki.ca.clone());
    let server = serve_tls(vendor.router(), opts).await;
    let (cert, key) = pki.client_files();
    let without = Gateway::start(&config(&server.url(), &tls(&pki))).await;
    without
        .put_json(&format!("/v1/customers/{ID}"), &serde_json::json!({}))
        .await
        .assert_problem(502);
    let with = Gateway::start(&config(
        &server.url(),
        &format!(
            "{}client_cert_file = \"{}\"\nclient_key_file = \"{}\"\n",
            tls(&pki),
            cert.display(),
            key.display()
        ),
    ))
    .await;
    let r = put(&with).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(vendor.received().len(), 1);
}

#[tokio::test]
async fn an_egress_proxy_tunnels_https_and_keeps_its_credentials() {
    let pki = Pki::new();
    let vendor = Scripted::new([ok()]);
    let server = tls_vendor(&pki, &vendor).await;
    let proxy = start_proxy(Some("Basic cHgtdXNlcjpweC1TM0NSRVQ=")).await;
    let gw = Gateway::start(&config(
        &server.url(),
        &format!(
            "proxy_url = \"{}\"\n{}",
            proxy.url(Some("px-user:px-S3CRET")),
            tls(&pki)
        ),
    ))
    .await;
    let r = put(&gw).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "CONNECT");
    assert_eq!(seen[0].target, server.addr.to_string());
    assert!(seen[0].proxy_authorization.is_some());
    let got = vendor.received();
    assert_eq!(got.len(), 1);
    assert!(!got[0].headers.contains_key("proxy-authorization"));
    assert!(!gw.metrics().await.contains("px-S3CRET"));
}

/// A config pointing at `https://` vendors with `tls`, `oauth`,
/// `proxy_url` and `method` passes the config check.
#[test]
fn a_real_vendor_config_passes_the_check() {
    let pki = Pki::new();
    let toml = format!(
        r#"
[backends.department]
base_url = "https://api.mykaarma.com"
token = "t"
method = "PUT"
proxy_url = "http://user:pw@proxy.internal:3128"
[backends.department.tls]
ca_file = "{ca}"
[backends.bokamera]
base_url = "https://api.bokamera.se"
api_key = "k"
[backends.bokamera.oauth]
token_url = "https://identity.bookmore.com/realms/bookmore-admin/protocol/openid-connect/token"
grant = "password"
client_id = "bm-external-api-users"
username = "u"
password = "p"
[routes.customers]
backends = ["department", "bokamera"]
"#,
        ca = pki.ca_file().display()
    );
    let path = std::env::temp_dir().join(format!("crossdock-real-{}.toml", std::process::id()));
    std::fs::write(&path, toml).unwrap();
    let plan = crossdock::app::Plan::from_file(&path, []);
    let _ = std::fs::remove_file(&path);
    let plan = plan.unwrap_or_else(|e| panic!("{e}"));
    let printed = plan.effective_toml().unwrap();
    assert!(printed.contains("bm-external-api-users"), "{printed}");
    for secret in ["user:pw", "\"p\"", "\"u\""] {
        assert!(!printed.contains(secret), "{secret} printed");
    }
}
