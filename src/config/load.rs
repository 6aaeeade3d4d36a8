//! Reading the file and the environment, and collecting every error.

use super::file_errors;
use super::Config;
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

/// Keys whose environment value is a comma-separated list.
const LIST_KEYS: &[&str] = &[
    "auth.api_keys",
    "routes.customers.backends",
    "routes.customer_groups.backends",
    "routes.vehicle_categories.backends",
];

/// Whether the key's environment value is a comma-separated list
/// (including the tenants' `api_keys` and route backends).
fn is_list_key(key: &str) -> bool {
    if LIST_KEYS.contains(&key) {
        return true;
    }
    let parts: Vec<&str> = key.split('.').collect();
    matches!(
        parts.as_slice(),
        ["tenants", _, "api_keys"] | ["tenants", _, "routes", _, "backends"]
    )
}

/// Loads `path` (TOML) with `CROSSDOCK__...` overrides from `env`.
///
/// `env` is passed in (rather than read) so tests do not race on the
/// process environment.
pub fn load(
    path: &Path,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigErrors> {
    match load_collecting(path, env) {
        (Some(cfg), errors) if errors.is_empty() => Ok(cfg),
        (_, errors) => Err(errors),
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

/// Like [`load`], but returns the config (when it could be read at all)
/// alongside the key errors, so later checks can add theirs and the
/// operator sees every problem at once.
pub fn load_collecting(
    path: &Path,
    env: impl IntoIterator<Item = (String, String)>,
) -> (Option<Config>, ConfigErrors) {
    let mut errors = ConfigErrors::default();
    // Read and syntax-checked here first: the TOML parser's own error
    // quotes the offending line, which may hold a secret.
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            errors.push(format!("{}: cannot be read ({e})", path.display()));
            return (None, errors);
        }
    };
    if let Err(e) = toml::from_str::<toml::Table>(&text) {
        errors.push(file_errors::syntax(path, &text, &e));
        return (None, errors);
    }
    let mut builder = config::Config::builder()
        .add_source(config::File::from_str(&text, config::FileFormat::Toml));
    // Environment overrides, done here rather than with the config crate's
    // Environment source: that one can split lists only when it also parses
    // every value, which would turn a token such as `007` into 7. Values
    // stay text until a key's type asks for a number or a bool.
    for (k, v) in env {
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
        builder = if is_list_key(&key) {
            let items: Vec<String> = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            builder.set_override(key, items)
        } else {
            builder.set_override(key, v)
        }
        .unwrap_or_else(|e| {
            errors.push(format!("{k}: {e}"));
            config::Config::builder()
        });
    }
    let built = builder.build();
    let built = match built {
        Ok(b) => b,
        Err(e) => {
            errors.push(format!("{}: {}", path.display(), file_errors::value(&e)));
            return (None, errors);
        }
    };
    let mut unknown = Vec::new();
    let parsed: Result<Config, _> = serde_ignored::deserialize(built, |p| {
        unknown.push(p.to_string());
    });
    for k in unknown {
        errors.push(format!("{k}: unknown key"));
    }
    match parsed {
        Ok(cfg) => (Some(cfg), errors),
        Err(e) => {
            errors.push(file_errors::value(&e));
            (None, errors)
        }
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
            c.routes.customers.unwrap().backends,
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
