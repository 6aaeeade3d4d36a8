//! The retry policy: only idempotent calls, only when the vendor did not
//! answer usefully (connect error, timeout, reset, 502/503/504), with
//! exponential backoff and jitter, within a retry budget shared by every
//! call to the backend (so retries cannot multiply an outage's load).

use super::{CallError, VendorResponse};
use bytes::Bytes;
use http_body_util::Full;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tower::retry::backoff::{Backoff, ExponentialBackoff, ExponentialBackoffMaker, MakeBackoff};
use tower::retry::budget::{Budget, TpsBudget};
use tower::util::rng::HasherRng;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryConfig {
    /// Retries after the first attempt; 0 turns retries off.
    pub attempts: usize,
    /// First backoff; doubles each retry, up to `max_backoff_ms`.
    pub backoff_ms: u64,
    pub max_backoff_ms: u64,
    /// Retries allowed on top of the calls, as a share of them (0.2 = 20%).
    /// An f64, so the effective config prints `0.2` as written (an f32
    /// widened to print shows `0.20000000298023224`).
    pub budget_percent: f64,
    /// Retries allowed per second whatever the traffic.
    pub budget_min_per_sec: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            attempts: 2,
            backoff_ms: 25,
            max_backoff_ms: 500,
            budget_percent: 0.2,
            budget_min_per_sec: 10,
        }
    }
}

/// Marks a request safe to send twice (an extension of the outbound
/// `http::Request`).
#[derive(Debug, Clone, Copy)]
pub struct Idempotent(pub bool);

#[derive(Clone)]
pub struct RetryPolicy {
    attempts_left: usize,
    budget: Arc<TpsBudget>,
    backoff: ExponentialBackoff,
}

impl RetryPolicy {
    pub fn new(cfg: &RetryConfig) -> Result<Self, String> {
        let min = Duration::from_millis(cfg.backoff_ms.max(1));
        let max = Duration::from_millis(cfg.max_backoff_ms.max(cfg.backoff_ms).max(1));
        let mut maker = ExponentialBackoffMaker::new(min, max, 0.5, HasherRng::default())
            .map_err(|e| e.to_string())?;
        if !(0.0..=1000.0).contains(&cfg.budget_percent) {
            return Err("retry.budget_percent must be between 0 and 1000".into());
        }
        Ok(RetryPolicy {
            attempts_left: cfg.attempts,
            budget: Arc::new(TpsBudget::new(
                Duration::from_secs(10),
                cfg.budget_min_per_sec,
                cfg.budget_percent as f32,
            )),
            backoff: maker.make_backoff(),
        })
    }
}

type Req = http::Request<Full<Bytes>>;

impl tower::retry::Policy<Req, VendorResponse, CallError> for RetryPolicy {
    type Future = tokio::time::Sleep;

    fn retry(
        &mut self,
        req: &mut Req,
        result: &mut Result<VendorResponse, CallError>,
    ) -> Option<Self::Future> {
        let worth_retrying = match result {
            Ok(r) => matches!(r.status.as_u16(), 502..=504),
            Err(e) => e.is_transient(),
        };
        if !worth_retrying {
            // A call that went through pays into the budget.
            self.budget.deposit();
            return None;
        }
        let idempotent = req.extensions().get::<Idempotent>().is_some_and(|i| i.0);
        if !idempotent || self.attempts_left == 0 || !self.budget.withdraw() {
            return None;
        }
        self.attempts_left -= 1;
        Some(self.backoff.next_backoff())
    }

    fn clone_request(&mut self, req: &Req) -> Option<Req> {
        let idempotent = req.extensions().get::<Idempotent>().is_some_and(|i| i.0);
        if !idempotent || self.attempts_left == 0 {
            return None;
        }
        let mut r = http::Request::builder()
            .method(req.method().clone())
            .uri(req.uri().clone())
            .version(req.version())
            .body(req.body().clone())
            .ok()?;
        *r.headers_mut() = req.headers().clone();
        r.extensions_mut().insert(Idempotent(true));
        Some(r)
    }
}
