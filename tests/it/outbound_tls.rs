//! HTTPS to vendors and the egress proxy, over real loopback sockets: a CA
//! made here, HTTPS servers with good, expired, misnamed certificates and
//! client-certificate demands, and a recording CONNECT/forward proxy.
//! Drives the public outbound API (`VendorClient`, `HttpCall`, the retry
//! policy).

use crate::common;

use crate::common::proxy::start_proxy;
use crate::common::tls::{serve_tls, Pki, ServerOpts, TlsServer, Validity};
use bytes::Bytes;
use crossdock::config::OutboundConfig;
use crossdock::metrics::Metrics;
use crossdock::outbound::{
    BaseUrl, CallError, HttpCall, Idempotent, RetryPolicy, TlsFailure, VendorClient, VendorResponse,
};
use http::Version;
use http_body_util::{BodyExt, Full};
use hyper_util::client::proxy::matcher::Matcher;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

/// The vendor's record of `Proxy-Authorization` headers it received.
type Seen = Arc<Mutex<Vec<Option<String>>>>;

/// A vendor that answers `GET /echo` with what it saw.
fn vendor(seen: Seen) -> axum::Router {
    axum::Router::new().route(
        "/echo",
        axum::routing::get(move |req: axum::extract::Request| {
            let seen = seen.clone();
            async move {
                let auth = req
                    .headers()
                    .get("proxy-authorization")
                    .map(|v| v.to_str().unwrap().to_string());
                seen.lock().unwrap().push(auth);
                axum::Json(json!({
                    "version": format!("{:?}", req.version()),
                    "uri": req.uri().to_string(),
                }))
            }
        }),
    )
}

fn outbound(base: &str, extra: Value) -> OutboundConfig {
    let mut v = json!({ "base_url": base });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    serde_json::from_value(v).unwrap()
}

/// No proxy from the environment, whatever the process's variables say.
fn no_env() -> Matcher {
    Matcher::builder().build()
}

fn client(cfg: &OutboundConfig, env: &Matcher) -> VendorClient {
    VendorClient::with_proxy_env(cfg, &BaseUrl::parse(&cfg.base_url).unwrap(), env).unwrap()
}

/// `GET {base}/echo` through `HttpCall`, the innermost outbound service.
async fn get_echo(client: VendorClient, base: &str) -> Result<VendorResponse, CallError> {
    let uri = BaseUrl::parse(base).unwrap().join("/echo").unwrap();
    let req = http::Request::get(uri)
        .body(Full::new(Bytes::new()))
        .unwrap();
    HttpCall::new(client, 1 << 20).oneshot(req).await
}

