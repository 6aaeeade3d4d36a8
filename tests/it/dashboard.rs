//! The admin dashboard in a real browser: headless Chromium (Debian's
//! `chromium`) loads `/` from the admin port of a gateway running the
//! default config, shows every backend with its breaker closed, then shows
//! the reloads as they happen and Vehizen's breaker opening, live (no page
//! reload), when its sandbox starts failing. No secret of the config
//! reaches the page.
//!
//! CI installs `chromium` and sets CROSSDOCK_REQUIRE_CHROMIUM=1, so this
//! fails there rather than skip. With CROSSDOCK_DASHBOARD_SCREENSHOT=PATH
//! it also writes the page, breaker open, as a PNG
//! (`docs/dashboard.png` is made so).

// Drives a real browser or a real child process and waits on them from
// blocking code, outside any runtime's clock: real time.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

use crate::common::browser::Browser;
use crate::common::Gateway;
use crossdock::sandbox::FaultConfig;
use serde_json::Value;
use std::time::{Duration, Instant};

const DEFAULT_TOML: &str = include_str!("../../config/default.toml");
const GROUP: &str = "/v1/customer-groups/e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";

/// What the page shows, read from its DOM.
const STATE: &str = r#"JSON.stringify({
  status: document.getElementById('status')?.dataset.state,
  backends: [...document.querySelectorAll('#backends tr[data-backend]')]
    .map(r => [r.dataset.backend, r.dataset.breaker]),
  open: document.getElementById('open-count')?.textContent,
  routes: [...document.querySelectorAll('#routes tr[data-route]')].map(r => r.dataset.route),
  tenants: [...document.querySelectorAll('#tenants tr[data-tenant]')].map(r => r.dataset.tenant),
  reloads: [...document.querySelectorAll('#reloads tr[data-reload]')].map(r => r.dataset.reload),
  text: document.body?.innerText,
})"#;

fn state(v: &Value) -> Value {
    serde_json::from_str(v.as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

fn breakers(s: &Value) -> Vec<(String, String)> {
    s["backends"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r[0].as_str().unwrap().into(), r[1].as_str().unwrap().into()))
        .collect()
}

/// The env the gateway was started with, for its reloads.
fn env() -> Vec<(String, String)> {
    [
        ("CROSSDOCK__SERVER__LISTEN", "127.0.0.1:0"),
        ("CROSSDOCK__ADMIN__LISTEN", "127.0.0.1:0"),
        ("CROSSDOCK__SERVER__DRAIN_DELAY_MS", "0"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_every_backend_and_a_breaker_opening_live() {
    let Some(chromium) = crate::common::browser::find() else {
        assert!(
            std::env::var_os("CROSSDOCK_REQUIRE_CHROMIUM").is_none(),
            "chromium is required here (CROSSDOCK_REQUIRE_CHROMIUM) but not installed: apt-get install chromium"
        );
        eprintln!("skipped: chromium not installed");
        return;
    };
    let screenshot = std::env::var_os("CROSSDOCK_DASHBOARD_SCREENSHOT");
    let gw = Gateway::start(DEFAULT_TOML).await;
    let url = gw.admin_url("/");
    let mut page = tokio::task::block_in_place(|| Browser::open(&chromium, &url, 1280, 900));

    // Loaded, polling, every backend of the default config, all closed.
    let shown = tokio::task::block_in_place(|| {
        page.wait_for(STATE, Duration::from_secs(20), |v| {
            let s = state(v);
            s["status"] == "live" && breakers(&s).len() == 4
        })
    });
    let s = state(&shown);
    assert_eq!(
        breakers(&s),
        ["bokamera", "department", "fleet_admin", "vehizen"].map(|b| (b.into(), "closed".into()))
    );
    assert_eq!(
        s["routes"],
        serde_json::json!([
            "default/customers",
            "default/customer_groups",
            "default/vehicle_categories"
        ])
    );
    assert_eq!(s["tenants"], serde_json::json!(["default"]));
    let text = s["text"].as_str().unwrap();
    assert!(text.contains("[backends.department]"), "the config: {text}");
    for secret in [
        "sandbox-department-token",
        "sandbox-password",
        "sandbox-bokamera-api-key",
    ] {
        assert!(DEFAULT_TOML.contains(secret));
        assert!(!text.contains(secret), "{secret} on the page");
    }

    // Some traffic for the rates (a while of it for a screenshot).
    let traffic = if screenshot.is_some() { 20 } else { 1 };
    let until = Instant::now() + Duration::from_secs(traffic);
    while Instant::now() < until {
        for path in [GROUP, "/v1/vehicle-categories", "/v1/vehicle-categories/1"] {
            assert_eq!(gw.get(path).await.status, 200);
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }

    // A reload that applies and one that is refused, newest first.
    let dir = std::env::temp_dir().join(format!("crossdock-dash-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let (good, bad) = (dir.join("good.toml"), dir.join("bad.toml"));
    std::fs::write(&good, DEFAULT_TOML).unwrap();
    std::fs::write(
        &bad,
        DEFAULT_TOML.replacen("timeout_ms = 5000", "timeout_ms = 0", 1),
    )
    .unwrap();
    gw.running.reload_file(&good, env()).await.unwrap();
    let refused = gw.running.reload_file(&bad, env()).await.unwrap_err();
    assert!(refused.contains("timeout_ms"), "{refused}");
    let _ = std::fs::remove_dir_all(&dir);
    tokio::task::block_in_place(|| {
        page.wait_for(STATE, Duration::from_secs(10), |v| {
            state(v)["reloads"] == serde_json::json!(["refused", "ok"])
        })
    });

    // Vehizen fails: its breaker opens (5 failures in a row), and the page
    // that is already open shows it.
    gw.running.sandboxes["vehizen"].set(FaultConfig {
        error_rate: 1.0,
        ..Default::default()
    });
    let mut refused_by_breaker = false;
    for _ in 0..20 {
        if gw.get(GROUP).await.status == 503 {
            refused_by_breaker = true;
            break;
        }
    }
    assert!(refused_by_breaker, "the breaker never opened");
    let shown = tokio::task::block_in_place(|| {
        page.wait_for(STATE, Duration::from_secs(8), |v| {
            breakers(&state(v)).contains(&("vehizen".into(), "open".into()))
        })
    });
    let s = state(&shown);
    assert_eq!(s["open"], "1");
    assert_eq!(
        breakers(&s).iter().filter(|(_, b)| b == "open").count(),
        1,
        "{s}"
    );
    if let Some(path) = screenshot {
        // Callers keep coming: the breaker refuses Vehizen's calls.
        let until = Instant::now() + Duration::from_secs(4);
        while Instant::now() < until {
            for path in [GROUP, "/v1/vehicle-categories"] {
                gw.get(path).await;
            }
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let png = tokio::task::block_in_place(|| page.screenshot());
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(&path, png).unwrap();
    }
}
