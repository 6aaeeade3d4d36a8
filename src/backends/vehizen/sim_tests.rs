//! Simulator tests through the router, as the gateway will call it.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::codec::{decode_group, decode_response, Format};
use super::response::ResponseData;
use super::sim::{fixtures, Simulator};
use crate::unified::Field;

async fn call(sim: &Simulator, req: Request<Body>) -> (StatusCode, String, bytes::Bytes) {
    let resp = sim.router().oneshot(req).await.unwrap();
    let status = resp.status();
    let ctype = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, ctype, body)
}

fn get(id: &str, accept: &str) -> Request<Body> {
    Request::get(format!("/api/v2/CustomerGroup/{id}"))
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .unwrap()
}

fn put(ctype: &str, accept: &str, body: impl Into<Body>) -> Request<Body> {
    Request::put("/api/v2/CustomerGroup")
        .header(header::CONTENT_TYPE, ctype)
        .header(header::ACCEPT, accept)
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn get_seeded_group_in_both_formats() {
    let sim = Simulator::seeded();
    let (status, ctype, body) = call(&sim, get(fixtures::SEEDED_ID, "application/json")).await;
    assert_eq!(
        (status, ctype.as_str()),
        (StatusCode::OK, "application/json")
    );
    let want: serde_json::Value = serde_json::from_str(fixtures::GET_JSON).unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
        want
    );

    let (status, ctype, body) = call(&sim, get(fixtures::SEEDED_ID, "application/xml")).await;
    assert_eq!(
        (status, ctype.as_str()),
        (StatusCode::OK, "application/xml")
    );
    let g = decode_group(Format::Xml, &body).unwrap();
    assert!(g.unknown.is_empty());
    assert_eq!(g.value.id, Field::Value(fixtures::SEEDED_ID.into()));
}

#[tokio::test]
async fn unknown_group_is_404_with_a_message() {
    let sim = Simulator::seeded();
    let (status, _, body) = call(&sim, get("00000000-0000-0000-0000-000000000000", "*/*")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(v["Message"].is_string());
}

#[tokio::test]
async fn put_xml_then_get_json_answers_what_was_stored() {
    let sim = Simulator::new();
    let (status, ctype, body) = call(
        &sim,
        put(
            "application/xml; charset=utf-8",
            "application/xml",
            fixtures::PUT_REQUEST_XML,
        ),
    )
    .await;
    assert_eq!(
        (status, ctype.as_str()),
        (StatusCode::OK, "application/xml")
    );
    let resp = decode_response(Format::Xml, &body).unwrap();
    assert!(resp.unknown.is_empty(), "{:?}", resp.unknown);
    assert_eq!(resp.value.is_valid, Field::Value(true));
    assert_eq!(resp.value.errors, Field::Value(vec![]));
    let sent = decode_group(Format::Xml, fixtures::PUT_REQUEST_XML.as_bytes())
        .unwrap()
        .value;
    assert_eq!(resp.value.data, ResponseData::Group(Box::new(sent.clone())));
    assert_eq!(
        sim.received(),
        [bytes::Bytes::from(fixtures::PUT_REQUEST_XML)]
    );

    let id = sent.id.value().unwrap().clone();
    let (_, _, body) = call(&sim, get(&id, "application/json")).await;
    assert_eq!(decode_group(Format::Json, &body).unwrap().value, sent);
}

#[tokio::test]
async fn put_with_null_id_creates() {
    let sim = Simulator::new();
    let body = r#"{"Id":null,"Name":"new group"}"#;
    let (status, ctype, body) = call(&sim, put("application/json", "application/json", body)).await;
    assert_eq!(
        (status, ctype.as_str()),
        (StatusCode::OK, "application/json")
    );
    let resp = decode_response(Format::Json, &body).unwrap().value;
    let ResponseData::Group(g) = resp.data else {
        panic!("no group")
    };
    let id = g.id.value().unwrap();
    assert!(crate::unified::Guid::parse(id).is_some());
    assert_eq!(
        sim.group(id).unwrap().name,
        Field::Value("new group".into())
    );
}

#[tokio::test]
async fn missing_or_empty_name_is_invalid() {
    let sim = Simulator::new();
    for body in [r#"{"Id":null}"#, r#"{"Id":null,"Name":""}"#] {
        let (status, _, body) = call(&sim, put("text/json", "", body)).await;
        assert_eq!(status, StatusCode::OK);
        let resp = decode_response(Format::Json, &body).unwrap().value;
        assert_eq!(resp.is_valid, Field::Value(false));
        assert_eq!(
            resp.errors,
            Field::Value(vec!["Name is required".to_owned()])
        );
    }
}

#[tokio::test]
async fn bad_bodies_and_media_types() {
    let sim = Simulator::new();
    let (status, _, _) = call(&sim, put("application/json", "", "{not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = call(
        &sim,
        put("application/xml", "", "<html><body>x</body></html>"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = call(&sim, put("text/plain", "", "Name=x")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn received_keeps_the_last_16() {
    let sim = Simulator::new();
    for i in 0..20 {
        let body = format!(r#"{{"Id":null,"Name":"g{i}"}}"#);
        call(&sim, put("application/json", "", body)).await;
    }
    let got = sim.received();
    assert_eq!(got.len(), 16);
    assert_eq!(got[0], bytes::Bytes::from(r#"{"Id":null,"Name":"g4"}"#));
}

#[test]
fn response_with_a_group_in_xml_has_the_dotnet_shape() {
    use super::response::ResponseDto;
    use super::wire::CustomerGroupDto;
    let resp = ResponseDto {
        is_valid: Field::Value(true),
        errors: Field::Value(vec![]),
        data: ResponseData::Group(Box::new(CustomerGroupDto {
            id: Field::Value("e55ab6e7-1056-4ab3-bd03-247f4b0efdd1".into()),
            name: Field::Value("g".into()),
            vehicles: Field::Value(vec![]),
            ..Default::default()
        })),
    };
    let xml = String::from_utf8(super::codec::encode_response(Format::Xml, &resp)).unwrap();
    assert_eq!(
        xml,
        concat!(
            r#"<ResponseDto xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto">"#,
            r#"<Data i:type="d2p1:CustomerGroupDto" xmlns:d2p1="http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup">"#,
            r#"<d2p1:Id>e55ab6e7-1056-4ab3-bd03-247f4b0efdd1</d2p1:Id><d2p1:Name>g</d2p1:Name>"#,
            r#"<d2p1:Vehicles xmlns:d3p1="http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto" /></Data>"#,
            r#"<Errors xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays" />"#,
            r#"<IsValid>true</IsValid></ResponseDto>"#
        )
    );
    assert_eq!(
        decode_response(Format::Xml, xml.as_bytes()).unwrap().value,
        resp
    );
}
