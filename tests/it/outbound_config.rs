//! The outbound keys in a real config: `tls`, `oauth` and `proxy_url`
//! checked when the plan is made (every problem named, no secret quoted),
//! and `check-config`'s effective config showing settings but not secrets.

use crate::common::tls::Pki;
use crossdock::app::Plan;
use std::process::Command;

fn temp(text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!(
        "crossdock-outbound-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&p, text).unwrap();
    p
}

fn plan(text: &str, env: &[(&str, &str)]) -> Result<Plan, String> {
    let path = temp(text);
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let plan = Plan::from_file(&path, env);
    let _ = std::fs::remove_file(&path);
    plan.map_err(|e| e.to_string())
}

fn problems(text: &str) -> String {
    match plan(text, &[]) {
        Ok(_) => panic!("the config was accepted"),
        Err(e) => e,
    }
}

const SECRETS: &[&str] = &[
    "oauth-S3CRET-1",
    "svc-USER-2",
    "svc-PASSW0RD-3",
    "proxy-PASS-4",
];

#[test]
fn problems_are_named_per_backend_without_secrets() {
    let err = problems(
        r#"
[backends.bokamera]
base_url = "https://api.bookmore.example"
api_key = "k"
proxy_url = "https://proxy-user:proxy-PASS-4@proxy:3128"
[backends.bokamera.tls]
ca_file = "/nonexistent/vendor-ca.pem"
client_cert_file = "/nonexistent/client.pem"
[backends.bokamera.oauth]
token_url = "identity.bookmore.com/token"
grant = "password"
client_id = "crossdock"
client_secret = "oauth-S3CRET-1"
password = "svc-PASSW0RD-3"
"#,
    );
    for want in [
        "backends.bokamera.tls.ca_file: cannot read /nonexistent/vendor-ca.pem",
        "backends.bokamera.tls.client_key_file: needed with tls.client_cert_file",
        "backends.bokamera.oauth.token_url: not a URL",
        "backends.bokamera.oauth.username: needed with grant = \"password\"",
        "backends.bokamera.proxy_url: only http:// proxies are supported",
    ] {
        assert!(err.contains(want), "{want} not in:\n{err}");
    }
    for s in SECRETS {
        assert!(!err.contains(s), "{s} in:\n{err}");
    }
}

#[test]
fn unknown_keys_inside_tls_and_oauth_are_refused() {
    let err = problems(
        r#"
[backends.bokamera]
base_url = "https://api.bookmore.example"
api_key = "k"
[backends.bokamera.tls]
ca_flie = "/etc/ca.pem"
"#,
    );
    assert!(err.contains("backends.bokamera.tls"), "{err}");
    assert!(err.contains("ca_flie"), "{err}");
    let err = problems(
        r#"
[backends.bokamera]
base_url = "https://api.bookmore.example"
api_key = "k"
[backends.bokamera.oauth]
token_url = "https://id.example/token"
grant = "password"
client_id = "c"
username = "u"
password = "p"
audience = "x"
"#,
    );
    assert!(err.contains("backends.bokamera.oauth"), "{err}");
    assert!(err.contains("audience"), "{err}");
}

/// The BokaMera shape: Keycloak password grant, a private CA, a proxy;
/// secrets from the environment. `check-config` prints the settings and
/// hides every secret.
#[test]
fn effective_config_shows_settings_and_hides_secrets() {
    let pki = Pki::new();
    let ca = pki.ca_file();
    let (cert, key) = pki.client_files();
    let text = format!(
        r#"
[backends.bokamera]
base_url = "https://api.bookmore.example"
api_key = "k"
proxy_url = "http://placeholder:placeholder@proxy.internal:3128"
[backends.bokamera.tls]
ca_file = "{}"
client_cert_file = "{}"
client_key_file = "{}"
[backends.bokamera.oauth]
token_url = "https://identity.bookmore.com/realms/bookmore-admin/protocol/openid-connect/token"
grant = "password"
client_id = "crossdock"
scope = "openid"
username = "placeholder"
password = "placeholder"
"#,
        ca.display(),
        cert.display(),
        key.display()
    );
    let env = [
        (
            "CROSSDOCK__BACKENDS__BOKAMERA__OAUTH__CLIENT_SECRET",
            "oauth-S3CRET-1",
        ),
        (
            "CROSSDOCK__BACKENDS__BOKAMERA__OAUTH__USERNAME",
            "svc-USER-2",
        ),
        (
            "CROSSDOCK__BACKENDS__BOKAMERA__OAUTH__PASSWORD",
            "svc-PASSW0RD-3",
        ),
        (
            "CROSSDOCK__BACKENDS__BOKAMERA__PROXY_URL",
            "http://proxy-user:proxy-PASS-4@proxy.internal:3128",
        ),
    ];
    let p = plan(&text, &env).unwrap();
    let mut printed = p.effective_toml().unwrap();
    printed.push_str(&format!("{:?}", p.config()));
    for s in SECRETS {
        assert!(!printed.contains(s), "{s} in:\n{printed}");
    }
    for want in [
        "token_url = \"https://identity.bookmore.com/realms/bookmore-admin/protocol/openid-connect/token\"",
        "grant = \"password\"",
        "client_id = \"crossdock\"",
        "scope = \"openid\"",
        "client_secret = \"[redacted]\"",
        "username = \"[redacted]\"",
        "password = \"[redacted]\"",
        "proxy_url = \"http://[redacted]@proxy.internal:3128\"",
        &format!("ca_file = \"{}\"", ca.display()),
        &format!("client_key_file = \"{}\"", key.display()),
    ] {
        assert!(printed.contains(want), "{want} not in:\n{printed}");
    }

    // The binary prints the same.
    let path = temp(&text);
    let mut c = Command::new(env!("CARGO_BIN_EXE_crossdock"));
    c.args(["check-config", "--config", path.to_str().unwrap()]);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("client_id = \"crossdock\""), "{stdout}");
    for s in SECRETS {
        assert!(!stdout.contains(s) && !stderr.contains(s), "{s} printed");
    }
}

#[test]
fn https_base_url_is_accepted() {
    plan(
        r#"
[backends.bokamera]
base_url = "https://api.bookmore.example/v1"
api_key = "k"
"#,
        &[],
    )
    .unwrap();
}

/// `CROSSDOCK__..._TLS__CA_FILE=/path` sets the path (it is not the
/// `_FILE` form of a key `ca`), and the file it names is checked.
#[test]
fn tls_paths_come_from_the_environment() {
    let pki = Pki::new();
    let ca = pki.ca_file();
    let text = r#"
[backends.bokamera]
base_url = "https://api.bookmore.example"
api_key = "k"
[backends.bokamera.tls]
ca_file = "/nonexistent/placeholder.pem"
"#;
    let p = plan(
        text,
        &[(
            "CROSSDOCK__BACKENDS__BOKAMERA__TLS__CA_FILE",
            ca.to_str().unwrap(),
        )],
    )
    .unwrap();
    let printed = p.effective_toml().unwrap();
    assert!(
        printed.contains(&format!("ca_file = \"{}\"", ca.display())),
        "{printed}"
    );
    let err = match plan(
        text,
        &[(
            "CROSSDOCK__BACKENDS__BOKAMERA__TLS__CA_FILE",
            "/nonexistent/other.pem",
        )],
    ) {
        Ok(_) => panic!("a missing CA file was accepted"),
        Err(e) => e,
    };
    assert!(
        err.contains("backends.bokamera.tls.ca_file: cannot read /nonexistent/other.pem"),
        "{err}"
    );
}
