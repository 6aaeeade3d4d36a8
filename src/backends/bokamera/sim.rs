//! The BokaMera sandbox simulator: `PUT /customers/{Id}` with ServiceStack's
//! content negotiation, the API key check, a stateful store and
//! `ResponseStatus` errors.
//!
//! - Answer format: `?format=json|jsv`, else `Accept`, else `Content-Type`,
//!   else JSON (as ServiceStack picks it). The body is read by its
//!   `Content-Type` (`text/jsv` or `application/json`; else 415).
//! - 401 with a `ResponseStatus` when `x-api-key` is not
//!   [`SANDBOX_API_KEY`] (any bearer token is taken).
//! - 404 for a customer it does not hold ([`SEEDED_ID`] is held).
//! - 400 `ResponseStatus` with `Errors[]` (FluentValidation style) for an
//!   `Email` without `@`, an `InvoiceAddress.InvoiceCountryCode` that is not
//!   two letters, a `CustomFields[i].Id` the company has not defined, a
//!   `CompanyId` that is not a GUID.
//! - Otherwise the members given overwrite the stored ones (null or absent
//!   leave them), custom field values are set, access keys added or
//!   replaced by `Id` and `AccessKeysToDelete` removed; the answer is the
//!   stored `CustomerQueryResponse`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::Router;
use bytes::Bytes;

use super::codec::{decode, encode, Format};
use super::mapping::civil_from_days;
use super::wire::{
    CustomFieldConfigData, CustomFieldDataResponse, CustomFieldValueResponse,
    CustomerCommentsResponse, CustomerQueryResponse, InvoiceAddress, ResponseError, ResponseStatus,
    UpdateCustomer, UserAccessKeys,
};
use crate::backends::kit::percent::decode_query_value;
use crate::outbound::media_type;
use crate::unified::{Field, Guid};

/// The sandbox's fixed API key (`backends.bokamera.api_key` in
/// `config/default.toml`). Public: it guards nothing real.
pub const SANDBOX_API_KEY: &str = "sandbox-bokamera-api-key";
/// The sandbox company (`backends.bokamera.company_id` in the default
/// config).
pub const SANDBOX_COMPANY_ID: &str = "5c9c2a0e-8b1f-4d7a-9e33-2f6b1d0c4a11";
/// The customer [`Simulator::seeded`] holds.
/// The same customer the department sandbox holds, so a write routed to both
/// sandboxes finds it at each.
pub const SEEDED_ID: &str = crate::backends::department::sim::SEEDED_ID;

/// How many request bodies [`Simulator::received`] keeps.
const RECEIVED_KEPT: usize = 16;

#[derive(Debug, Default)]
struct Inner {
    /// Keyed by lower-case customer id.
    customers: HashMap<String, CustomerQueryResponse>,
    received: VecDeque<Bytes>,
}

/// Cheap to clone; clones share the store.
#[derive(Debug, Clone)]
pub struct Simulator {
    inner: Arc<Mutex<Inner>>,
    api_key: Arc<str>,
}

impl Simulator {
    /// An empty store accepting `api_key`.
    pub fn new(api_key: &str) -> Self {
        Simulator {
            inner: Arc::default(),
            api_key: Arc::from(api_key),
        }
    }

    /// The sandbox: the fixed API key, one customer ([`SEEDED_ID`]).
    pub fn seeded() -> Self {
        let sim = Self::new(SANDBOX_API_KEY);
        sim.insert(seed());
        sim
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/customers/{id}", put(put_customer))
            .with_state(self.clone())
    }

    /// Bodies of the last PUTs (at most 16), oldest first.
    pub fn received(&self) -> Vec<Bytes> {
        self.lock().received.iter().cloned().collect()
    }

    /// The stored customer `id`, if any.
    pub fn customer(&self, id: &str) -> Option<CustomerQueryResponse> {
        self.lock().customers.get(&id.to_ascii_lowercase()).cloned()
    }

