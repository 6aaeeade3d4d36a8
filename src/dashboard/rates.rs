//! Recent rates from the process's own Prometheus counters: each poll of
//! the dashboard takes a [`Snapshot`] of the counters (at most one a second
//! is kept, for a minute), and rates are differences between snapshots.
//! Nothing runs between polls.

use crate::metrics::Metrics;
use prometheus::core::Collector;
use prometheus::proto::{Metric, MetricFamily};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// How far back "recent" looks.
pub const WINDOW: Duration = Duration::from_secs(30);
/// How long snapshots are kept (the sparklines' span).
const KEEP: Duration = Duration::from_secs(60);
/// At most one snapshot is kept per this much time.
const EVERY: Duration = Duration::from_secs(1);

/// Outcomes of `crossdock_backend_requests_total` that are not errors: a
/// success, or the vendor refusing the data (as in the alert rules).
const NOT_ERRORS: &[&str] = &["success", "invalid", "not_found", "conflict"];

/// The counters of one backend (or of the whole API) at one time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub calls: u64,
    pub errors: u64,
    /// Sum and count of the latency histogram.
    pub seconds: f64,
    pub timed: u64,
    /// Cumulative buckets (upper bound, count), `+Inf` left out.
    pub buckets: Vec<(f64, u64)>,
}

/// Every counter the dashboard reads, at one time.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub backends: BTreeMap<String, Counts>,
    /// The unified API's answers (errors: 5xx).
    pub http: Counts,
}

/// What happened between two snapshots.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rates {
    pub per_sec: f64,
    /// Errors among the calls (0 to 1); `None` without calls.
    pub error_rate: Option<f64>,
    pub mean_ms: Option<f64>,
    pub p95_ms: Option<f64>,
}

fn label<'a>(m: &'a Metric, name: &str) -> &'a str {
    m.get_label()
        .iter()
        .find(|l| l.name() == name)
        .map_or("", |l| l.value())
}

fn metrics_of(c: &impl Collector) -> Vec<Metric> {
    c.collect()
        .iter()
        .flat_map(MetricFamily::get_metric)
        .cloned()
        .collect()
}

/// The value of a gauge vector with one `backend` label, per backend.
pub fn gauge_by_backend(c: &impl Collector) -> BTreeMap<String, i64> {
    metrics_of(c)
        .iter()
        .map(|m| {
            (
                label(m, "backend").to_string(),
                m.get_gauge().get_value() as i64,
            )
        })
        .collect()
}

impl Snapshot {
    pub fn take(m: &Metrics) -> Snapshot {
        let mut s = Snapshot::default();
        for c in metrics_of(&m.backend_requests) {
            let counts = s.backends.entry(label(&c, "backend").into()).or_default();
            let n = c.get_counter().get_value() as u64;
            counts.calls += n;
            if !NOT_ERRORS.contains(&label(&c, "outcome")) {
                counts.errors += n;
            }
        }
        for h in metrics_of(&m.backend_duration) {
            let counts = s.backends.entry(label(&h, "backend").into()).or_default();
            add_histogram(counts, &h);
        }
        for c in metrics_of(&m.http_requests) {
            let n = c.get_counter().get_value() as u64;
            s.http.calls += n;
            if label(&c, "status").starts_with('5') {
                s.http.errors += n;
            }
        }
        for h in metrics_of(&m.http_duration) {
            add_histogram(&mut s.http, &h);
        }
        s
    }
}

/// Adds one histogram series (every series has the same buckets).
fn add_histogram(counts: &mut Counts, m: &Metric) {
    let h = m.get_histogram();
    counts.seconds += h.get_sample_sum();
    counts.timed += h.get_sample_count();
    for (i, b) in h.get_bucket().iter().enumerate() {
        if !b.upper_bound().is_finite() {
            continue;
        }
        match counts.buckets.get_mut(i) {
            Some((_, n)) => *n += b.cumulative_count(),
            None => counts.buckets.push((b.upper_bound(), b.cumulative_count())),
        }
    }
}

impl Counts {
    /// What happened from `before` to `self`, over `secs`.
    pub fn since(&self, before: &Counts, secs: f64) -> Rates {
        let calls = self.calls.saturating_sub(before.calls);
        let errors = self.errors.saturating_sub(before.errors);
        let timed = self.timed.saturating_sub(before.timed);
        let buckets: Vec<(f64, u64)> = self
            .buckets
            .iter()
            .enumerate()
            .map(|(i, (le, n))| {
                let was = before.buckets.get(i).map_or(0, |b| b.1);
                (*le, n.saturating_sub(was))
            })
            .collect();
        Rates {
            per_sec: if secs > 0.0 { calls as f64 / secs } else { 0.0 },
            error_rate: (calls > 0).then(|| errors as f64 / calls as f64),
            mean_ms: (timed > 0)
                .then(|| (self.seconds - before.seconds).max(0.0) / timed as f64 * 1e3),
            p95_ms: quantile(0.95, &buckets, timed).map(|s| s * 1e3),
        }
    }
}

/// The `q` quantile of `total` observations in cumulative `buckets`,
/// interpolated within its bucket as Prometheus' `histogram_quantile`
/// does; past the last finite bucket, that bucket's bound.
pub fn quantile(q: f64, buckets: &[(f64, u64)], total: u64) -> Option<f64> {
    if total == 0 {
        return None;
    }
    let rank = q * total as f64;
    let (mut lower, mut below) = (0.0, 0u64);
    for (le, n) in buckets {
        if *n as f64 >= rank {
            let inside = n.saturating_sub(below);
            let share = if inside == 0 {
                1.0
            } else {
                (rank - below as f64) / inside as f64
            };
            return Some(lower + (le - lower) * share);
        }
        (lower, below) = (*le, *n);
    }
    buckets.last().map(|(le, _)| *le)
}

