//! Checks of a config that need nothing but the config: values that parse
//! but cannot work (a zero limit, a key shared by two tenants, an admin
//! listener on the public address). Each pushes every problem it finds,
//! named by key; none is ever echoed with a secret.
//!
//! What needs more than the config is checked where it is built: backend
//! sections by their vendor and routes against the backends
//! (`crate::app::plan`), CORS by its layer, the log filter by telemetry,
//! the TLS files when they are read.

use super::{Config, ConfigErrors, MAX_IDEMPOTENCY_WINDOW_SECS, MAX_WORKER_THREADS};

/// Keys must be non-empty and belong to one tenant only (a key picks its
/// tenant). The top level is the tenant `default`.
pub fn keys(config: &Config, errors: &mut ConfigErrors) {
    let top = (
        "default",
        config.auth.api_keys.as_deref().unwrap_or_default(),
    );
    let tenants = config
        .tenants
        .iter()
        .map(|(name, t)| (name.as_str(), t.api_keys.as_slice()));
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (name, keys) in std::iter::once(top).chain(tenants) {
        let where_ = if name == "default" {
            "auth.api_keys".to_string()
        } else {
            format!("tenants.{name}.api_keys")
        };
        for k in keys {
            if k.is_empty() {
                errors.push(format!("{where_}: a key is empty"));
            } else if let Some((_, other)) = seen.iter().find(|(s, _)| *s == k.expose()) {
                errors.push(format!(
                    "{where_}: a key is also a key of {other} (keys pick the tenant)"
                ));
            } else {
                seen.push((k.expose(), name));
            }
        }
    }
}

/// `auth.rate_limit` (its keys go together; its Redis URL), and every
/// token bucket (the top level's, the wrong-key one, each tenant's) above
/// zero.
pub fn rate_limits(config: &Config, errors: &mut ConfigErrors) {
    if let Some(rl) = &config.auth.rate_limit {
        if rl.requests_per_sec.is_some() != rl.burst.is_some() {
            errors.push(
                "auth.rate_limit: requests_per_sec and burst go together (set both, or neither to only give redis_url)",
            );
        } else if rl.burst.is_none() && rl.redis_url.is_none() {
            errors.push("auth.rate_limit: set requests_per_sec and burst, or redis_url");
        }
        if let Some(url) = &rl.redis_url {
            // The message never holds the URL: it may carry a password.
            if let Err(e) = crate::idempotency::redis::check_url(url) {
                errors.push(format!("auth.rate_limit.redis_url: {e}"));
            }
        }
    }
    let top_limit = config.auth.rate_limit.as_ref().and_then(|r| r.limit());
    let limits = [
        ("auth.rate_limit".to_string(), top_limit.as_ref()),
        (
            "auth.failed_keys".to_string(),
            Some(&config.auth.failed_keys),
        ),
    ];
    let tenants = config
        .tenants
        .iter()
        .map(|(n, t)| (format!("tenants.{n}.rate_limit"), t.rate_limit.as_ref()));
    for (key, rl) in limits.into_iter().chain(tenants) {
        if let Some(rl) = rl {
            if !(rl.requests_per_sec > 0.0 && rl.requests_per_sec.is_finite()) || rl.burst == 0 {
                errors.push(format!("{key}: requests_per_sec and burst must be above 0"));
            }
        }
    }
}

/// `[server]` and `[admin]` limits and addresses.
pub fn server(config: &Config, errors: &mut ConfigErrors) {
    let s = &config.server;
    if s.max_concurrent_streams == 0 {
        errors.push("server.max_concurrent_streams: must be above 0");
    }
    if s.body_limit_bytes == 0 {
        errors.push("server.body_limit_bytes: must be above 0");
    }
    if s.worker_threads > MAX_WORKER_THREADS {
        errors.push(format!(
            "server.worker_threads: must be at most {MAX_WORKER_THREADS} (0: one per CPU)"
        ));
    }
    if s.listen == config.admin.listen && s.listen.port() != 0 {
        errors.push("admin.listen: must differ from server.listen");
    }
}

/// `[idempotency]`: the window, the memory store's bounds, the Redis URL.
pub fn idempotency(config: &Config, errors: &mut ConfigErrors) {
    let idem = &config.idempotency;
    if idem.window_secs == 0 || idem.window_secs > MAX_IDEMPOTENCY_WINDOW_SECS {
        errors.push(format!(
            "idempotency.window_secs: must be between 1 and {MAX_IDEMPOTENCY_WINDOW_SECS}"
        ));
    }
    if idem.max_entries == 0 {
        errors.push("idempotency.max_entries: must be above 0");
    }
    if idem.max_bytes == 0 {
        errors.push("idempotency.max_bytes: must be above 0");
    }
    if let Some(url) = &idem.redis_url {
        // The message never holds the URL: it may carry a password.
        if let Err(e) = crate::idempotency::redis::check_url(url) {
            errors.push(format!("idempotency.redis_url: {e}"));
        }
    }
}

/// `[telemetry.otlp]`: the exporter's endpoint.
pub fn telemetry(config: &Config, errors: &mut ConfigErrors) {
    if let Some(otlp) = &config.telemetry.otlp {
        for p in otlp.problems() {
            errors.push(format!("telemetry.otlp.{p}"));
        }
    }
}

#[cfg(test)]
mod tests;
