//! Parsing one `[backends.<name>]` section: the shared outbound keys plus the
//! vendor's own, with every unknown key named.

use crate::config::{ConfigErrors, OutboundConfig};
use serde::de::DeserializeOwned;

/// Parses `value` as both the shared [`OutboundConfig`] and the vendor's own
/// `V`. A key neither knows is an error.
pub fn parse_section<V: DeserializeOwned>(
    name: &str,
    value: &serde_json::Value,
    errors: &mut ConfigErrors,
) -> Option<(OutboundConfig, V)> {
    let outbound: Result<OutboundConfig, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(value, &mut |_| {}));
    let mut unknown = Vec::new();
    let own: Result<V, _> = serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
        value,
        &mut |p: serde_ignored::Path| unknown.push(p.to_string()),
    ));
    for p in unknown {
        let top = p.split('.').next().unwrap_or_default();
        if !OutboundConfig::KEYS.contains(&top) {
            errors.push(format!("backends.{name}.{p}: unknown key"));
        }
    }
    let mut report = |e: serde_path_to_error::Error<serde_json::Error>| {
        let path = e.path().to_string();
        if path == "." {
            errors.push(format!("backends.{name}: {}", e.inner()));
        } else {
            errors.push(format!("backends.{name}.{path}: {}", e.inner()));
        }
    };
    let outbound = outbound.map_err(&mut report).ok();
    let own = own.map_err(&mut report).ok();
    Some((outbound?, own?))
}
