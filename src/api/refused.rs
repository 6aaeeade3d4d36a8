//! The gateway's own refusals, and what the caller hears for each, in one
//! place: where a refusal arises, the code names it ([`Refused`],
//! [`BodyError`], [`StrictLoss`], an idempotency [`StoreError`]); the one
//! `From` impl per type below makes it a problem. Nothing was sent to any
//! backend for any of them. Failures at a backend are `failed.rs`'s.

use super::body::BodyError;
use super::problem::{ApiError, ErrorItem};
use crate::idempotency::StoreError;
use http::StatusCode;

/// A request the gateway refuses before any backend is asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    /// An HTTP/1.1 request without `Host` (RFC 9112 §3.2).
    MissingHost,
    /// No valid key in `x-api-key`.
    Unauthorized,
    /// The API key is over its rate limit; retry after so many seconds.
    RateLimited { retry_after: u64 },
    /// Too many wrong keys from the client's address; retry after so many
    /// seconds.
    WrongKeys { retry_after: u64 },
    /// `Idempotency-Key` is malformed or repeated (the message says how).
    IdempotencyKeyInvalid(&'static str),
    /// A request with the same key and the same content is still running.
    IdempotencyKeyInFlight,
    /// The key was used for a different request.
    IdempotencyKeyReused,
    /// The config routes the resource (named as in the detail) nowhere.
    NotRouted(&'static str),
    /// The route's backend does not serve the resource (the config checks
    /// make this unreachable): 500.
    Misrouted,
    /// The path's id is not a GUID.
    PathIdNotGuid,
    /// The path's id is not a text id; why.
    PathIdInvalid(String),
    /// The path's id is not a category id (a positive integer).
    PathIdNotCategory,
    /// The body's `id` is not the path's.
    IdMismatch,
    /// A create given an `id`: `what` is created (`customer group`), `put`
    /// the path that writes under a given id.
    IdNotAllowed {
        what: &'static str,
        put: &'static str,
    },
    /// The query string cannot be read at all.
    MalformedQuery,
    /// Options in the query string are unknown, repeated or bad (one item
    /// each).
    Options(Vec<ErrorItem>),
    /// `page`/`pageSize` are unknown, repeated or bad (one item each).
    Paging(Vec<ErrorItem>),
}

impl From<Refused> for ApiError {
    fn from(r: Refused) -> ApiError {
        let id_item = |message: String| ErrorItem::new("invalid_id", message).field("id");
        match r {
            Refused::MissingHost => ApiError::bad_request(
                "an HTTP/1.1 request needs a Host header",
                vec![ErrorItem::new("missing_host", "send a Host header").field("Host")],
            ),
            Refused::Unauthorized => ApiError::unauthorized(),
            Refused::RateLimited { retry_after } => {
                let mut e = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    "this API key is over its rate limit",
                );
                e.retry_after = Some(retry_after);
                e
            }
            Refused::WrongKeys { retry_after } => {
                let mut e = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    "too many requests with a wrong API key from this address",
                );
                e.retry_after = Some(retry_after);
                e
            }
            Refused::IdempotencyKeyInvalid(message) => ApiError::bad_request(
                "the Idempotency-Key header is invalid",
                vec![ErrorItem::new("invalid_idempotency_key", message).field("Idempotency-Key")],
            ),
            Refused::IdempotencyKeyInFlight => {
                let mut e = ApiError::new(
                    StatusCode::CONFLICT,
                    "idempotency-key-in-flight",
                    "a request with this Idempotency-Key is still being handled; retry later to get its answer",
                );
                e.retry_after = Some(1);
                e
            }
            Refused::IdempotencyKeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "this Idempotency-Key was used for a different request (method, path or body)",
            )
            .errors(vec![ErrorItem::new(
                "idempotency_key_reused",
                "use a new Idempotency-Key for a different request",
            )]),
            Refused::NotRouted(what) => ApiError::new(
                StatusCode::NOT_IMPLEMENTED,
                "not-routed",
                format!("no backend is configured for {what}"),
            ),
            Refused::Misrouted => ApiError::from_status(StatusCode::INTERNAL_SERVER_ERROR),
            Refused::PathIdNotGuid => ApiError::bad_request(
                "the id in the path is not a GUID",
                vec![id_item("expected a GUID".into())],
            ),
            Refused::PathIdInvalid(why) => {
                ApiError::bad_request("the id in the path is not a valid id", vec![id_item(why)])
            }
            Refused::PathIdNotCategory => ApiError::bad_request(
                "the id in the path is not a category id",
                vec![id_item("expected a positive integer".into())],
            ),
            Refused::IdMismatch => ApiError::bad_request(
                "the body's id is not the path's",
                vec![ErrorItem::new("id_mismatch", "id must match the path").field("id")],
            ),
            Refused::IdNotAllowed { what, put } => ApiError::bad_request(
                format!("a new {what} gets its id from the backend"),
                vec![
                    ErrorItem::new("id_not_allowed", format!("leave id out, or PUT {put}"))
                        .field("id"),
                ],
            ),
            Refused::MalformedQuery => ApiError::bad_request(
                "the query string is malformed",
                vec![ErrorItem::new(
                    "malformed_query",
                    "the query string cannot be read",
                )],
            ),
            Refused::Options(errors) => {
                ApiError::bad_request("the query string has invalid options", errors)
            }
            Refused::Paging(errors) => ApiError::bad_request("the paging query is invalid", errors),
        }
    }
}

