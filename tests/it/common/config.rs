//! One builder for the gateway configs the tests start: tables in the
//! order given, values written as TOML (strings quoted and escaped), so a
//! test names what it sets instead of writing the file by hand.
//!
//! ```ignore
//! GatewayConfig::new()
//!     .backend("vehizen", &url)
//!     .set("format", "xml")
//!     .set("timeout_ms", 500)
//!     .route("customer_groups", &["vehizen"])
//!     .build()
//! ```

use std::fmt::Write;

#[derive(Debug, Default, Clone)]
pub struct GatewayConfig {
    out: String,
}

impl GatewayConfig {
    pub fn new() -> Self {
        Self::default()
    }

    /// Begins `[name]`: `server`, `auth.rate_limit`, `backends.vehizen.retry`...
    pub fn table(mut self, name: &str) -> Self {
        let _ = writeln!(self.out, "[{name}]");
        self
    }

    /// `[backends.<name>]` at `base_url` (`sandbox` or a vendor's URL).
    pub fn backend(self, name: &str, base_url: &str) -> Self {
        self.table(&format!("backends.{name}"))
            .set("base_url", base_url)
    }

    /// `[routes.<resource>]` to `backends`.
    pub fn route(self, resource: &str, backends: &[&str]) -> Self {
        self.table(&format!("routes.{resource}"))
            .set("backends", backends.to_vec())
    }

    /// `key = value` in the table begun last.
    pub fn set(mut self, key: &str, value: impl Into<toml::Value>) -> Self {
        let _ = writeln!(self.out, "{key} = {}", value.into());
        self
    }

    /// TOML as written: more keys of the table begun last, or tables of
    /// their own (what a test varies).
    pub fn lines(mut self, toml: &str) -> Self {
        if !toml.is_empty() {
            self.out.push_str(toml);
            self.out.push('\n');
        }
        self
    }

    /// The config file's text.
    pub fn build(self) -> String {
        self.out
    }
}

#[test]
fn values_are_written_as_toml() {
    let text = GatewayConfig::new()
        .backend("vehizen", "http://127.0.0.1:1/a \"b\"")
        .set("timeout_ms", 500)
        .set("retry.attempts", 0)
        .lines("format = \"xml\"")
        .route("customer_groups", &["vehizen"])
        .build();
    let t: toml::Table = toml::from_str(&text).unwrap();
    let vehizen = &t["backends"]["vehizen"];
    assert_eq!(
        vehizen["base_url"].as_str(),
        Some("http://127.0.0.1:1/a \"b\"")
    );
    assert_eq!(vehizen["timeout_ms"].as_integer(), Some(500));
    assert_eq!(vehizen["retry"]["attempts"].as_integer(), Some(0));
    assert_eq!(vehizen["format"].as_str(), Some("xml"));
    assert_eq!(
        t["routes"]["customer_groups"]["backends"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}
