//! A circuit breaker per backend, fed by *classified* outcomes.
//!
//! The backend's own reading of an answer decides what a failure is: a
//! timeout, a refused connection, a 5xx or an unreadable body count; a
//! vendor saying "invalid", "not found" or "conflict" does not (the backend
//! worked, the data was refused).
//!
//! Closed: calls flow; the breaker opens after `consecutive_failures` in a
//! row, or when the failure rate over the last `window` calls reaches
//! `failure_rate` (once `window` calls were seen). Open: calls are refused
//! (503 with `Retry-After`) for `open_ms`. Half-open: one probe goes
//! through; its success closes the breaker, its failure opens it again.

use prometheus::IntGauge;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BreakerConfig {
    /// Failures in a row that open the breaker; 0 turns the breaker off.
    pub consecutive_failures: u32,
    /// Failure ratio over the last `window` calls that opens it.
    pub failure_rate: f64,
    /// Calls the failure rate is measured over.
    pub window: usize,
    /// How long it stays open before a probe.
    pub open_ms: u64,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            consecutive_failures: 5,
            failure_rate: 0.5,
            window: 20,
            open_ms: 10_000,
        }
    }
}

enum State {
    Closed {
        consecutive: u32,
        /// Recent outcomes, `true` = failure, at most `window`.
        recent: VecDeque<bool>,
    },
    Open {
        until: Instant,
    },
    HalfOpen {
        probing: bool,
    },
}

/// Shared by every clone of a backend's outbound side.
#[derive(Clone)]
pub struct Breaker {
    inner: Arc<Inner>,
}

struct Inner {
    cfg: BreakerConfig,
    state: Mutex<State>,
    gauge: IntGauge,
}

/// Leave to call; report the outcome with [`Permit::record`]. A permit
/// dropped unreported (the caller went away) counts as neither outcome, but
/// frees the half-open probe slot.
pub struct Permit {
    breaker: Breaker,
    probe: bool,
    done: bool,
}

