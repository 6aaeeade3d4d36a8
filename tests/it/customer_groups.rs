//! `/v1/customer-groups` end to end: the real gateway, real HTTP vendors on
//! loopback (the built-in simulator, or a scripted vendor serving the docs'
//! samples byte for byte).

use crate::common;

use crate::common::scripted::{resetting_vendor, Answer, Scripted};
use crate::common::{send, Gateway, GatewayConfig};
use crossdock::backends::vehizen::sim::Simulator;
use http::Method;
use serde_json::{json, Value};
use std::time::Duration;

const SAMPLE_ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const GET_XML: &str = include_str!("../fixtures/vehizen/get.xml");
const GET_JSON: &str = include_str!("../fixtures/vehizen/get.json");
const RESPONSE_XML: &str = include_str!("../fixtures/vehizen/response.xml");
const RESPONSE_JSON: &str = include_str!("../fixtures/vehizen/response.json");

fn config(base_url: &str, format: &str, extra: &str) -> String {
    GatewayConfig::new()
        .backend("vehizen", base_url)
        .set("format", format)
        .set("timeout_ms", 500)
        .route("customer_groups", &["vehizen"])
        .lines(extra)
        .build()
}

/// The element sequence of an XML text: (depth, namespace, local name,
/// attributes, text), whitespace-only text between elements left out.
fn xml_events(text: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    let mut r = quick_xml::NsReader::from_reader(text);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        let ev = r.read_resolved_event_into(&mut buf).unwrap();
        match ev {
            (ns, Event::Start(e)) | (ns, Event::Empty(e)) => {
                let ns = match ns {
                    ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
                    _ => String::new(),
                };
                let mut attrs: Vec<String> = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        format!(
                            "{}={}",
                            String::from_utf8_lossy(a.key.as_ref()),
                            String::from_utf8_lossy(&a.value)
                        )
                    })
                    .collect();
                attrs.sort();
                out.push(format!(
                    "<{ns}|{}|{}>",
                    String::from_utf8_lossy(e.local_name().as_ref()),
                    attrs.join(",")
                ));
            }
            (_, Event::End(_)) => out.push("</>".into()),
            (_, Event::Text(t)) => {
                let t = t.decode().unwrap();
                if !t.trim().is_empty() {
                    push_text(&mut out, &t);
                }
            }
            (_, Event::GeneralRef(r)) => {
                let name = r.decode().unwrap();
                let ch = match name.as_ref() {
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "amp" => "&".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    _ => r.resolve_char_ref().unwrap().unwrap().to_string(),
                };
                push_text(&mut out, &ch);
            }
            (_, Event::Eof) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// Text arrives in pieces around entity references: join them.
fn push_text(out: &mut Vec<String>, t: &str) {
    match out.last_mut() {
        Some(last) if last.starts_with('"') => {
            last.pop();
            last.push_str(t);
            last.push('"');
        }
        _ => out.push(format!("\"{t}\"")),
    }
}

/// `<a/>` and `<a></a>` are the same to a reader: fold the pair.
fn normalize_empty(events: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in events {
        if e == "</>"
            && out
                .last()
                .is_some_and(|l| l.starts_with('<') && !l.ends_with("/>"))
        {
            let last = out.pop().unwrap();
            out.push(format!("{last}/>"));
        } else {
            out.push(e);
        }
    }
    out
}

#[tokio::test]
async fn xml_round_trip_sends_back_exactly_what_was_served() {
    let vendor = Scripted::new([Answer::xml(200, GET_XML), Answer::xml(200, RESPONSE_XML)]);
    let gw = Gateway::start(&config(&vendor.start().await, "xml", "")).await;
    let got = gw.get(&format!("/v1/customer-groups/{SAMPLE_ID}")).await;
    assert_eq!(got.status, 200, "{:?}", got.body);
    let data = got.json()["data"].clone();
    assert_eq!(data["id"], SAMPLE_ID);
    let put = gw
        .put_json(&format!("/v1/customer-groups/{SAMPLE_ID}"), &data)
        .await;
    assert_eq!(put.status, 200, "{:?}", put.body);
    assert_eq!(put.json()["warnings"], json!([]));
    let sent = &vendor.received()[1];
    assert_eq!(sent.method, Method::PUT);
    assert_eq!(sent.path, "/api/v2/CustomerGroup");
    assert_eq!(
        normalize_empty(xml_events(&sent.body)),
        normalize_empty(xml_events(GET_XML.as_bytes())),
        "the vendor must receive the element sequence, namespaces and text it served"
    );
}

