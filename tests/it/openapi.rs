//! Keeps `openapi/openapi.json` in step with the gateway.
//!
//! - The document is OpenAPI 3.1, every `$ref` resolves, every schema
//!   compiles (JSON Schema 2020-12), and its examples fit its schemas.
//! - It documents exactly the routes of the router (`api::ROUTES`).
//! - The real gateway on the default config (every backend a sandbox)
//!   answers every documented operation, with the documented examples and
//!   valid sandbox ids, with a documented 2xx status whose body fits the
//!   documented schema. Object schemas are closed for this check, so a
//!   member the gateway sends but the document lacks fails it.
//! - Problem bodies (400, 404, 405, 415, 401, 429, 431) fit the `Problem`
//!   schema, and every problem type of the code is documented.

use crate::common::{send, Gateway, Resp};
use crossdock::api::problem::PROBLEM_TYPES;
use crossdock::api::{OPENAPI_JSON, ROUTES};
use http::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const DOC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// Sandbox ids: the Vehizen simulator's customer group, any customer GUID,
/// categories of the fleet-admin simulator's seed (1 City Car: has an image
/// and descendants with vehicles; 3 Compact: a leaf with vehicle 22; 8 Nine
/// seats: a leaf without vehicles, so it can be deleted).
const GROUP_ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const CUSTOMER_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";

fn sandbox_path(method: &str, template: &str) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let id = match (method, template) {
        (_, t) if t.starts_with("/v1/customer-groups/") => GROUP_ID,
        (_, t) if t.starts_with("/v1/customers/") => CUSTOMER_ID,
        ("DELETE", "/v1/vehicle-categories/{id}") => "8",
        ("GET", "/v1/vehicle-categories/{id}/images") => "1",
        ("GET", "/v1/vehicle-categories/{id}/descendant-vehicles") => "1",
        (_, t) if t.starts_with("/v1/vehicle-categories/") => "3",
        _ => panic!("no sandbox id for {method} {template}: add one to sandbox_path"),
    };
    let path = template.replace("{id}", id);
    assert!(!path.contains('{'), "unfilled parameter in {template}");
    path
}

fn doc() -> Value {
    let text = std::fs::read_to_string(DOC_PATH).expect("openapi/openapi.json is readable");
    serde_json::from_str(&text).expect("openapi/openapi.json is JSON")
}

/// Follows a local `$ref` (`#/a/b`), with JSON Pointer escapes.
fn pointer<'a>(doc: &'a Value, r: &str) -> Option<&'a Value> {
    doc.pointer(r.strip_prefix('#')?)
}

/// `v`, or what its `$ref` chain points at.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => v = pointer(doc, r).unwrap_or_else(|| panic!("unresolved $ref {r}")),
            None => return v,
        }
    }
    panic!("$ref chain too long")
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|v| refs(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// (METHOD, path template, operation) of every documented operation.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (m, op) in item.as_object().expect("path item") {
            if METHODS.contains(&m.as_str()) {
                out.push((m.to_uppercase(), path.clone(), op));
            }
        }
    }
    out
}

/// Parameters of an operation: the path item's, then the operation's.
fn parameters<'a>(doc: &'a Value, path: &str, op: &'a Value) -> Vec<&'a Value> {
    let item = &doc["paths"][path];
    [&item["parameters"], &op["parameters"]]
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| resolve(doc, p))
        .collect()
}

/// Adds `additionalProperties: false` to every object schema that lists
/// `properties` and says nothing of others, so validation also catches
/// members the gateway sends but the document does not have.
fn close(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("properties") && !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".into(), Value::Bool(false));
            }
            m.values_mut().for_each(close);
        }
        Value::Array(a) => a.iter_mut().for_each(close),
        _ => {}
    }
}

/// A JSON Schema 2020-12 validator of `schema`, whose `#/components/...`
/// references resolve into the document's components.
struct Schemas {
    components: Value,
}

impl Schemas {
    fn new(doc: &Value, closed: bool) -> Self {
        let mut components = doc["components"].clone();
        if closed {
            close(&mut components["schemas"]);
        }
        Schemas { components }
    }

