//! `[telemetry]`: where the gateway's spans go. Read at start only.

use serde::{Deserialize, Serialize};

/// `[telemetry]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct TelemetryConfig {
    /// `[telemetry.otlp]`: export spans over OTLP/HTTP. Unset: nothing is
    /// exported (trace context is still passed on to the vendors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub otlp: Option<OtlpConfig>,
}

/// `[telemetry.otlp]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OtlpConfig {
    /// The OTLP/HTTP receiver, `http://host:4318` or `https://...`:
    /// spans are POSTed to `<endpoint>/v1/traces` (a URL already ending in
    /// `/v1/traces` is taken as it is).
    pub endpoint: String,
    /// `service.name` of the exported spans.
    #[serde(default = "OtlpConfig::default_service_name")]
    pub service_name: String,
}

/// What an endpoint looks like, for the error messages.
const ENDPOINT_FORM: &str = "expected http://host:port or https://host:port[/path], \
    the OTLP/HTTP receiver (a collector listens on port 4318)";

/// The path a receiver takes spans on.
const TRACES_PATH: &str = "/v1/traces";

impl OtlpConfig {
    fn default_service_name() -> String {
        "crossdock".into()
    }

    /// The URL spans are POSTed to, or a problem as `key: problem` (relative
    /// to `telemetry.otlp`). The message never quotes the value.
    pub fn traces_url(&self) -> Result<http::Uri, String> {
        let bad = |why: &str| format!("endpoint: {why}");
        let uri: http::Uri = self
            .endpoint
            .trim()
            .parse()
            .map_err(|_| bad(&format!("not a URL; {ENDPOINT_FORM}")))?;
        match uri.scheme_str() {
            Some("http" | "https") => {}
            Some(_) => return Err(bad(&format!("only http and https; {ENDPOINT_FORM}"))),
            None => return Err(bad(&format!("no scheme; {ENDPOINT_FORM}"))),
        }
        let Some(authority) = uri.authority() else {
            return Err(bad(&format!("no host; {ENDPOINT_FORM}")));
        };
        if authority.host().is_empty() {
            return Err(bad(&format!("no host; {ENDPOINT_FORM}")));
        }
        if authority.as_str().contains('@') {
            return Err(bad("user and password in the URL are not supported"));
        }
        if uri.query().is_some() {
            return Err(bad(&format!("no query string; {ENDPOINT_FORM}")));
        }
        let path = uri.path().trim_end_matches('/');
        let path = if path.ends_with(TRACES_PATH) {
            path.to_string()
        } else {
            format!("{path}{TRACES_PATH}")
        };
        http::Uri::builder()
            .scheme(uri.scheme_str().unwrap_or("http"))
            .authority(authority.as_str())
            .path_and_query(path)
            .build()
            .map_err(|_| bad(&format!("not a URL; {ENDPOINT_FORM}")))
    }

    /// Every problem, each `key: problem` relative to `telemetry.otlp`.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(e) = self.traces_url() {
            out.push(e);
        }
        let name = self.service_name.trim();
        if name.is_empty() || name.len() > 255 || name.chars().any(char::is_control) {
            out.push("service_name: 1 to 255 characters, no control characters".into());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn otlp(endpoint: &str) -> OtlpConfig {
        OtlpConfig {
            endpoint: endpoint.into(),
            service_name: "crossdock".into(),
        }
    }

    #[test]
    fn the_traces_path_is_added_once() {
        for (given, url) in [
            ("http://collector:4318", "http://collector:4318/v1/traces"),
            ("http://collector:4318/", "http://collector:4318/v1/traces"),
            (
                "https://otel.example.com/otlp",
                "https://otel.example.com/otlp/v1/traces",
            ),
            (
                "http://127.0.0.1:4318/v1/traces",
                "http://127.0.0.1:4318/v1/traces",
            ),
            ("http://[::1]:4318", "http://[::1]:4318/v1/traces"),
        ] {
            assert_eq!(otlp(given).traces_url().unwrap().to_string(), url);
        }
    }

    #[test]
    fn bad_endpoints_are_named_without_their_text() {
        for (bad, why) in [
            ("otel-host:4318", "scheme"),
            ("", "not a URL"),
            ("grpc://otel-host:4317", "only http and https"),
            ("http://", "not a URL"),
            ("http://u:s3cret@otel-host:4318", "user and password"),
            ("http://otel-host:4318/?token=s3cret", "query"),
            ("not a url at all", "not a URL"),
        ] {
            let e = otlp(bad).traces_url().unwrap_err();
            assert!(e.starts_with("endpoint: "), "{bad}: {e}");
            assert!(e.contains(why), "{bad}: {e}");
            assert!(!e.contains("s3cret") && !e.contains("otel-host"), "{e}");
        }
    }

    #[test]
    fn the_service_name_is_checked() {
        let mut c = otlp("http://collector:4318");
        assert!(c.problems().is_empty());
        c.service_name = " ".into();
        assert_eq!(c.problems().len(), 1);
        assert!(c.problems()[0].starts_with("service_name: "));
    }
}