    /// Stores `c` under its `Id` (ignored without one).
    pub fn insert(&self, c: CustomerQueryResponse) {
        if let Some(id) = c.id.value() {
            let key = id.to_ascii_lowercase();
            self.lock().customers.insert(key, c);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn v<T>(t: T) -> Field<T> {
    Field::Value(t)
}

fn s(t: &str) -> Field<String> {
    Field::Value(t.to_owned())
}

/// The seeded customer: every member of the answer filled.
fn seed() -> CustomerQueryResponse {
    let at = "2024-01-15T09:30:00.0000000Z";
    CustomerQueryResponse {
        id: s(SEEDED_ID),
        firstname: s("Sandbox"),
        lastname: s("Customer"),
        email: s("sandbox@example.com"),
        phone: s("+46700000000"),
        image_url: s("https://sandbox.bokamera.invalid/customers/sandbox.png"),
        custom_fields: v(definitions()),
        custom_field_values: v(vec![CustomFieldDataResponse {
            id: v(1),
            column: s("TextField1"),
            name: s("Number of persons"),
            description: s("For how many persons is this booking?"),
            value: s("2"),
            data_type: s("TextBox"),
        }]),
        comments: v(vec![CustomerCommentsResponse {
            id: v(1),
            customer_id: s(SEEDED_ID),
            comments: s("Prefers morning appointments"),
            updated: s(at),
            created: s(at),
            image_url: s("https://sandbox.bokamera.invalid/comments/1.png"),
        }]),
        access_keys: v(vec![UserAccessKeys {
            company_id: s(SANDBOX_COMPANY_ID),
            access_key_type_id: v(1),
            value: s("RFID-0001"),
            customer_id: s(SEEDED_ID),
            description: s("Front door"),
            id: s("0b7e3c59-2f0d-4b8e-9a61-5d4c3b2a1f00"),
        }]),
        updated: s(at),
        created: s(at),
        response_status: Field::Absent,
        subscribed_to_newsletter: v(false),
        invoice_address: v(InvoiceAddress {
            corporate_identity_number: s("556000-0000"),
            invoice_address1: s("Storgatan 1"),
            invoice_address2: s("c/o Sandbox"),
            invoice_city: s("Stockholm"),
            invoice_postal_code: s("111 22"),
            invoice_country_code: s("SE"),
        }),
    }
}

/// The company's custom fields.
fn definitions() -> Vec<CustomFieldConfigData> {
    vec![
        CustomFieldConfigData {
            id: v(1),
            name: s("Number of persons"),
            description: s("For how many persons is this booking?"),
            width: v(20),
            data_type: s("TextBox"),
            default_value: s("1"),
            is_mandatory: v(false),
            mandatory_error_message: s("Enter the number of persons"),
            max_length: v(3),
            multiple_line_text: v(false),
            reg_ex: s("^[0-9]+$"),
            reg_ex_error_message: s("Digits only"),
            values: v(Vec::new()),
        },
        CustomFieldConfigData {
            id: v(2),
            name: s("Diet"),
            description: s("Food preferences"),
            width: Field::Null,
            data_type: s("DropDown"),
            default_value: s("None"),
            is_mandatory: v(false),
            mandatory_error_message: s("Choose a diet"),
            max_length: v(20),
            multiple_line_text: v(false),
            reg_ex: s(""),
            reg_ex_error_message: s(""),
            values: v(vec![
                CustomFieldValueResponse { value: s("None") },
                CustomFieldValueResponse { value: s("Vegan") },
            ]),
        },
    ]
}

/// A query parameter, its name compared ignoring case (ServiceStack does).
fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?
        .split('&')
        .filter_map(|p| p.split_once('=').or(Some((p, ""))))
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| decode_query_value(v))
}

/// ServiceStack's order: `?format=`, `Accept`, `Content-Type`; else JSON.
pub fn response_format(query: Option<&str>, headers: &HeaderMap) -> Format {
    if let Some(f) = query_param(query, "format").and_then(|f| Format::of_name(&f)) {
        return f;
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    // The first media type named that is one of the two formats.
    let from_accept = accept
        .split(',')
        .filter_map(|m| m.split(';').next())
        .find_map(|m| Format::of_media_type(m.trim()));
    from_accept
        .or_else(|| Format::of_media_type(&media_type(headers)))
        .unwrap_or(Format::Json)
}

fn answer<T: serde::Serialize>(status: StatusCode, format: Format, value: &T) -> Response {
    match encode(format, value) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, format.content_type())],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// An error answer: the response DTO with only `ResponseStatus`.
fn status_answer(status: StatusCode, format: Format, rs: ResponseStatus) -> Response {
    let body = CustomerQueryResponse {
        response_status: v(rs),
        ..CustomerQueryResponse::default()
    };
    answer(status, format, &body)
}

fn simple(code: &str, message: &str) -> ResponseStatus {
    ResponseStatus {
        error_code: s(code),
        message: s(message),
        errors: v(Vec::new()),
        ..ResponseStatus::default()
    }
}

fn field_error(code: &str, field: &str, message: String) -> ResponseError {
    ResponseError {
        error_code: s(code),
        field_name: s(field),
        message: v(message),
        meta: Field::Absent,
    }
}

/// FluentValidation-style checks of a request.
fn validate(req: &UpdateCustomer, company: Option<&str>) -> Vec<ResponseError> {
    let mut out = Vec::new();
    if let Some(c) = company {
        if !Guid::is_valid(c) {
            out.push(field_error(
                "Guid",
                "CompanyId",
                "'Company Id' is not a valid Guid.".into(),
            ));
        }
    }
    if let Some(e) = req.email.value() {
        if !e.is_empty() && !e.contains('@') {
            out.push(field_error(
                "Email",
                "Email",
                "'Email' is not a valid email address.".into(),
            ));
        }
    }
    if let Some(a) = req.invoice_address.value() {
        if let Some(cc) = a.invoice_country_code.value() {
            if !(cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_alphabetic())) {
                out.push(field_error(
                    "Length",
                    "InvoiceAddress.InvoiceCountryCode",
                    "'Invoice Country Code' must be 2 letters.".into(),
                ));
            }
        }
    }
    let defined = definitions();
    for (i, f) in req.custom_fields.value().into_iter().flatten().enumerate() {
        if !defined.iter().any(|d| d.id == f.id) {
            out.push(field_error(
                "NotFound",
                &format!("CustomFields[{i}].Id"),
                "No custom field with this id is defined for the company.".into(),
            ));
        }
    }
    out
}