    fn validator(&self, schema: &Value) -> jsonschema::Validator {
        let root = json!({ "components": self.components, "allOf": [schema] });
        jsonschema::draft202012::new(&root)
            .unwrap_or_else(|e| panic!("schema does not compile ({e}): {schema}"))
    }

    fn errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[track_caller]
    fn assert_valid(&self, what: &str, schema: &Value, instance: &Value) {
        let errors = self.errors(schema, instance);
        assert!(
            errors.is_empty(),
            "{what} does not fit its documented schema:\n  {}\nbody: {instance}",
            errors.join("\n  ")
        );
    }
}

/// The documented schema of an answer: `(media type, schema)`, or `None`
/// when the response has no body.
fn response_schema<'a>(
    doc: &'a Value,
    op: &'a Value,
    status: u16,
) -> Option<Option<(&'a str, &'a Value)>> {
    let resp = resolve(doc, op["responses"].get(status.to_string())?);
    Some(
        resp.get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.iter().next())
            .map(|(mt, media)| (mt.as_str(), &media["schema"])),
    )
}

#[test]
fn the_document_is_openapi_3_1_and_every_ref_resolves() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert_eq!(
        OPENAPI_JSON,
        std::fs::read_to_string(DOC_PATH).unwrap(),
        "the binary serves the file"
    );

    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in &all {
        assert!(r.starts_with("#/"), "only local refs: {r}");
        assert!(pointer(&doc, r).is_some(), "$ref {r} does not resolve");
    }

    // Every component schema compiles as JSON Schema 2020-12.
    let schemas = Schemas::new(&doc, false);
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        schemas.validator(&json!({ "$ref": format!("#/components/schemas/{name}") }));
    }

    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let at = format!("{method} {path}");
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{at}: operationId"));
        assert!(
            ids.insert(id.to_string()),
            "{at}: operationId {id} repeated"
        );

        // Every `{param}` of the template is a declared path parameter.
        let params = parameters(&doc, &path, op);
        for seg in path.split('/').filter(|s| s.starts_with('{')) {
            let name = &seg[1..seg.len() - 1];
            assert!(
                params
                    .iter()
                    .any(|p| p["in"] == "path" && p["name"] == name && p["required"] == true),
                "{at}: path parameter {name} not declared"
            );
        }
        // Parameter examples fit their schemas.
        for p in &params {
            if let Some(ex) = p.get("example") {
                schemas.assert_valid(&format!("{at}: example of {}", p["name"]), &p["schema"], ex);
            }
        }

        // Statuses: explicit codes only, success first; every error is a
        // problem+json `Problem`.
        let responses = op["responses"].as_object().unwrap();
        assert!(
            responses.keys().any(|k| k.starts_with('2')),
            "{at}: no success"
        );
        for (code, resp) in responses {
            let status: u16 = code
                .parse()
                .unwrap_or_else(|_| panic!("{at}: response {code} is not a status code"));
            let resp = resolve(&doc, resp);
            assert!(
                resp["headers"]["x-request-id"].is_object(),
                "{at} {code}: x-request-id header not documented"
            );
            if status >= 400 {
                let schema = &resp["content"]["application/problem+json"]["schema"];
                assert_eq!(
                    schema["$ref"], "#/components/schemas/Problem",
                    "{at} {code}"
                );
            }
        }

        // Request body examples fit the body schema.
        if let Some(body) = op.get("requestBody") {
            let body = resolve(&doc, body);
            let media = &body["content"]["application/json"];
            let examples = media["examples"]
                .as_object()
                .expect("request body examples");
            assert!(!examples.is_empty(), "{at}: no request body example");
            for (name, ex) in examples {
                let ex = &resolve(&doc, ex)["value"];
                schemas.assert_valid(&format!("{at}: example {name}"), &media["schema"], ex);
            }
        }
    }
}

#[test]
fn the_document_has_exactly_the_routes_of_the_router() {
    let doc = doc();
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let routed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = routed.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&routed).collect();
    assert!(missing.is_empty(), "routes the document lacks: {missing:?}");
    assert!(extra.is_empty(), "documented but not routed: {extra:?}");
}

fn default_config() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/default.toml")).unwrap()
}

