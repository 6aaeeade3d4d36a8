use super::*;
use serde_json::json;

/// Every vendor on its simulator (nothing runs: a plan only parses).
const SANDBOXES: &str = r#"
[backends.vehizen]
base_url = "sandbox"
[backends.department]
base_url = "sandbox"
token = "top-token"
[backends.bokamera]
base_url = "sandbox"
api_key = "k"
[backends.fleet_admin]
base_url = "sandbox"
"#;

fn config(toml: &str) -> Config {
    toml::from_str(toml).expect("a test config parses")
}

/// The plan of a config written as TOML (the other `app` tests use it).
pub(in crate::app) fn plan(toml: &str) -> Plan {
    Plan::new(config(toml)).unwrap_or_else(|e| panic!("{e}"))
}

fn problems(toml: &str) -> Vec<String> {
    match Plan::new(config(toml)) {
        Ok(_) => Vec::new(),
        Err(e) => e.0,
    }
}

fn route(p: &Plan, tenant: usize, r: Resource) -> Vec<(&'static str, Scope)> {
    p.tenants[tenant]
        .routes
        .get(&r)
        .map(|route| route.backends.clone())
        .unwrap_or_default()
}

#[test]
fn merge_goes_key_by_key_and_the_partial_wins() {
    let base =
        json!({"base_url": "sandbox", "token": "top", "retry": {"attempts": 2, "backoff_ms": 10}});
    let partial = json!({"token": "north", "retry": {"attempts": 0}, "extra": [1]});
    assert_eq!(
        merge(&base, &partial),
        json!({
            "base_url": "sandbox",
            "token": "north",
            "retry": {"attempts": 0, "backoff_ms": 10},
            "extra": [1],
        })
    );
    // Anything but two tables: the partial replaces.
    assert_eq!(merge(&json!([1, 2]), &json!([3])), json!([3]));
    assert_eq!(merge(&json!({"a": 1}), &json!("x")), json!("x"));
}

#[test]
fn without_routes_every_backend_that_serves_a_resource_serves_it() {
    let p = plan(SANDBOXES);
    assert_eq!(p.tenants.len(), 1);
    assert_eq!(p.tenants[0].name, "default");
    assert_eq!(p.tenants[0].keys, None);
    assert_eq!(
        route(&p, 0, Resource::Customers),
        [("bokamera", Scope::Top), ("department", Scope::Top)]
    );
    assert_eq!(
        route(&p, 0, Resource::CustomerGroups),
        [("vehizen", Scope::Top)]
    );
    assert_eq!(
        route(&p, 0, Resource::VehicleCategories),
        [("fleet_admin", Scope::Top)]
    );
}

#[test]
fn a_resource_no_backend_serves_has_no_route() {
    let p = plan("[backends.vehizen]\nbase_url = \"sandbox\"\n");
    assert_eq!(
        p.tenants[0].routes.keys().collect::<Vec<_>>(),
        [&Resource::CustomerGroups]
    );
}

#[test]
fn a_route_keeps_its_order_strictness_and_deadline() {
    let p = plan(&format!(
        "{SANDBOXES}[routes.customers]\nbackends = [\"department\", \"bokamera\"]\nstrict = true\ntimeout_ms = 250\n"
    ));
    let customers = &p.tenants[0].routes[&Resource::Customers];
    assert_eq!(
        customers,
        &PlannedRoute {
            backends: vec![("department", Scope::Top), ("bokamera", Scope::Top)],
            strict: true,
            timeout_ms: Some(250),
        }
    );
}