fn body_json(r: &VendorResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

async fn good_server(pki: &Pki, seen: &Seen) -> TlsServer {
    let leaf = pki.server(&["localhost", "127.0.0.1"], Validity::Now);
    serve_tls(vendor(seen.clone()), ServerOpts::new(leaf)).await
}

fn tls_failure(r: Result<VendorResponse, CallError>) -> TlsFailure {
    match r {
        Err(CallError::Tls(t)) => t,
        other => panic!("want a TLS failure, got {:?}", other.map(|r| r.status)),
    }
}

#[tokio::test]
async fn https_with_ca_file_by_ip_and_by_name() {
    let pki = Pki::new();
    let seen = Seen::default();
    let server = good_server(&pki, &seen).await;
    let tls = json!({"tls": {"ca_file": pki.ca_file()}});
    for base in [
        server.url(),
        format!("https://localhost:{}", server.addr.port()),
    ] {
        let cfg = outbound(&base, tls.clone());
        let r = get_echo(client(&cfg, &no_env()), &base).await.unwrap();
        assert_eq!(r.status, 200, "{base}");
        assert_eq!(body_json(&r)["version"], "HTTP/2.0", "{base}");
    }
}

#[tokio::test]
async fn h2_when_offered_http1_otherwise() {
    let pki = Pki::new();
    let seen = Seen::default();
    let both = good_server(&pki, &seen).await;
    let mut opts = ServerOpts::new(pki.server(&["127.0.0.1"], Validity::Now));
    opts.alpn = vec![b"http/1.1".to_vec()];
    let h1_only = serve_tls(vendor(seen.clone()), opts).await;
    let mut opts = ServerOpts::new(pki.server(&["127.0.0.1"], Validity::Now));
    opts.alpn = vec![];
    let no_alpn = serve_tls(vendor(seen.clone()), opts).await;
    for (server, want) in [
        (&both, Version::HTTP_2),
        (&h1_only, Version::HTTP_11),
        (&no_alpn, Version::HTTP_11),
    ] {
        let cfg = outbound(&server.url(), json!({"tls": {"ca_file": pki.ca_file()}}));
        let c = client(&cfg, &no_env());
        let uri = format!("{}/echo", server.url());
        // Two calls: the second reuses the pooled connection.
        for _ in 0..2 {
            let req = http::Request::get(&uri)
                .body(Full::new(Bytes::new()))
                .unwrap();
            let resp = c.request(req).await.unwrap();
            assert_eq!(resp.version(), want, "{uri}");
            resp.into_body().collect().await.unwrap();
        }
        assert_eq!(server.accepted(), 1, "one connection, pooled: {uri}");
    }
}

#[tokio::test]
async fn system_roots_only_is_untrusted_and_counted() {
    let pki = Pki::new();
    let seen = Seen::default();
    let server = good_server(&pki, &seen).await;
    let cfg = outbound(&server.url(), json!({}));
    let result = get_echo(client(&cfg, &no_env()), &server.url()).await;
    let e = result.as_ref().map(|_| ()).unwrap_err().to_string();
    assert_eq!(
        e,
        "TLS with the vendor failed: the server's TLS certificate is not trusted"
    );
    let failure = tls_failure(result);
    assert_eq!(failure, TlsFailure::Untrusted);
    assert_eq!(CallError::Tls(failure).outcome(), "tls_error");
    let metrics = Metrics::new();
    metrics.tls_error("bokamera", failure.reason());
    assert!(metrics.render().contains(
        r#"crossdock_backend_tls_errors_total{backend="bokamera",reason="untrusted"} 1"#
    ));
    assert!(
        seen.lock().unwrap().is_empty(),
        "no request reached the vendor"
    );
}

#[tokio::test]
async fn expired_certificate_is_expired() {
    let pki = Pki::new();
    let leaf = pki.server(&["127.0.0.1"], Validity::Expired);
    let server = serve_tls(vendor(Seen::default()), ServerOpts::new(leaf)).await;
    let cfg = outbound(&server.url(), json!({"tls": {"ca_file": pki.ca_file()}}));
    let failure = tls_failure(get_echo(client(&cfg, &no_env()), &server.url()).await);
    assert_eq!(failure, TlsFailure::Expired);
    assert_eq!(failure.reason(), "expired");
}

#[tokio::test]
async fn certificate_for_another_name_is_wrong_host() {
    let pki = Pki::new();
    let leaf = pki.server(&["vendor.example"], Validity::Now);
    let server = serve_tls(vendor(Seen::default()), ServerOpts::new(leaf)).await;
    let cfg = outbound(&server.url(), json!({"tls": {"ca_file": pki.ca_file()}}));
    let failure = tls_failure(get_echo(client(&cfg, &no_env()), &server.url()).await);
    assert_eq!(failure, TlsFailure::WrongHost);
    assert_eq!(failure.reason(), "wrong_host");
}

#[tokio::test]
async fn mtls_accepts_a_client_certificate_and_refuses_without() {
    let pki = Pki::new();
    let mut opts = ServerOpts::new(pki.server(&["127.0.0.1"], Validity::Now));
    opts.client_ca = Some(pki.ca.clone());
    let server = serve_tls(vendor(Seen::default()), opts).await;
    let (cert, key) = pki.client_files();
    let with = outbound(
        &server.url(),
        json!({"tls": {"ca_file": pki.ca_file(), "client_cert_file": cert, "client_key_file": key}}),
    );
    let r = get_echo(client(&with, &no_env()), &server.url())
        .await
        .unwrap();
    assert_eq!(r.status, 200);

    let without = outbound(&server.url(), json!({"tls": {"ca_file": pki.ca_file()}}));
    let failure = tls_failure(get_echo(client(&without, &no_env()), &server.url()).await);
    assert_eq!(failure, TlsFailure::Handshake);

    // A certificate from another CA is refused the same way.
    let other = Pki::new();
    let (cert, key) = other.client_files();
    let foreign = outbound(
        &server.url(),
        json!({"tls": {"ca_file": pki.ca_file(), "client_cert_file": cert, "client_key_file": key}}),
    );
    let failure = tls_failure(get_echo(client(&foreign, &no_env()), &server.url()).await);
    assert_eq!(failure, TlsFailure::Handshake);
}

#[tokio::test]
async fn tls_failures_are_not_retried() {
    let pki = Pki::new();
    let server = good_server(&pki, &Seen::default()).await;
    // System roots only: untrusted. Retries on, for an idempotent GET:
    // the outbound stack's retry layer over HttpCall.
    let cfg = outbound(&server.url(), json!({"retry": {"attempts": 3}}));
    let stack = tower::ServiceBuilder::new()
        .retry(RetryPolicy::new(&cfg.retry).unwrap())
        .service(HttpCall::new(client(&cfg, &no_env()), 1 << 20));
    let uri = BaseUrl::parse(&server.url())
        .unwrap()
        .join("/echo")
        .unwrap();
    let req = http::Request::get(uri)
        .extension(Idempotent(true))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let e = stack.oneshot(req).await.unwrap_err();
    assert!(matches!(e, CallError::Tls(TlsFailure::Untrusted)), "{e}");
    assert_eq!(server.accepted(), 1, "one handshake, no retry");
    assert!(!e.is_transient() && e.is_backend_fault());
}

#[tokio::test]
async fn connect_proxy_tunnels_tls_and_keeps_its_credentials() {
    let pki = Pki::new();
    let seen = Seen::default();
    let server = good_server(&pki, &seen).await;
    // base64("crossdock:pr0xy-S3CRET")
    let want_auth = "Basic Y3Jvc3Nkb2NrOnByMHh5LVMzQ1JFVA==";
    let proxy = start_proxy(Some(want_auth)).await;
    let cfg = outbound(
        &server.url(),
        json!({
            "tls": {"ca_file": pki.ca_file()},
            "proxy_url": proxy.url(Some("crossdock:pr0xy-S3CRET")),
        }),
    );
    let c = client(&cfg, &no_env());
    assert_eq!(c.proxy().unwrap().as_str(), proxy.addr.to_string());
    let r = get_echo(c.clone(), &server.url()).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(body_json(&r)["version"], "HTTP/2.0", "h2 inside the tunnel");
    let p = proxy.seen();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].method, "CONNECT");
    assert_eq!(p[0].target, format!("127.0.0.1:{}", server.addr.port()));
    assert_eq!(p[0].proxy_authorization.as_deref(), Some(want_auth));
    assert_eq!(
        *seen.lock().unwrap(),
        [None],
        "the vendor never sees Proxy-Authorization"
    );
    let printed = format!("{c:?} {cfg:?}");
    assert!(!printed.contains("pr0xy-S3CRET"), "{printed}");
    assert!(!printed.contains("Y3Jvc3Nkb2Nr"), "{printed}");
}