/// Percent-encodes a query value (unreserved characters kept).
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The query string of the documented parameter examples.
fn example_query(doc: &Value, path: &str, op: &Value) -> String {
    let mut pairs = Vec::new();
    for p in parameters(doc, path, op) {
        if p["in"] != "query" {
            continue;
        }
        let name = p["name"].as_str().unwrap();
        let ex = p
            .get("example")
            .unwrap_or_else(|| panic!("query parameter {name} of {path} has no example"));
        let values: Vec<&Value> = match ex {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        for v in values {
            let text = match v {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            pairs.push(format!("{name}={}", encode(&text)));
        }
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// Neither the router's 404 (no such route) nor its 405.
#[track_caller]
fn assert_routed(at: &str, r: &Resp) {
    assert_ne!(
        r.status.as_u16(),
        405,
        "{at}: the router does not take the method"
    );
    if r.status.as_u16() == 404 {
        let p: Value = serde_json::from_slice(&r.body).unwrap_or_default();
        assert_ne!(
            p["detail"], "no such route",
            "{at}: the router has no such route"
        );
    }
}

/// Checks an answer to `op` against the document: a documented status, the
/// documented media type, a body that fits the (closed) schema, and the
/// request id. Returns the status.
#[track_caller]
fn assert_documented(doc: &Value, schemas: &Schemas, at: &str, op: &Value, r: &Resp) -> u16 {
    let status = r.status.as_u16();
    let documented = response_schema(doc, op, status).unwrap_or_else(|| {
        panic!(
            "{at}: status {status} is not documented; body: {}",
            String::from_utf8_lossy(&r.body)
        )
    });
    let rid = r
        .headers
        .get("x-request-id")
        .unwrap_or_else(|| panic!("{at}: no x-request-id"));
    match documented {
        None => assert!(
            r.body.is_empty(),
            "{at}: {status} is documented without a body"
        ),
        Some((media_type, schema)) => {
            assert_eq!(r.content_type(), media_type, "{at}: {status}");
            let body = r.json();
            schemas.assert_valid(&format!("{at} ({status})"), schema, &body);
            if status >= 400 {
                assert_eq!(body["requestId"], rid.to_str().unwrap(), "{at}");
                assert_eq!(body["status"], status, "{at}");
            }
        }
    }
    status
}

#[tokio::test]
async fn the_sandbox_gateway_answers_every_documented_operation_as_documented() {
    let doc = doc();
    let schemas = Schemas::new(&doc, true);
    let gw = Gateway::start(&default_config()).await;
    let mut sent = 0;
    for (method, template, op) in operations(&doc) {
        let url = gw.url(&format!(
            "{}{}",
            sandbox_path(&method, &template),
            example_query(&doc, &template, op)
        ));
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        // One request per documented body example, else one without a body.
        let bodies: Vec<(String, Option<Vec<u8>>)> = match op.get("requestBody") {
            Some(b) => resolve(&doc, b)["content"]["application/json"]["examples"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(name, ex)| {
                    let v = &resolve(&doc, ex)["value"];
                    (name.clone(), Some(serde_json::to_vec(v).unwrap()))
                })
                .collect(),
            None => vec![(String::new(), None)],
        };
        for (example, body) in bodies {
            let at = format!("{method} {url} {example}");
            let headers: &[(&str, &str)] = match body {
                Some(_) => &[("content-type", "application/json")],
                None => &[],
            };
            let r = send(m.clone(), &url, headers, body).await;
            assert_routed(&at, &r);
            let status = assert_documented(&doc, &schemas, &at, op, &r);
            assert!(
                (200..300).contains(&status),
                "{at}: the sandbox should take the documented example; got {status}: {}",
                String::from_utf8_lossy(&r.body)
            );
            sent += 1;
        }
    }
    assert!(sent >= ROUTES.len());
    gw.running.shutdown().await;
}

/// The operation object of `method path` in the document.
fn op<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    let o = &doc["paths"][path][method.to_lowercase()];
    assert!(o.is_object(), "{method} {path} is not documented");
    o
}

#[tokio::test]
async fn real_answers_fit_their_documented_schemas() {
    let doc = doc();
    let schemas = Schemas::new(&doc, true);
    let gw = Gateway::start(&default_config()).await;
    let component = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });

    // The sandbox customer group.
    let path = format!("/v1/customer-groups/{GROUP_ID}");
    let r = gw.get(&path).await;
    let get_group = op(&doc, "GET", "/v1/customer-groups/{id}");
    assert_eq!(assert_documented(&doc, &schemas, &path, get_group, &r), 200);
    let body = r.json();
    schemas.assert_valid("customer group", &component("CustomerGroupEnvelope"), &body);
    assert!(!body["data"]["vehicles"].as_array().unwrap().is_empty());

    // The category tree, with nested children.
    let r = gw.get("/v1/vehicle-categories").await;
    let tree = op(&doc, "GET", "/v1/vehicle-categories");
    assert_eq!(assert_documented(&doc, &schemas, "tree", tree, &r), 200);
    let body = r.json();
    schemas.assert_valid("tree", &component("VehicleCategoryListEnvelope"), &body);
    assert!(body["data"][0]["children"].is_array());

    // A page of leaves.
    let r = gw
        .get("/v1/vehicle-categories/leaves?page=2&pageSize=2")
        .await;
    let leaves = op(&doc, "GET", "/v1/vehicle-categories/leaves");
    assert_eq!(assert_documented(&doc, &schemas, "leaves", leaves, &r), 200);
    let body = r.json();
    schemas.assert_valid("leaves", &component("VehicleCategoryPageEnvelope"), &body);
    assert_eq!(
        body["page"],
        json!({"number": 2, "size": 2, "hasMore": true})
    );

    // Problem bodies: handler 400s, a vendor 404, the router's own 404 and
    // 405, 415.
    let problem = component("Problem");
    let cases: [(&str, &str, &str, u16, Option<&str>); 7] = [
        (
            "GET",
            "/v1/customer-groups/not-a-guid",
            "/v1/customer-groups/{id}",
            400,
            None,
        ),
        (
            "GET",
            "/v1/vehicle-categories/0",
            "/v1/vehicle-categories/{id}",
            400,
            None,
        ),
        (
            "GET",
            "/v1/vehicle-categories/leaves?pageSize=501",
            "/v1/vehicle-categories/leaves",
            400,
            None,
        ),
        (
            "GET",
            "/v1/vehicle-categories/999",
            "/v1/vehicle-categories/{id}",
            404,
            None,
        ),
        (
            "PUT",
            "/v1/customers/3b241101-e2bb-4255-8caf-4136c566a962",
            "/v1/customers/{id}",
            415,
            Some("text/plain"),
        ),
        ("GET", "/v1/no-such-route", "", 404, None),
        ("DELETE", "/v1/customer-groups", "", 405, None),
    ];
    for (method, path, template, want, content_type) in cases {
        let headers: Vec<(&str, &str)> = content_type
            .map(|c| ("content-type", c))
            .into_iter()
            .collect();
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let r = send(m, &gw.url(path), &headers, Some(b"{}".to_vec())).await;
        let at = format!("{method} {path}");
        assert_eq!(
            r.status.as_u16(),
            want,
            "{at}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.content_type(), "application/problem+json", "{at}");
        schemas.assert_valid(&at, &problem, &r.json());
        if !template.is_empty() {
            assert_routed(&at, &r);
            assert_documented(&doc, &schemas, &at, op(&doc, method, template), &r);
        }
    }
    gw.running.shutdown().await;
}

#[tokio::test]
async fn the_document_needs_no_key_and_v1_answers_the_documented_401() {
    let doc = doc();
    let schemas = Schemas::new(&doc, true);
    let config = format!("{}\n[auth]\napi_keys = [\"test-key\"]\n", default_config());
    let gw = Gateway::start(&config).await;

    let r = gw.get("/openapi.json").await;
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.content_type(), "application/json");
    assert_eq!(r.json(), doc, "the served document is the file");
    assert!(r.headers.contains_key("x-request-id"));

    assert_eq!(
        doc["components"]["securitySchemes"]["ApiKey"]["name"],
        "x-api-key"
    );
    for (method, template, op) in operations(&doc) {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let r = send(m, &gw.url(&sandbox_path(&method, &template)), &[], None).await;
        let at = format!("{method} {template} without a key");
        if op["security"] == json!([]) {
            assert_eq!(r.status.as_u16(), 200, "{at}");
            continue;
        }
        assert_eq!(r.status.as_u16(), 401, "{at}");
        assert_documented(&doc, &schemas, &at, op, &r);
    }
    let r = send(
        Method::GET,
        &gw.url("/v1/vehicle-categories"),
        &[("x-api-key", "test-key")],
        None,
    )
    .await;
    assert_eq!(r.status.as_u16(), 200);
    gw.running.shutdown().await;
}

#[tokio::test]
async fn fan_out_and_unavailable_answers_fit_the_document() {
    let doc = doc();
    let schemas = Schemas::new(&doc, true);

    // Both customer backends: a 200 with `results`.
    let both = default_config().replace(
        "backends = [\"department\"]",
        "backends = [\"department\", \"bokamera\"]",
    );
    assert_ne!(
        both,
        default_config(),
        "the default config routes customers"
    );
    let gw = Gateway::start(&both).await;
    let path = "/v1/customers/3b241101-e2bb-4255-8caf-4136c566a962";
    let r = gw.put_json(path, &json!({"firstName": "Ada"})).await;
    let put = op(&doc, "PUT", "/v1/customers/{id}");
    assert_eq!(assert_documented(&doc, &schemas, "fan-out", put, &r), 200);
    assert_eq!(r.json()["results"].as_array().map(Vec::len), Some(2));
    gw.running.shutdown().await;

    // An open breaker: a 503 with Retry-After.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    let gw = Gateway::start(&format!(
        "[backends.vehizen]\nbase_url = \"http://{addr}\"\n[backends.vehizen.retry]\nattempts = 0\n[backends.vehizen.breaker]\nconsecutive_failures = 1\n"
    ))
    .await;
    let path = format!("/v1/customer-groups/{GROUP_ID}");
    let get = op(&doc, "GET", "/v1/customer-groups/{id}");
    assert_eq!(
        assert_documented(&doc, &schemas, "refused", get, &gw.get(&path).await),
        502
    );
    let r = gw.get(&path).await;
    assert_eq!(assert_documented(&doc, &schemas, "open", get, &r), 503);
    assert!(r.headers.get("retry-after").is_some());
    gw.running.shutdown().await;
}

