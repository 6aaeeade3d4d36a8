//! A config turned into a [`Plan`]: every backend section parsed by its
//! vendor, every tenant's sections merged over the top level's, every
//! route resolved to the backends that serve it, and every problem named
//! at once. What `check-config` validates and `run` starts; nothing runs
//! yet.

use crate::backends::{self, Backend};
use crate::config::{
    validate, Config, ConfigErrors, OutboundConfig, RateLimitConfig, Resource, RouteConfig, Secret,
    Sources,
};
use crate::outbound::BaseUrl;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A backend parsed from its section, before its sandbox (if any) runs.
pub(super) struct Planned {
    pub(super) backend: Arc<dyn Backend>,
    pub(super) outbound: OutboundConfig,
    /// The section it was built from (a tenant's: merged over the top
    /// level's): a reload keeps the running backend when it is the same.
    pub(super) section: serde_json::Value,
}

/// Where a tenant's backend comes from: the top level's section (shared by
/// every tenant that does not override it) or the tenant's own merge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Scope {
    Top,
    Tenant(String),
}

/// The route of one resource: the backends (name, where from), whether
/// it is strict, and its own deadline.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PlannedRoute {
    pub(super) backends: Vec<(&'static str, Scope)>,
    pub(super) strict: bool,
    pub(super) timeout_ms: Option<u64>,
}

/// One tenant's part of the plan. The top level is the tenant `default`.
pub(super) struct TenantPlan {
    pub(super) name: String,
    /// `None`: no key is asked for. `Some(empty)`: every key is refused
    /// (keys exist, but only for other tenants).
    pub(super) keys: Option<Vec<Secret>>,
    pub(super) rate_limit: Option<RateLimitConfig>,
    /// Backends this tenant built from its own merged sections.
    pub(super) own: BTreeMap<&'static str, Planned>,
    /// The route of each resource some backend serves.
    pub(super) routes: BTreeMap<Resource, PlannedRoute>,
}

/// The checked plan of a config: what `check-config` validates and `run`
/// starts. Every problem is collected.
pub struct Plan {
    pub(super) config: Config,
    /// The top level's backends, shared by tenants that do not override.
    pub(super) backends: BTreeMap<&'static str, Planned>,
    /// `default` first, then each `[tenants.<name>]`.
    pub(super) tenants: Vec<TenantPlan>,
    /// `[server.tls]`, its files read at plan time; `None`: plain HTTP.
    pub(super) tls: Option<tokio_rustls::TlsAcceptor>,
}

