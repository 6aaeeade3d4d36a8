//! Reading the file and the environment, and collecting every error.

use super::de::{self, Parsed};
use super::{Config, Resource, Sources};
use std::fmt;
use std::path::Path;

/// Every problem found in a config, one per line.
#[derive(Debug, Default)]
pub struct ConfigErrors(pub Vec<String>);

impl ConfigErrors {
    pub fn push(&mut self, e: impl Into<String>) {
        self.0.push(e.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl ConfigErrors {
    /// Every problem on one line (`; ` between), for a log record.
    pub fn one_line(&self) -> String {
        self.0.join("; ")
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Whether the key's environment value is a comma-separated list: the
/// API keys and each resource's route backends, the tenants' too.
fn is_list_key(key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        ["auth", "api_keys"] | ["tenants", _, "api_keys"] => true,
        ["routes", r, "backends"] => Resource::of_key(r).is_some(),
        ["tenants", _, "routes", _, "backends"] => true,
        _ => false,
    }
}

/// Loads `path` (TOML) with `CROSSDOCK__...` overrides from `env`.
///
/// `env` is passed in (rather than read) so tests do not race on the
/// process environment. Each error names the file, line and column (or the
/// environment variable) of its key.
pub fn load(
    path: &Path,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigErrors> {
    let loaded = load_collecting(path, env);
    match loaded.config {
        Some(cfg) if loaded.errors.is_empty() => Ok(cfg),
        _ => Err(loaded.sources.locate(loaded.errors)),
    }
}

/// Keys whose value is itself a file path (`tls.ca_file`): an environment
/// variable for one of them sets the path, it is not a `_FILE` indirection.
/// Their own indirection still works: `..._CA_FILE_FILE`.
const PATH_KEYS: &[&str] = &["ca_file", "client_cert_file", "client_key_file"];

fn is_path_key(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    PATH_KEYS.contains(&last)
}

/// A config as read, before the gateway's own checks.
pub struct Loaded {
    /// The config, when the file could be read at all. Keys with a value
    /// of the wrong type are left at their defaults (and named in
    /// `errors`), so later checks still run.
    pub config: Option<Config>,
    /// Where each key was set, to place errors
    /// ([`Sources::locate`](super::Sources::locate)).
    pub sources: Sources,
    /// Every problem found so far, each `key: problem`, not yet placed.
    pub errors: ConfigErrors,
}

/// Like [`load`], but returns the config (when it could be read at all)
/// alongside the key errors, so later checks can add theirs and the
/// operator sees every problem at once.
pub fn load_collecting(path: &Path, env: impl IntoIterator<Item = (String, String)>) -> Loaded {
    let mut errors = ConfigErrors::default();
    let failed = |errors| Loaded {
        config: None,
        sources: Sources::default(),
        errors,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            errors.push(format!("{}: cannot be read ({e})", path.display()));
            return failed(errors);
        }
    };
    let (mut tree, mut sources) = match Sources::from_toml(path, &text) {
        Ok(t) => t,
        Err(e) => {
            errors.push(e);
            return failed(errors);
        }
    };
    // Environment overrides. Values stay text: a token such as `007` is
    // not turned into 7. A key that wants a number or a boolean reads it
    // from the text (`super::de`), which a string in the file never is.
    for (k, v) in env {
        if k == "RUST_LOG" {
            // Unset or empty: `logging.level` applies.
            sources.rust_log = Some(v).filter(|v| !v.trim().is_empty());
            continue;
        }
        let Some(rest) = k.strip_prefix("CROSSDOCK__") else {
            continue;
        };
        let mut key = rest.to_ascii_lowercase().replace("__", ".");
        let mut v = v;
        // `..._FILE=/path`: the value is the file's content (Docker and
        // Kubernetes secrets are mounted as files). Errors name the
        // variable, never the content.
        if let Some(base) = key.strip_suffix("_file").filter(|_| !is_path_key(&key)) {
            match std::fs::read_to_string(&v) {
                Ok(text) => {
                    v = text.trim_end_matches(['\r', '\n']).to_string();
                    key = base.to_string();
                }
                Err(e) => {
                    errors.push(format!("{k}: cannot read the file it names ({})", e.kind()));
                    continue;
                }
            }
        }
        let value = if is_list_key(&key) {
            serde_json::Value::Array(
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| serde_json::Value::String(s.to_owned()))
                    .collect(),
            )
        } else {
            serde_json::Value::String(v)
        };
        let path: Vec<String> = key.split('.').map(str::to_owned).collect();
        if path.iter().any(String::is_empty) {
            errors.push(format!("{k}: names no key (an empty part between `__`)"));
            continue;
        }
        if let Err(e) = sources.set_env(&mut tree, &k, &path, value) {
            errors.push(e);
        }
    }
    let from_env = |p: &[String]| sources.is_env(p);
    let parsed: Parsed<Config> = de::from_value(&tree, Some(&from_env));
    for (key, problem) in parsed.problems {
        errors.push(format!("{}: {problem}", de::render(&key)));
    }
    for key in parsed.unknown {
        errors.push(format!("{}: unknown key", de::render(&key)));
    }
    Loaded {
        config: parsed.value,
        sources,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(text: &str) -> tempfile_lite::TempToml {
        tempfile_lite::TempToml::new(text)
    }

    /// A minimal temp file helper so tests need no extra crate.
    mod tempfile_lite {
        use super::*;
        pub struct TempToml(pub std::path::PathBuf);
        impl TempToml {
            pub fn new(text: &str) -> Self {
                let p = std::env::temp_dir().join(format!(
                    "crossdock-cfg-{}.toml",
                    uuid::Uuid::new_v4().simple()
                ));
                let mut f = std::fs::File::create(&p).unwrap();
                f.write_all(text.as_bytes()).unwrap();
                TempToml(p)
            }
        }
        impl Drop for TempToml {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.0);
            }
        }
    }

    #[test]
    fn minimal_file_gets_defaults() {
        let f = file("[server]\nlisten = \"127.0.0.1:1234\"\n");
        let c = load(&f.0, []).unwrap();
        assert_eq!(c.server.listen.port(), 1234);
        assert_eq!(c.admin.listen.port(), 9090);
        assert_eq!(c.server.body_limit_bytes, 1024 * 1024);
    }

    #[test]
    fn env_overrides_file() {
        let f = file("[server]\nlisten = \"127.0.0.1:1234\"\n");
        let c = load(
            &f.0,
            [
                ("CROSSDOCK__SERVER__LISTEN".into(), "127.0.0.1:4321".into()),
                ("CROSSDOCK__AUTH__API_KEYS".into(), "a,b".into()),
                (
                    "CROSSDOCK__ROUTES__CUSTOMERS__BACKENDS".into(),
                    "department,bokamera".into(),
                ),
                ("OTHER".into(), "x".into()),
            ],
        )
        .unwrap();
        assert_eq!(c.server.listen.port(), 4321);
        assert_eq!(c.auth.api_keys.unwrap().len(), 2);
        assert_eq!(
            c.routes.get(Resource::Customers).unwrap().backends,
            ["department", "bokamera"]
        );
    }

    #[test]
    fn env_values_keep_their_text_until_typed() {
        let f = file("[server]\nlisten = \"127.0.0.1:1234\"\n");
        let c = load(
            &f.0,
            [
                ("CROSSDOCK__SERVER__BODY_LIMIT_BYTES".into(), "2048".into()),
                ("CROSSDOCK__AUTH__API_KEYS".into(), "007,0x1".into()),
            ],
        )
        .unwrap();
        assert_eq!(c.server.body_limit_bytes, 2048);
        let keys: Vec<String> = c
            .auth
            .api_keys
            .unwrap()
            .iter()
            .map(|k| k.expose().to_string())
            .collect();
        assert_eq!(keys, ["007", "0x1"]);
    }

    #[test]
    fn secrets_can_come_from_files() {
        let f = file("[server]\nlisten = \"127.0.0.1:1234\"\n");
        let secret = file("k-from-file\n");
        let c = load(
            &f.0,
            [(
                "CROSSDOCK__AUTH__API_KEYS_FILE".to_string(),
                secret.0.display().to_string(),
            )],
        )
        .unwrap();
        assert_eq!(c.auth.api_keys.unwrap()[0].expose(), "k-from-file");
        let e = load(
            &f.0,
            [(
                "CROSSDOCK__AUTH__API_KEYS_FILE".to_string(),
                "/nonexistent/secret".to_string(),
            )],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("CROSSDOCK__AUTH__API_KEYS_FILE"), "{e}");
    }

    #[test]
    fn route_backends_and_keys_are_lists() {
        assert!(is_list_key("auth.api_keys"));
        assert!(is_list_key("routes.customer_groups.backends"));
        assert!(is_list_key("tenants.north.routes.customers.backends"));
        assert!(is_list_key("tenants.north.api_keys"));
        assert!(!is_list_key("routes.ghosts.backends"));
        assert!(!is_list_key("routes.customers.strict"));
        assert!(!is_list_key("backends.department.dealer_uuids"));
    }

    #[test]
    fn path_keys_are_not_file_indirections() {
        assert!(is_path_key("backends.bokamera.tls.ca_file"));
        assert!(is_path_key("backends.x.tls.client_key_file"));
        assert!(!is_path_key("backends.department.token_file"));
        assert!(!is_path_key("backends.x.tls.ca_file_file"));
    }

    #[test]
    fn every_unknown_key_is_named() {
        let f = file("[server]\nlisten = \"127.0.0.1:1\"\nlisen = 1\n[admn]\nx = 1\n");
        let e = load(&f.0, []).unwrap_err().to_string();
        assert!(e.contains("server.lisen"), "{e}");
        assert!(e.contains("admn"), "{e}");
    }

    #[test]
    fn bad_value_is_named() {
        let f = file("[server]\nlisten = \"not an address\"\n");
        let e = load(&f.0, []).unwrap_err().to_string();
        assert!(e.contains("listen"), "{e}");
    }

    #[test]
    fn missing_file_is_an_error() {
        let e = load(Path::new("/nonexistent/crossdock.toml"), []).unwrap_err();
        assert!(e.to_string().contains("crossdock.toml"));
    }
}
