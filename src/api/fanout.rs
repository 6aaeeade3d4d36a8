//! One unified customer write to every backend of `routes.customers`, at
//! once.
//!
//! 1. Each backend encodes its own write and names the fields it cannot
//!    store ([`prepare`]). An encoding refusal (such as a non-GUID id for
//!    BokaMera: 400), or (on a strict route) any backend losing any field,
//!    answers before anything is sent to anyone.
//! 2. The writes go out concurrently, on the request's own task (no spawn:
//!    when the request is dropped, so are the calls).
//! 3. All succeeded: 200, `data` is the first backend's customer,
//!    `warnings` are everyone's, and `results` says how each went. Any
//!    failed: 502 problem+json whose `results` still names the backends
//!    that stored the write, with each failure's own problem as `error`. A
//!    write a backend refused is never reported as a success.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use super::customers::{prepare, send, Prepared};
use super::envelope::{Envelope, Warning};
use super::problem::{ApiError, ErrorItem};
use super::write::strict_refusal;
use super::ResourceRoute;
use crate::unified::{Customer, CustomerOptions, TextId};
use http::{HeaderValue, StatusCode};
use serde::Serialize;

/// How one backend's part of the write went (`results[]`).
#[derive(Debug, Clone, Serialize)]
pub struct BackendResult {
    pub backend: String,
    /// 200 when the backend stored the write; else the status of `error`.
    pub status: u16,
    pub warnings: Vec<Warning>,
    /// The backend's problem body, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<serde_json::Value>,
}

/// Writes `customer` under `id` to every target of `route`.
pub async fn write_all(
    route: &ResourceRoute,
    id: &TextId,
    customer: &Customer,
    json: &serde_json::Value,
    options: &CustomerOptions,
    request_id: Option<&HeaderValue>,
) -> Result<Envelope<Customer>, ApiError> {
    let prepared = route
        .targets
        .iter()
        .map(|t| prepare(t, id, customer, json, options))
        .collect::<Result<Vec<Prepared<'_>>, ApiError>>()?;
    if route.strict {
        let lost: Vec<(&str, &[String])> = prepared
            .iter()
            .filter(|p| !p.lost.is_empty())
            .map(|p| (p.target.name, p.lost.as_slice()))
            .collect();
        if !lost.is_empty() {
            return Err(strict_refusal_all(&lost));
        }
    }
    let calls = prepared.into_iter().map(|p| {
        let name = p.target.name;
        async move { (name, send(p, request_id).await) }
    });
    let outcomes = join_all(calls.collect()).await;
    let rid = request_id.and_then(|v| v.to_str().ok());
    summarize(outcomes, rid)
}

/// One backend's outcome: its customer and warnings, or its problem.
pub type Outcome = (&'static str, Result<(Customer, Vec<Warning>), ApiError>);

/// The answer to a write whose outcomes (in route order) are known.
pub fn summarize(
    outcomes: Vec<Outcome>,
    request_id: Option<&str>,
) -> Result<Envelope<Customer>, ApiError> {
    let mut results = Vec::with_capacity(outcomes.len());
    let mut all_warnings = Vec::new();
    let mut first_data = None;
    let mut failed: Vec<(&str, ApiError)> = Vec::new();
    for (name, outcome) in outcomes {
        match outcome {
            Ok((data, warnings)) => {
                all_warnings.extend(warnings.iter().cloned());
                results.push(BackendResult {
                    backend: name.into(),
                    status: StatusCode::OK.as_u16(),
                    warnings,
                    error: None,
                });
                first_data.get_or_insert(data);
            }
            Err(e) => {
                results.push(BackendResult {
                    backend: name.into(),
                    status: e.status.as_u16(),
                    warnings: Vec::new(),
                    error: Some(e.body(request_id)),
                });
                failed.push((name, e));
            }
        }
    }
    let mut extra = serde_json::Map::new();
    extra.insert(
        "results".into(),
        serde_json::to_value(&results).unwrap_or_default(),
    );
    match first_data {
        Some(data) if failed.is_empty() => {
            let mut env = Envelope::ok(data, all_warnings);
            env.extra = Some(extra);
            Ok(env)
        }
        _ => {
            let stored: Vec<&str> = results
                .iter()
                .filter(|r| r.error.is_none())
                .map(|r| r.backend.as_str())
                .collect();
            let detail = if stored.is_empty() {
                format!(
                    "no backend stored the write ({} of {} failed); results says how each went",
                    failed.len(),
                    results.len()
                )
            } else {
                format!(
                    "{} of {} backends failed; the write was stored at {} only; results says how each went",
                    failed.len(),
                    results.len(),
                    stored.join(", ")
                )
            };
            let errors = failed
                .iter()
                .map(|(name, e)| ErrorItem::new("backend_failed", format!("{name}: {}", e.detail)))
                .collect();
            let mut e = ApiError::new(StatusCode::BAD_GATEWAY, "backend-write-failed", detail)
                .errors(errors);
            if let [(name, _)] = failed.as_slice() {
                e = e.backend(*name);
            }
            e.extra = Some(extra);
            Err(e)
        }
    }
}

/// 422 for a strict route where some backends cannot store every field:
/// nothing was sent to any backend.
pub fn strict_refusal_all(lost: &[(&str, &[String])]) -> ApiError {
    if let [(name, fields)] = lost {
        return strict_refusal(name, fields);
    }
    let names: Vec<&str> = lost.iter().map(|(n, _)| *n).collect();
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "field-not-stored",
        format!(
            "{} cannot store every field given, and the route is strict; nothing was sent",
            names.join(" and ")
        ),
    )
    .errors(
        lost.iter()
            .flat_map(|(backend, fields)| {
                fields.iter().map(move |f| {
                    ErrorItem::new(
                        "field_not_stored",
                        format!("{f} is not stored by {backend}"),
                    )
                    .field(f.clone())
                })
            })
            .collect(),
    )
}

