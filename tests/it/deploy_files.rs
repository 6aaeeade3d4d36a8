//! Static checks of the deployment files against the code they deploy:
//! the Grafana dashboard and alert rules name only series that
//! `src/metrics.rs` defines; the Kubernetes manifests agree with each other,
//! with the admin routes, and with the gateway's own config check; the
//! Dockerfile copies what the build reads and exposes the manifests' ports.
//! (No container engine or cluster runs in CI, so these are the checks.)

use serde_json::Value as Json;
use serde_norway::Value as Yaml;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

// ---------------------------------------------------------------- metrics

/// A series that a later issue adds (the circuit breaker gauge); the
/// dashboard and alerts may name it before it exists.
const PENDING_SERIES: &[&str] = &["crossdock_backend_circuit_open"];

/// The series `src/metrics.rs` registers, with `_bucket`, `_count` and
/// `_sum` for histograms.
fn defined_series() -> BTreeSet<String> {
    let src = read("src/metrics.rs");
    let mut names = BTreeSet::new();
    let mut rest = src.as_str();
    while let Some(i) = rest.find("\"crossdock_") {
        let after = &rest[i + 1..];
        let end = after.find('"').expect("closed literal");
        let name = &after[..end];
        let histogram = rest[..i].trim_end().ends_with("HistogramOpts::new(");
        names.insert(name.to_string());
        if histogram {
            for s in ["_bucket", "_count", "_sum"] {
                names.insert(format!("{name}{s}"));
            }
        }
        rest = &after[end..];
    }
    assert!(
        names.len() >= 6,
        "found too few series in src/metrics.rs: {names:?}"
    );
    names
}

