//! One vendor exchange, the same for every vendor and every route: leave
//! from the backend's breaker, the vendor idempotency key, sending through
//! the outbound stack, letting the backend classify and decode the answer,
//! reporting the classified outcome to the breaker, metrics and logs.
//!
//! What a failed exchange is comes back as [`Failed`]; the inbound API
//! turns it into a problem in one place. Nothing here knows HTTP answers of
//! the unified API, and nothing here knows a vendor: the backend's decoder
//! gives its verdict through [`Verdict`].

use super::{AuthError, CallError, Outbound, Permit, VendorRequest, VendorResponse};
use http::{header, HeaderValue, StatusCode};
use std::time::Duration;
use tokio::time::Instant;
use tracing::{Instrument, Span};

tokio::task_local! {
    /// The `Idempotency-Key` a backend that opts in receives, while a request
    /// that carried one runs (set by the idempotency middleware).
    static VENDOR_KEY: HeaderValue;
    /// When the whole request's deadline passes (set by the inbound
    /// deadline layer, `server.request_timeout_ms`).
    static DEADLINE: tokio::time::Instant;
}

/// Runs `fut` under the whole-request deadline `at`: an exchange it makes
/// that is dropped unfinished once `at` has passed was cut short by the
/// deadline, and counts as its backend's timeout.
pub async fn with_deadline<F: std::future::Future>(at: tokio::time::Instant, fut: F) -> F::Output {
    DEADLINE.scope(at, fut).await
}

/// Runs `fut` with `key` as the vendor idempotency key of every exchange it
/// makes (for backends that opt in with `forwards_idempotency_key`).
pub async fn with_vendor_key<F: std::future::Future>(key: HeaderValue, fut: F) -> F::Output {
    VENDOR_KEY.scope(key, fut).await
}

/// The vendor idempotency key of the request being handled, if any.
pub fn vendor_key() -> Option<HeaderValue> {
    VENDOR_KEY.try_with(Clone::clone).ok()
}

/// A backend's reading of a vendor answer that is not a success.
pub trait Verdict {
    /// The `outcome` label of `crossdock_backend_requests_total`.
    fn outcome(&self) -> &'static str;
    /// Whether the backend itself failed (feeds the breaker), as opposed
    /// to the vendor saying no to the data.
    fn is_backend_fault(&self) -> bool;
    /// A short, secret-free reason when the answer could not be read at
    /// all (counted as a translation error).
    fn unreadable(&self) -> Option<&str> {
        None
    }
}

/// Why an exchange did not give the decoded answer.
#[derive(Debug)]
pub enum ExchangeError<F> {
    /// No usable answer came back (timeout, connection, TLS, breaker,
    /// shed).
    Call(CallError),
    /// No bearer token could be had for the call (`[oauth]`): nothing was
    /// sent to the vendor.
    Auth(AuthError),
    /// The vendor answered, and its backend read the answer as `F`.
    Vendor(F),
}

/// A failed exchange with the backend it was for.
#[derive(Debug)]
pub struct Failed<F> {
    pub backend: &'static str,
    pub error: ExchangeError<F>,
}

impl Outbound {
    /// Sends `req` (tagged with the caller's `request_id`) and decodes the
    /// answer with the backend's `decode`.
    pub async fn exchange<T, F: Verdict>(
        &self,
        mut req: VendorRequest,
        request_id: Option<&HeaderValue>,
        decode: impl FnOnce(&VendorResponse) -> Result<T, F>,
    ) -> Result<T, Failed<F>> {
        let name = self.name;
        let fail = |error| Failed {
            backend: name,
            error,
        };
        if self.forwards_idempotency_key && !req.method.is_safe() {
            if let Some(k) = vendor_key() {
                req.headers.insert("idempotency-key", k);
            }
        }
        let op = req.operation;
        Span::current().record("backend", name);
        // W3C trace context for the vendor: the request's trace, a new span
        // (the exchange's own span when OTLP is on; none is made otherwise).
        let span = crate::trace::vendor_span(name, op, &req.method);
        crate::trace::inject(&span, &mut req.headers);
        let start = Instant::now();
        let permit = match self.admit() {
            Ok(p) => p,
            Err(e) => {
                self.metrics
                    .backend_call(name, op, e.outcome(), start.elapsed());
                return Err(fail(ExchangeError::Call(e)));
            }
        };
        let _busy = InFlight::enter(&self.in_flight);
        // From here on the outcome is reported once: by `report`, or by
        // the guard's drop when the future is dropped before that.
        let pending = Pending {
            outbound: self,
            op,
            start,
            permit: Some(permit),
            deadline: DEADLINE.try_with(|d| *d).ok(),
            span: span.clone(),
        };
        let result = match self.send(req, request_id).instrument(span).await {
            Ok(r) => r,
            Err(e) => {
                // The vendor cannot be reached without a token: a fault of
                // the backend as a whole.
                pending.report(Some(true), "auth_failed", start.elapsed());
                if let AuthError::Tls(t) = &e {
                    self.metrics.tls_error(name, t.reason());
                }
                tracing::warn!(backend = name, operation = op, error = %e, "no token for the backend");
                return Err(fail(ExchangeError::Auth(e)));
            }
        };
        let took = start.elapsed();
        let resp = match result {
            Ok(r) => r,
            Err(e) => {
                // Shedding says nothing about the backend's health.
                let failed = (!matches!(e, CallError::Overloaded)).then_some(true);
                pending.report(failed, e.outcome(), took);
                if let Some(t) = e.tls_failure() {
                    self.metrics.tls_error(name, t.reason());
                }
                tracing::warn!(backend = name, operation = op, error = %e, "backend call failed");
                return Err(fail(ExchangeError::Call(e)));
            }
        };
        crate::trace::vendor_status(&pending.span, resp.status);
        let decoded = decode(&resp);
        let outcome = match &decoded {
            Ok(_) => "success",
            Err(f) => f.outcome(),
        };
        pending.report(
            Some(matches!(&decoded, Err(f) if f.is_backend_fault())),
            outcome,
            took,
        );
        decoded.map_err(|f| {
            if let Some(why) = f.unreadable() {
                self.metrics.translation_error(name, "response");
                tracing::warn!(backend = name, operation = op, status = resp.status.as_u16(), reason = %why, "vendor response unreadable");
            } else if f.is_backend_fault() {
                tracing::warn!(backend = name, operation = op, status = resp.status.as_u16(), "backend failed");
            }
            fail(ExchangeError::Vendor(f))
        })
    }

