//! The binary's config handling: `check-config`, errors naming each bad key,
//! environment overrides, and `cargo run`'s default config.

use std::process::Command;

fn crossdock(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_crossdock"));
    // RUST_LOG is checked too: only a test's own counts.
    c.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG");
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
        "server.colour: unknown key",
        "backends.vehizen.base_url",
        "backends.vehizen.format: expected one of `json`, `xml`",
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

#[test]
fn runtime_is_one_of_two_named_modes() {
    let p = temp("[server]\nruntime = \"threads\"\n");
    let (code, _, err) = crossdock(&["check-config", "--config", p.to_str().unwrap()], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("server.runtime"), "{err}");
    assert!(
        err.contains("thread_per_core") && err.contains("work_stealing"),
        "the valid values are named: {err}"
    );

    let (code, out, err) = crossdock(&["check-config"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("runtime = \"thread_per_core\"\n"),
        "the default: {out}"
    );
    let (code, out, err) = crossdock(
        &["check-config"],
        &[("CROSSDOCK__SERVER__RUNTIME", "work_stealing")],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("runtime = \"work_stealing\"\n"), "{out}");
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

/// The problems of `text` (exit 2), one per line, without the header.
fn problems(text: &str, env: &[(&str, &str)]) -> (std::path::PathBuf, Vec<String>) {
    let p = temp(text);
    let (code, out, err) = crossdock(&["check-config", "--config", p.to_str().unwrap()], env);
    assert_eq!(code, 2, "{out}{err}");
    let lines = err
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().trim_start_matches("- ").to_string())
        .collect();
    (p, lines)
}

#[test]
fn every_problem_is_listed_at_once_each_with_file_and_line() {
    let (p, lines) = problems(
        r#"[server]
request_timeout_ms = "30s"
max_json_depth = "32"
listen = "localhost:8080"
colour = "blue"
[logging]
level = "infoo"
format = "jsonl"
[routes.customers]
strict = "yes"
backends = ["department", "ghost"]
[backends.department]
base_url = "sandbox"
token = "t"
validate_vin = "off"
[backends.vehizen]
base_url = "sandbox"
timeout_ms = "5000"
[backends.vehizen.faults]
error_rate = "0.5"
"#,
        &[],
    );
    let file = p.display().to_string();
    // (line, key, what the message says): in the file's order.
    let want = [
        (2, "server.request_timeout_ms", "expected a whole number"),
        (3, "server.max_json_depth", "expected a whole number"),
        (4, "server.listen", "IP:port"),
        (5, "server.colour", "unknown key"),
        (7, "logging.level", "neither a level"),
        (8, "logging.format", "expected one of `json`, `text`"),
        (10, "routes.customers.strict", "expected true or false"),
        (11, "routes.customers.backends", "ghost"),
        (
            15,
            "backends.department.validate_vin",
            "expected true or false",
        ),
        (18, "backends.vehizen.timeout_ms", "expected a whole number"),
        (
            20,
            "backends.vehizen.faults.error_rate",
            "expected a number",
        ),
    ];
    assert_eq!(lines.len(), want.len(), "{lines:#?}");
    for ((line, key, says), got) in want.iter().zip(&lines) {
        let at = format!("{file}:{line}:1: {key}: ");
        assert!(got.starts_with(&at), "{at} is not the start of {got}");
        assert!(got.contains(says), "{says} not in {got}");
    }
    // No value is echoed (the route's backend name is the gateway's own
    // word for what is wrong, not a value's echo), nor a Rust type.
    let all = lines.join("\n");
    for value in [
        "30s",
        "\"32\"",
        "localhost",
        "blue",
        "infoo",
        "jsonl",
        "\"yes\"",
        "\"off\"",
        "0.5",
    ] {
        assert!(!all.contains(value), "{value} echoed in:\n{all}");
    }
    for rust in ["LogFormat", "variant", "u64", "usize", "invalid type"] {
        assert!(!all.contains(rust), "{rust} in:\n{all}");
    }
}

#[test]
fn text_is_not_a_number_or_boolean_in_the_file_but_is_in_the_environment() {
    let text = "[server]\nmax_json_depth = \"32\"\n[routes.customers]\nstrict = \"yes\"\n";
    let (_, lines) = problems(text, &[]);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0]
        .contains("server.max_json_depth: expected a whole number, 0 or more, found a string"));
    assert!(lines[1].contains("routes.customers.strict: expected true or false, found a string"));

    // Environment values are text by nature: they are read as the key
    // wants, in the gateway's sections and the vendors' alike.
    let (code, out, err) = crossdock(
        &["check-config"],
        &[
            ("CROSSDOCK__SERVER__BODY_LIMIT_BYTES", "2048"),
            ("CROSSDOCK__ROUTES__CUSTOMERS__STRICT", "true"),
            ("CROSSDOCK__BACKENDS__VEHIZEN__TIMEOUT_MS", "1500"),
            ("CROSSDOCK__BACKENDS__VEHIZEN__RETRY__BUDGET_PERCENT", "0.3"),
            ("CROSSDOCK__BACKENDS__DEPARTMENT__VALIDATE_VIN", "true"),
            ("CROSSDOCK__BACKENDS__VEHIZEN__FAULTS__ERROR_RATE", "0.5"),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let printed: toml::Table = toml::from_str(&out).expect("stdout is TOML");
    assert_eq!(
        printed["server"]["body_limit_bytes"].as_integer(),
        Some(2048)
    );
    assert_eq!(
        printed["routes"]["customers"]["strict"].as_bool(),
        Some(true)
    );
    let vehizen = &printed["backends"]["vehizen"];
    assert_eq!(vehizen["timeout_ms"].as_integer(), Some(1500));
    assert_eq!(vehizen["retry"]["budget_percent"].as_float(), Some(0.3));

    // Text that is not a number is named by its variable, not echoed.
    let (code, _, err) = crossdock(
        &["check-config"],
        &[("CROSSDOCK__BACKENDS__VEHIZEN__TIMEOUT_MS", "leak-5s-77")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("CROSSDOCK__BACKENDS__VEHIZEN__TIMEOUT_MS: backends.vehizen.timeout_ms: expected a whole number"),
        "{err}"
    );
    assert!(!err.contains("leak-5s-77"), "{err}");
}

#[test]
fn a_log_level_that_matches_nothing_is_refused() {
    let (p, lines) = problems("[logging]\nlevel = \"infoo\"\n", &[]);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!("{}:2:1: logging.level: ", p.display())),
        "{lines:?}"
    );
    for bad in ["info,crossdock=verbose", "debugg"] {
        let (_, lines) = problems(&format!("[logging]\nlevel = \"{bad}\"\n"), &[]);
        assert!(lines[0].contains("logging.level"), "{bad}: {lines:?}");
    }
    // RUST_LOG wins over logging.level, so it is checked too.
    let (_, lines) = problems("", &[("RUST_LOG", "infoo")]);
    assert!(lines[0].starts_with("RUST_LOG"), "{lines:?}");
    let (code, _, err) = crossdock(&["check-config"], &[("RUST_LOG", "warn,crossdock=debug")]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_effective_config_prints_fractions_as_written() {
    let (code, out, err) = crossdock(&["check-config"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("budget_percent = 0.2\n"), "{out}");
    assert!(!out.contains("0.2000"), "{out}");
}