/// The `crossdock_*` series a PromQL expression names (outside quotes:
/// label values are not series).
fn series_in(expr: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut unquoted = String::new();
    let mut quote = None;
    for c in expr.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' || c == '`' => {
                quote = Some(c);
                unquoted.push(' ');
            }
            None => unquoted.push(c),
        }
    }
    for token in unquoted.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')) {
        if token.starts_with("crossdock_") {
            out.insert(token.to_string());
        }
    }
    out
}

fn check_exprs<'a>(what: &str, exprs: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let defined = defined_series();
    let mut used = BTreeSet::new();
    let mut n = 0;
    for expr in exprs {
        n += 1;
        let names = series_in(expr);
        let process = process_series_in(expr);
        for name in &process {
            assert!(
                PROCESS_SERIES.contains(&name.as_str()),
                "{what}: `{expr}` names {name}, which the process collector does not export"
            );
        }
        assert!(
            !names.is_empty() || !process.is_empty() || expr.contains("up{"),
            "{what}: `{expr}` names no crossdock series"
        );
        for name in names {
            assert!(
                defined.contains(&name) || PENDING_SERIES.contains(&name.as_str()),
                "{what}: `{expr}` names {name}, which src/metrics.rs does not define"
            );
            used.insert(name);
        }
    }
    assert!(n > 0, "{what}: no expressions found");
    used
}

/// What the prometheus crate's process collector exports (src/metrics.rs
/// registers it).
const PROCESS_SERIES: &[&str] = &[
    "process_cpu_seconds_total",
    "process_open_fds",
    "process_max_fds",
    "process_virtual_memory_bytes",
    "process_resident_memory_bytes",
    "process_start_time_seconds",
    "process_threads",
];

/// The `process_*` series an expression names.
fn process_series_in(expr: &str) -> BTreeSet<String> {
    expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| t.starts_with("process_"))
        .map(str::to_string)
        .collect()
}

#[test]
fn series_extraction_ignores_label_values() {
    let s = series_in(
        r#"sum by (le) (rate(crossdock_x_bucket{route="crossdock_not_a_series"}[5m])) / crossdock_y"#,
    );
    assert_eq!(
        s,
        BTreeSet::from(["crossdock_x_bucket".to_string(), "crossdock_y".to_string()])
    );
}

fn panels(dash: &Json) -> Vec<&Json> {
    let mut out = Vec::new();
    fn walk<'a>(list: &'a Json, out: &mut Vec<&'a Json>) {
        for p in list.as_array().into_iter().flatten() {
            out.push(p);
            walk(&p["panels"], out);
        }
    }
    walk(&dash["panels"], &mut out);
    out
}

#[test]
fn dashboard_names_only_defined_series_and_covers_them() {
    let dash: Json =
        serde_json::from_str(&read("deploy/grafana/crossdock.json")).expect("dashboard is JSON");
    for key in ["title", "uid", "schemaVersion", "panels", "templating"] {
        assert!(dash.get(key).is_some(), "dashboard has no {key}");
    }
    let inputs = dash["__inputs"].as_array().expect("__inputs");
    assert!(
        inputs
            .iter()
            .any(|i| i["name"] == "DS_PROMETHEUS" && i["pluginId"] == "prometheus"),
        "no DS_PROMETHEUS input"
    );
    let ds_ok = |ds: &Json| ds["uid"] == "${DS_PROMETHEUS}" && ds["type"] == "prometheus";
    let mut exprs = Vec::new();
    let mut ids = BTreeSet::new();
    let mut titles = Vec::new();
    for p in panels(&dash) {
        let title = p["title"].as_str().unwrap_or_default();
        assert!(
            ids.insert(p["id"].as_u64().expect("panel id")),
            "duplicate id"
        );
        assert!(p["gridPos"]["w"].as_u64().is_some(), "{title}: no gridPos");
        if p["type"] == "row" {
            continue;
        }
        titles.push(title.to_lowercase());
        assert!(
            ds_ok(&p["datasource"]),
            "{title}: datasource is not the input"
        );
        let targets = p["targets"].as_array().expect("targets");
        assert!(!targets.is_empty(), "{title}: no targets");
        for t in targets {
            assert!(ds_ok(&t["datasource"]), "{title}: target datasource");
            exprs.push(t["expr"].as_str().expect("expr").to_string());
        }
    }
    for v in dash["templating"]["list"].as_array().into_iter().flatten() {
        assert!(ds_ok(&v["datasource"]), "variable datasource");
        exprs.push(v["definition"].as_str().expect("definition").to_string());
    }
    let used = check_exprs("dashboard", exprs.iter().map(String::as_str));
    // Every series is on the dashboard (histograms through _bucket), and
    // so is the breaker gauge.
    for name in defined_series() {
        let bare = ["_bucket", "_count", "_sum"]
            .iter()
            .all(|s| !name.ends_with(s));
        let covered = used.contains(&name) || used.contains(&format!("{name}_bucket"));
        assert!(!bare || covered, "no panel shows {name}");
    }
    for p in PENDING_SERIES {
        assert!(used.contains(*p), "no panel shows {p}");
    }
    // The process itself: memory, CPU and file descriptors.
    let all = exprs.join("\n");
    for p in [
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "process_open_fds",
    ] {
        assert!(all.contains(p), "no panel shows {p}");
    }
    let quantiles: Vec<&String> = exprs
        .iter()
        .filter(|e| e.contains("histogram_quantile"))
        .collect();
    for q in ["0.5", "0.95", "0.99"] {
        for series in [
            "crossdock_http_request_duration_seconds_bucket",
            "crossdock_backend_request_duration_seconds_bucket",
        ] {
            assert!(
                quantiles
                    .iter()
                    .any(|e| e.contains(&format!("histogram_quantile({q},")) && e.contains(series)),
                "no p{q} panel over {series}"
            );
        }
    }
    for want in [
        "route",
        "4xx",
        "5xx",
        "backend",
        "latency",
        "in-flight",
        "translation",
        "breaker",
    ] {
        assert!(
            titles.iter().any(|t| t.contains(want)),
            "no panel titled with {want}: {titles:?}"
        );
    }
}

#[test]
fn alert_rules_name_only_defined_series() {
    let rules: Yaml =
        serde_norway::from_str(&read("deploy/prometheus/alerts.yml")).expect("alerts.yml is YAML");
    let mut exprs = Vec::new();
    let mut alerts = BTreeSet::new();
    for g in rules["groups"].as_sequence().expect("groups") {
        for r in g["rules"].as_sequence().expect("rules") {
            alerts.insert(r["alert"].as_str().expect("alert name").to_string());
            exprs.push(r["expr"].as_str().expect("expr").to_string());
        }
    }
    check_exprs("alerts.yml", exprs.iter().map(String::as_str));
    assert!(exprs
        .iter()
        .any(|e| e.contains("up{") && e.contains("== 0")));
    // No target at all is down too: `up == 0` alone has no series then.
    assert!(exprs
        .iter()
        .any(|e| e.contains("up{job=\"crossdock\"} == 0")
            && e.contains("absent(up{job=\"crossdock\"})")));
    assert!(exprs
        .iter()
        .any(|e| e.contains("crossdock_backend_circuit_open") && e.contains("== 1")));
    // The backend error ratio leaves the vendor's own verdicts out.
    assert!(exprs
        .iter()
        .any(|e| e.contains(r#"outcome!~"success|invalid|not_found|conflict""#)));
}

// ------------------------------------------------------------- kubernetes

/// The YAML documents of a file under deploy/k8s.
fn k8s_docs(file: &str) -> Vec<Yaml> {
    let path = repo().join("deploy/k8s").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_norway::Deserializer::from_str(&text)
        .map(|doc| Yaml::deserialize(doc).unwrap_or_else(|e| panic!("{file}: not YAML: {e}")))
        .filter(|doc| !doc.is_null())
        .collect()
}

/// The resources deploy/k8s/kustomization.yaml lists.
fn kustomization_resources() -> Vec<String> {
    let docs = k8s_docs("kustomization.yaml");
    assert_eq!(docs.len(), 1, "one Kustomization");
    let k = &docs[0];
    assert_eq!(k["kind"], "Kustomization");
    // Only what this renderer does: any other field (patches, images,
    // generators, ...) would make `kubectl kustomize` render something
    // else than these tests check.
    for key in k.as_mapping().expect("a mapping").keys() {
        let key = key.as_str().expect("string keys");
        assert!(
            ["apiVersion", "kind", "resources"].contains(&key),
            "kustomization.yaml: `{key}` is not rendered by tests/deploy_files.rs; teach k8s() first"
        );
    }
    k["resources"]
        .as_sequence()
        .expect("resources")
        .iter()
        .map(|r| r.as_str().expect("a file name").to_string())
        .collect()
}

/// What `kubectl kustomize deploy/k8s` renders (no kubectl in CI): the
/// documents of the kustomization's resources, by kind.
fn k8s() -> BTreeMap<String, Yaml> {
    let mut by_kind = BTreeMap::new();
    for file in kustomization_resources() {
        for doc in k8s_docs(&file) {
            let kind = doc["kind"].as_str().expect("kind").to_string();
            assert!(
                doc["metadata"].get("namespace").is_none(),
                "{kind}: manifests are namespace-less"
            );
            assert!(
                by_kind.insert(kind.clone(), doc).is_none(),
                "two {kind} documents"
            );
        }
    }
    by_kind
}

/// deploy/k8s/secret.yaml: the example Secret, with placeholder values. It
/// is not part of the kustomization.
fn example_secret() -> Yaml {
    let mut docs = k8s_docs("secret.yaml");
    assert_eq!(docs.len(), 1, "secret.yaml: one document");
    let secret = docs.remove(0);
    assert_eq!(secret["kind"], "Secret");
    assert_eq!(secret["apiVersion"], "v1");
    secret
}

use serde::Deserialize;

fn s<'a>(v: &'a Yaml, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what}: not a string: {v:?}"))
}

fn port_of_addr(addr: &str) -> u64 {
    addr.rsplit(':').next().unwrap().parse().expect("a port")
}

struct Pod<'a> {
    container: &'a Yaml,
    ports: BTreeMap<String, u64>,
    env: Vec<&'a Yaml>,
}

fn pod(deploy: &Yaml) -> Pod<'_> {
    let containers = deploy["spec"]["template"]["spec"]["containers"]
        .as_sequence()
        .expect("containers");
    assert_eq!(containers.len(), 1, "one container");
    let container = &containers[0];
    let ports = container["ports"]
        .as_sequence()
        .expect("ports")
        .iter()
        .map(|p| {
            (
                s(&p["name"], "port name").to_string(),
                p["containerPort"].as_u64().expect("containerPort"),
            )
        })
        .collect();
    let env = container["env"]
        .as_sequence()
        .expect("env")
        .iter()
        .collect();
    Pod {
        container,
        ports,
        env,
    }
}

impl Pod<'_> {
    /// A port given by number or by name.
    fn resolve(&self, port: &Yaml) -> u64 {
        port.as_u64().unwrap_or_else(|| {
            *self
                .ports
                .get(s(port, "port"))
                .unwrap_or_else(|| panic!("no container port named {port:?}"))
        })
    }

    fn env_value(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|e| e["name"] == name)
            .and_then(|e| e["value"].as_str())
    }
}

/// Admin routes the code serves.
fn admin_routes() -> BTreeSet<String> {
    let src = read("src/api/admin.rs");
    src.split(".route(\"")
        .skip(1)
        .map(|r| r.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn manifests_agree_with_each_other_and_the_admin_routes() {
    let m = k8s();
    for (kind, api) in [
        ("Deployment", "apps/v1"),
        ("ConfigMap", "v1"),
        ("Service", "v1"),
        ("HorizontalPodAutoscaler", "autoscaling/v2"),
        ("PodDisruptionBudget", "policy/v1"),
    ] {
        let doc = m.get(kind).unwrap_or_else(|| panic!("no {kind}"));
        assert_eq!(s(&doc["apiVersion"], kind), api, "{kind} apiVersion");
    }
    let deploy = &m["Deployment"];
    let spec = &deploy["spec"];
    assert_eq!(spec["replicas"].as_u64(), Some(2));
    let pod_labels = &spec["template"]["metadata"]["labels"];
    assert_eq!(&spec["selector"]["matchLabels"], pod_labels);
    let p = pod(deploy);
    let c = p.container;

    // Non-root, read-only root filesystem, resources.
    let pod_sc = &spec["template"]["spec"]["securityContext"];
    assert_eq!(pod_sc["runAsNonRoot"].as_bool(), Some(true));
    assert_ne!(pod_sc["runAsUser"].as_u64(), Some(0));
    assert!(pod_sc["runAsUser"].as_u64().is_some());
    assert_eq!(
        c["securityContext"]["readOnlyRootFilesystem"].as_bool(),
        Some(true)
    );
    assert_eq!(
        c["securityContext"]["allowPrivilegeEscalation"].as_bool(),
        Some(false)
    );
    for k in ["requests", "limits"] {
        for r in ["cpu", "memory"] {
            assert!(c["resources"][k][r].as_str().is_some(), "resources.{k}.{r}");
        }
    }

    // Listen addresses, container ports and the Service agree.
    let http = port_of_addr(
        p.env_value("CROSSDOCK__SERVER__LISTEN")
            .expect("server listen"),
    );
    let admin = port_of_addr(
        p.env_value("CROSSDOCK__ADMIN__LISTEN")
            .expect("admin listen"),
    );
    assert!(p
        .env_value("CROSSDOCK__SERVER__LISTEN")
        .unwrap()
        .starts_with("0.0.0.0:"));
    assert!(p
        .env_value("CROSSDOCK__ADMIN__LISTEN")
        .unwrap()
        .starts_with("0.0.0.0:"));
    assert_eq!((http, admin), (8080, 9090));
    assert_eq!(p.ports.get("http"), Some(&http));
    assert_eq!(p.ports.get("admin"), Some(&admin));
    let svc = &m["Service"];
    assert_eq!(&svc["spec"]["selector"], pod_labels);
    let svc_ports: BTreeMap<&str, (u64, u64)> = svc["spec"]["ports"]
        .as_sequence()
        .expect("service ports")
        .iter()
        .map(|sp| {
            (
                s(&sp["name"], "service port name"),
                (
                    sp["port"].as_u64().expect("port"),
                    p.resolve(&sp["targetPort"]),
                ),
            )
        })
        .collect();
    assert_eq!(svc_ports.get("http"), Some(&(8080, http)));
    // The admin listener is on no Service: Prometheus scrapes pods by
    // their annotations, and probes hit the pod.
    assert_eq!(
        svc_ports.len(),
        1,
        "only the API on the Service: {svc_ports:?}"
    );
    assert!(
        svc_ports
            .values()
            .all(|(port, target)| *port != admin && *target != admin),
        "the admin port is on the Service"
    );

    // Probes on the admin port, at routes the admin listener serves.
    let routes = admin_routes();
    for r in ["/healthz", "/readyz", "/metrics"] {
        assert!(
            routes.contains(r),
            "src/api/admin.rs serves no {r}: {routes:?}"
        );
    }
    for (probe, path) in [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")] {
        let get = &c[probe]["httpGet"];
        assert_eq!(s(&get["path"], probe), path, "{probe} path");
        assert_eq!(p.resolve(&get["port"]), admin, "{probe} port");
    }
    if let Some(get) = c.get("startupProbe").map(|sp| &sp["httpGet"]) {
        assert!(routes.contains(s(&get["path"], "startupProbe")));
        assert_eq!(p.resolve(&get["port"]), admin);
    }

    // Scrape annotations point at the admin listener's /metrics.
    let ann = &spec["template"]["metadata"]["annotations"];
    assert_eq!(s(&ann["prometheus.io/scrape"], "scrape"), "true");
    assert_eq!(s(&ann["prometheus.io/port"], "port"), admin.to_string());
    assert_eq!(s(&ann["prometheus.io/path"], "path"), "/metrics");

    // The config is the ConfigMap, mounted where the args point.
    let cm = &m["ConfigMap"];
    let cm_name = s(&cm["metadata"]["name"], "configmap name");
    let volumes = spec["template"]["spec"]["volumes"]
        .as_sequence()
        .expect("volumes");
    let vol = volumes
        .iter()
        .find(|v| v["configMap"]["name"] == cm_name)
        .expect("a volume from the ConfigMap");
    let mount = c["volumeMounts"]
        .as_sequence()
        .expect("volumeMounts")
        .iter()
        .find(|vm| vm["name"] == vol["name"])
        .expect("the config volume is mounted");
    assert_eq!(s(&mount["mountPath"], "mountPath"), "/app/config");
    let args: Vec<&str> = c["args"]
        .as_sequence()
        .expect("args")
        .iter()
        .map(|a| s(a, "arg"))
        .collect();
    let at = args
        .iter()
        .position(|a| *a == "--config")
        .expect("--config");
    let config_path = args[at + 1];
    let (dir, file) = config_path.rsplit_once('/').unwrap();
    assert_eq!(dir, "/app/config");
    assert!(cm["data"].get(file).is_some(), "ConfigMap has no {file}");

    // HPA and PDB select this Deployment.
    let hpa = &m["HorizontalPodAutoscaler"]["spec"];
    assert_eq!(hpa["scaleTargetRef"]["kind"], "Deployment");
    assert_eq!(hpa["scaleTargetRef"]["name"], deploy["metadata"]["name"]);
    assert!(hpa["minReplicas"].as_u64().unwrap() >= 2);
    assert!(hpa["metrics"]
        .as_sequence()
        .unwrap()
        .iter()
        .any(|mt| mt["resource"]["name"] == "cpu"));
    assert_eq!(
        &m["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"],
        pod_labels
    );
}

/// The Deployment's environment, with each secretKeyRef resolved from the
/// example Secret's placeholder `stringData`.
fn deployment_env(m: &BTreeMap<String, Yaml>) -> Vec<(String, String)> {
    let secret = &example_secret();
    let secret_name = s(&secret["metadata"]["name"], "secret name");
    let data = &secret["stringData"];
    pod(&m["Deployment"])
        .env
        .iter()
        .map(|e| {
            let name = s(&e["name"], "env name").to_string();
            let value = if let Some(v) = e.get("value") {
                s(v, &name).to_string()
            } else {
                let r = &e["valueFrom"]["secretKeyRef"];
                assert_eq!(s(&r["name"], &name), secret_name, "{name}: other Secret");
                let key = s(&r["key"], &name);
                s(
                    data.get(key)
                        .unwrap_or_else(|| panic!("{name}: Secret has no {key}")),
                    key,
                )
                .to_string()
            };
            (name, value)
        })
        .collect()
}

fn configmap_toml(m: &BTreeMap<String, Yaml>) -> PathBuf {
    let text = s(&m["ConfigMap"]["data"]["crossdock.toml"], "crossdock.toml");
    let p = std::env::temp_dir().join(format!(
        "crossdock-k8s-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn configmap_passes_the_gateway_config_check_with_the_deployment_env() {
    let m = k8s();
    let env = deployment_env(&m);
    let names: BTreeSet<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    for want in [
        "CROSSDOCK__SERVER__LISTEN",
        "CROSSDOCK__ADMIN__LISTEN",
        "CROSSDOCK__BACKENDS__DEPARTMENT__TOKEN",
        "CROSSDOCK__BACKENDS__DEPARTMENT__PASSWORD",
        "CROSSDOCK__AUTH__API_KEYS",
    ] {
        assert!(names.contains(want), "the Deployment does not set {want}");
    }
    // Secrets reach the pod only through the Secret.
    let deploy = pod(&m["Deployment"]);
    for e in &deploy.env {
        let n = s(&e["name"], "env");
        if ["TOKEN", "PASSWORD", "API_KEY", "USERNAME"]
            .iter()
            .any(|k| n.contains(k))
        {
            assert!(
                e.get("value").is_none(),
                "{n} is a literal, not a secretKeyRef"
            );
        }
    }
    // The BokaMera backend is on its own branch; when it lands, its key
    // must be wired in too (see the comments in deployment.yaml).
    if crossdock::backends::vendor("bokamera").is_some() {
        assert!(
            names.contains("CROSSDOCK__BACKENDS__BOKAMERA__API_KEY"),
            "bokamera is a known backend now: uncomment its env entry in deploy/k8s/deployment.yaml, \
             its key in secret.yaml, and add [backends.bokamera] to configmap.yaml"
        );
    }
    // Only CROSSDOCK__ variables are read; any other name would be ignored.
    for n in &names {
        assert!(n.starts_with("CROSSDOCK__"), "{n} is not a config key");
    }

    let path = configmap_toml(&m);
    let plan = crossdock::app::Plan::from_file(&path, env.clone());
    let plan = plan.unwrap_or_else(|e| panic!("the ConfigMap + Deployment env is invalid:\n{e}"));
    let c = plan.config();
    assert_eq!(c.server.listen.to_string(), "0.0.0.0:8080");
    assert_eq!(c.admin.listen.to_string(), "0.0.0.0:9090");
    assert_eq!(c.auth.api_keys.as_ref().map(Vec::len), Some(2));
    // Production-shaped: real vendor URLs, no sandbox.
    for (name, section) in &c.backends {
        let url = section["base_url"].as_str().unwrap_or_default();
        assert!(
            url.starts_with("http://"),
            "backends.{name}.base_url = {url}"
        );
    }
    // The printed effective config carries none of the placeholder secrets.
    let printed = plan.effective_toml().unwrap();
    for (k, v) in &env {
        if !k.ends_with("LISTEN") {
            for part in v.split(',') {
                assert!(!printed.contains(part), "{k} printed:\n{printed}");
            }
        }
    }

    // The check bites: a misspelled variable is refused, so every name
    // the Deployment sets is a real config key.
    let mut typo = env.clone();
    typo.push(("CROSSDOCK__BACKENDS__DEPARTMENT__TOKN".into(), "x".into()));
    let e = crossdock::app::Plan::from_file(&path, typo)
        .err()
        .expect("refused");
    assert!(e.to_string().contains("tokn"), "{e}");
    let _ = std::fs::remove_file(&path);
}

/// SIGTERM as the gateway handles it (README, Lifecycle): `/readyz` 503
/// at once, still accepting for `drain_delay_ms`, then up to
/// `drain_timeout_ms` for in-flight requests. The pod's grace period must
/// outlast both, or the kubelet's SIGKILL cuts the drain; the readiness
/// probe must see the 503 within the delay; and the Deployment relies on
/// the delay rather than a preStop hook (its comment says why).
#[test]
fn the_grace_period_outlasts_the_drain_delay_and_the_drain() {
    let m = k8s();
    let path = configmap_toml(&m);
    let plan = crossdock::app::Plan::from_file(&path, deployment_env(&m))
        .unwrap_or_else(|e| panic!("the ConfigMap + Deployment env is invalid:\n{e}"));
    let _ = std::fs::remove_file(&path);
    let server = &plan.config().server;
    let deploy = &m["Deployment"];
    let grace_ms = deploy["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        .as_u64()
        .expect("terminationGracePeriodSeconds")
        * 1000;
    let (delay, drain) = (server.drain_delay_ms, server.drain_timeout_ms);
    assert!(delay > 0, "a drain delay for the load balancer to notice");
    assert!(
        grace_ms > delay + drain,
        "terminationGracePeriodSeconds ({grace_ms} ms) <= drain_delay_ms ({delay}) + drain_timeout_ms ({drain})"
    );
    // A request accepted at the last moment may run to its deadline.
    assert!(drain >= server.request_timeout_ms);
    let c = pod(deploy).container;
    assert!(
        c.get("lifecycle").and_then(|l| l.get("preStop")).is_none(),
        "a preStop hook would add to the drain delay"
    );
    let probe = &c["readinessProbe"];
    let seen_ms = probe["periodSeconds"].as_u64().unwrap_or(10)
        * probe["failureThreshold"].as_u64().unwrap_or(3)
        * 1000;
    assert!(
        seen_ms <= delay,
        "the readiness probe sees the 503 after {seen_ms} ms, past the {delay} ms delay"
    );
}

#[test]
fn configmap_holds_no_secret() {
    let m = k8s();
    let text = s(&m["ConfigMap"]["data"]["crossdock.toml"], "crossdock.toml");
    let cfg: toml::Table = toml::from_str(text).expect("crossdock.toml is TOML");
    fn walk(path: &str, v: &toml::Value) {
        if let toml::Value::Table(t) = v {
            for (k, v) in t {
                let lk = k.to_lowercase();
                assert!(
                    !["token", "password", "secret", "key", "username"]
                        .iter()
                        .any(|s| lk.contains(s)),
                    "{path}.{k} belongs in the Secret"
                );
                walk(&format!("{path}.{k}"), v);
            }
        }
    }
    walk("", &toml::Value::Table(cfg));
}

/// `kubectl apply -k deploy/k8s` must not ship the placeholder Secret:
/// secret.yaml stays an example (the README says how to create the real
/// one), and every other manifest is in the kustomization.
#[test]
fn the_kustomization_leaves_the_example_secret_out_and_lists_every_manifest() {
    let resources = kustomization_resources();
    assert!(
        !resources.iter().any(|r| r == "secret.yaml"),
        "the placeholder secret.yaml is applied by the kustomization"
    );
    assert!(!k8s().contains_key("Secret"), "a Secret is rendered");
    let mut files: Vec<String> = std::fs::read_dir(repo().join("deploy/k8s"))
        .expect("deploy/k8s")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml"))
        .filter(|f| f != "kustomization.yaml" && f != "secret.yaml")
        .collect();
    files.sort();
    let mut listed = resources.clone();
    listed.sort();
    assert_eq!(files, listed, "every manifest but the example is applied");
    // The Deployment reads the Secret the example shows, and the README
    // says to create it.
    let secret = example_secret();
    let name = s(&secret["metadata"]["name"], "secret name");
    for e in &pod(&k8s()["Deployment"]).env {
        if let Some(r) = e.get("valueFrom").map(|v| &v["secretKeyRef"]) {
            assert_eq!(s(&r["name"], "secretKeyRef"), name);
        }
    }
    let readme = read("README.md") + &read("docs/operations.md");
    assert!(
        readme.contains("secret.yaml"),
        "the README names the example"
    );
    assert!(
        readme.contains(name),
        "the README says to create the Secret {name}"
    );
}

/// The rendered ConfigMap, with the Deployment's environment, passes the
/// binary's own `check-config` with no warning.
#[test]
fn the_rendered_config_passes_the_binarys_check_config_without_warnings() {
    let m = k8s();
    let path = configmap_toml(&m);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_crossdock"))
        .args(["check-config", "--config", path.to_str().unwrap()])
        .env_clear()
        .envs(deployment_env(&m))
        .output()
        .expect("the binary runs");
    let _ = std::fs::remove_file(&path);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
}

/// The image the Deployment runs is the one the README and the Dockerfile
/// build: `crossdock:<the crate's version>`.
#[test]
fn the_deployment_runs_the_image_the_readme_builds() {
    let want = format!("crossdock:{}", env!("CARGO_PKG_VERSION"));
    let image = s(&pod(&k8s()["Deployment"]).container["image"], "image").to_string();
    assert_eq!(image, want, "deployment.yaml's image");
    let mut builds = 0;
    for (file, text) in [
        ("README.md", read("README.md")),
        ("docs/operations.md", read("docs/operations.md")),
        ("Dockerfile", read("Dockerfile")),
    ] {
        for cmd in text.split("docker ").skip(1) {
            let cmd = cmd.split(['`', '\n']).next().unwrap_or_default();
            let words: Vec<&str> = cmd.split_whitespace().collect();
            match words.first().copied() {
                Some("build") => {
                    builds += 1;
                    let at = words
                        .iter()
                        .position(|w| *w == "-t")
                        .expect("docker build -t");
                    assert_eq!(words[at + 1], want, "{file}: docker {cmd}");
                }
                Some("run") => {
                    let last = words.iter().rev().find(|w| !w.starts_with('-')).unwrap();
                    let image = words
                        .iter()
                        .find(|w| w.starts_with("crossdock"))
                        .unwrap_or(last);
                    assert_eq!(*image, want, "{file}: docker {cmd}");
                }
                _ => {}
            }
        }
    }
    assert!(
        builds >= 3,
        "the README, the docs and the Dockerfile show the build"
    );
}

// ------------------------------------------------------------- Dockerfile

/// Instructions, with continuation lines joined and comments dropped.
fn dockerfile() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in read("Dockerfile").lines() {
        let t = line.trim();
        if t.starts_with('#') || (t.is_empty() && cur.is_empty()) {
            continue;
        }
        if let Some(head) = t.strip_suffix('\\') {
            cur.push_str(head);
            cur.push(' ');
            continue;
        }
        cur.push_str(t);
        let (op, rest) = cur.split_once(char::is_whitespace).unwrap_or((&cur, ""));
        out.push((op.to_uppercase(), rest.trim().to_string()));
        cur.clear();
    }
    out
}

