//! Parsing one `[backends.<name>]` section: the shared outbound keys plus the
//! vendor's own, with every unknown key and every bad value named (by key,
//! never by value).

use crate::config::de::{self, FromEnv, Parsed};
use crate::config::{ConfigErrors, OutboundConfig};
use serde::de::DeserializeOwned;

/// A backend section to parse: its value, and which of its values came
/// from the environment (text, which a number or boolean key reads; the
/// same text in the file is an error).
#[derive(Clone, Copy)]
pub struct SectionInput<'a> {
    pub value: &'a serde_json::Value,
    /// Given a path inside the section; `None`: nothing came from the
    /// environment.
    pub from_env: Option<FromEnv<'a>>,
}

impl<'a> From<&'a serde_json::Value> for SectionInput<'a> {
    fn from(value: &'a serde_json::Value) -> Self {
        SectionInput {
            value,
            from_env: None,
        }
    }
}

/// Parses the section as both the shared [`OutboundConfig`] and the
/// vendor's own `V`. A key neither knows is an error.
pub fn parse_section<V: DeserializeOwned>(
    name: &str,
    section: &SectionInput<'_>,
    errors: &mut ConfigErrors,
) -> Option<(OutboundConfig, V)> {
    let outbound: Parsed<OutboundConfig> = de::from_value(section.value, section.from_env);
    let own: Parsed<V> = de::from_value(section.value, section.from_env);
    for p in &own.unknown {
        let top = p.first().map(String::as_str).unwrap_or_default();
        if !OutboundConfig::KEYS.contains(&top) {
            errors.push(format!("backends.{name}.{}: unknown key", de::render(p)));
        }
    }
    for (p, problem) in outbound.problems.iter().chain(&own.problems) {
        if p.is_empty() {
            errors.push(format!("backends.{name}: {problem}"));
        } else {
            errors.push(format!("backends.{name}.{}: {problem}", de::render(p)));
        }
    }
    // Keys with a bad value are left at their defaults, so the vendor's
    // own checks still run on the others and every problem is named at
    // once (the plan fails on the errors pushed here either way).
    Some((outbound.value?, own.value?))
}
