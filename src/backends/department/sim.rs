//! The department sandbox simulator: `updateCustomer` with the token and
//! HTTP Basic checks, the body's shape validated, customers stored, and the
//! documented `{errors, warnings}` envelopes.
//!
//! Ids are typed `string` by the vendor, so any text is an id: `customerID`
//! and `customerUuid` match exactly (case aside only when both are GUIDs),
//! and address `uuid` / `vehicleUuid` are stored as given.
//!
//! Answers: 401 for a wrong token or credentials; 400 for a body that is not
//! JSON of the documented shape, has no `customer`, an email without
//! `emailAddress`, a phone without `phoneNumber`, a `customerUuid` other than
//! the path's, or (with `validateVin`) a VIN that is not 17 characters of
//! `A-HJ-NPR-Z0-9`; 200 with warning 1001 when `searchForDuplicate` is true
//! (the sandbox does not search); else 204.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use bytes::Bytes;

use super::auth::basic_auth;
use super::wire::{ResponseEnvelope, UpdateCustomerRequest, VendorError, VendorWarning};
use crate::outbound::media_type;
use crate::secret::{ct_eq, Secret};
use crate::unified::id::same_id;
use crate::unified::{Field, Guid};

/// The sandbox's fixed token (`backends.department.token` in
/// `config/default.toml`).
pub const SANDBOX_TOKEN: &str = "sandbox-department-token";
/// The sandbox's fixed Basic username.
pub const SANDBOX_USERNAME: &str = "sandbox";
/// The sandbox's fixed Basic password.
pub const SANDBOX_PASSWORD: &str = "sandbox-password";
/// The customer [`Simulator::seeded`] holds.
pub const SEEDED_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";

/// Error codes the simulator answers.
pub mod codes {
    pub const UNAUTHORIZED: i64 = 401;
    pub const MALFORMED: i64 = 4000;
    pub const CUSTOMER_REQUIRED: i64 = 4001;
    pub const EMAIL_ADDRESS_REQUIRED: i64 = 4002;
    pub const PHONE_NUMBER_REQUIRED: i64 = 4003;
    pub const UUID_MISMATCH: i64 = 4004;
    pub const INVALID_VIN: i64 = 4005;
    /// Warning: `searchForDuplicate` is ignored.
    pub const DUPLICATE_SEARCH_IGNORED: i64 = 1001;
}

/// How many request bodies [`Simulator::received`] keeps.
const RECEIVED_KEPT: usize = 16;

#[derive(Debug, Default)]
struct Inner {
    /// Keyed by [`key`] of the customer id.
    customers: HashMap<String, UpdateCustomerRequest>,
    received: VecDeque<Bytes>,
}

/// Cheap to clone; clones share the store.
#[derive(Debug, Clone)]
pub struct Simulator {
    inner: Arc<Mutex<Inner>>,
    token: Arc<Secret>,
    basic: Option<HeaderValue>,
}

impl Simulator {
    /// An empty store accepting `token` and, when given, these Basic
    /// credentials (else no `Authorization` is asked for).
    pub fn new(token: &str, credentials: Option<(&str, &str)>) -> Self {
        Simulator {
            inner: Arc::default(),
            token: Arc::new(Secret::new(token)),
            basic: credentials.map(|(u, p)| basic_auth(&Secret::new(u), &Secret::new(p))),
        }
    }

    /// The sandbox: the fixed token and credentials, one customer stored.
    pub fn seeded() -> Self {
        let sim = Self::new(SANDBOX_TOKEN, Some((SANDBOX_USERNAME, SANDBOX_PASSWORD)));
        let seed = serde_json::json!({
            "customer": {
                "customerUuid": SEEDED_ID,
                "firstName": "Sandbox",
                "lastName": "Customer",
                "emails": [{"emailAddress": "sandbox@example.com", "isPreferred": true}]
            },
            "vehicles": []
        });
        if let Ok(req) = serde_json::from_value(seed) {
            sim.lock().customers.insert(key(SEEDED_ID), req);
        }
        sim
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route(
                "/customer/v2/department/{token}/customer/{id}",
                // The API reference says POST, the how-to guide PUT: the
                // simulator takes both, as `backends.department.method` may.
                post(update_customer).put(update_customer),
            )
            .with_state(self.clone())
    }

    /// Bodies of the last requests (at most 16), oldest first.
    pub fn received(&self) -> Vec<Bytes> {
        self.lock().received.iter().cloned().collect()
    }