    /// Sends `req` with the backend's bearer token, when it has one. A 401
    /// to a call that carried a cached token gets one fresh token and one
    /// more try, never more (the token may have been revoked or expired
    /// early). The outer error is the token source's; the inner, the call's.
    async fn send(
        &self,
        mut req: VendorRequest,
        request_id: Option<&HeaderValue>,
    ) -> Result<Result<VendorResponse, CallError>, AuthError> {
        let Some(tokens) = &self.tokens else {
            return Ok(self.call(req, request_id).await);
        };
        let used = tokens.bearer().await?;
        req.headers.insert(header::AUTHORIZATION, used.clone());
        let again = req.clone();
        let first = self.call(req, request_id).await;
        if !matches!(&first, Ok(r) if r.status == StatusCode::UNAUTHORIZED) {
            return Ok(first);
        }
        tokens.invalidate(&used);
        let fresh = tokens.bearer().await?;
        let mut again = again;
        again.headers.insert(header::AUTHORIZATION, fresh);
        tracing::info!(
            backend = self.name,
            operation = again.operation,
            "the vendor refused the token (401); one retry with a fresh one"
        );
        Ok(self.call(again, request_id).await)
    }
}

/// Counts an admitted exchange in `crossdock_backend_requests_in_flight`
/// for as long as it lives (its future may be dropped mid-call).
struct InFlight<'a>(&'a prometheus::IntGauge);

impl<'a> InFlight<'a> {
    fn enter(gauge: &'a prometheus::IntGauge) -> Self {
        gauge.inc();
        InFlight(gauge)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// An exchange admitted by the breaker whose outcome is not reported yet.
///
/// Dropped unreported, the exchange's future was dropped mid-call. When
/// the whole-request deadline had passed, the deadline cut the call short:
/// that is the backend's timeout (outcome `timeout`, a breaker failure),
/// as if its own `timeout_ms` had. Otherwise the caller went away (a
/// closed connection): not the backend's doing, so nothing is counted
/// (the permit's own drop frees a half-open probe slot), and a client
/// closing connections cannot open the breaker for everyone.
struct Pending<'a> {
    outbound: &'a Outbound,
    op: &'static str,
    start: Instant,
    permit: Option<Permit>,
    /// The whole-request deadline, when the exchange runs under one.
    deadline: Option<tokio::time::Instant>,
    /// The exchange's span ([`crate::trace::vendor_span`]).
    span: Span,
}

impl Pending<'_> {
    /// Reports the outcome: to the breaker (`Some(failed)`; `None` leaves
    /// it out) and to the metrics.
    fn report(mut self, failed: Option<bool>, outcome: &'static str, took: Duration) {
        if let (Some(permit), Some(failed)) = (self.permit.take(), failed) {
            permit.record(failed);
        }
        crate::trace::vendor_outcome(&self.span, outcome, outcome != "success");
        self.outbound
            .metrics
            .backend_call(self.outbound.name, self.op, outcome, took);
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let cut = self
            .deadline
            .is_some_and(|at| tokio::time::Instant::now() >= at);
        if !cut {
            return;
        }
        permit.record(true);
        crate::trace::vendor_outcome(&self.span, "timeout", true);
        let name = self.outbound.name;
        self.outbound
            .metrics
            .backend_call(name, self.op, "timeout", self.start.elapsed());
        tracing::warn!(
            backend = name,
            operation = self.op,
            "the request deadline cut the backend call short"
        );
    }
}