fn now_text() -> String {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(d.as_secs()).unwrap_or(0);
    let (y, m, day) = civil_from_days(secs.div_euclid(86_400));
    let tod = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:07}Z",
        tod / 3600,
        tod % 3600 / 60,
        tod % 60,
        d.subsec_nanos() / 100
    )
}

/// Applies an accepted write to the stored customer.
fn apply(c: &mut CustomerQueryResponse, req: UpdateCustomer, company: Option<String>) {
    fn set<T>(to: &mut Field<T>, from: Field<T>) {
        if let Field::Value(x) = from {
            *to = Field::Value(x);
        }
    }
    set(&mut c.firstname, req.firstname);
    set(&mut c.lastname, req.lastname);
    set(&mut c.email, req.email);
    set(&mut c.phone, req.phone);
    set(
        &mut c.subscribed_to_newsletter,
        req.subscribed_to_newsletter,
    );
    set(&mut c.invoice_address, req.invoice_address);
    let defined = definitions();
    let mut values = std::mem::take(&mut c.custom_field_values)
        .into_value()
        .unwrap_or_default();
    for f in req.custom_fields.into_value().unwrap_or_default() {
        match values.iter_mut().find(|v| v.id == f.id) {
            Some(existing) => existing.value = f.value,
            None => {
                let d = defined.iter().find(|d| d.id == f.id);
                values.push(CustomFieldDataResponse {
                    id: f.id,
                    column: s(&format!("TextField{}", f_id(d))),
                    name: d.map_or(Field::Absent, |d| d.name.clone()),
                    description: d.map_or(Field::Absent, |d| d.description.clone()),
                    value: f.value,
                    data_type: d.map_or(Field::Absent, |d| d.data_type.clone()),
                });
            }
        }
    }
    c.custom_field_values = Field::Value(values);
    let customer_id = c.id.clone();
    let mut keys = std::mem::take(&mut c.access_keys)
        .into_value()
        .unwrap_or_default();
    for k in req.access_keys.into_value().unwrap_or_default() {
        let new = UserAccessKeys {
            company_id: or_else(k.company_id, || {
                Some(
                    company
                        .clone()
                        .unwrap_or_else(|| SANDBOX_COMPANY_ID.to_owned()),
                )
            }),
            access_key_type_id: k.access_key_type_id,
            value: k.value,
            customer_id: customer_id.clone(),
            description: k.description,
            id: or_else(k.id, || Some(Guid::new_v4().into_string())),
        };
        match keys.iter_mut().find(|e| same_id(&e.id, &new.id)) {
            Some(existing) => *existing = new,
            None => keys.push(new),
        }
    }
    for d in req.access_keys_to_delete.into_value().unwrap_or_default() {
        keys.retain(|k| !same_id(&k.id, &d.id));
    }
    c.access_keys = Field::Value(keys);
    c.updated = v(now_text());
}