impl Breaker {
    pub fn new(cfg: BreakerConfig, gauge: IntGauge) -> Self {
        gauge.set(0);
        Breaker {
            inner: Arc::new(Inner {
                cfg,
                state: Mutex::new(State::Closed {
                    consecutive: 0,
                    recent: VecDeque::new(),
                }),
                gauge,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a panic elsewhere mid-update; the
        // state is still a valid state.
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Leave to call, or how long until the next try.
    pub fn admit(&self) -> Result<Permit, Duration> {
        if self.inner.cfg.consecutive_failures == 0 {
            return Ok(self.permit(false));
        }
        let mut st = self.state();
        match &mut *st {
            State::Closed { .. } => Ok(self.permit(false)),
            State::Open { until } => {
                let now = Instant::now();
                if now >= *until {
                    *st = State::HalfOpen { probing: true };
                    Ok(self.permit(true))
                } else {
                    Err(*until - now)
                }
            }
            State::HalfOpen { probing } => {
                if *probing {
                    Err(Duration::from_secs(1))
                } else {
                    *probing = true;
                    Ok(self.permit(true))
                }
            }
        }
    }

    fn permit(&self, probe: bool) -> Permit {
        Permit {
            breaker: self.clone(),
            probe,
            done: false,
        }
    }

    fn open(&self, st: &mut State) {
        *st = State::Open {
            until: Instant::now() + Duration::from_millis(self.inner.cfg.open_ms),
        };
        self.inner.gauge.set(1);
    }

    fn close(&self, st: &mut State) {
        *st = State::Closed {
            consecutive: 0,
            recent: VecDeque::new(),
        };
        self.inner.gauge.set(0);
    }

    fn record(&self, probe: bool, failed: bool) {
        let cfg = &self.inner.cfg;
        if cfg.consecutive_failures == 0 {
            return;
        }
        let mut st = self.state();
        match &mut *st {
            State::HalfOpen { .. } if probe => {
                if failed {
                    self.open(&mut st);
                } else {
                    self.close(&mut st);
                }
            }
            State::Closed {
                consecutive,
                recent,
            } => {
                *consecutive = if failed { *consecutive + 1 } else { 0 };
                recent.push_back(failed);
                while recent.len() > cfg.window.max(1) {
                    recent.pop_front();
                }
                let failures = recent.iter().filter(|f| **f).count();
                let rate_trips = recent.len() >= cfg.window.max(1)
                    && failures as f64 >= cfg.failure_rate * recent.len() as f64;
                if *consecutive >= cfg.consecutive_failures || rate_trips {
                    self.open(&mut st);
                }
            }
            // A late answer from before the breaker opened changes nothing.
            _ => {}
        }
    }

    /// Whether the breaker refuses calls now (for tests and `/readyz`-like
    /// reports).
    pub fn is_open(&self) -> bool {
        matches!(&*self.state(), State::Open { until } if Instant::now() < *until)
    }
}

impl Permit {
    pub fn record(mut self, failed: bool) {
        self.done = true;
        self.breaker.record(self.probe, failed);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.probe && !self.done {
            let mut st = self.breaker.state();
            if let State::HalfOpen { probing } = &mut *st {
                *probing = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::advance;

    fn breaker(cfg: BreakerConfig) -> Breaker {
        Breaker::new(cfg, IntGauge::new("t", "t").unwrap())
    }

    #[tokio::test(start_paused = true)]
    async fn opens_after_consecutive_failures_and_closes_after_a_good_probe() {
        let b = breaker(BreakerConfig {
            consecutive_failures: 3,
            window: 100,
            open_ms: 30,
            ..Default::default()
        });
        for _ in 0..2 {
            b.admit().unwrap().record(true);
        }
        b.admit().unwrap().record(false);
        for _ in 0..3 {
            b.admit().unwrap().record(true);
        }
        assert_eq!(
            b.admit().err(),
            Some(Duration::from_millis(30)),
            "open after 3 in a row"
        );
        assert!(b.is_open());
        assert_eq!(b.inner.gauge.get(), 1);
        advance(Duration::from_millis(29)).await;
        assert_eq!(
            b.admit().err(),
            Some(Duration::from_millis(1)),
            "open until open_ms"
        );
        advance(Duration::from_millis(1)).await;
        assert!(!b.is_open());
        let probe = b.admit().unwrap();
        assert!(b.admit().is_err(), "one probe at a time");
        probe.record(false);
        assert!(b.admit().is_ok(), "closed after a good probe");
        assert_eq!(b.inner.gauge.get(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_probe_opens_again_and_a_dropped_one_frees_the_slot() {
        let b = breaker(BreakerConfig {
            consecutive_failures: 1,
            open_ms: 20,
            ..Default::default()
        });
        b.admit().unwrap().record(true);
        advance(Duration::from_millis(20)).await;
        drop(b.admit().unwrap());
        let probe = b.admit().unwrap();
        probe.record(true);
        // Open again for a whole open_ms from the failed probe.
        assert_eq!(b.admit().err(), Some(Duration::from_millis(20)));
        assert_eq!(b.inner.gauge.get(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_late_answer_from_before_it_opened_changes_nothing() {
        let b = breaker(BreakerConfig {
            consecutive_failures: 1,
            open_ms: 50,
            ..Default::default()
        });
        let late = b.admit().unwrap();
        b.admit().unwrap().record(true);
        advance(Duration::from_millis(10)).await;
        late.record(false);
        assert_eq!(b.admit().err(), Some(Duration::from_millis(40)));
    }

    #[test]
    fn opens_on_failure_rate() {
        let b = breaker(BreakerConfig {
            consecutive_failures: 100,
            failure_rate: 0.5,
            window: 4,
            open_ms: 1000,
        });
        for failed in [true, false, true] {
            b.admit().unwrap().record(failed);
        }
        assert!(b.admit().is_ok(), "not before `window` calls were seen");
        b.admit().unwrap().record(false);
        assert!(b.admit().is_err());
    }

    #[test]
    fn off_when_threshold_is_zero() {
        let b = breaker(BreakerConfig {
            consecutive_failures: 0,
            ..Default::default()
        });
        for _ in 0..50 {
            b.admit().unwrap().record(true);
        }
        assert!(b.admit().is_ok());
    }
}