    /// The stored write of customer `id`, if any.
    pub fn customer(&self, id: &str) -> Option<UpdateCustomerRequest> {
        self.lock().customers.get(&key(id)).cloned()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The store's key of a customer id: a GUID by value (lower case), any
/// other text as it is.
fn key(id: &str) -> String {
    if Guid::is_valid(id) {
        id.to_ascii_lowercase()
    } else {
        id.to_owned()
    }
}

fn envelope(
    status: StatusCode,
    errors: Vec<VendorError>,
    warnings: Vec<VendorWarning>,
) -> Response {
    let env = ResponseEnvelope {
        errors: Field::Value(errors),
        warnings: Field::Value(warnings),
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_vec(&env).unwrap_or_default(),
    )
        .into_response()
}

fn error(code: i64, title: &str, message: impl Into<String>) -> VendorError {
    VendorError {
        error_code: Field::Value(code.into()),
        error_title: Field::Value(title.into()),
        error_message: Field::Value(message.into()),
    }
}

fn bad_request(errors: Vec<VendorError>) -> Response {
    envelope(StatusCode::BAD_REQUEST, errors, Vec::new())
}

/// A VIN as `validateVin` checks it: 17 of `A-HJ-NPR-Z0-9`.
pub fn is_valid_vin(vin: &str) -> bool {
    vin.len() == 17
        && vin.bytes().all(|b| {
            b.is_ascii_digit() || (b.is_ascii_uppercase() && !matches!(b, b'I' | b'O' | b'Q'))
        })
}

async fn update_customer(
    State(sim): State<Simulator>,
    Path((token, id)): Path<(String, String)>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let token_ok = ct_eq(token.as_bytes(), sim.token.expose().as_bytes());
    let basic_ok = match &sim.basic {
        None => true,
        Some(want) => headers
            .get(header::AUTHORIZATION)
            .is_some_and(|got| ct_eq(got.as_bytes(), want.as_bytes())),
    };
    if !(token_ok && basic_ok) {
        return envelope(
            StatusCode::UNAUTHORIZED,
            vec![error(
                codes::UNAUTHORIZED,
                "Unauthorized",
                "The service subscriber token or credentials are not valid.",
            )],
            Vec::new(),
        );
    }
    {
        let mut inner = sim.lock();
        if inner.received.len() == RECEIVED_KEPT {
            inner.received.pop_front();
        }
        inner.received.push_back(bytes.clone());
    }
    if media_type(&headers) != "application/json" {
        return bad_request(vec![error(
            codes::MALFORMED,
            "Malformed request",
            "Content-Type must be application/json.",
        )]);
    }
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let req: UpdateCustomerRequest = match serde_path_to_error::deserialize(&mut de) {
        Ok(r) => r,
        Err(e) => {
            return bad_request(vec![error(
                codes::MALFORMED,
                "Malformed request",
                format!("{}: {}", e.path(), e.inner()),
            )])
        }
    };
    let mut errors = Vec::new();
    match req.customer.value() {
        None => errors.push(error(
            codes::CUSTOMER_REQUIRED,
            "Customer required",
            "customer is required.",
        )),
        Some(c) => {
            for (i, e) in c.emails.value().into_iter().flatten().enumerate() {
                if e.email_address.value().is_none_or(|a| a.is_empty()) {
                    errors.push(error(
                        codes::EMAIL_ADDRESS_REQUIRED,
                        "Email address required",
                        format!("customer.emails[{i}].emailAddress is required."),
                    ));
                }
            }
            for (i, p) in c.phone_numbers.value().into_iter().flatten().enumerate() {
                if p.phone_number.value().is_none_or(|n| n.is_empty()) {
                    errors.push(error(
                        codes::PHONE_NUMBER_REQUIRED,
                        "Phone number required",
                        format!("customer.phoneNumbers[{i}].phoneNumber is required."),
                    ));
                }
            }
            if let Some(uuid) = c.customer_uuid.value() {
                if !same_id(uuid, &id) {
                    errors.push(error(
                        codes::UUID_MISMATCH,
                        "Customer mismatch",
                        "customer.customerUuid is not the customerID of the path.",
                    ));
                }
            }
        }
    }
    if req.validate_vin == Field::Value(true) {
        for (i, v) in req.vehicles.value().into_iter().flatten().enumerate() {
            if let Some(vin) = v.vin.value() {
                if !is_valid_vin(vin) {
                    errors.push(error(
                        codes::INVALID_VIN,
                        "Invalid VIN",
                        format!("vehicles[{i}].vin is not a valid VIN."),
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return bad_request(errors);
    }
    let mut warnings = Vec::new();
    if req.search_for_duplicate == Field::Value(true) {
        warnings.push(VendorWarning {
            warning_code: Field::Value(codes::DUPLICATE_SEARCH_IGNORED.into()),
            warning_title: Field::Value("Duplicate search skipped".into()),
            warning_message: Field::Value("searchForDuplicate is ignored by the sandbox".into()),
        });
    }
    sim.lock().customers.insert(key(&id), req);
    if warnings.is_empty() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        envelope(StatusCode::OK, Vec::new(), warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http::Request;
    use tower::ServiceExt;

    async fn post(sim: &Simulator, id: &str, body: serde_json::Value) -> StatusCode {
        let req = Request::post(format!("/customer/v2/department/t/customer/{id}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        sim.router().oneshot(req).await.unwrap().status()
    }

    #[tokio::test]
    async fn string_ids_are_taken_and_kept_as_given() {
        let sim = Simulator::new("t", None);
        let body = serde_json::json!({
            "customer": {"customerUuid": "Cust 1", "addresses": [{"uuid": "ADDR-0001"}]},
            "vehicles": [{"vehicleUuid": "v 1/ä"}]
        });
        assert_eq!(post(&sim, "Cust%201", body).await, StatusCode::NO_CONTENT);
        let stored = sim.customer("Cust 1").unwrap();
        let v = serde_json::to_value(stored).unwrap();
        assert_eq!(v["customer"]["addresses"][0]["uuid"], "ADDR-0001");
        assert_eq!(v["vehicles"][0]["vehicleUuid"], "v 1/ä");
        assert!(sim.customer("cust 1").is_none());
    }

    #[tokio::test]
    async fn customer_uuid_matches_the_path_exactly_unless_both_are_guids() {
        let sim = Simulator::new("t", None);
        let text = serde_json::json!({"customer": {"customerUuid": "abc"}});
        assert_eq!(post(&sim, "ABC", text).await, StatusCode::BAD_REQUEST);
        let guid = serde_json::json!({"customer": {"customerUuid": SEEDED_ID.to_uppercase()}});
        assert_eq!(post(&sim, SEEDED_ID, guid).await, StatusCode::NO_CONTENT);
        assert!(sim.customer(&SEEDED_ID.to_uppercase()).is_some());
    }
}
