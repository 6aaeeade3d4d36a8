use super::*;
use serde_json::json;

fn outbound(value: serde_json::Value) -> OutboundConfig {
    serde_json::from_value(value).expect("a test section parses")
}

fn config(toml: &str) -> Config {
    toml::from_str(toml).expect("a test config parses")
}

/// A temporary file, removed on drop.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "crossdock-kept-{}.pem",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(&path, bytes).expect("the temp dir is writable");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_backend_keeps_its_shape_while_its_section_is_the_same() {
    let section = json!({"base_url": "sandbox", "timeout_ms": 100});
    let o = outbound(section.clone());
    assert_eq!(
        BackendShape::of(&section, &o),
        BackendShape::of(&section, &o)
    );
    let changed = json!({"base_url": "sandbox", "timeout_ms": 200});
    assert_ne!(
        BackendShape::of(&section, &o),
        BackendShape::of(&changed, &outbound(changed.clone()))
    );
}

#[test]
fn a_renewed_tls_file_changes_the_shape() {
    let ca = TempFile::new(b"first");
    let section = json!({"base_url": "https://vendor.example", "tls": {"ca_file": ca.0}});
    let o = outbound(section.clone());
    let before = BackendShape::of(&section, &o);
    assert_eq!(before, BackendShape::of(&section, &o));
    std::fs::write(&ca.0, b"renewed").expect("the temp file is writable");
    assert_ne!(before, BackendShape::of(&section, &o));
}

#[test]
fn an_unreadable_tls_file_is_never_the_same() {
    let section =
        json!({"base_url": "https://vendor.example", "tls": {"ca_file": "/nonexistent/ca.pem"}});
    let o = outbound(section.clone());
    assert_ne!(
        BackendShape::of(&section, &o),
        BackendShape::of(&section, &o)
    );
}

#[test]
fn the_memory_store_is_kept_while_its_settings_are() {
    let metrics = Metrics::new();
    let mut kept = KeptStore::default();
    let first = kept.store(&config(""), &metrics).unwrap();
    let again = kept.store(&config(""), &metrics).unwrap();
    assert!(Arc::ptr_eq(&first, &again));
    // Other settings elsewhere change nothing.
    let elsewhere = kept
        .store(&config("[server]\nbody_limit_bytes = 10\n"), &metrics)
        .unwrap();
    assert!(Arc::ptr_eq(&first, &elsewhere));
    for changed in [
        "[idempotency]\nwindow_secs = 60\n",
        "[idempotency]\nmax_entries = 10\n",
        "[idempotency]\nmax_bytes = 1000\n",
        "[server]\nrequest_timeout_ms = 1000\n",
    ] {
        let store = kept.store(&config(changed), &metrics).unwrap();
        assert!(!Arc::ptr_eq(&first, &store), "{changed}");
        // The new one is kept from now on.
        let again = kept.store(&config(changed), &metrics).unwrap();
        assert!(Arc::ptr_eq(&store, &again), "{changed}");
    }
}

#[test]
fn wrong_key_buckets_are_kept_while_their_limit_is() {
    let limit = RateLimitConfig {
        requests_per_sec: 2.0,
        burst: 20,
    };
    let mut kept = Kept::default();
    let first = kept.failed_keys(&limit);
    assert!(!Arc::ptr_eq(&first, &kept.failed_keys(&limit)));
    kept.failed_keys = Some((limit.clone(), first.clone()));
    assert!(Arc::ptr_eq(&first, &kept.failed_keys(&limit)));
    let other = RateLimitConfig { burst: 5, ..limit };
    assert!(!Arc::ptr_eq(&first, &kept.failed_keys(&other)));
}

#[test]
fn a_tenant_limiter_is_kept_while_its_keys_and_limit_are() {
    let shape = LimiterShape {
        keys: Some(vec![Secret::new("a"), Secret::new("b")]),
        limit: RateLimitConfig {
            requests_per_sec: 1.0,
            burst: 3,
        },
        redis: None,
    };
    let mut kept = Kept::default();
    let first = kept.limiter("north", &shape, None);
    kept.limiters
        .insert("north".into(), (shape.clone(), first.clone()));
    assert!(Arc::ptr_eq(&first, &kept.limiter("north", &shape, None)));
    // Another tenant, the same settings: its own buckets.
    assert!(!Arc::ptr_eq(&first, &kept.limiter("south", &shape, None)));
    let reordered = LimiterShape {
        keys: Some(vec![Secret::new("b"), Secret::new("a")]),
        ..shape.clone()
    };
    assert!(!Arc::ptr_eq(
        &first,
        &kept.limiter("north", &reordered, None)
    ));
    let limit = LimiterShape {
        limit: RateLimitConfig {
            requests_per_sec: 1.0,
            burst: 4,
        },
        ..shape.clone()
    };
    assert!(!Arc::ptr_eq(&first, &kept.limiter("north", &limit, None)));
    let redis = LimiterShape {
        redis: Some(Secret::new("redis://127.0.0.1:1")),
        ..shape
    };
    assert!(!Arc::ptr_eq(&first, &kept.limiter("north", &redis, None)));
}

#[test]
fn no_redis_url_no_connection() {
    let kept = Kept::default();
    assert!(kept.rate_redis(None, &Metrics::new()).unwrap().is_none());
}