#[tokio::test]
async fn json_round_trip_sends_back_exactly_what_was_served() {
    let vendor = Scripted::new([
        Answer::json(200, GET_JSON),
        Answer::json(200, RESPONSE_JSON),
    ]);
    let gw = Gateway::start(&config(&vendor.start().await, "json", "")).await;
    let got = gw.get(&format!("/v1/customer-groups/{SAMPLE_ID}")).await;
    assert_eq!(got.status, 200);
    let data = got.json()["data"].clone();
    let put = gw
        .put_json(
            &format!("/v1/customer-groups/{SAMPLE_ID}"),
            &json!({ "data": data }),
        )
        .await;
    assert_eq!(put.status, 200, "{:?}", put.body);
    let sent: Value = serde_json::from_slice(&vendor.received()[1].body).unwrap();
    let served: Value = serde_json::from_str(GET_JSON).unwrap();
    assert_eq!(sent, served);
}

#[tokio::test]
async fn both_formats_give_the_same_unified_group() {
    let x = Scripted::new([Answer::xml(200, GET_XML)]);
    let j = Scripted::new([Answer::json(200, GET_JSON)]);
    let gx = Gateway::start(&config(&x.start().await, "xml", "")).await;
    let gj = Gateway::start(&config(&j.start().await, "json", "")).await;
    let path = format!("/v1/customer-groups/{SAMPLE_ID}");
    let mut a = gx.get(&path).await.json()["data"].clone();
    let mut b = gj.get(&path).await.json()["data"].clone();
    // FullName and Utility exist only in JSON.
    for v in b["vehicles"].as_array_mut().unwrap() {
        let o = v.as_object_mut().unwrap();
        assert_eq!(
            o.remove("fullName"),
            Some(json!("sample string 16 (sample string 15)"))
        );
        assert_eq!(o.remove("utility"), Some(json!("Porteur")));
    }
    assert_eq!(a["vehicles"][0]["cameraType"], "WITHOUT_CAMERA");
    assert_eq!(
        a["vehicles"][0]["odometer"],
        json!({"km": 12, "reportedAt": "2026-01-18T19:47:42.416748+00:00"})
    );
    a.as_object_mut().unwrap();
    assert_eq!(a, b);
}

#[tokio::test]
async fn sandbox_is_stateful_in_both_formats() {
    for format in ["xml", "json"] {
        let gw = Gateway::start(&config("sandbox", format, "")).await;
        let path = format!("/v1/customer-groups/{SAMPLE_ID}");
        let mut data = gw.get(&path).await.json()["data"].clone();
        data["name"] = json!("Renamed <&> group");
        let put = gw.put_json(&path, &data).await;
        assert_eq!(put.status, 200, "{format}: {:?}", put.body);
        let again = gw.get(&path).await.json()["data"].clone();
        assert_eq!(again["name"], "Renamed <&> group", "{format}");
        assert_eq!(again, data, "{format}");

        // Create: the backend assigns the id; the new group can be read.
        let mut fresh = data.clone();
        fresh.as_object_mut().unwrap().remove("id");
        fresh["name"] = json!("New group");
        let created = gw
            .send_json(Method::POST, "/v1/customer-groups", &fresh)
            .await;
        assert_eq!(created.status, 201, "{format}: {:?}", created.body);
        let id = created.json()["data"]["id"].as_str().unwrap().to_string();
        assert_ne!(id, SAMPLE_ID);
        let read = gw.get(&format!("/v1/customer-groups/{id}")).await;
        assert_eq!(read.status, 200);
        assert_eq!(read.json()["data"]["name"], "New group");
    }
}

