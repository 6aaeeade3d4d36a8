//! What `check-config` prints of a [`Plan`]: the effective config, and
//! settings that are valid but likely not meant.

use super::plan::Plan;
use crate::config::{Resource, RouteConfig};

impl Plan {
    /// Settings that are valid but likely not meant, one line each:
    /// `check-config` prints them on stderr, and the gateway logs them at
    /// start and on reload.
    ///
    /// A whole-request deadline (`server.request_timeout_ms`) shorter than
    /// a backend's attempts (`timeout_ms × (1 + retry.attempts)`) cuts its
    /// retries short: such a request gets 504 where the last attempt might
    /// have answered (and each cut counts as the backend's timeout).
    pub fn warnings(&self) -> Vec<String> {
        let deadline = self.config.server.request_timeout_ms;
        let tenants = self.tenants.iter().flat_map(|t| {
            t.own
                .iter()
                .map(move |(n, p)| (format!("tenants.{}.", t.name), *n, p))
        });
        self.backends
            .iter()
            .map(|(n, p)| (String::new(), *n, p))
            .chain(tenants)
            .filter_map(|(prefix, name, p)| {
                let o = &p.outbound;
                let tries = (o.retry.attempts as u64).saturating_add(1);
                let needs = o.timeout_ms.saturating_mul(tries);
                (deadline < needs).then(|| {
                    format!(
                        "{prefix}backends.{name}: timeout_ms {} x (1 + retry.attempts {}) = {needs} ms \
                         is longer than server.request_timeout_ms {deadline}: the request deadline \
                         cuts its retries short",
                        o.timeout_ms, o.retry.attempts
                    )
                })
            })
            .collect()
    }

    /// The effective config (file, environment and defaults, with each
    /// route resolved to the backends that will serve it) as TOML, every
    /// secret redacted: what `check-config` prints.
    pub fn effective_toml(&self) -> Result<String, String> {
        let mut config = self.config.clone();
        for r in Resource::ALL {
            let resolved = self.tenants[0].routes.get(&r).map(|route| RouteConfig {
                backends: route.backends.iter().map(|(n, _)| n.to_string()).collect(),
                strict: route.strict,
                timeout_ms: route.timeout_ms,
            });
            config.routes.set(r, resolved);
        }
        // The shared outbound keys as the backend will use them, defaults
        // included.
        for (name, planned) in &self.backends {
            let (Some(serde_json::Value::Object(section)), Ok(serde_json::Value::Object(outbound))) = (
                config.backends.get_mut(*name),
                serde_json::to_value(&planned.outbound),
            ) else {
                continue;
            };
            for (k, v) in outbound {
                match section.get_mut(&k) {
                    Some(raw) => fill(raw, v),
                    None => {
                        section.insert(k, v);
                    }
                }
            }
        }
        crate::config::to_toml(&config)
    }
}

/// `raw` (a section as written) completed with `parsed` (the same keys
/// as the backend reads them): defaults added, and environment text
/// (`"100"`) shown as the number or boolean it was read as. What was
/// written as text stays (a proxy URL keeps its host when redacted).
fn fill(raw: &mut serde_json::Value, parsed: serde_json::Value) {
    use serde_json::Value;
    match (raw, parsed) {
        (Value::Object(raw), Value::Object(parsed)) => {
            for (k, v) in parsed {
                match raw.get_mut(&k) {
                    Some(r) => fill(r, v),
                    None => {
                        raw.insert(k, v);
                    }
                }
            }
        }
        (raw @ Value::String(_), v @ (Value::Number(_) | Value::Bool(_))) => *raw = v,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fill_adds_defaults_and_types_environment_text() {
        let mut raw =
            json!({"timeout_ms": "100", "proxy_url": "http://[redacted]@p:3128", "retry": {}});
        fill(
            &mut raw,
            json!({
                "timeout_ms": 100,
                "proxy_url": "[redacted]",
                "retry": {"attempts": 2},
                "max_concurrency": 512,
            }),
        );
        assert_eq!(
            raw,
            json!({
                "timeout_ms": 100,
                "proxy_url": "http://[redacted]@p:3128",
                "retry": {"attempts": 2},
                "max_concurrency": 512,
            })
        );
    }
}
