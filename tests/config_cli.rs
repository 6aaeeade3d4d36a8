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
