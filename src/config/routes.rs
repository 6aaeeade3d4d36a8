//! `routes.<resource>`: which backends serve each unified resource.

use serde::{Deserialize, Serialize};

/// The unified resources a route can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RoutesConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers: Option<RouteConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_groups: Option<RouteConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vehicle_categories: Option<RouteConfig>,
}

impl RoutesConfig {
    pub fn get(&self, r: Resource) -> Option<&RouteConfig> {
        match r {
            Resource::Customers => self.customers.as_ref(),
            Resource::CustomerGroups => self.customer_groups.as_ref(),
            Resource::VehicleCategories => self.vehicle_categories.as_ref(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
