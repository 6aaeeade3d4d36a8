//! `PUT /v1/customers/{id}`: replace a customer at the backends
//! `routes.customers.backends` names.
//!
//! Request-scoped vendor options come from the query string (see
//! [`parse_options`]); each one left out falls back to the backend's config
//! default. The work for one backend is split in [`prepare`] (encode, name
//! unstored fields; nothing sent) and [`send`], so a write to several
//! backends can refuse in strict mode before any is sent, then send
//! concurrently.

use super::body::JsonBody;
use super::envelope::{Envelope, Warning};
use super::failed::vendor_error;
use super::problem::{ApiError, ErrorItem};
use super::write::{check_lost, lost_fields, strict_refusal, text_path_id as path_id};
use super::{AppState, Target};
use crate::backends::{Customers, Encoded};
use crate::config::Resource;
use crate::unified::{Customer, CustomerOptions, Field, Guid, TextId};
use axum::extract::{Path, Query, State};
use http::{HeaderMap, HeaderValue, StatusCode, Uri};
use std::sync::Arc;

type Reply = Result<Envelope<Customer>, ApiError>;

/// `PUT /v1/customers/{id}`: the path's id is any text id (a backend that
/// types it as a GUID refuses others before anything is sent); the body's
/// `id`, when given, must be the path's (case aside only when both are
/// GUIDs); the customer is written under the path's id.
pub async fn put(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    uri: Uri,
    h: HeaderMap,
    body: JsonBody<Customer>,
) -> Reply {
    let id = path_id(&id)?;
    let options = parse_options(uri.query())?;
    let JsonBody {
        value: mut customer,
        mut json,
    } = body;
    if let Field::Value(b) = &customer.id {
        if !id.same_as(b.as_str()) {
            return Err(ApiError::bad_request(
                "the body's id is not the path's",
                vec![ErrorItem::new("id_mismatch", "id must match the path").field("id")],
            ));
        }
    }
    // The path's id is the customer's, as the caller wrote it in the path.
    customer.id = Field::Value(id.clone());
    if let serde_json::Value::Object(m) = &mut json {
        m.insert("id".into(), id.as_str().into());
    }
    let route = s.route(Resource::Customers)?;
    if route.targets.len() > 1 {
        let rid = h.get("x-request-id");
        return super::fanout::write_all(route, &id, &customer, &json, &options, rid).await;
    }
    let target = route
        .targets
        .first()
        .ok_or_else(|| ApiError::from_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    let prepared = prepare(target, &id, &customer, &json, &options)?;
    if route.strict && !prepared.lost.is_empty() {
        return Err(strict_refusal(target.name, &prepared.lost));
    }
    let (data, warnings) = send(prepared, h.get("x-request-id")).await?;
    Ok(Envelope::ok(data, warnings))
}

/// One backend's write, encoded but not sent.
pub struct Prepared<'a> {
    pub target: &'a Target,
    pub customers: &'a dyn Customers,
    pub encoded: Encoded<Customer>,
    /// Unified fields of the request the backend cannot store.
    pub lost: Vec<String>,
}

/// Encodes the write for `target` and names what it cannot store.
pub fn prepare<'a>(
    target: &'a Target,
    id: &TextId,
    customer: &Customer,
    json: &serde_json::Value,
    options: &CustomerOptions,
) -> Result<Prepared<'a>, ApiError> {
    let customers = target
        .backend
        .customers()
        .ok_or_else(|| ApiError::from_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    let encoded = customers
        .put_request(id, customer, options)
        .map_err(|f| vendor_error(target.name, f))?;
    let lost = lost_fields(json, &encoded.stored);
    Ok(Prepared {
        target,
        customers,
        encoded,
        lost,
    })
}

/// Sends a prepared write: the customer as stored, with a warning for each
/// field not stored and the vendor's own warnings.
pub async fn send(
    p: Prepared<'_>,
    request_id: Option<&HeaderValue>,
) -> Result<(Customer, Vec<Warning>), ApiError> {
    let Prepared {
        target,
        customers,
        encoded,
        lost,
    } = p;
    // Strictness was checked before anything was sent (`prepare`).
    let mut warnings = check_lost(target.name, &lost, false)?;
    let Encoded { request, stored } = encoded;
    let reply = target
        .outbound
        .exchange(request, request_id, |r| customers.decode_put(r, stored))
        .await?;
    warnings.extend(reply.warnings);
    Ok((reply.data, warnings))
}

fn invalid_param(name: &str, message: impl Into<String>) -> ErrorItem {
    ErrorItem::new("invalid_parameter", message).field(name)
}