#[tokio::test]
async fn proxy_refusing_credentials_is_a_connect_error_without_them() {
    let pki = Pki::new();
    let server = good_server(&pki, &Seen::default()).await;
    let proxy = start_proxy(Some("Basic c29tZW9uZTplbHNl")).await;
    let cfg = outbound(
        &server.url(),
        json!({
            "tls": {"ca_file": pki.ca_file()},
            "proxy_url": proxy.url(Some("crossdock:wr0ng-S3CRET")),
        }),
    );
    let e = get_echo(client(&cfg, &no_env()), &server.url())
        .await
        .unwrap_err();
    assert!(matches!(e, CallError::Connect), "{e}");
    assert!(!format!("{e} {e:?}").contains("wr0ng-S3CRET"));
}

#[tokio::test]
async fn http_vendor_through_proxy_gets_absolute_form() {
    let seen = Seen::default();
    let vendor_addr = common::serve(vendor(seen.clone())).await;
    let base = format!("http://{vendor_addr}");
    // base64("crossdock:pr0xy-S3CRET")
    let want_auth = "Basic Y3Jvc3Nkb2NrOnByMHh5LVMzQ1JFVA==";
    let proxy = start_proxy(Some(want_auth)).await;
    let env = Matcher::builder()
        .http(proxy.url(Some("crossdock:pr0xy-S3CRET")))
        .build();
    let cfg = outbound(&base, json!({}));
    let r = get_echo(client(&cfg, &env), &base).await.unwrap();
    assert_eq!(r.status, 200);
    let p = proxy.seen();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].method, "GET");
    assert_eq!(p[0].target, format!("http://{vendor_addr}/echo"));
    assert_eq!(p[0].proxy_authorization.as_deref(), Some(want_auth));
    // The test proxy strips the header, as a real one does; the vendor
    // got an origin-form request.
    assert_eq!(*seen.lock().unwrap(), [None]);
    assert_eq!(body_json(&r)["uri"], "/echo");
}

#[tokio::test]
async fn no_proxy_is_respected() {
    let pki = Pki::new();
    let server = good_server(&pki, &Seen::default()).await;
    let proxy = start_proxy(None).await;
    let cfg = outbound(&server.url(), json!({"tls": {"ca_file": pki.ca_file()}}));

    let bypass = Matcher::builder()
        .all(proxy.url(None))
        .no("localhost, 127.0.0.0/8")
        .build();
    let c = client(&cfg, &bypass);
    assert!(c.proxy().is_none());
    assert_eq!(get_echo(c, &server.url()).await.unwrap().status, 200);
    assert!(proxy.seen().is_empty());

    let through = Matcher::builder().https(proxy.url(None)).build();
    let r = get_echo(client(&cfg, &through), &server.url())
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    let p = proxy.seen();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].method, "CONNECT");
    assert_eq!(p[0].proxy_authorization, None);
}
