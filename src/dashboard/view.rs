//! What the dashboard shows of the running config: routes and the
//! backends serving them, tenants (names and limits, never their keys),
//! and the effective config with every secret redacted.

use crate::api::{AppState, ResourceRoute, ROUTES};
use crate::app::Plan;
use crate::config::{RateLimitConfig, Resource};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The running config as the dashboard shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Shown {
    pub routes: Vec<RouteView>,
    pub tenants: Vec<TenantView>,
    /// Every `[backends.<name>]`, routed or not.
    pub backends: Vec<String>,
    /// The effective config as `check-config` prints it: secrets redacted.
    pub config: String,
    /// Each tenant's limit, until [`Shown::with_routes`] reads the tenants.
    #[serde(skip)]
    limits: BTreeMap<String, Option<RateLimitConfig>>,
}

/// One resource of one tenant.
#[derive(Debug, Clone, Serialize)]
pub struct RouteView {
    pub tenant: String,
    pub resource: &'static str,
    /// The resource's paths, each with its methods (`GET, PUT /v1/...`).
    pub paths: Vec<String>,
    pub backends: Vec<&'static str>,
    pub strict: bool,
    pub timeout_ms: Option<u64>,
}

/// One tenant: never its keys, only how many there are.
#[derive(Debug, Clone, Serialize)]
pub struct TenantView {
    pub name: String,
    /// `None`: no key is asked for.
    pub api_keys: Option<usize>,
    pub rate_limit: Option<RateLimitConfig>,
}

impl Shown {
    /// What a checked plan shows before it starts.
    pub fn of(plan: &Plan) -> Shown {
        let config = plan.config();
        let top = config.auth.rate_limit.as_ref().and_then(|r| r.limit());
        let mut limits = BTreeMap::from([("default".to_string(), top.clone())]);
        for (name, t) in &config.tenants {
            limits.insert(name.clone(), t.rate_limit.clone().or_else(|| top.clone()));
        }
        Shown {
            routes: Vec::new(),
            tenants: Vec::new(),
            backends: config.backends.keys().cloned().collect(),
            config: plan
                .effective_toml()
                .unwrap_or_else(|e| format!("# the effective config cannot be shown: {e}\n")),
            limits,
        }
    }

    /// Adds the routes and tenants of the started `states`.
    pub fn with_routes(mut self, states: &[Arc<AppState>]) -> Shown {
        for s in states {
            for r in Resource::ALL {
                if let Some(route) = route_of(s, r) {
                    self.routes.push(RouteView {
                        tenant: s.tenant.to_string(),
                        resource: r.key(),
                        paths: paths_of(r),
                        backends: route.targets.iter().map(|t| t.name).collect(),
                        strict: route.strict,
                        timeout_ms: route.timeout.map(|t| t.as_millis() as u64),
                    });
                }
            }
            self.tenants.push(TenantView {
                name: s.tenant.to_string(),
                api_keys: s.api_keys.as_ref().map(Vec::len),
                rate_limit: self.limits.get(&*s.tenant).cloned().flatten(),
            });
        }
        self
    }
}

fn route_of(s: &AppState, r: Resource) -> Option<&ResourceRoute> {
    s.routes.get(&r)
}

/// The unified API's paths of `r` (under `/v1/customer-groups` for
/// `customer_groups`), each with its methods, in [`ROUTES`]' order.
fn paths_of(r: Resource) -> Vec<String> {
    let base = format!("/v1/{}", r.key().replace('_', "-"));
    let mut paths: Vec<(&str, Vec<&str>)> = Vec::new();
    for (method, path) in ROUTES {
        if *path != base && !path.starts_with(&format!("{base}/")) {
            continue;
        }
        match paths.iter_mut().find(|(p, _)| p == path) {
            Some((_, methods)) => methods.push(method),
            None => paths.push((path, vec![method])),
        }
    }
    paths
        .into_iter()
        .map(|(path, methods)| format!("{} {path}", methods.join(", ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_resource_has_its_own_endpoints() {
        assert_eq!(
            paths_of(Resource::CustomerGroups),
            [
                "GET, PUT /v1/customer-groups/{id}",
                "POST /v1/customer-groups"
            ]
        );
        assert_eq!(paths_of(Resource::Customers), ["PUT /v1/customers/{id}"]);
        // Every route but /openapi.json belongs to one resource.
        let methods: usize = Resource::ALL
            .iter()
            .flat_map(|r| paths_of(*r))
            .map(|p| p.rsplit_once(' ').map_or(0, |(m, _)| m.split(", ").count()))
            .sum();
        assert_eq!(methods, ROUTES.len() - 1);
    }
}
