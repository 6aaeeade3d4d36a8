//! `PUT /v1/customers/{id}`: replace a customer at every backend
//! `routes.customers.backends` names, through the write flow
//! ([`super::write`]).
//!
//! Request-scoped vendor options come from the query string
//! ([`super::query`]); each backend reads its own, and each one left out
//! falls back to the backend's config default.

use super::body::JsonBody;
use super::envelope::Envelope;
use super::problem::ApiError;
use super::refused::Refused;
use super::request_id::RequestId;
use super::state::AppState;
use super::write::{write, WriteOp};
use super::{path_id, query};
use crate::backends::{Backend, Customers, Encoded, QueryOptions, Reply, VendorFailure};
use crate::config::Resource;
use crate::outbound::VendorResponse;
use crate::unified::{Customer, Field, TextId};
use axum::extract::{Path, State};
use http::Uri;
use std::sync::Arc;

/// `PUT /v1/customers/{id}`: the path's id is any text id (a backend that
/// types it as a GUID refuses others before anything is sent); the body's
/// `id`, when given, must be the path's (case aside only when both are
/// GUIDs); the customer is written under the path's id.
pub async fn put(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    uri: Uri,
    h: RequestId,
    body: JsonBody<Customer>,
) -> Result<Envelope<Customer>, ApiError> {
    let id = path_id::text(&id)?;
    let options = query::vendor_options(uri.query())?;
    let JsonBody {
        value: mut customer,
        mut json,
    } = body;
    if let Field::Value(b) = &customer.id {
        if !id.same_as(b.as_str()) {
            return Err(Refused::IdMismatch.into());
        }
    }
    // The path's id is the customer's, as the caller wrote it in the path.
    customer.id = Field::Value(id.clone());
    if let serde_json::Value::Object(m) = &mut json {
        m.insert("id".into(), id.as_str().into());
    }
    let route = s.route(Resource::Customers)?;
    let op = PutCustomer {
        id: &id,
        customer: &customer,
        options: &options,
    };
    write(route, &op, &json, h.get()).await
}

/// The customer write, as each backend's [`Customers`] takes it.
struct PutCustomer<'a> {
    id: &'a TextId,
    customer: &'a Customer,
    options: &'a QueryOptions,
}

impl WriteOp for PutCustomer<'_> {
    type Value = Customer;
    type Writer<'b> = dyn Customers + 'b;

    fn writer<'b>(&self, backend: &'b dyn Backend) -> Option<&'b (dyn Customers + 'b)> {
        backend.customers()
    }

    fn encode(&self, w: &(dyn Customers + '_)) -> Result<Encoded<Customer>, VendorFailure> {
        w.put_request(self.id, self.customer, self.options)
    }

    fn decode(
        &self,
        w: &(dyn Customers + '_),
        resp: &VendorResponse,
        sent: Customer,
    ) -> Result<Reply<Customer>, VendorFailure> {
        w.decode_put(resp, sent)
    }
}
