//! The binary's config handling: `check-config`, errors naming each bad key,
//! environment overrides, and `cargo run`'s default config.

use std::process::Command;

fn crossdock(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_crossdock"));
    c.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!(
        "crossdock-cli-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn default_config_is_valid() {
    let (code, out, err) = crossdock(&["check-config"], &[]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn every_bad_key_is_named_and_exit_is_non_zero() {
    let p = temp(
        r#"
[server]
listen = "127.0.0.1:1"
colour = "blue"
[backends.vehizen]
base_url = "ftp://x"
format = "yaml"
[backends.nope]
base_url = "sandbox"
[routes.customer_groups]
backends = ["vehizen", "ghost"]
"#,
    );
    let (code, _, err) = crossdock(&["check-config", "--config", p.to_str().unwrap()], &[]);
    assert_ne!(code, 0);
    for want in [
        "server.colour",
        "backends.vehizen",
        "yaml",
        "backends.nope",
        "ghost",
    ] {
        assert!(err.contains(want), "{want} not named in:\n{err}");
    }
}

#[test]
fn a_bad_url_is_named() {
    let p = temp("[backends.vehizen]\nbase_url = \"ftp://x\"\n");
    let (code, _, err) = crossdock(&["check-config", "--config", p.to_str().unwrap()], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("backends.vehizen.base_url"), "{err}");
}

#[test]
fn environment_overrides_are_checked_too() {
    let (code, _, err) = crossdock(
        &["check-config"],
        &[("CROSSDOCK__SERVER__LISTEN", "not-an-address")],
    );
    assert_ne!(code, 0);
    assert!(err.contains("listen"), "{err}");
}

#[test]
fn version_is_printed() {
    let (code, out, _) = crossdock(&["--version"], &[]);
    assert_eq!(code, 0);
    assert!(out.contains(env!("CARGO_PKG_VERSION")));
}

/// Secret values set the way an operator would (environment), one per kind
/// of secret the config knows. Distinctive so a leak cannot hide.
const SECRETS: &[(&str, &str)] = &[
    (
        "CROSSDOCK__BACKENDS__DEPARTMENT__TOKEN",
        "leak-dept-token-5f1c",
    ),
    (
        "CROSSDOCK__BACKENDS__DEPARTMENT__USERNAME",
        "leak-dept-user-77ab",
    ),
    (
        "CROSSDOCK__BACKENDS__DEPARTMENT__PASSWORD",
        "leak-dept-pass-9d0e",
    ),
    (
        "CROSSDOCK__AUTH__API_KEYS",
        "leak-api-key-one,leak-api-key-two",
    ),
    (
        "CROSSDOCK__BACKENDS__VEHIZEN__BASE_URL",
        "http://leak-url-user:leak-url-pass@127.0.0.1:9/prefix",
    ),
];

fn assert_no_secret(text: &str) {
    for (_, v) in SECRETS {
        for part in v.split([',', ':', '@', '/']) {
            if part.starts_with("leak-") {
                assert!(!text.contains(part), "{part} leaked in:\n{text}");
            }
        }
    }
}

#[test]
fn check_config_prints_the_effective_config_without_secrets() {
    let mut env = SECRETS.to_vec();
    env.push(("CROSSDOCK__SERVER__LISTEN", "127.0.0.1:18080"));
    let (code, out, err) = crossdock(&["check-config"], &env);
    assert_eq!(code, 0, "{out}{err}");
    assert_no_secret(&out);
    assert_no_secret(&err);
    // stdout is TOML (the header is a comment) and shows file + env.
    let printed: toml::Table = toml::from_str(&out).expect("stdout is TOML");
    assert_eq!(
        printed["server"]["listen"].as_str(),
        Some("127.0.0.1:18080")
    );
    assert_eq!(printed["admin"]["listen"].as_str(), Some("127.0.0.1:9090"));
    let dept = &printed["backends"]["department"];
    for k in ["token", "username", "password"] {
        assert_eq!(dept[k].as_str(), Some("[redacted]"), "{k}: {out}");
    }
    assert_eq!(
        printed["backends"]["vehizen"]["base_url"].as_str(),
        Some("http://[redacted]@127.0.0.1:9/prefix")
    );
    let keys = printed["auth"]["api_keys"].as_array().expect("api_keys");
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.as_str() == Some("[redacted]")));
    // Defaults the file leaves out are shown, and routes are resolved.
    assert_eq!(
        printed["backends"]["vehizen"]["max_response_bytes"].as_integer(),
        Some(8_388_608)
    );
    assert_eq!(
        printed["routes"]["customer_groups"]["backends"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn an_invalid_config_names_keys_but_never_secret_values() {
    let mut env = SECRETS.to_vec();
    env.push(("CROSSDOCK__SERVER__LISTEN", "not-an-address"));
    env.push((
        "CROSSDOCK__BACKENDS__DEPARTMENT__TOKEN_TYPO",
        "leak-typo-3e3e",
    ));
    let (code, out, err) = crossdock(&["check-config"], &env);
    assert_ne!(code, 0);
    assert_no_secret(&out);
    assert_no_secret(&err);
    assert!(!err.contains("leak-typo-3e3e"), "{err}");
    assert!(err.contains("listen"), "{err}");
}

#[test]
fn worker_threads_is_bounded_and_can_come_from_the_environment() {
    let p = temp("[server]\nworker_threads = 100000\n");
    let (code, _, err) = crossdock(&["check-config", "--config", p.to_str().unwrap()], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("server.worker_threads"), "{err}");

    let (code, out, err) = crossdock(
        &["check-config"],
        &[("CROSSDOCK__SERVER__WORKER_THREADS", "1")],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("worker_threads = 1\n"), "{out}");
}

/// Distinctive values on the lines a config error is about.
const SYNTAX_SECRET: &str = "leak-syntax-secret-4b2d";

/// Configs with one error each, on a line holding a secret, and where the
/// error is: (file text, line, column, key).
fn broken_configs() -> Vec<(String, usize, usize, &'static str)> {
    let head =
        "[server]\nlisten = \"127.0.0.1:1\"\n[backends.department]\nbase_url = \"sandbox\"\n";
    vec![
        // An unterminated string: the parser stops at the end of the line.
        (
            format!("{head}token = \"{SYNTAX_SECRET}\nusername = \"u\"\n"),
            5,
            33,
            "backends.department.token",
        ),
        // An unquoted value.
        (
            format!("{head}token = {SYNTAX_SECRET}\n"),
            5,
            9,
            "backends.department.token",
        ),
    ]
}

#[test]
fn a_toml_syntax_error_names_file_line_and_column_but_never_the_text() {
    for (text, line, column, key) in broken_configs() {
        let p = temp(&text);
        let (code, out, err) = crossdock(&["check-config", "--config", p.to_str().unwrap()], &[]);
        assert_eq!(code, 2, "{out}{err}");
        assert!(!err.contains(SYNTAX_SECRET), "{err}");
        assert!(!out.contains(SYNTAX_SECRET), "{out}");
        // The header line, then one line per problem.
        let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 2, "{err}");
        let at = format!("{}:{line}:{column}", p.display());
        assert!(lines[1].contains(&at), "{at} not in {err}");
        assert!(lines[1].contains(key), "{key} not in {err}");
    }
}

#[test]
fn a_value_of_the_wrong_type_is_named_without_the_value() {
    let p = temp(&format!(
        "[server]\nbody_limit_bytes = \"{SYNTAX_SECRET}\"\n"
    ));
    let (code, _, err) = crossdock(&["check-config", "--config", p.to_str().unwrap()], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains(SYNTAX_SECRET), "{err}");
    assert!(err.contains("server.body_limit_bytes"), "{err}");
}

/// A whole-request deadline shorter than a backend's attempts
/// (`timeout_ms × (1 + retry.attempts)`) cuts its retries short: valid,
/// but `check-config` says so on stderr (exit 0), for each such backend,
/// a tenant's own override included.
#[test]
fn check_config_warns_when_the_request_deadline_is_shorter_than_a_backends_attempts() {
    let p = temp(
        "[server]\nrequest_timeout_ms = 250\n\
         [backends.vehizen]\nbase_url = \"sandbox\"\ntimeout_ms = 100\n\
         [backends.vehizen.retry]\nattempts = 2\n\
         [backends.fleet_admin]\nbase_url = \"sandbox\"\ntimeout_ms = 50\n\
         [backends.fleet_admin.retry]\nattempts = 4\n\
         [tenants.north]\napi_keys = [\"k\"]\n\
         [tenants.north.backends.fleet_admin]\ntimeout_ms = 60\n",
    );
    let (code, out, err) = crossdock(&["check-config", "--config", p.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("is valid"), "{out}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 2, "{err}");
    let w = warnings[0];
    for want in [
        "server.request_timeout_ms",
        "250",
        "backends.vehizen",
        "300",
    ] {
        assert!(w.contains(want), "{want} not in {w}");
    }
    // fleet_admin: 50 × 5 = 250 is not over the deadline; the tenant's
    // 60 × 5 = 300 is.
    assert!(
        warnings[1].contains("tenants.north.backends.fleet_admin"),
        "{err}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains(" backends.fleet_admin")),
        "{err}"
    );

    // The default config warns about nothing.
    let (code, _, err) = crossdock(&["check-config"], &[]);
    assert_eq!(code, 0);
    assert!(!err.contains("warning"), "{err}");
}
