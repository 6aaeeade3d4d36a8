//! Every unified write, in one function ([`write`]): one value to every
//! backend of the resource's route (customers may have several; the other
//! resources have one, and one is the same path).
//!
//! 1. **Prepare**: each backend encodes its own write and names the fields
//!    of the caller's JSON it cannot store (from the round trip through its
//!    wire model). A backend that refuses to encode (a non-GUID id for
//!    BokaMera: 400) answers before anything is sent to anyone.
//! 2. **Refuse strict losses**: on a strict route, any backend losing any
//!    field is a 422 naming each backend and field, nothing sent.
//! 3. **Send** concurrently, on the request's own task (no spawn: when the
//!    request is dropped, so are the calls). Each lost field is a warning.
//! 4. **Summarize**: one backend's answer is the answer. Several: all
//!    succeeded is 200 with the first backend's value, everyone's
//!    warnings, and `results` saying how each went; any failed is a 502
//!    ([`WriteFailed`]) whose `results` still names the backends that
//!    stored the write. A write a backend refused is never a success.
//!
//! A resource plugs in with a [`WriteOp`]: which part of a backend serves
//! it, and how that part encodes the write and reads the answer.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use super::envelope::{Envelope, Warning};
use super::failed::{At, WriteFailed};
use super::problem::ApiError;
use super::refused::{Refused, StrictLoss};
use super::state::{ResourceRoute, Target};
use crate::backends::{Backend, Encoded, Reply, VendorFailure};
use crate::outbound::VendorResponse;
use crate::unified::unstored::unstored_fields_of;
use http::{HeaderValue, StatusCode};
use serde::Serialize;

/// One resource's write, as every backend of its route takes it.
pub trait WriteOp: Sync {
    /// The unified value written and answered.
    type Value: Serialize + Send;
    /// The part of a backend that serves the resource (`dyn Customers`).
    type Writer<'b>: ?Sized + Sync + 'b;
    /// That part of `backend`; `None` when it does not serve the resource.
    fn writer<'b>(&self, backend: &'b dyn Backend) -> Option<&'b Self::Writer<'b>>;
    /// The backend's request, and what it will store of the value.
    fn encode(&self, w: &Self::Writer<'_>) -> Result<Encoded<Self::Value>, VendorFailure>;
    /// The backend's answer; `sent` is what it stores of the write.
    fn decode(
        &self,
        w: &Self::Writer<'_>,
        resp: &VendorResponse,
        sent: Self::Value,
    ) -> Result<Reply<Self::Value>, VendorFailure>;
}

/// Writes `op` to every target of `route`; `json` is the caller's body, to
/// name the fields a backend cannot store.
pub async fn write<W: WriteOp>(
    route: &ResourceRoute,
    op: &W,
    json: &serde_json::Value,
    request_id: Option<&HeaderValue>,
) -> Result<Envelope<W::Value>, ApiError> {
    let prepared = route
        .targets
        .iter()
        .map(|t| prepare(t, op, json))
        .collect::<Result<Vec<Prepared<'_, W>>, ApiError>>()?;
    if route.strict {
        refuse_losses(&prepared)?;
    }
    // Each call's future (about 5 KB) is built straight into its box, not
    // moved through a `Vec` first.
    let calls = prepared
        .into_iter()
        .map(|p| Box::pin(send(op, p, request_id)))
        .collect();
    let outcomes = join_all(calls).await;
    summarize(outcomes, request_id.and_then(|v| v.to_str().ok()))
}

/// One backend's write, encoded but not sent.
struct Prepared<'a, W: WriteOp + 'a> {
    target: &'a Target,
    writer: &'a W::Writer<'a>,
    encoded: Encoded<W::Value>,
    /// Fields of the caller's JSON the backend cannot store.
    lost: Vec<String>,
}