fn f_id(d: Option<&CustomFieldConfigData>) -> i64 {
    d.and_then(|d| d.id.value().copied()).unwrap_or(0)
}

fn same_id(a: &Field<String>, b: &Field<String>) -> bool {
    match (a.value(), b.value()) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

/// `f`, or what `g` gives when `f` holds no value.
fn or_else<T>(f: Field<T>, g: impl FnOnce() -> Option<T>) -> Field<T> {
    match f {
        Field::Value(x) => Field::Value(x),
        other => g().map_or(other, Field::Value),
    }
}

async fn put_customer(
    State(sim): State<Simulator>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let format = response_format(query.as_deref(), &headers);
    {
        let mut inner = sim.lock();
        if inner.received.len() == RECEIVED_KEPT {
            inner.received.pop_front();
        }
        inner.received.push_back(bytes.clone());
    }
    let key_ok = headers
        .get("x-api-key")
        .is_some_and(|k| k.as_bytes() == sim.api_key.as_bytes());
    if !key_ok {
        return status_answer(
            StatusCode::UNAUTHORIZED,
            format,
            simple("Unauthorized", "A valid x-api-key header is required."),
        );
    }
    let Some(in_format) = Format::of_media_type(&media_type(&headers)) else {
        return status_answer(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format,
            simple(
                "NotSupportedException",
                "The request's Content-Type is not supported.",
            ),
        );
    };
    let req = match decode::<UpdateCustomer>(in_format, &bytes) {
        Ok(d) => d.value,
        Err(_) => {
            return status_answer(
                StatusCode::BAD_REQUEST,
                format,
                simple(
                    "SerializationException",
                    "The request body could not be read.",
                ),
            )
        }
    };
    let company = query_param(query.as_deref(), "CompanyId")
        .filter(|c| !c.is_empty())
        .or_else(|| req.company_id.value().cloned());
    let errors = validate(&req, company.as_deref());
    if let Some(first) = errors.first() {
        let rs = ResponseStatus {
            error_code: first.error_code.clone(),
            message: first.message.clone(),
            stack_trace: Field::Absent,
            errors: v(errors),
            meta: Field::Absent,
        };
        return status_answer(StatusCode::BAD_REQUEST, format, rs);
    }
    let mut inner = sim.lock();
    let Some(stored) = inner.customers.get_mut(&id.to_ascii_lowercase()) else {
        drop(inner);
        return status_answer(
            StatusCode::NOT_FOUND,
            format,
            simple("NotFound", "Customer not found."),
        );
    };
    apply(stored, req, company);
    let out = stored.clone();
    drop(inner);
    answer(StatusCode::OK, format, &out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn call(sim: &Simulator, req: Request<Body>) -> (StatusCode, String, Bytes) {
        let resp = sim.router().oneshot(req).await.unwrap();
        let status = resp.status();
        let ctype = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (
            status,
            ctype,
            resp.into_body().collect().await.unwrap().to_bytes(),
        )
    }

    fn put(uri: &str, key: &str, ctype: &str, accept: &str, body: &str) -> Request<Body> {
        Request::put(uri)
            .header("x-api-key", key)
            .header(header::CONTENT_TYPE, ctype)
            .header(header::ACCEPT, accept)
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    fn uri() -> String {
        format!("/customers/{SEEDED_ID}?CompanyId={SANDBOX_COMPANY_ID}")
    }

    #[tokio::test]
    async fn jsv_in_json_out_and_state_kept() {
        let sim = Simulator::seeded();
        let (status, ctype, body) = call(
            &sim,
            put(&uri(), SANDBOX_API_KEY, "text/jsv", "application/json", "{Firstname:Ada,CustomFields:[{Id:2,Value:Vegan}],AccessKeysToDelete:[{Id:0b7e3c59-2f0d-4b8e-9a61-5d4c3b2a1f00}]}"),
        )
        .await;
        assert_eq!(
            (status, ctype.as_str()),
            (StatusCode::OK, "application/json")
        );
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["Firstname"], "Ada");
        assert_eq!(v["Lastname"], "Customer");
        assert_eq!(v["CustomFieldValues"][1]["Value"], "Vegan");
        assert_eq!(v["AccessKeys"], serde_json::json!([]));
        assert_eq!(sim.customer(SEEDED_ID).unwrap().firstname, s("Ada"));
        assert_eq!(sim.received().len(), 1);

        // ?format= wins over Accept.
        let (_, ctype, body) = call(
            &sim,
            put(
                &format!("{}&format=jsv", uri()),
                SANDBOX_API_KEY,
                "application/json",
                "application/json",
                r#"{"Phone":"1"}"#,
            ),
        )
        .await;
        assert_eq!(ctype, "text/jsv");
        let c: CustomerQueryResponse = crate::jsv::from_slice(&body).unwrap();
        assert_eq!((c.firstname, c.phone), (s("Ada"), s("1")));
    }

    #[tokio::test]
    async fn api_key_validation_and_unknown_customer() {
        let sim = Simulator::seeded();
        let (status, ctype, body) =
            call(&sim, put(&uri(), "wrong", "text/jsv", "text/jsv", "{}")).await;
        assert_eq!(
            (status, ctype.as_str()),
            (StatusCode::UNAUTHORIZED, "text/jsv")
        );
        let c: CustomerQueryResponse = crate::jsv::from_slice(&body).unwrap();
        assert_eq!(
            c.response_status.value().unwrap().error_code,
            s("Unauthorized")
        );

        let (status, _, body) = call(
            &sim,
            put(
                &uri(),
                SANDBOX_API_KEY,
                "text/jsv",
                "text/jsv",
                "{Email:nope,InvoiceAddress:{InvoiceCountryCode:SWE},CustomFields:[{Id:9}]}",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let c: CustomerQueryResponse = crate::jsv::from_slice(&body).unwrap();
        let rs = c.response_status.into_value().unwrap();
        assert_eq!(rs.error_code, s("Email"));
        let names: Vec<_> = rs
            .errors
            .into_value()
            .unwrap()
            .into_iter()
            .filter_map(|e| e.field_name.into_value())
            .collect();
        assert_eq!(
            names,
            [
                "Email",
                "InvoiceAddress.InvoiceCountryCode",
                "CustomFields[0].Id"
            ]
        );
        assert_eq!(
            sim.customer(SEEDED_ID).unwrap().email,
            s("sandbox@example.com")
        );

        let (status, _, _) = call(
            &sim,
            put(
                "/customers/00000000-0000-0000-0000-000000000000",
                SANDBOX_API_KEY,
                "text/jsv",
                "text/jsv",
                "{}",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = call(
            &sim,
            put(&uri(), SANDBOX_API_KEY, "text/xml", "text/jsv", "<a/>"),
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn format_negotiation_order() {
        let mut h = HeaderMap::new();
        assert_eq!(response_format(None, &h), Format::Json);
        h.insert(header::CONTENT_TYPE, "text/jsv".parse().unwrap());
        assert_eq!(response_format(None, &h), Format::Jsv);
        h.insert(
            header::ACCEPT,
            "text/html, application/json;q=0.9".parse().unwrap(),
        );
        assert_eq!(response_format(None, &h), Format::Json);
        assert_eq!(response_format(Some("a=1&FORMAT=jsv"), &h), Format::Jsv);
        assert_eq!(response_format(Some("format=xml"), &h), Format::Json);
    }

    #[test]
    fn now_is_rfc3339() {
        assert!(crate::unified::Timestamp::is_rfc3339(&now_text()));
    }
}