#[tokio::test]
async fn vendor_validation_error_is_422_with_its_errors() {
    for format in ["xml", "json"] {
        let gw = Gateway::start(&config("sandbox", format, "")).await;
        let path = format!("/v1/customer-groups/{SAMPLE_ID}");
        let r = gw.put_json(&path, &json!({"name": ""})).await;
        let p = r.assert_problem(422);
        assert_eq!(p["backend"], "vehizen");
        assert_eq!(p["errors"][0]["message"], "Name is required");
    }
}

#[tokio::test]
async fn vendor_invalid_response_dto_from_the_docs_is_422() {
    let invalid = RESPONSE_XML.replace("<IsValid>true</IsValid>", "<IsValid>false</IsValid>");
    let vendor = Scripted::new([Answer::xml(200, invalid)]);
    let gw = Gateway::start(&config(&vendor.start().await, "xml", "")).await;
    let r = gw
        .put_json(
            &format!("/v1/customer-groups/{SAMPLE_ID}"),
            &json!({"name": "x"}),
        )
        .await;
    let p = r.assert_problem(422);
    assert_eq!(
        p["errors"],
        json!([
            {"code": "vendor_error", "message": "sample string 1"},
            {"code": "vendor_error", "message": "sample string 2"}
        ])
    );
}