impl Plan {
    /// Loads and checks a config file with environment overrides, naming
    /// every problem found (unknown keys, bad values, bad routes) at once.
    pub fn from_file(
        path: &std::path::Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Plan, ConfigErrors> {
        let loaded = crate::config::load_collecting(path, env);
        let sources = loaded.sources;
        match loaded.config {
            Some(cfg) => Plan::check(cfg, &sources, loaded.errors),
            None => Err(loaded.errors),
        }
        // Each problem with the file, line and column (or the environment
        // variable) of its key, in the file's order.
        .map_err(|errors| sources.locate(errors))
    }

    pub fn new(config: Config) -> Result<Plan, ConfigErrors> {
        Plan::check(config, &Sources::default(), ConfigErrors::default())
    }

    /// Every check, in the order their problems are listed: backends,
    /// tenants and routes, then the checks of the config alone
    /// ([`validate`]) with those of the parts built from it between.
    fn check(
        config: Config,
        sources: &Sources,
        mut errors: ConfigErrors,
    ) -> Result<Plan, ConfigErrors> {
        let backends = plan_backends(&config.backends, sources, None, &mut errors);
        let tenants = plan_tenants(&config, &backends, sources, &mut errors);
        validate::keys(&config, &mut errors);
        validate::rate_limits(&config, &mut errors);
        if let Some(c) = &config.server.cors {
            if let Err(problems) = crate::api::cors::OriginCorsLayer::new(c) {
                for p in problems {
                    errors.push(format!("server.cors.{p}"));
                }
            }
        }
        // A filter that parses but matches nothing (`infoo` is a target
        // name to tracing) would log nothing at all.
        if let Err(e) = crate::telemetry::filter(&config.logging.level) {
            errors.push(format!("logging.level: {e}"));
        }
        if let Some(Err(e)) = sources.rust_log.as_deref().map(crate::telemetry::filter) {
            errors.push(format!("RUST_LOG (which wins over logging.level): {e}"));
        }
        let tls = config.server.tls.as_ref().and_then(|t| {
            crate::inbound_tls::acceptor(t)
                .map_err(|e| e.into_iter().for_each(|e| errors.push(e)))
                .ok()
        });
        validate::server(&config, &mut errors);
        validate::idempotency(&config, &mut errors);
        validate::telemetry(&config, &mut errors);
        if errors.is_empty() {
            Ok(Plan {
                config,
                backends,
                tenants,
                tls,
            })
        } else {
            Err(errors)
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }
}

/// The `default` tenant (the top level) and each `[tenants.<name>]`: its
/// keys, limit, own backends (its sections merged over the top level's)
/// and routes (its own, else the top level's). A tenant's problems are
/// named under `tenants.<name>.`.
fn plan_tenants(
    config: &Config,
    backends: &BTreeMap<&'static str, Planned>,
    sources: &Sources,
    errors: &mut ConfigErrors,
) -> Vec<TenantPlan> {
    // Sections that exist but did not parse: routes to them are not
    // reported again as missing.
    let declared: Vec<&str> = config.backends.keys().map(String::as_str).collect();
    let top_view: BTreeMap<&'static str, (&Planned, Scope)> = backends
        .iter()
        .map(|(n, p)| (*n, (p, Scope::Top)))
        .collect();
    let any_tenant_keys = config.tenants.values().any(|t| !t.api_keys.is_empty());
    let top_limit = config.auth.rate_limit.as_ref().and_then(|r| r.limit());
    let mut tenants = vec![TenantPlan {
        name: "default".into(),
        keys: match &config.auth.api_keys {
            Some(k) => Some(k.clone()),
            None if any_tenant_keys => Some(Vec::new()),
            None => None,
        },
        rate_limit: top_limit.clone(),
        own: BTreeMap::new(),
        routes: plan_routes(
            |r| config.routes.get(r).cloned(),
            &top_view,
            &declared,
            errors,
        ),
    }];
    for (tname, t) in &config.tenants {
        let prefix = format!("tenants.{tname}.");
        if t.api_keys.is_empty() {
            errors.push(format!("{prefix}api_keys: a tenant needs at least one key"));
        }
        let mut merged = BTreeMap::new();
        for (bname, partial) in &t.backends {
            match config.backends.get(bname) {
                Some(base) => {
                    merged.insert(bname.clone(), merge(base, partial));
                }
                None => errors.push(format!(
                    "{prefix}backends.{bname}: overrides nothing (no [backends.{bname}] section)"
                )),
            }
        }
        let mut own_errors = ConfigErrors::default();
        let own = plan_backends(&merged, sources, Some(tname), &mut own_errors);
        let mut view = top_view.clone();
        for (n, p) in &own {
            view.insert(*n, (p, Scope::Tenant(tname.clone())));
        }
        let routes = plan_routes(
            |r| t.routes.get(r).or(config.routes.get(r)).cloned(),
            &view,
            &declared,
            &mut own_errors,
        );
        for e in own_errors.0 {
            errors.push(format!("{prefix}{e}"));
        }
        tenants.push(TenantPlan {
            name: tname.clone(),
            keys: Some(t.api_keys.clone()),
            rate_limit: t.rate_limit.clone().or_else(|| top_limit.clone()),
            own,
            routes,
        });
    }
    tenants
}

/// Parses every `[backends.<name>]` section of `sections`: the top level's,
/// or `tenant`'s merged over them.
fn plan_backends(
    sections: &BTreeMap<String, serde_json::Value>,
    sources: &Sources,
    tenant: Option<&str>,
    errors: &mut ConfigErrors,
) -> BTreeMap<&'static str, Planned> {
    let mut backends = BTreeMap::new();
    for (name, section) in sections {
        // Where a value of the section was set: the tenant's own section
        // first, then the top level's.
        let top: Vec<String> = vec!["backends".into(), name.clone()];
        let own: Option<Vec<String>> = tenant.map(|t| {
            vec![
                "tenants".into(),
                t.to_string(),
                "backends".into(),
                name.clone(),
            ]
        });
        let bases: Vec<&[String]> = own
            .iter()
            .map(Vec::as_slice)
            .chain([top.as_slice()])
            .collect();
        let from_env = |rel: &[String]| sources.is_env_below(&bases, rel);
        let section = backends::SectionInput {
            value: section,
            from_env: Some(&from_env),
        };
        let Some(vendor) = backends::vendor(name) else {
            let known: Vec<_> = backends::VENDORS.iter().map(|v| v.name).collect();
            errors.push(format!(
                "backends.{name}: unknown backend (known: {})",
                known.join(", ")
            ));
            continue;
        };
        if let Some(built) = (vendor.build)(&section, errors) {
            check_outbound(name, &built.outbound, errors);
            backends.insert(
                vendor.name,
                Planned {
                    backend: built.backend,
                    outbound: built.outbound,
                    section: section.value.clone(),
                },
            );
        }
    }
    backends
}

/// The shared outbound keys of `[backends.<name>]`, as the outbound stack
/// will build them.
fn check_outbound(name: &str, outbound: &OutboundConfig, errors: &mut ConfigErrors) {
    if !outbound.is_sandbox() {
        if let Err(e) = BaseUrl::parse(&outbound.base_url) {
            errors.push(format!("backends.{name}.base_url: {e}"));
        }
    }
    for e in crate::outbound::check_config(outbound) {
        errors.push(format!("backends.{name}.{e}"));
    }
    if let Err(e) = crate::outbound::RetryPolicy::new(&outbound.retry) {
        errors.push(format!("backends.{name}.retry: {e}"));
    }
    if let Some(faults) = &outbound.faults {
        if !outbound.is_sandbox() {
            errors.push(format!(
                "backends.{name}.faults: only a sandbox (base_url = \"sandbox\") injects faults"
            ));
        }
        for p in faults.problems() {
            errors.push(format!("backends.{name}.faults.{p}"));
        }
    }
    if outbound.timeout_ms == 0 {
        errors.push(format!("backends.{name}.timeout_ms: must be above 0"));
    }
}

/// Resolves `routes.<resource>` against the backends a tenant sees.
fn plan_routes(
    route_of: impl Fn(Resource) -> Option<RouteConfig>,
    view: &BTreeMap<&'static str, (&Planned, Scope)>,
    declared: &[&str],
    errors: &mut ConfigErrors,
) -> BTreeMap<Resource, PlannedRoute> {
    let mut routes = BTreeMap::new();
    for r in Resource::ALL {
        let key = r.key();
        let (names, strict, timeout_ms) = match route_of(r) {
            Some(rc) => {
                if rc.timeout_ms == Some(0) {
                    errors.push(format!("routes.{key}.timeout_ms: must be above 0"));
                }
                (rc.backends, rc.strict, rc.timeout_ms)
            }
            // No route: every configured backend that serves it.
            None => (
                view.iter()
                    .filter(|(_, (p, _))| p.backend.serves(r))
                    .map(|(n, _)| n.to_string())
                    .collect(),
                false,
                None,
            ),
        };
        let mut chosen = Vec::new();
        for n in &names {
            match view.get_key_value(n.as_str()) {
                None if declared.contains(&n.as_str()) => {}
                None => errors.push(format!(
                    "routes.{key}.backends: `{n}` has no [backends.{n}] section"
                )),
                Some((_, (p, _))) if !p.backend.serves(r) => {
                    errors.push(format!("routes.{key}.backends: `{n}` does not serve {key}"))
                }
                Some((name, (_, scope))) => chosen.push((*name, scope.clone())),
            }
        }
        if !r.fans_out() && chosen.len() > 1 {
            errors.push(format!(
                "routes.{key}.backends: exactly one backend serves {key}, not {}",
                chosen.len()
            ));
        }
        if !chosen.is_empty() {
            routes.insert(
                r,
                PlannedRoute {
                    backends: chosen,
                    strict,
                    timeout_ms,
                },
            );
        }
    }
    routes
}

/// `partial` over `base`, objects merged key by key (a tenant's backend
/// section over the top level's).
fn merge(base: &serde_json::Value, partial: &serde_json::Value) -> serde_json::Value {
    match (base, partial) {
        (serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
            let mut out = b.clone();
            for (k, v) in p {
                let merged = match out.get(k) {
                    Some(existing) => merge(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            serde_json::Value::Object(out)
        }
        (_, p) => p.clone(),
    }
}

#[cfg(test)]
pub(super) mod tests;