/// The options of the query string:
///
/// - `requesterUserUUID=<text>`
/// - `dealerUUIDList=<a>&dealerUUIDList=<b>` or `dealerUUIDList=<a>,<b>`
///   (both may be mixed; an empty value, `dealerUUIDList=`, sends an empty
///   list instead of the default)
/// - `validateVin=true|false`, `searchForDuplicate=true|false`
/// - `companyId=<GUID>` (BokaMera)
///
/// Any other parameter, a repeated single-valued one, or a bad value is a
/// 400 naming every such parameter.
pub fn parse_options(query: Option<&str>) -> Result<CustomerOptions, ApiError> {
    let mut o = CustomerOptions::default();
    let Some(q) = query.filter(|q| !q.is_empty()) else {
        return Ok(o);
    };
    let pairs: Vec<(String, String)> = Query::try_from_uri(
        &format!("/?{q}")
            .parse::<Uri>()
            .map_err(|_| malformed_query())?,
    )
    .map(|Query(p)| p)
    .map_err(|_| malformed_query())?;
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in &pairs {
        let once = |seen: &mut Vec<&str>, errors: &mut Vec<ErrorItem>, name: &'static str| {
            if seen.contains(&name) {
                errors.push(invalid_param(
                    name,
                    format!("{name} is given more than once"),
                ));
                false
            } else {
                seen.push(name);
                true
            }
        };
        match k.as_str() {
            "requesterUserUUID" => {
                if once(&mut seen, &mut errors, "requesterUserUUID") {
                    if v.trim().is_empty() {
                        errors.push(invalid_param(
                            "requesterUserUUID",
                            "requesterUserUUID must not be empty",
                        ));
                    } else {
                        o.requester_user_uuid = Some(v.clone());
                    }
                }
            }
            "dealerUUIDList" => {
                o.dealer_uuid_list
                    .get_or_insert_with(Vec::new)
                    .extend(v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned));
            }
            "validateVin" => {
                if once(&mut seen, &mut errors, "validateVin") {
                    match parse_bool(v) {
                        Some(b) => o.validate_vin = Some(b),
                        None => errors.push(invalid_param(
                            "validateVin",
                            "validateVin must be true or false",
                        )),
                    }
                }
            }
            "searchForDuplicate" => {
                if once(&mut seen, &mut errors, "searchForDuplicate") {
                    match parse_bool(v) {
                        Some(b) => o.search_for_duplicate = Some(b),
                        None => errors.push(invalid_param(
                            "searchForDuplicate",
                            "searchForDuplicate must be true or false",
                        )),
                    }
                }
            }
            "companyId" => {
                if once(&mut seen, &mut errors, "companyId") {
                    match Guid::parse(v) {
                        Some(g) => o.company_id = Some(g),
                        None => errors.push(invalid_param("companyId", "companyId must be a GUID")),
                    }
                }
            }
            other => errors.push(
                ErrorItem::new(
                    "unknown_parameter",
                    format!("unknown query parameter {other}; known: requesterUserUUID, dealerUUIDList, validateVin, searchForDuplicate, companyId"),
                )
                .field(other.to_owned()),
            ),
        }
    }
    if errors.is_empty() {
        Ok(o)
    } else {
        Err(ApiError::bad_request(
            "the query string has invalid options",
            errors,
        ))
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn malformed_query() -> ApiError {
    ApiError::bad_request(
        "the query string is malformed",
        vec![ErrorItem::new(
            "malformed_query",
            "the query string cannot be read",
        )],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_from_the_query() {
        let o = parse_options(Some(
            "requesterUserUUID=u%201&dealerUUIDList=a,b&dealerUUIDList=c&validateVin=false&searchForDuplicate=true&companyId=0f8fad5b-d9cb-469f-a165-70867728950e",
        ))
        .unwrap();
        assert_eq!(o.requester_user_uuid.as_deref(), Some("u 1"));
        assert_eq!(
            o.dealer_uuid_list,
            Some(vec!["a".to_string(), "b".into(), "c".into()])
        );
        assert_eq!(o.validate_vin, Some(false));
        assert_eq!(o.search_for_duplicate, Some(true));
        assert!(o.company_id.is_some());
        assert_eq!(parse_options(None).unwrap(), CustomerOptions::default());
        assert_eq!(
            parse_options(Some("dealerUUIDList="))
                .unwrap()
                .dealer_uuid_list,
            Some(vec![])
        );
    }

    #[test]
    fn bad_options_are_named() {
        let e = parse_options(Some(
            "validateVin=yes&companyId=x&bogus=1&requesterUserUUID=a&requesterUserUUID=b",
        ))
        .unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        let fields: Vec<_> = e.errors.iter().filter_map(|i| i.field.as_deref()).collect();
        assert_eq!(
            fields,
            ["validateVin", "companyId", "bogus", "requesterUserUUID"]
        );
    }
}