#[test]
fn a_tenant_overrides_only_what_it_names() {
    let p = plan(&format!(
        r#"{SANDBOXES}
[auth]
api_keys = ["top-key"]
[tenants.north]
api_keys = ["north-key"]
rate_limit = {{ requests_per_sec = 5.0, burst = 10 }}
[tenants.north.backends.department]
token = "north-token"
[tenants.north.routes.customers]
backends = ["department"]
[tenants.south]
api_keys = ["south-key"]
"#
    ));
    let names: Vec<&str> = p.tenants.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["default", "north", "south"]);
    let north = &p.tenants[1];
    assert_eq!(north.own.keys().collect::<Vec<_>>(), [&"department"]);
    assert_eq!(north.own["department"].section["token"], "north-token");
    assert_eq!(north.own["department"].section["base_url"], "sandbox");
    assert_eq!(north.rate_limit.as_ref().map(|r| r.burst), Some(10));
    assert_eq!(
        route(&p, 1, Resource::Customers),
        [("department", Scope::Tenant("north".into()))]
    );
    // The rest of north is the top level's, and south is all of it.
    assert_eq!(
        route(&p, 1, Resource::CustomerGroups),
        [("vehizen", Scope::Top)]
    );
    assert!(p.tenants[2].own.is_empty());
    assert_eq!(
        route(&p, 2, Resource::Customers),
        [("bokamera", Scope::Top), ("department", Scope::Top)]
    );
    assert_eq!(p.tenants[2].rate_limit, None);
}

#[test]
fn tenant_keys_leave_the_top_level_closed() {
    let p = plan("[tenants.north]\napi_keys = [\"k\"]\n");
    // No top-level key, but keys exist: the top level takes none.
    assert_eq!(p.tenants[0].keys, Some(Vec::new()));
    assert_eq!(p.tenants[1].keys, Some(vec![Secret::new("k")]));
}

#[test]
fn route_problems_are_named_by_key() {
    let found = problems(&format!(
        r#"{SANDBOXES}
[routes.customers]
backends = ["ghost", "vehizen"]
[routes.customer_groups]
backends = ["vehizen", "vehizen"]
timeout_ms = 0
"#
    ));
    assert_eq!(
        found,
        [
            "routes.customers.backends: `ghost` has no [backends.ghost] section",
            "routes.customers.backends: `vehizen` does not serve customers",
            "routes.customer_groups.timeout_ms: must be above 0",
            "routes.customer_groups.backends: exactly one backend serves customer_groups, not 2",
        ]
    );
}

#[test]
fn a_section_that_does_not_parse_is_named_once() {
    // bokamera without its api_key: named there, not again by the route.
    let found = problems(
        "[backends.bokamera]\nbase_url = \"sandbox\"\n[routes.customers]\nbackends = [\"bokamera\"]\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("backends.bokamera.api_key"),
        "{found:?}"
    );
}

#[test]
fn tenant_problems_are_named_under_the_tenant() {
    let found = problems(&format!(
        r#"{SANDBOXES}
[tenants.north]
[tenants.north.backends.ghost]
base_url = "sandbox"
[tenants.north.backends.vehizen]
timeout_ms = 0
"#
    ));
    assert_eq!(
        found,
        [
            "tenants.north.api_keys: a tenant needs at least one key",
            "tenants.north.backends.ghost: overrides nothing (no [backends.ghost] section)",
            "tenants.north.backends.vehizen.timeout_ms: must be above 0",
        ]
    );
}

#[test]
fn outbound_keys_are_checked_for_every_backend() {
    let found = problems(
        "[backends.vehizen]\nbase_url = \"ftp://x\"\n[backends.vehizen.faults]\nlatency_ms = 1\n",
    );
    assert!(
        found
            .iter()
            .any(|e| e.starts_with("backends.vehizen.base_url: ")),
        "{found:?}"
    );
    assert!(
        found.contains(
            &"backends.vehizen.faults: only a sandbox (base_url = \"sandbox\") injects faults"
                .to_string()
        ),
        "{found:?}"
    );
}

#[test]
fn unknown_vendors_name_the_known_ones() {
    let found = problems("[backends.acme]\nbase_url = \"sandbox\"\n");
    assert_eq!(
        found,
        ["backends.acme: unknown backend (known: vehizen, department, bokamera, fleet_admin)"]
    );
}

#[test]
fn problems_of_every_kind_come_together() {
    let found = problems(
        "[server]\nbody_limit_bytes = 0\n[logging]\nlevel = \"infoo\"\n[auth]\napi_keys = [\"\"]\n",
    );
    let keys: Vec<&str> = found
        .iter()
        .map(|e| e.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(
        keys,
        ["auth.api_keys", "logging.level", "server.body_limit_bytes"]
    );
}
