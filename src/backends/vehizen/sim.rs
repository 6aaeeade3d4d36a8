//! The Vehizen sandbox simulator: just enough of `api/v2/CustomerGroup` to
//! run the gateway against, with ASP.NET's content negotiation.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::Router;
use bytes::Bytes;

use super::codec::{decode_group, encode_group, encode_response, Format};
use super::response::{ResponseData, ResponseDto};
use super::wire::CustomerGroupDto;
use crate::outbound::media_type;
use crate::unified::{Field, Guid};

/// The vendor doc samples, verbatim.
pub mod fixtures {
    pub const GET_JSON: &str = include_str!("../../../tests/fixtures/vehizen/get.json");
    pub const GET_XML: &str = include_str!("../../../tests/fixtures/vehizen/get.xml");
    pub const PUT_REQUEST_JSON: &str =
        include_str!("../../../tests/fixtures/vehizen/put-request.json");
    pub const PUT_REQUEST_XML: &str =
        include_str!("../../../tests/fixtures/vehizen/put-request.xml");
    pub const RESPONSE_JSON: &str = include_str!("../../../tests/fixtures/vehizen/response.json");
    pub const RESPONSE_XML: &str = include_str!("../../../tests/fixtures/vehizen/response.xml");
    /// The id of the GET sample's group, which [`super::Simulator::seeded`] holds.
    pub const SEEDED_ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
}

/// How many PUT bodies [`Simulator::received`] keeps.
const RECEIVED_KEPT: usize = 16;

#[derive(Debug, Default)]
struct Inner {
    /// Keyed by lower-case id (.NET compares Guids by value).
    groups: HashMap<String, CustomerGroupDto>,
    received: VecDeque<Bytes>,
}

/// Cheap to clone; clones share the store.
#[derive(Debug, Clone, Default)]
pub struct Simulator {
    inner: Arc<Mutex<Inner>>,
}

impl Simulator {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Holds the GET doc sample's group ([`fixtures::SEEDED_ID`]).
    pub fn seeded() -> Self {
        let sim = Self::new();
        if let Ok(d) = decode_group(Format::Json, fixtures::GET_JSON.as_bytes()) {
            sim.lock()
                .groups
                .insert(fixtures::SEEDED_ID.to_owned(), d.value);
        }
        sim
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/api/v2/CustomerGroup/{id}", get(get_group))
            .route("/api/v2/CustomerGroup", put(put_group))
            .with_state(self.clone())
    }

    /// Bodies of the last PUTs (at most 16), oldest first.
    pub fn received(&self) -> Vec<Bytes> {
        self.lock().received.iter().cloned().collect()
    }

    /// The stored group with `id`, if any.
    pub fn group(&self, id: &str) -> Option<CustomerGroupDto> {
        self.lock().groups.get(&id.to_ascii_lowercase()).cloned()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// ASP.NET answers XML when `Accept` asks for it, else JSON.
fn response_format(headers: &HeaderMap) -> Format {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.to_ascii_lowercase().contains("xml") {
        Format::Xml
    } else {
        Format::Json
    }
}

fn body(status: StatusCode, format: Format, bytes: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, format.content_type())],
        bytes,
    )
        .into_response()
}

/// ASP.NET's error body: `{"Message": ...}` or `<Error><Message>`.
fn message(status: StatusCode, format: Format, text: &str) -> Response {
    let bytes = match format {
        Format::Json => serde_json::json!({ "Message": text })
            .to_string()
            .into_bytes(),
        Format::Xml => {
            let mut w = crate::xml::XmlWriter::default();
            w.raw("<Error><Message>");
            w.text(text);
            w.raw("</Message></Error>");
            w.into_bytes()
        }
    };
    body(status, format, bytes)
}

async fn get_group(
    State(sim): State<Simulator>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let format = response_format(&headers);
    match sim.group(&id) {
        Some(g) => body(StatusCode::OK, format, encode_group(format, &g)),
        None => message(
            StatusCode::NOT_FOUND,
            format,
            "No customer group was found with this id.",
        ),
    }
}

async fn put_group(State(sim): State<Simulator>, headers: HeaderMap, bytes: Bytes) -> Response {
    let format = response_format(&headers);
    {
        let mut inner = sim.lock();
        if inner.received.len() == RECEIVED_KEPT {
            inner.received.pop_front();
        }
        inner.received.push_back(bytes.clone());
    }
    let media = media_type(&headers);
    let in_format = match media.as_str() {
        "application/json" | "text/json" => Format::Json,
        "application/xml" | "text/xml" => Format::Xml,
        _ => {
            let text = "The request entity's media type is not supported for this resource.";
            return message(StatusCode::UNSUPPORTED_MEDIA_TYPE, format, text);
        }
    };
    let Ok(decoded) = decode_group(in_format, &bytes) else {
        return message(StatusCode::BAD_REQUEST, format, "The request is invalid.");
    };
    let mut group = decoded.value;
    if group.name.value().is_none_or(|n| n.is_empty()) {
        let resp = ResponseDto {
            is_valid: Field::Value(false),
            errors: Field::Value(vec!["Name is required".to_owned()]),
            data: ResponseData::Null,
        };
        return body(StatusCode::OK, format, encode_response(format, &resp));
    }
    let id = match group.id.value() {
        Some(id) => id.to_ascii_lowercase(),
        None => {
            let id = Guid::new_v4().into_string();
            group.id = Field::Value(id.clone());
            id
        }
    };
    sim.lock().groups.insert(id, group.clone());
    let resp = ResponseDto {
        is_valid: Field::Value(true),
        errors: Field::Value(Vec::new()),
        data: ResponseData::Group(Box::new(group)),
    };
    body(StatusCode::OK, format, encode_response(format, &resp))
}