impl From<BodyError> for ApiError {
    fn from(e: BodyError) -> ApiError {
        let one = |detail: &str, item: ErrorItem| ApiError::bad_request(detail, vec![item]);
        match e {
            BodyError::NotJson => ApiError::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
            BodyError::TooLarge => ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE),
            BodyError::Unreadable => one(
                "the request body could not be read",
                ErrorItem::new(
                    "unreadable_body",
                    "the body does not match its Content-Encoding",
                ),
            ),
            BodyError::NotUtf8 => one(
                "the request body is not UTF-8",
                ErrorItem::new("invalid_utf8", "the body is not UTF-8"),
            ),
            BodyError::TooDeep(depth) => one(
                "the request body is nested too deeply",
                ErrorItem::new("too_deep", format!("nesting deeper than {depth}")),
            ),
            BodyError::ListTooLong(len) => one(
                "a list in the request body is too long",
                ErrorItem::new("list_too_long", format!("a list has more than {len} items")),
            ),
            BodyError::Malformed { line, column, what } => one(
                "the request body is not valid JSON",
                ErrorItem::new(
                    "malformed_json",
                    format!("line {line} column {column}: {what}"),
                ),
            ),
            BodyError::Duplicate(path) => one(
                "the request body gives a member twice",
                ErrorItem::new("duplicate_member", format!("{path} is given more than once"))
                    .field(path),
            ),
            BodyError::NotExact(fields) => ApiError::bad_request(
                "a number in the request body cannot be held exactly",
                fields
                    .into_iter()
                    .map(|field| {
                        ErrorItem::new(
                            "number_not_exact",
                            format!(
                                "{} cannot be held exactly (integers fit 64 bits; other numbers fit a double)",
                                if field.is_empty() { "the body" } else { &field }
                            ),
                        )
                        .field(field)
                    })
                    .collect(),
            ),
            BodyError::Model { field, message } => one(
                "the request body does not match the unified model",
                ErrorItem::new("invalid_field", message).field(field),
            ),
        }
    }
}

/// A strict route's write where backends cannot store every field given:
/// each backend with the fields it would lose. Nothing was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StrictLoss(pub Vec<(&'static str, Vec<String>)>);

impl From<StrictLoss> for ApiError {
    fn from(StrictLoss(lost): StrictLoss) -> ApiError {
        let names: Vec<&str> = lost.iter().map(|(n, _)| *n).collect();
        let errors = lost
            .iter()
            .flat_map(|(backend, fields)| {
                fields.iter().map(move |f| {
                    ErrorItem::new(
                        "field_not_stored",
                        format!("{f} is not stored by {backend}"),
                    )
                    .field(f.clone())
                })
            })
            .collect();
        let e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "field-not-stored",
            format!(
                "{} cannot store every field given, and the route is strict; nothing was sent",
                names.join(" and ")
            ),
        )
        .errors(errors);
        match names.as_slice() {
            [one] => e.backend(*one),
            _ => e,
        }
    }
}

/// The `Idempotency-Key` store could not be asked whether the key is free:
/// the write is not sent, since it could be done twice.
impl From<StoreError> for ApiError {
    fn from(_: StoreError) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "idempotency-store-unavailable",
            "the Idempotency-Key cannot be checked now, so the write was not sent (it could be done twice); retry later",
        );
        e.retry_after = Some(1);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_loss_names_every_backend_and_field() {
        let e = ApiError::from(StrictLoss(vec![
            ("bokamera", vec!["addresses".into()]),
            ("department", vec!["vehicles".into(), "emails".into()]),
        ]));
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.backend, None);
        assert!(e.detail.starts_with("bokamera and department cannot store"));
        let fields: Vec<_> = e.errors.iter().filter_map(|i| i.field.as_deref()).collect();
        assert_eq!(fields, ["addresses", "vehicles", "emails"]);
        let one = ApiError::from(StrictLoss(vec![("bokamera", vec!["addresses".into()])]));
        assert_eq!(one.backend.as_deref(), Some("bokamera"));
        assert_eq!(one.errors[0].message, "addresses is not stored by bokamera");
    }

    #[test]
    fn refusals_keep_their_status_and_type() {
        for (r, status, kind) in [
            (Refused::NotRouted("customers"), 501, "not-routed"),
            (Refused::Misrouted, 500, "internal"),
            (Refused::IdMismatch, 400, "invalid-request"),
            (Refused::RateLimited { retry_after: 3 }, 429, "rate-limited"),
            (
                Refused::IdempotencyKeyInFlight,
                409,
                "idempotency-key-in-flight",
            ),
            (Refused::IdempotencyKeyReused, 422, "idempotency-key-reused"),
            (Refused::Unauthorized, 401, "unauthorized"),
        ] {
            let e = ApiError::from(r.clone());
            assert_eq!((e.status.as_u16(), e.kind), (status, kind), "{r:?}");
        }
        let e = ApiError::from(Refused::WrongKeys { retry_after: 7 });
        assert_eq!(e.retry_after, Some(7));
    }
}
