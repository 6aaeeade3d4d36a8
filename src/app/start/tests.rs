use super::*;
use crate::app::plan::tests::plan;
use crate::config::Resource;

const TENANTS: &str = r#"
[backends.vehizen]
base_url = "sandbox"
[backends.department]
base_url = "sandbox"
token = "top-token"
[auth]
api_keys = ["top-key"]
[auth.rate_limit]
requests_per_sec = 1.0
burst = 2
[tenants.north]
api_keys = ["north-key"]
[tenants.north.backends.department]
token = "north-token"
"#;

fn backend_of(state: &AppState, r: Resource) -> Arc<dyn crate::backends::Backend> {
    state.routes[&r].targets[0].backend.clone()
}

#[tokio::test]
async fn one_state_per_tenant_with_its_routes_and_keys() {
    let states = plan(TENANTS).start().await.unwrap();
    let tenants: Vec<&str> = states.iter().map(|s| &*s.tenant).collect();
    assert_eq!(tenants, ["default", "north"]);
    for s in &states {
        let routed: Vec<&Resource> = s.routes.keys().collect();
        assert_eq!(routed, [&Resource::Customers, &Resource::CustomerGroups]);
        assert!(s.rate_limiter.is_some(), "{} inherits the limit", s.tenant);
    }
    assert_eq!(
        states[1].api_keys,
        Some(vec![crate::config::Secret::new("north-key")])
    );
    // north shares the top level's vehizen, and has its own department.
    assert!(Arc::ptr_eq(
        &backend_of(&states[0], Resource::CustomerGroups),
        &backend_of(&states[1], Resource::CustomerGroups)
    ));
    assert!(!Arc::ptr_eq(
        &backend_of(&states[0], Resource::Customers),
        &backend_of(&states[1], Resource::Customers)
    ));
    // One store and one set of wrong-key buckets for every tenant.
    assert!(Arc::ptr_eq(
        &states[0].idempotency.store,
        &states[1].idempotency.store
    ));
    assert!(Arc::ptr_eq(&states[0].failed_keys, &states[1].failed_keys));
}

#[tokio::test]
async fn a_second_start_keeps_what_did_not_change() {
    let metrics = Metrics::new();
    let mut sandboxes = Sandboxes::new();
    let mut kept = Kept::default();
    let first = plan(TENANTS)
        .start_with(metrics.clone(), &mut sandboxes, &mut kept)
        .await
        .unwrap();
    assert_eq!(sandboxes.len(), 2, "one simulator per vendor");
    let changed = TENANTS.replace("token = \"north-token\"", "token = \"north-token-2\"");
    let second = plan(&changed)
        .start_with(metrics, &mut sandboxes, &mut kept)
        .await
        .unwrap();
    assert_eq!(sandboxes.len(), 2, "simulators are kept");
    // Unchanged: the top level's backends, the limiter, the store.
    for r in [Resource::Customers, Resource::CustomerGroups] {
        assert!(Arc::ptr_eq(
            &backend_of(&first[0], r),
            &backend_of(&second[0], r)
        ));
    }
    let limiter = |s: &AppState| s.rate_limiter.clone().expect("a limit is set");
    assert!(Arc::ptr_eq(&limiter(&first[0]), &limiter(&second[0])));
    assert!(Arc::ptr_eq(
        &first[0].idempotency.store,
        &second[0].idempotency.store
    ));
    // Changed: north's own department is built anew.
    assert!(!Arc::ptr_eq(
        &backend_of(&first[1], Resource::Customers),
        &backend_of(&second[1], Resource::Customers)
    ));
}