/// `Problem.type` lists exactly the problem types of the code
/// (`api::problem::PROBLEM_TYPES`, which `ApiError::new` and a unit test
/// hold every constructed kind to), each with a description.
#[test]
fn every_problem_type_the_gateway_answers_is_documented() {
    let doc = doc();
    let ty = &doc["components"]["schemas"]["Problem"]["properties"]["type"];
    let documented: BTreeSet<String> = ty["oneOf"]
        .as_array()
        .expect("Problem.type is a oneOf of the problem types")
        .iter()
        .map(|t| {
            let urn = t["const"].as_str().expect("a const type").to_string();
            assert!(
                t["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{urn} has no description"
            );
            urn
        })
        .collect();
    let coded: BTreeSet<String> = PROBLEM_TYPES
        .iter()
        .map(|(k, _)| format!("urn:crossdock:problem:{k}"))
        .collect();
    let missing: Vec<_> = coded.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&coded).collect();
    assert!(
        missing.is_empty(),
        "problem types the document lacks: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "documented problem types never answered: {extra:?}"
    );
}

/// Where the layers' answers can occur: 400, 413, 431 and 504 on every
/// operation; 429 and 503 (with a required `Retry-After`) on every `/v1`
/// operation, whose answers all document the `RateLimit-*` headers; on
/// every write the `Idempotency-Key` header, 409 (in flight), 422 (reused)
/// and `Idempotent-Replayed` on every answer.
#[test]
fn layer_answers_headers_and_idempotency_are_documented_where_they_occur() {
    let doc = doc();
    for (method, path, op) in operations(&doc) {
        let at = format!("{method} {path}");
        let responses = op["responses"].as_object().unwrap();
        let has = |code: &str| responses.contains_key(code);
        for code in ["400", "413", "431", "504"] {
            assert!(has(code), "{at}: {code} not documented");
        }
        if !path.starts_with("/v1/") {
            continue;
        }
        for code in ["429", "503"] {
            assert!(has(code), "{at}: {code} not documented");
            let resp = resolve(&doc, &responses[code]);
            let retry = resolve(&doc, &resp["headers"]["Retry-After"]);
            assert_eq!(retry["required"], true, "{at} {code}: Retry-After");
        }
        let write = matches!(method.as_str(), "PUT" | "POST" | "DELETE");
        for (code, resp) in responses {
            let resp = resolve(&doc, resp);
            for h in ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] {
                let header = resolve(&doc, &resp["headers"][h]);
                assert!(header.is_object(), "{at} {code}: {h} not documented");
                assert_ne!(header["required"], true, "{at} {code}: {h} is optional");
            }
            if write {
                assert!(
                    resp["headers"]["Idempotent-Replayed"].is_object(),
                    "{at} {code}: Idempotent-Replayed not documented"
                );
            }
        }
        if write {
            for code in ["409", "422"] {
                assert!(has(code), "{at}: {code} not documented");
            }
            assert!(
                parameters(&doc, &path, op)
                    .iter()
                    .any(|p| p["in"] == "header" && p["name"] == "Idempotency-Key"),
                "{at}: Idempotency-Key not documented"
            );
        }
    }
}