/// Polls every future on the current task until all are done; outputs in
/// input order.
pub async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, out) in futures.iter_mut().zip(outputs.iter_mut()) {
            if out.is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => *out = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::time::Instant;

    #[tokio::test(start_paused = true)]
    async fn join_all_runs_concurrently_and_keeps_order() {
        let start = Instant::now();
        let futs: Vec<_> = [30u64, 10, 20]
            .into_iter()
            .map(|ms| async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                ms
            })
            .collect();
        assert_eq!(join_all(futs).await, vec![30, 10, 20]);
        // In turn it would take 60 ms of the paused clock.
        assert_eq!(start.elapsed(), Duration::from_millis(30));
    }

    fn warn(b: &str) -> Warning {
        Warning::not_stored(b, "x")
    }

    #[test]
    fn all_ok_is_200_with_results() {
        let c = |n: &str| Customer {
            first_name: crate::unified::Field::Value(n.into()),
            ..Customer::default()
        };
        let env = summarize(
            vec![
                ("department", Ok((c("a"), vec![warn("department")]))),
                ("bokamera", Ok((c("b"), vec![warn("bokamera")]))),
            ],
            Some("rid"),
        )
        .unwrap();
        assert_eq!(env.status, StatusCode::OK);
        assert_eq!(env.data, c("a"));
        assert_eq!(env.warnings.len(), 2);
        let results = &env.extra.unwrap()["results"];
        assert_eq!(results[0]["backend"], "department");
        assert_eq!(results[1]["status"], 200);
        assert!(results[1].get("error").is_none());
    }

    #[test]
    fn any_failure_is_502_naming_who_stored_it() {
        let e = summarize(
            vec![
                ("department", Ok((Customer::default(), vec![]))),
                ("bokamera", Err(ApiError::gateway_timeout("bokamera"))),
            ],
            Some("rid"),
        )
        .err()
        .unwrap();
        assert_eq!(e.status, StatusCode::BAD_GATEWAY);
        assert_eq!(e.backend.as_deref(), Some("bokamera"));
        assert!(
            e.detail.contains("stored at department only"),
            "{}",
            e.detail
        );
        let body = e.body(Some("rid"));
        assert_eq!(body["results"][0]["status"], 200);
        assert_eq!(body["results"][1]["status"], 504);
        assert_eq!(body["results"][1]["error"]["requestId"], "rid");
        assert_eq!(body["results"][1]["error"]["backend"], "bokamera");
    }

    #[test]
    fn strict_refusal_names_every_backend_and_field() {
        let a = vec!["addresses".to_string()];
        let b = vec!["vehicles".to_string(), "emails".to_string()];
        let e = strict_refusal_all(&[("bokamera", &a), ("department", &b)]);
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<_> = e.errors.iter().filter_map(|i| i.field.as_deref()).collect();
        assert_eq!(fields, ["addresses", "vehicles", "emails"]);
        let one = strict_refusal_all(&[("bokamera", &a)]);
        assert_eq!(one.backend.as_deref(), Some("bokamera"));
    }
}
