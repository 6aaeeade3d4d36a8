//! `routes.<resource>`: which backends serve each unified resource.
//!
//! A resource is one [`Resource`] variant: its config key, and everything
//! keyed by resource (the routes here, a tenant's routes, the running
//! gateway's route plan) is a map from it, so a new resource is a variant
//! and its handlers.

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The unified resources a route can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Customers,
    CustomerGroups,
    VehicleCategories,
}

impl Resource {
    pub const ALL: [Resource; 3] = [
        Resource::Customers,
        Resource::CustomerGroups,
        Resource::VehicleCategories,
    ];

    /// The config key (`routes.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Resource::Customers => "customers",
            Resource::CustomerGroups => "customer_groups",
            Resource::VehicleCategories => "vehicle_categories",
        }
    }

    /// The resource of a config key.
    pub fn of_key(key: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The resource in words, for messages (`customer groups`).
    pub fn noun(self) -> &'static str {
        match self {
            Resource::Customers => "customers",
            Resource::CustomerGroups => "customer groups",
            Resource::VehicleCategories => "vehicle categories",
        }
    }

    /// Whether more than one backend may serve it at once (a write sent to
    /// each); every other resource has exactly one.
    pub fn fans_out(self) -> bool {
        self == Resource::Customers
    }
}

/// `[routes]`: per resource, its route. A key that names no resource is
/// an unknown key, like anywhere else in the config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoutesConfig(BTreeMap<Resource, RouteConfig>);

impl RoutesConfig {
    pub fn get(&self, r: Resource) -> Option<&RouteConfig> {
        self.0.get(&r)
    }

    /// Sets (or with `None` removes) the route of `r`.
    pub fn set(&mut self, r: Resource, route: Option<RouteConfig>) {
        match route {
            Some(route) => self.0.insert(r, route),
            None => self.0.remove(&r),
        };
    }
}

impl Serialize for RoutesConfig {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (r, route) in &self.0 {
            map.serialize_entry(r.key(), route)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for RoutesConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RoutesVisitor)
    }
}

struct RoutesVisitor;

impl<'de> Visitor<'de> for RoutesVisitor {
    type Value = RoutesConfig;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RoutesConfig, A::Error> {
        let mut routes = RoutesConfig::default();
        while let Some(key) = map.next_key::<String>()? {
            match Resource::of_key(&key) {
                Some(r) => {
                    routes.0.insert(r, map.next_value()?);
                }
                // Left for the caller to name as unknown.
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(routes)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct RouteConfig {
    /// Backend names, as under `[backends.<name>]`.
    pub backends: Vec<String>,
    /// Refuse (422) a write carrying a field the backend cannot store,
    /// instead of sending it with a warning.
    pub strict: bool,
    /// This resource's own deadline (504), within `server.request_timeout_ms`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::de::{from_value, render};

    #[test]
    fn keys_name_their_resource() {
        for r in Resource::ALL {
            assert_eq!(Resource::of_key(r.key()), Some(r));
            assert_eq!(r.noun().replace(' ', "_"), r.key());
        }
        assert_eq!(Resource::of_key("vehicles"), None);
    }

    #[test]
    fn routes_read_by_key_and_unknown_keys_are_named() {
        let v = serde_json::json!({
            "customer_groups": {"backends": ["vehizen"], "timeout_ms": 100},
            "custmers": {"backends": ["department"]},
            "customers": {"strict": true},
        });
        let parsed = from_value::<RoutesConfig>(&v, None);
        let routes = parsed.value.unwrap();
        let groups = routes.get(Resource::CustomerGroups).unwrap();
        assert_eq!(groups.backends, ["vehizen"]);
        assert_eq!(groups.timeout_ms, Some(100));
        assert!(routes.get(Resource::Customers).unwrap().strict);
        assert_eq!(routes.get(Resource::VehicleCategories), None);
        let unknown: Vec<String> = parsed.unknown.iter().map(|k| render(k)).collect();
        assert_eq!(unknown, ["custmers"]);
        assert!(parsed.problems.is_empty());
    }

    #[test]
    fn a_bad_value_is_named_by_its_key() {
        let v = serde_json::json!({"customers": {"strict": "yes"}});
        let parsed = from_value::<RoutesConfig>(&v, None);
        let keys: Vec<String> = parsed.problems.iter().map(|(k, _)| render(k)).collect();
        assert_eq!(keys, ["customers.strict"]);
    }

    #[test]
    fn routes_print_in_resource_order_without_unset_ones() {
        let mut routes = RoutesConfig::default();
        let route = |b: &str| RouteConfig {
            backends: vec![b.into()],
            ..RouteConfig::default()
        };
        routes.set(Resource::VehicleCategories, Some(route("fleet_admin")));
        routes.set(Resource::Customers, Some(route("department")));
        routes.set(Resource::CustomerGroups, Some(route("vehizen")));
        routes.set(Resource::CustomerGroups, None);
        let json = serde_json::to_string(&routes).unwrap();
        assert_eq!(
            json,
            r#"{"customers":{"backends":["department"],"strict":false},"vehicle_categories":{"backends":["fleet_admin"],"strict":false}}"#
        );
    }
}
