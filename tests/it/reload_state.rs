//! A reload keeps the state of what it did not change, over real sockets:
//! an open breaker stays open, a spent bucket stays spent, wrong-key
//! throttling goes on; a changed backend section gets a fresh breaker.

use crate::common::scripted::{Answer, Scripted};
use crate::common::{send, Gateway, GatewayConfig, Resp};
use crossdock::app::Plan;
use http::Method;

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const GET_XML: &str = include_str!("../fixtures/vehizen/get.xml");

/// The plan of `toml`, as a reload reads it (listeners on port 0).
fn plan(toml: &str) -> Plan {
    let path = std::env::temp_dir().join(format!(
        "crossdock-reload-state-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&path, toml).unwrap();
    let env = [
        ("CROSSDOCK__SERVER__LISTEN", "127.0.0.1:0"),
        ("CROSSDOCK__ADMIN__LISTEN", "127.0.0.1:0"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let plan = Plan::from_file(&path, env);
    let _ = std::fs::remove_file(&path);
    plan.unwrap()
}

/// Vehizen behind a breaker that opens after two failures and stays open
/// a minute; `extra` goes into its section.
fn config(url: &str, extra: &str) -> String {
    GatewayConfig::new()
        .backend("vehizen", url)
        .set("format", "xml")
        .lines(extra)
        .table("backends.vehizen.retry")
        .set("attempts", 0)
        .table("backends.vehizen.breaker")
        .set("consecutive_failures", 2)
        .set("open_ms", 60000)
        .build()
}

fn failing() -> Answer {
    Answer::Body(500, "text/plain", "down".into())
}

async fn get(gw: &Gateway, key: Option<&str>) -> Resp {
    let headers: Vec<(&str, &str)> = key.map(|k| ("x-api-key", k)).into_iter().collect();
    send(
        Method::GET,
        &gw.url(&format!("/v1/customer-groups/{ID}")),
        &headers,
        None,
    )
    .await
}

fn assert_circuit_open(r: &Resp) {
    let p = r.assert_problem(503);
    assert_eq!(p["type"], "urn:crossdock:problem:circuit-open", "{p}");
}

/// Two failures open the breaker; the third call is refused unsent.
async fn open_the_breaker(gw: &Gateway, vendor: &Scripted) {
    for _ in 0..2 {
        get(gw, None).await.assert_problem(502);
    }
    assert_circuit_open(&get(gw, None).await);
    assert_eq!(vendor.received().len(), 2);
}

#[tokio::test]
async fn an_open_breaker_stays_open_across_a_reload_of_the_same_section() {
    let vendor = Scripted::new([failing(), failing(), Answer::xml(200, GET_XML)]);
    let toml = config(&vendor.start().await, "");
    let gw = Gateway::start(&toml).await;
    open_the_breaker(&gw, &vendor).await;

    // Another part of the config changes; vehizen's section does not.
    gw.running
        .reload(plan(&format!("{toml}\n[server]\nmax_list_len = 500\n")))
        .await
        .unwrap();
    assert_circuit_open(&get(&gw, None).await);
    assert_eq!(vendor.received().len(), 2, "the vendor was not called");
    let m = gw.metrics().await;
    assert!(
        m.contains(r#"crossdock_backend_circuit_open{backend="vehizen"} 1"#),
        "{m}"
    );
}

#[tokio::test]
async fn a_changed_backend_section_gets_a_fresh_breaker() {
    let vendor = Scripted::new([failing(), failing(), Answer::xml(200, GET_XML)]);
    let url = vendor.start().await;
    let gw = Gateway::start(&config(&url, "")).await;
    open_the_breaker(&gw, &vendor).await;

    gw.running
        .reload(plan(&config(&url, "timeout_ms = 4000")))
        .await
        .unwrap();
    let r = get(&gw, None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(vendor.received().len(), 3, "the new breaker let it through");
}

fn limited(url: &str, limit: &str) -> String {
    format!(
        r#"
[backends.vehizen]
base_url = "{url}"
format = "xml"
[auth]
api_keys = ["top-key"]
[auth.rate_limit]
{limit}
[auth.failed_keys]
requests_per_sec = 0.01
burst = 2
[tenants.acme]
api_keys = ["acme-key"]
[tenants.acme.rate_limit]
requests_per_sec = 0.01
burst = 1
"#
    )
}

#[tokio::test]
async fn spent_buckets_stay_spent_across_a_reload_and_a_changed_limit_starts_afresh() {
    let vendor = Scripted::new((0..6).map(|_| Answer::xml(200, GET_XML)));
    let url = vendor.start().await;
    let slow = "requests_per_sec = 0.01\nburst = 2";
    let gw = Gateway::start(&limited(&url, slow)).await;
    for _ in 0..2 {
        assert_eq!(get(&gw, Some("top-key")).await.status, 200);
    }
    get(&gw, Some("top-key")).await.assert_problem(429);
    assert_eq!(get(&gw, Some("acme-key")).await.status, 200);
    get(&gw, Some("acme-key")).await.assert_problem(429);
    // Wrong keys: two 401s, then throttled.
    for _ in 0..2 {
        get(&gw, Some("guess")).await.assert_problem(401);
    }
    get(&gw, Some("guess")).await.assert_problem(429);

    gw.running.reload(plan(&limited(&url, slow))).await.unwrap();
    get(&gw, Some("top-key")).await.assert_problem(429);
    get(&gw, Some("acme-key")).await.assert_problem(429);
    get(&gw, Some("guess")).await.assert_problem(429);
    assert_eq!(vendor.received().len(), 3);

    // The default tenant's limit changes: its keys start with a full
    // bucket; acme's limit is the same, so its bucket stays spent.
    gw.running
        .reload(plan(&limited(&url, "requests_per_sec = 0.01\nburst = 3")))
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(get(&gw, Some("top-key")).await.status, 200);
    }
    get(&gw, Some("top-key")).await.assert_problem(429);
    get(&gw, Some("acme-key")).await.assert_problem(429);
    assert_eq!(vendor.received().len(), 6);
}

/// TLS files are read again at every reload, even when the section is the
/// same: a rotated `ca_file` gets a new client.
#[tokio::test]
async fn a_reload_reads_tls_files_again() {
    use crate::common::tls::{serve_tls, Pki, ServerOpts, Validity};
    let (pki, other) = (Pki::new(), Pki::new());
    let vendor = Scripted::new((0..2).map(|_| Answer::xml(200, GET_XML)));
    let leaf = pki.server(&["127.0.0.1"], Validity::Now);
    let server = serve_tls(vendor.router(), ServerOpts::new(leaf)).await;
    let ca_file = pki.ca_file();
    let toml = config(
        &server.url(),
        &format!(
            "[backends.vehizen.tls]\nca_file = {:?}",
            ca_file.to_str().unwrap()
        ),
    );
    let gw = Gateway::start(&toml).await;
    assert_eq!(get(&gw, None).await.status, 200);

    // The file now trusts another CA only: the vendor's certificate is no
    // longer trusted once the reload reads it.
    std::fs::copy(other.ca_file(), &ca_file).unwrap();
    gw.running.reload(plan(&toml)).await.unwrap();
    let r = get(&gw, None).await;
    let p = r.assert_problem(502);
    assert!(p["detail"].as_str().unwrap().contains("trust"), "{p}");
    assert_eq!(vendor.received().len(), 1);
}