/// The snapshots of the last minute, oldest first.
#[derive(Default)]
pub struct Samples {
    kept: VecDeque<(Instant, Snapshot)>,
}

/// One step of a sparkline: calls and errors per second.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Step {
    pub per_sec: f64,
    pub errors_per_sec: f64,
}

impl Samples {
    /// Keeps `snap`, taken at `now`, unless one was kept less than a
    /// second ago; forgets those older than a minute (always keeping one
    /// to compare with).
    pub fn keep(&mut self, now: Instant, snap: &Snapshot) {
        if self
            .kept
            .back()
            .is_none_or(|(at, _)| now.saturating_duration_since(*at) >= EVERY)
        {
            self.kept.push_back((now, snap.clone()));
        }
        while self.kept.len() > 2
            && self
                .kept
                .front()
                .is_some_and(|(at, _)| now.saturating_duration_since(*at) > KEEP)
        {
            self.kept.pop_front();
        }
    }

    /// The snapshot to measure "recent" from at `now`: the oldest within
    /// [`WINDOW`], else the newest before it; never one taken at `now`.
    pub fn baseline(&self, now: Instant) -> Option<&(Instant, Snapshot)> {
        let earlier = || self.kept.iter().filter(|(at, _)| *at < now);
        earlier()
            .find(|(at, _)| now.saturating_duration_since(*at) <= WINDOW)
            .or_else(|| earlier().next_back())
    }

    /// Calls and errors per second of `backend` between kept snapshots.
    pub fn steps(&self, backend: &str) -> Vec<Step> {
        let none = Counts::default();
        let counts = |s: &Snapshot| s.backends.get(backend).unwrap_or(&none).clone();
        self.kept
            .iter()
            .zip(self.kept.iter().skip(1))
            .map(|((a, before), (b, after))| {
                let secs = b.saturating_duration_since(*a).as_secs_f64().max(1e-3);
                let (x, y) = (counts(before), counts(after));
                Step {
                    per_sec: y.calls.saturating_sub(x.calls) as f64 / secs,
                    errors_per_sec: y.errors.saturating_sub(x.errors) as f64 / secs,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_prometheus() {
        // 10 observations: 5 below 0.1, 4 more below 0.5, 1 more below 1.
        let b = [(0.1, 5), (0.5, 9), (1.0, 10)];
        assert_eq!(quantile(0.5, &b, 10), Some(0.1));
        let p95 = quantile(0.95, &b, 10).unwrap();
        assert!((p95 - 0.75).abs() < 1e-9, "{p95}");
        assert_eq!(quantile(0.5, &b, 0), None);
        // Past the last finite bucket: its bound.
        assert_eq!(quantile(0.99, &[(0.1, 1)], 10), Some(0.1));
    }

    #[test]
    fn rates_come_from_counter_differences() {
        let m = Metrics::new();
        let before = Snapshot::take(&m);
        for outcome in ["success", "success", "not_found", "timeout"] {
            m.backend_call("vehizen", "get", outcome, Duration::from_millis(20));
        }
        let after = Snapshot::take(&m);
        let r = after.backends["vehizen"].since(&Counts::default(), 2.0);
        assert_eq!(r.per_sec, 2.0);
        assert_eq!(r.error_rate, Some(0.25), "only the timeout is an error");
        assert!((r.mean_ms.unwrap() - 20.0).abs() < 1e-6);
        let p95 = r.p95_ms.unwrap();
        assert!((10.0..=25.0).contains(&p95), "{p95}");
        assert!(before.backends.is_empty());
        let none = after.backends["vehizen"].since(&after.backends["vehizen"], 1.0);
        assert_eq!(none.error_rate, None);
        assert_eq!(none.per_sec, 0.0);
    }

    #[test]
    fn samples_keep_a_minute_at_one_a_second() {
        let t0 = Instant::now();
        let mut s = Samples::default();
        let snap = |calls| Snapshot {
            backends: [(
                "b".to_string(),
                Counts {
                    calls,
                    errors: calls / 2,
                    ..Default::default()
                },
            )]
            .into(),
            ..Default::default()
        };
        for i in 0..100u64 {
            // Two polls a second: one snapshot a second is kept.
            let at = t0 + Duration::from_millis(500 * i);
            s.keep(at, &snap(i * 10));
        }
        let now = t0 + Duration::from_millis(500 * 99);
        assert!(s.kept.len() <= 62, "{}", s.kept.len());
        let (at, _) = s.baseline(now).unwrap();
        let age = now.duration_since(*at);
        assert!(
            age <= WINDOW && age >= WINDOW - Duration::from_secs(1),
            "{age:?}"
        );
        let steps = s.steps("b");
        assert!(
            steps.iter().all(|st| (st.per_sec - 20.0).abs() < 1e-9),
            "{steps:?}"
        );
        assert!(s.steps("unknown").iter().all(|st| st.per_sec == 0.0));

        // After a long pause the old snapshot is the baseline once.
        let later = now + Duration::from_secs(3600);
        s.keep(later, &snap(5000));
        let (at, _) = s.baseline(later).unwrap();
        assert!(later.duration_since(*at) > WINDOW);
        assert_eq!(s.kept.len(), 2);
    }
}