#[tokio::test]
async fn vendor_failures_map_to_the_status_table() {
    let html = "<!DOCTYPE html><html><body><h1>Server Error</h1></body></html>";
    let dtd = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><CustomerGroupDto xmlns="http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup"><Name>&lol2;</Name></CustomerGroupDto>"#;
    let cases: Vec<(Answer, u16)> = vec![
        (
            Answer::Body(404, "application/json", r#"{"Message":"not found"}"#.into()),
            404,
        ),
        (Answer::Body(500, "text/html", html.into()), 502),
        (Answer::Body(200, "text/html", html.into()), 502),
        (Answer::Body(401, "application/json", "{}".into()), 502),
        (Answer::Body(403, "application/json", "{}".into()), 502),
        (Answer::Body(503, "text/plain", "busy".into()), 502),
        (Answer::xml(200, dtd), 502),
        (Answer::xml(200, "<CustomerGroupDto><Name>unclosed"), 502),
        (Answer::json(200, "{\"Id\": "), 502),
        (
            Answer::Slow(
                Duration::from_millis(1500),
                "application/xml",
                GET_XML.into(),
            ),
            504,
        ),
    ];
    for (answer, want) in cases {
        // The same answer to every attempt: idempotent reads are retried.
        let vendor = Scripted::new([answer.clone(), answer.clone(), answer]);
        let gw = Gateway::start(&config(&vendor.start().await, "xml", "")).await;
        let r = gw.get(&format!("/v1/customer-groups/{SAMPLE_ID}")).await;
        let p = r.assert_problem(want);
        assert_eq!(p["backend"], "vehizen");
        // The vendor's body is never echoed.
        assert!(!String::from_utf8_lossy(&r.body).contains("Server Error"));
        assert!(!String::from_utf8_lossy(&r.body).contains("lol"));
    }
}

#[tokio::test]
async fn connection_reset_and_refused_are_502() {
    let gw = Gateway::start(&config(&resetting_vendor().await, "xml", "")).await;
    gw.get(&format!("/v1/customer-groups/{SAMPLE_ID}"))
        .await
        .assert_problem(502);
    // A port nobody listens on.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    let gw = Gateway::start(&config(&format!("http://{addr}"), "xml", "")).await;
    gw.get(&format!("/v1/customer-groups/{SAMPLE_ID}"))
        .await
        .assert_problem(502);
}

#[tokio::test]
async fn bad_requests_are_refused_before_the_vendor_is_called() {
    let vendor = Scripted::new([]);
    let gw = Gateway::start(&config(&vendor.start().await, "xml", "")).await;
    let path = gw.url(&format!("/v1/customer-groups/{SAMPLE_ID}"));
    let json = [("content-type", "application/json")];
    type Case<'a> = (&'a [(&'a str, &'a str)], Vec<u8>, u16);
    let cases: Vec<Case> = vec![
        (&json, b"{\"name\": ".to_vec(), 400),
        (&json, b"{\"name\": \"\xff\xfe\"}".to_vec(), 400),
        (
            &json,
            format!("{}1{}", "[".repeat(100), "]".repeat(100)).into_bytes(),
            400,
        ),
        (&json, br#"{"customerId": "not-a-guid"}"#.to_vec(), 400),
        (
            &json,
            br#"{"id": "00000000-0000-0000-0000-000000000000"}"#.to_vec(),
            400,
        ),
        (&[], b"{}".to_vec(), 415),
        (&[("content-type", "text/plain")], b"{}".to_vec(), 415),
        (&json, vec![b' '; 2 * 1024 * 1024], 413),
    ];
    for (headers, body, want) in cases {
        let r = send(Method::PUT, &path, headers, Some(body)).await;
        r.assert_problem(want);
    }
    gw.get("/v1/customer-groups/not-a-guid")
        .await
        .assert_problem(400);
    assert!(vendor.received().is_empty(), "nothing may reach the vendor");
}

#[tokio::test]
async fn router_errors_are_problems_and_request_ids_flow_through() {
    let vendor = Scripted::new([Answer::xml(200, GET_XML)]);
    let gw = Gateway::start(&config(&vendor.start().await, "xml", "")).await;
    gw.get("/v1/nothing-here").await.assert_problem(404);
    send(Method::DELETE, &gw.url("/v1/customer-groups"), &[], None)
        .await
        .assert_problem(405);
    let r = send(
        Method::GET,
        &gw.url(&format!("/v1/customer-groups/{SAMPLE_ID}")),
        &[("x-request-id", "trace-me-123")],
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["x-request-id"], "trace-me-123");
    assert_eq!(vendor.received()[0].headers["x-request-id"], "trace-me-123");
    // A new id when none is given.
    let r = gw.get("/v1/nothing-here").await;
    let id = r.headers["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok());
}

#[tokio::test]
async fn unstorable_fields_warn_or_are_refused_in_strict_mode() {
    let path = format!("/v1/customer-groups/{SAMPLE_ID}");
    let body = json!({"name": "x", "vehicles": [{"id": "97f5a8be-6361-4d52-be22-6671cd96888e", "fullName": "F", "year": 2020}]});
    let gw = Gateway::start(&config("sandbox", "xml", "")).await;
    let r = gw.put_json(&path, &body).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let fields: Vec<Value> = r.json()["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["field"].clone())
        .collect();
    assert!(
        fields.contains(&json!("vehicles[0].fullName")),
        "{fields:?}"
    );
    assert!(fields.contains(&json!("vehicles[0].year")), "{fields:?}");

    let vendor = Scripted::new([]);
    let gw = Gateway::start(&config(&vendor.start().await, "xml", "strict = true")).await;
    let p = gw.put_json(&path, &body).await.assert_problem(422);
    assert_eq!(p["errors"].as_array().unwrap().len(), 2, "{p}");
    assert!(vendor.received().is_empty());
}

#[tokio::test]
async fn metrics_use_route_templates() {
    let gw = Gateway::start(&config("sandbox", "xml", "")).await;
    gw.get(&format!("/v1/customer-groups/{SAMPLE_ID}")).await;
    gw.get("/v1/customer-groups/00000000-0000-0000-0000-000000000001")
        .await;
    let m = gw.metrics().await;
    assert!(m.contains(r#"crossdock_http_requests_total{method="GET",route="/v1/customer-groups/{id}",status="200"} 1"#), "{m}");
    assert!(m.contains(r#"crossdock_http_requests_total{method="GET",route="/v1/customer-groups/{id}",status="404"} 1"#), "{m}");
    assert!(m.contains(r#"crossdock_backend_requests_total{backend="vehizen",operation="get_customer_group",outcome="success"} 1"#), "{m}");
    assert!(m.contains("crossdock_http_requests_in_flight"));
    assert!(!m.contains(SAMPLE_ID));
    let health = send(Method::GET, &gw.admin_url("/healthz"), &[], None).await;
    assert_eq!(health.status, 200);
    let ready = send(Method::GET, &gw.admin_url("/readyz"), &[], None).await;
    assert_eq!(ready.status, 200);
}

#[tokio::test]
async fn api_keys_are_required_when_configured() {
    let gw = Gateway::start(&config(
        "sandbox",
        "xml",
        "[auth]\napi_keys = [\"k-one\", \"k-two\"]",
    ))
    .await;
    let url = gw.url(&format!("/v1/customer-groups/{SAMPLE_ID}"));
    send(Method::GET, &url, &[], None).await.assert_problem(401);
    send(Method::GET, &url, &[("x-api-key", "nope")], None)
        .await
        .assert_problem(401);
    let r = send(Method::GET, &url, &[("x-api-key", "k-two")], None).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn the_simulator_speaks_both_formats_over_http() {
    let sim = Simulator::seeded();
    let addr = common::serve(sim.router()).await;
    let url = format!("http://{addr}/api/v2/CustomerGroup/{SAMPLE_ID}");
    let x = send(Method::GET, &url, &[("accept", "application/xml")], None).await;
    assert!(x.content_type().contains("xml"));
    assert!(String::from_utf8_lossy(&x.body).starts_with("<CustomerGroupDto"));
    let j = send(Method::GET, &url, &[("accept", "application/json")], None).await;
    assert!(j.content_type().contains("json"));
    assert_eq!(j.json()["Id"], SAMPLE_ID);
}

/// XML 1.0 cannot carry NUL, most C0 controls, U+FFFE and U+FFFF: with
/// Vehizen on XML such text is the caller's 400, naming the field, and
/// nothing is sent; on JSON the same text goes through.
#[tokio::test]
async fn characters_xml_cannot_carry_are_a_400_on_xml_only() {
    let vendor = Scripted::new([
        Answer::json(200, RESPONSE_JSON),
        Answer::json(200, RESPONSE_JSON),
    ]);
    let base = vendor.start().await;
    let xml = Gateway::start(&config(&base, "xml", "")).await;
    for bad in [
        "a\u{0}b",
        "\u{1}",
        "\u{1b}[0m",
        "\u{c}",
        "x\u{FFFE}",
        "\u{FFFF}",
    ] {
        let body = json!({"name": bad, "vehicles": [{"name": "ok"}, {"name": bad}]});
        let r = xml
            .put_json(&format!("/v1/customer-groups/{SAMPLE_ID}"), &body)
            .await;
        let p = r.assert_problem(400);
        assert_eq!(p["backend"], "vehizen");
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["name", "vehicles[1].name"], "{bad:?}");
        assert_eq!(p["errors"][0]["code"], "not_xml_char");
    }
    assert!(vendor.received().is_empty(), "nothing was sent");
    let json_gw = Gateway::start(&config(&base, "json", "")).await;
    let r = json_gw
        .put_json(
            &format!("/v1/customer-groups/{SAMPLE_ID}"),
            &json!({"name": "a\u{1}b\u{FFFF}"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let sent: Value = serde_json::from_slice(&vendor.received()[0].body).unwrap();
    assert_eq!(sent["Name"], "a\u{1}b\u{FFFF}");
}

/// A number no 64-bit integer or double holds exactly is refused (it went
/// out as `1.2345678901234568E+29`); `-0.0` keeps its sign through XML.
#[tokio::test]
async fn numbers_are_sent_exactly_or_refused() {
    let vendor = Scripted::new([Answer::xml(200, RESPONSE_XML)]);
    let gw = Gateway::start(&config(&vendor.start().await, "xml", "")).await;
    let r = send(
        Method::PUT,
        &gw.url(&format!("/v1/customer-groups/{SAMPLE_ID}")),
        &[("content-type", "application/json")],
        Some(
            br#"{"name": "n", "vehicles": [{"odometer": {"km": 123456789012345678901234567890}}]}"#
                .to_vec(),
        ),
    )
    .await;
    let p = r.assert_problem(400);
    assert_eq!(p["errors"][0]["field"], "vehicles[0].odometer.km");
    assert!(vendor.received().is_empty());
    let r = gw
        .put_json(
            &format!("/v1/customer-groups/{SAMPLE_ID}"),
            &json!({"name": "n", "vehicles": [{"odometer": {"km": -0.0}}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let sent = String::from_utf8(vendor.received()[0].body.to_vec()).unwrap();
    assert!(sent.contains(">-0<"), "{sent}");
    assert_eq!(r.json()["warnings"], json!([]), "nothing reported lost");
}
