//! `/dashboard.json` never shows a secret: not those of the default config
//! (the department's path token, its password, BokaMera's key), nor API
//! keys, OAuth client secrets and passwords, or Redis
//! passwords; file paths of TLS keys are shown, being paths.

use super::*;
use crate::app::Plan;
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// The default config (read, not included: the Docker build copies `src/`
/// without `config/`).
fn default_toml() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/default.toml");
    std::fs::read_to_string(path).expect("config/default.toml")
}

/// A fresh directory for one test's files.
fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "crossdock-dashboard-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Starts `toml` (listeners on port 0, never bound here) and answers
/// `GET /dashboard.json` through the admin router: the body as text, and
/// as JSON.
async fn overview_of(toml: &str, dir: &Path) -> (String, serde_json::Value) {
    let path = dir.join("crossdock.toml");
    std::fs::write(&path, toml).expect("config written");
    let env = [
        ("CROSSDOCK__SERVER__LISTEN", "127.0.0.1:0"),
        ("CROSSDOCK__ADMIN__LISTEN", "127.0.0.1:0"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let plan = Plan::from_file(&path, env).unwrap_or_else(|e| panic!("config: {e}"));
    let shown = Shown::of(&plan);
    let states = plan.start().await.expect("starts");
    let dashboard = Dashboard::new(states[0].metrics.clone(), shown.with_routes(&states));
    let router = crate::api::admin::router(states[0].clone(), dashboard);
    let req = http::Request::get("/dashboard.json")
        .body(axum::body::Body::empty())
        .expect("request");
    let resp = router.oneshot(req).await.expect("answered");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    let text = String::from_utf8(body.to_vec()).expect("UTF-8");
    let json = serde_json::from_str(&text).expect("JSON");
    (text, json)
}

fn names(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|b| b["name"].as_str())
        .collect()
}

#[tokio::test]
async fn the_default_config_shows_every_backend_and_no_secret() {
    let dir = temp_dir();
    let default = default_toml();
    let (text, json) = overview_of(&default, &dir).await;
    for secret in [
        "sandbox-department-token",
        "sandbox-password",
        "sandbox-bokamera-api-key",
    ] {
        assert!(default.contains(secret), "the test's premise: {secret}");
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(
        names(&json["backends"]),
        ["bokamera", "department", "fleet_admin", "vehizen"]
    );
    for b in json["backends"].as_array().expect("backends") {
        assert_eq!(b["breaker"], "closed", "{b}");
        assert_eq!(b["in_flight"], 0, "{b}");
    }
    let config = json["config"].as_str().expect("config text");
    assert!(config.contains("[backends.department]"), "{config}");
    assert!(config.contains(r#"token = "[redacted]""#), "{config}");
    assert_eq!(json["tenants"][0]["name"], "default");
    assert!(json["tenants"][0]["api_keys"].is_null(), "no key is asked");
    let routed: Vec<&str> = json["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .filter_map(|r| r["resource"].as_str())
        .collect();
    assert_eq!(
        routed,
        ["customers", "customer_groups", "vehicle_categories"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn oauth_secrets_tokens_keys_and_passwords_are_redacted_key_paths_shown() {
    let dir = temp_dir();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("cert");
    let (cert_file, key_file) = (dir.join("server.pem"), dir.join("server-key.pem"));
    std::fs::write(&cert_file, cert.cert.pem()).expect("cert written");
    std::fs::write(&key_file, cert.signing_key.serialize_pem()).expect("key written");
    let toml = format!(
        r#"
[server.tls]
cert_file = "{cert}"
key_file = "{key}"

[auth]
api_keys = ["top-key-SECRET01"]
[auth.rate_limit]
requests_per_sec = 5.0
burst = 10
redis_url = "redis://:redis-pass-SECRET02@127.0.0.1:1/0"

[idempotency]
redis_url = "redis://:idem-pass-SECRET03@127.0.0.1:1/0"

[backends.department]
base_url = "sandbox"
token = "dept-token-SECRET04"
username = "dept-user-SECRET05"
password = "dept-pass-SECRET06"

[backends.bokamera]
base_url = "sandbox"
api_key = "bk-key-SECRET07"
[backends.bokamera.oauth]
token_url = "https://id.example/realms/r/token"
grant = "password"
client_id = "public-client-id"
client_secret = "oauth-client-SECRET09"
username = "oauth-user-SECRET10"
password = "oauth-pass-SECRET11"

[routes.customers]
backends = ["department", "bokamera"]

[tenants.acme]
api_keys = ["acme-key-SECRET12", "acme-key-SECRET13"]
rate_limit = {{ requests_per_sec = 2.0, burst = 4 }}
[tenants.acme.backends.department]
token = "acme-dept-token-SECRET14"
"#,
        cert = cert_file.display(),
        key = key_file.display(),
    );
    let (text, json) = overview_of(&toml, &dir).await;
    assert!(!text.contains("SECRET"), "a secret is shown: {text}");
    // Paths are not secrets: the key file's path is shown.
    assert!(text.contains("server-key.pem"), "{text}");
    let config = json["config"].as_str().expect("config text");
    assert!(
        config.contains("client_id = \"public-client-id\""),
        "{config}"
    );
    assert!(
        config.contains("client_secret = \"[redacted]\""),
        "{config}"
    );
    assert!(
        config.contains("[tenants.acme.backends.department]\ntoken = \"[redacted]\""),
        "{config}"
    );

    assert_eq!(names(&json["tenants"]), ["default", "acme"]);
    let (top, acme) = (&json["tenants"][0], &json["tenants"][1]);
    assert_eq!(top["api_keys"], 1);
    assert_eq!(top["rate_limit"]["burst"], 10);
    assert_eq!(acme["api_keys"], 2);
    assert_eq!(acme["rate_limit"]["requests_per_sec"], 2.0);
    let customers: Vec<&serde_json::Value> = json["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .filter(|r| r["resource"] == "customers")
        .collect();
    assert_eq!(customers.len(), 2, "one per tenant: {customers:?}");
    assert_eq!(
        customers[1]["backends"],
        serde_json::json!(["department", "bokamera"])
    );
    let department = &json["backends"][1];
    assert_eq!(department["name"], "department");
    assert_eq!(
        department["routes"],
        serde_json::json!(["customers", "customers (acme)"])
    );
    let _ = std::fs::remove_dir_all(dir);
}