#[test]
fn dockerfile_is_multi_stage_non_root_locked_and_copies_what_the_build_reads() {
    let ins = dockerfile();
    let froms: Vec<usize> = ins
        .iter()
        .enumerate()
        .filter(|(_, (op, _))| op == "FROM")
        .map(|(i, _)| i)
        .collect();
    assert!(froms.len() >= 2, "multi-stage");
    let last = *froms.last().unwrap();
    let build: Vec<&(String, String)> = ins[froms[0]..last].iter().collect();
    let runtime: Vec<&(String, String)> = ins[last..].iter().collect();
    let get = |stage: &[&(String, String)], op: &str| -> Vec<String> {
        stage
            .iter()
            .filter(|(o, _)| o == op)
            .map(|(_, a)| a.clone())
            .collect()
    };

    // The build: --locked release build of the binary.
    let runs = get(&build, "RUN");
    assert!(
        runs.iter().any(|r| r.contains("cargo build")
            && r.contains("--locked")
            && r.contains("--release")),
        "no `cargo build --release --locked`: {runs:?}"
    );

    // Runtime: non-root USER, HEALTHCHECK on the admin listener.
    let user = get(&runtime, "USER");
    let user = user.last().expect("USER in the final stage");
    let uid = user.split(':').next().unwrap();
    assert!(uid != "root" && uid != "0", "USER {user} is root");
    let hc = get(&runtime, "HEALTHCHECK");
    let hc = hc.first().expect("HEALTHCHECK");
    let envs = get(&runtime, "ENV").join(" ");
    let admin = envs
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("CROSSDOCK__ADMIN__LISTEN="))
        .expect("ENV CROSSDOCK__ADMIN__LISTEN");
    assert!(
        hc.contains(&format!(":{}/healthz", port_of_addr(admin))),
        "HEALTHCHECK is not the admin /healthz: {hc}"
    );
    assert!(admin_routes().contains("/healthz"));

    // EXPOSE matches the Kubernetes container ports.
    let exposed: BTreeSet<u64> = get(&runtime, "EXPOSE")
        .iter()
        .flat_map(|e| {
            e.split_whitespace()
                .map(|p| p.parse::<u64>().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    let k8s_ports: BTreeSet<u64> = pod(&k8s()["Deployment"]).ports.values().copied().collect();
    assert_eq!(exposed, k8s_ports);

    // Every COPY source from the context exists, and the build stage
    // copies every file the build reads.
    let mut copied = Vec::new();
    for (i, (op, args)) in ins.iter().enumerate() {
        if op != "COPY" || args.starts_with("--from") {
            continue;
        }
        let parts: Vec<&str> = args
            .split_whitespace()
            .filter(|a| !a.starts_with("--"))
            .collect();
        for src in &parts[..parts.len() - 1] {
            assert!(repo().join(src).exists(), "COPY {src}: not in the repo");
            if i < last {
                copied.push(src.trim_end_matches('/').to_string());
            }
        }
    }
    let is_copied = |rel: &str| {
        copied
            .iter()
            .any(|c| rel == c || rel.starts_with(&format!("{c}/")))
    };
    for f in ["Cargo.toml", "Cargo.lock", "src"] {
        assert!(is_copied(f), "the build stage does not copy {f}");
    }
    // Targets Cargo.toml declares (a missing one fails `cargo build`).
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    for section in ["bin", "bench", "example", "test"] {
        for t in manifest
            .get(section)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let path = match t.get("path").and_then(|p| p.as_str()) {
                Some(p) => p.to_string(),
                None => {
                    let dir = if section == "bin" {
                        "src/bin"
                    } else {
                        &format!("{section}es")
                    };
                    format!("{dir}/{}.rs", t["name"].as_str().unwrap())
                }
            };
            assert!(is_copied(&path), "[[{section}]] {path} is not copied");
        }
    }
    // Files compiled in with include_str!/include_bytes!.
    let mut stack = vec![repo().join("src")];
    let mut includes = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            for mac in ["include_str!(\"", "include_bytes!(\""] {
                for piece in text.split(mac).skip(1) {
                    let rel = piece.split('"').next().unwrap();
                    let target = p.parent().unwrap().join(rel);
                    let target = std::fs::canonicalize(&target)
                        .unwrap_or_else(|e| panic!("{}: {rel}: {e}", p.display()));
                    let root = std::fs::canonicalize(repo()).unwrap();
                    let inside = target
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    assert!(
                        is_copied(&inside),
                        "{} includes {inside}, which the Dockerfile does not copy",
                        p.display()
                    );
                    includes += 1;
                }
            }
        }
    }
    assert!(
        includes > 0,
        "expected the simulators' include_str! fixtures"
    );
}
