use super::*;

fn config(toml: &str) -> Config {
    toml::from_str(toml).expect("a test config parses")
}

fn errors(check: fn(&Config, &mut ConfigErrors), toml: &str) -> Vec<String> {
    let mut errors = ConfigErrors::default();
    check(&config(toml), &mut errors);
    errors.0
}

#[test]
fn a_default_config_passes_every_check() {
    for check in [keys, rate_limits, server, idempotency] {
        assert_eq!(errors(check, ""), Vec::<String>::new());
    }
}

#[test]
fn keys_are_non_empty_and_pick_one_tenant() {
    let found = errors(
        keys,
        r#"
        [auth]
        api_keys = ["top", ""]
        [tenants.north]
        api_keys = ["n1", "top"]
        [tenants.south]
        api_keys = ["n1", "s1"]
        "#,
    );
    assert_eq!(
        found,
        [
            "auth.api_keys: a key is empty",
            "tenants.north.api_keys: a key is also a key of default (keys pick the tenant)",
            "tenants.south.api_keys: a key is also a key of north (keys pick the tenant)",
        ]
    );
}

#[test]
fn a_key_twice_in_one_tenant_is_named() {
    let found = errors(keys, "[tenants.north]\napi_keys = [\"k\", \"k\"]\n");
    assert_eq!(
        found,
        ["tenants.north.api_keys: a key is also a key of north (keys pick the tenant)"]
    );
}

#[test]
fn rate_limit_keys_go_together() {
    let found = errors(rate_limits, "[auth.rate_limit]\nrequests_per_sec = 1.0\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("go together"), "{found:?}");
    let found = errors(rate_limits, "[auth.rate_limit]\n");
    assert_eq!(
        found,
        ["auth.rate_limit: set requests_per_sec and burst, or redis_url"]
    );
    let only_redis = "[auth.rate_limit]\nredis_url = \"redis://127.0.0.1:1\"\n";
    assert_eq!(errors(rate_limits, only_redis), Vec::<String>::new());
}

#[test]
fn every_bucket_is_above_zero() {
    let found = errors(
        rate_limits,
        r#"
        [auth.rate_limit]
        requests_per_sec = 0.0
        burst = 1
        [auth.failed_keys]
        requests_per_sec = 1.0
        burst = 0
        [tenants.north]
        api_keys = ["k"]
        rate_limit = { requests_per_sec = inf, burst = 1 }
        "#,
    );
    assert_eq!(
        found,
        [
            "auth.rate_limit: requests_per_sec and burst must be above 0",
            "auth.failed_keys: requests_per_sec and burst must be above 0",
            "tenants.north.rate_limit: requests_per_sec and burst must be above 0",
        ]
    );
}

#[test]
fn redis_urls_are_checked_without_echo() {
    let found = errors(
        idempotency,
        "[idempotency]\nredis_url = \"http://:hunter2@cache\"\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("idempotency.redis_url: must start with redis://"));
    assert!(!found[0].contains("hunter2"));
    let found = errors(
        rate_limits,
        "[auth.rate_limit]\nredis_url = \"rediss://:hunter2@cache\"\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("auth.rate_limit.redis_url:"));
    assert!(!found[0].contains("hunter2"));
}

#[test]
fn server_limits_and_addresses() {
    let found = errors(
        server,
        r#"
        [server]
        listen = "127.0.0.1:8000"
        max_concurrent_streams = 0
        body_limit_bytes = 0
        worker_threads = 1025
        [admin]
        listen = "127.0.0.1:8000"
        "#,
    );
    assert_eq!(
        found,
        [
            "server.max_concurrent_streams: must be above 0",
            "server.body_limit_bytes: must be above 0",
            "server.worker_threads: must be at most 1024 (0: one per CPU)",
            "admin.listen: must differ from server.listen",
        ]
    );
    // Port 0 picks a free port for each: the same text is two listeners.
    let ephemeral = "[server]\nlisten = \"127.0.0.1:0\"\n[admin]\nlisten = \"127.0.0.1:0\"\n";
    assert_eq!(errors(server, ephemeral), Vec::<String>::new());
    let most = format!("[server]\nworker_threads = {MAX_WORKER_THREADS}\n");
    assert_eq!(errors(server, &most), Vec::<String>::new());
}

#[test]
fn idempotency_bounds() {
    let found = errors(
        idempotency,
        "[idempotency]\nwindow_secs = 0\nmax_entries = 0\nmax_bytes = 0\n",
    );
    assert_eq!(
        found,
        [
            format!("idempotency.window_secs: must be between 1 and {MAX_IDEMPOTENCY_WINDOW_SECS}"),
            "idempotency.max_entries: must be above 0".to_string(),
            "idempotency.max_bytes: must be above 0".to_string(),
        ]
    );
    let year = format!("[idempotency]\nwindow_secs = {MAX_IDEMPOTENCY_WINDOW_SECS}\n");
    assert_eq!(errors(idempotency, &year), Vec::<String>::new());
    let longer = format!(
        "[idempotency]\nwindow_secs = {}\n",
        MAX_IDEMPOTENCY_WINDOW_SECS + 1
    );
    assert_eq!(errors(idempotency, &longer).len(), 1);
}