fn prepare<'a, W: WriteOp>(
    target: &'a Target,
    op: &W,
    json: &serde_json::Value,
) -> Result<Prepared<'a, W>, ApiError> {
    let writer = op.writer(&*target.backend).ok_or(Refused::Misrouted)?;
    let encoded = op.encode(writer).map_err(|error| At {
        backend: target.name,
        error,
    })?;
    let lost = lost_fields(json, &encoded.stored);
    Ok(Prepared {
        target,
        writer,
        encoded,
        lost,
    })
}

/// The fields of the caller's JSON that `stored` (the value as the backend
/// will hold it) lost or changed.
/// Compared in place, without building `stored`'s JSON tree (see
/// `unified::unstored::unstored_fields_of`).
fn lost_fields<T: Serialize>(input: &serde_json::Value, stored: &T) -> Vec<String> {
    unstored_fields_of(input, stored)
}

/// 422 when some backend would lose a field (a strict route).
fn refuse_losses<W: WriteOp>(prepared: &[Prepared<'_, W>]) -> Result<(), StrictLoss> {
    let lost: Vec<(&'static str, Vec<String>)> = prepared
        .iter()
        .filter(|p| !p.lost.is_empty())
        .map(|p| (p.target.name, p.lost.clone()))
        .collect();
    match lost.is_empty() {
        true => Ok(()),
        false => Err(StrictLoss(lost)),
    }
}

/// One backend's outcome: its value and warnings, or its problem.
type Outcome<T> = (&'static str, Result<(T, Vec<Warning>), ApiError>);

/// Sends a prepared write: the value as stored, with a warning for each
/// field not stored and the vendor's own warnings.
async fn send<W: WriteOp>(
    op: &W,
    p: Prepared<'_, W>,
    request_id: Option<&HeaderValue>,
) -> Outcome<W::Value> {
    let Prepared {
        target,
        writer,
        encoded: Encoded { request, stored },
        lost,
    } = p;
    let reply = target
        .outbound
        .exchange(request, request_id, |r| op.decode(writer, r, stored))
        .await;
    let outcome = reply.map_err(ApiError::from).map(|reply| {
        let mut warnings: Vec<Warning> = lost
            .iter()
            .map(|f| Warning::not_stored(target.name, f))
            .collect();
        warnings.extend(reply.warnings);
        (reply.data, warnings)
    });
    (target.name, outcome)
}

/// How one backend's part of the write went (`results[]`).
#[derive(Debug, Clone, Serialize)]
struct BackendResult {
    backend: &'static str,
    /// 200 when the backend stored the write; else the status of `error`.
    status: u16,
    warnings: Vec<Warning>,
    /// The backend's problem body, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<serde_json::Value>,
}

/// The answer to a write whose outcomes (in route order) are known.
fn summarize<T: Serialize>(
    mut outcomes: Vec<Outcome<T>>,
    request_id: Option<&str>,
) -> Result<Envelope<T>, ApiError> {
    if outcomes.len() <= 1 {
        // One backend: its answer, as it gave it.
        let (_, outcome) = outcomes.pop().ok_or(Refused::Misrouted)?;
        let (data, warnings) = outcome?;
        return Ok(Envelope::ok(data, warnings));
    }
    let mut results = Vec::with_capacity(outcomes.len());
    let mut all_warnings = Vec::new();
    let mut first_data = None;
    let mut stored = Vec::new();
    let mut failed = Vec::new();
    for (backend, outcome) in outcomes {
        match outcome {
            Ok((data, warnings)) => {
                all_warnings.extend(warnings.iter().cloned());
                results.push(BackendResult {
                    backend,
                    status: StatusCode::OK.as_u16(),
                    warnings,
                    error: None,
                });
                stored.push(backend);
                first_data.get_or_insert(data);
            }
            Err(e) => {
                results.push(BackendResult {
                    backend,
                    status: e.status.as_u16(),
                    warnings: Vec::new(),
                    error: Some(e.body(request_id)),
                });
                failed.push((backend, e.detail.clone()));
            }
        }
    }
    let results = serde_json::to_value(&results).unwrap_or_default();
    match first_data {
        Some(data) if failed.is_empty() => {
            let mut env = Envelope::ok(data, all_warnings);
            let mut extra = serde_json::Map::new();
            extra.insert("results".into(), results);
            env.extra = Some(extra);
            Ok(env)
        }
        _ => Err(WriteFailed {
            results,
            stored,
            failed,
        }
        .into()),
    }
}

/// Polls every future on the current task until all are done; outputs in
/// input order.
async fn join_all<F: Future>(mut futures: Vec<Pin<Box<F>>>) -> Vec<F::Output> {
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
    use crate::unified::Customer;
    use std::time::Duration;
    use tokio::time::Instant;

    #[tokio::test(start_paused = true)]
    async fn join_all_runs_concurrently_and_keeps_order() {
        let start = Instant::now();
        let futs: Vec<_> = [30u64, 10, 20]
            .into_iter()
            .map(|ms| {
                Box::pin(async move {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    ms
                })
            })
            .collect();
        assert_eq!(join_all(futs).await, vec![30, 10, 20]);
        // In turn it would take 60 ms of the paused clock.
        assert_eq!(start.elapsed(), Duration::from_millis(30));
    }

    fn warn(b: &str) -> Warning {
        Warning::not_stored(b, "x")
    }

    fn named(n: &str) -> Customer {
        Customer {
            first_name: crate::unified::Field::Value(n.into()),
            ..Customer::default()
        }
    }

    #[test]
    fn all_ok_is_200_with_results() {
        let env = summarize(
            vec![
                ("department", Ok((named("a"), vec![warn("department")]))),
                ("bokamera", Ok((named("b"), vec![warn("bokamera")]))),
            ],
            Some("rid"),
        )
        .unwrap();
        assert_eq!(env.status, StatusCode::OK);
        assert_eq!(env.data, named("a"));
        assert_eq!(env.warnings.len(), 2);
        let results = &env.extra.unwrap()["results"];
        assert_eq!(results[0]["backend"], "department");
        assert_eq!(results[1]["status"], 200);
        assert!(results[1].get("error").is_none());
    }

    #[test]
    fn one_backend_answers_as_itself() {
        let env = summarize(
            vec![("department", Ok((named("a"), vec![warn("department")])))],
            None,
        )
        .unwrap();
        assert!(env.extra.is_none());
        assert_eq!(env.warnings.len(), 1);
        let e = summarize::<Customer>(
            vec![("bokamera", Err(ApiError::gateway_timeout("bokamera")))],
            None,
        )
        .err()
        .unwrap();
        assert_eq!(
            (e.status, e.kind),
            (StatusCode::GATEWAY_TIMEOUT, "gateway-timeout")
        );
        let none = summarize::<Customer>(Vec::new(), None).err().unwrap();
        assert_eq!(none.status, StatusCode::INTERNAL_SERVER_ERROR);
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
        assert_eq!(
            e.errors[0].message,
            "bokamera: the backend did not answer in time"
        );
        let body = e.body(Some("rid"));
        assert_eq!(body["results"][0]["status"], 200);
        assert_eq!(body["results"][1]["status"], 504);
        assert_eq!(body["results"][1]["error"]["requestId"], "rid");
        assert_eq!(body["results"][1]["error"]["backend"], "bokamera");
    }

    #[test]
    fn all_failed_says_none_stored() {
        let e = summarize::<Customer>(
            vec![
                ("department", Err(ApiError::gateway_timeout("department"))),
                ("bokamera", Err(ApiError::gateway_timeout("bokamera"))),
            ],
            None,
        )
        .err()
        .unwrap();
        assert_eq!(e.backend, None);
        assert!(e
            .detail
            .starts_with("no backend stored the write (2 of 2 failed)"));
    }
}