/// Real rate-limited, replayed and too-large-head answers fit the
/// document: `RateLimit-*` on a limited key's answers, a replay with
/// `Idempotent-Replayed: true`, 429 with `Retry-After`, 431.
#[tokio::test]
async fn rate_limited_replayed_and_431_answers_fit_the_document() {
    let doc = doc();
    let schemas = Schemas::new(&doc, true);
    let config = format!(
        "{}\n[auth]\napi_keys = [\"k\"]\n[auth.rate_limit]\nrequests_per_sec = 0.01\nburst = 2\n",
        default_config()
    );
    let gw = Gateway::start(&config).await;
    let create = op(&doc, "POST", "/v1/customer-groups");
    let url = gw.url("/v1/customer-groups");
    let headers = [
        ("x-api-key", "k"),
        ("content-type", "application/json"),
        ("Idempotency-Key", "openapi-test-1"),
    ];
    let body = || Some(br#"{"name": "Idempotent group"}"#.to_vec());

    let first = send(Method::POST, &url, &headers, body()).await;
    assert_eq!(
        assert_documented(&doc, &schemas, "first", create, &first),
        201
    );
    for h in ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"] {
        assert!(first.headers.contains_key(h), "first: no {h}");
    }
    assert!(!first.headers.contains_key("idempotent-replayed"));

    let again = send(Method::POST, &url, &headers, body()).await;
    assert_eq!(assert_status_documented(create, &again), 201);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body, first.body, "the replay is the first answer");

    let limited = send(Method::POST, &url, &headers, body()).await;
    assert_eq!(
        assert_documented(&doc, &schemas, "limited", create, &limited),
        429
    );
    assert_eq!(limited.json()["type"], "urn:crossdock:problem:rate-limited");
    assert!(limited.headers.contains_key("retry-after"));
    assert!(limited.headers.contains_key("ratelimit-remaining"));

    // Any route: a head over `server.max_headers` (100 by default).
    let many: Vec<(String, String)> = (0..150).map(|i| (format!("x-h{i}"), "v".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let get = op(&doc, "GET", "/v1/vehicle-categories");
    let r = send(Method::GET, &gw.url("/v1/vehicle-categories"), &many, None).await;
    assert_eq!(assert_documented(&doc, &schemas, "431", get, &r), 431);
    gw.running.shutdown().await;
}

/// A replay is the first answer byte for byte (its `requestId` is the first
/// request's), so only its status and media type are checked here.
#[track_caller]
fn assert_status_documented(op: &Value, r: &Resp) -> u16 {
    let status = r.status.as_u16();
    assert!(
        op["responses"].get(status.to_string()).is_some(),
        "status {status} is not documented"
    );
    status
}
