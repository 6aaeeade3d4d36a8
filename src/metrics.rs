//! Prometheus metrics. Labels hold route templates and backend names, never
//! raw ids, paths or secrets, and every label takes its values from a
//! bounded set (a request's method is one of [`METHODS`] or `other`), so no
//! client can create series at will.
//!
//! Besides the gateway's own series: `process_*` (CPU, memory, file
//! descriptors, threads, start time; Linux) and `crossdock_build_info`.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use std::time::Duration;

const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The request methods counted by name; any other is `other`.
pub const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

/// The `method` label of a request: its method when it is one of
/// [`METHODS`], else `other` (`curl -X FOO1` must not make a new series).
pub fn method_label(m: &http::Method) -> &'static str {
    METHODS
        .iter()
        .find(|known| **known == m.as_str())
        .copied()
        .unwrap_or("other")
}

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub http_requests: IntCounterVec,
    pub http_duration: HistogramVec,
    pub http_in_flight: IntGauge,
    pub backend_requests: IntCounterVec,
    pub backend_duration: HistogramVec,
    /// Vendor calls under way (admitted by the breaker, not yet answered).
    pub backend_in_flight: IntGaugeVec,
    pub translation_errors: IntCounterVec,
    pub circuit_open: IntGaugeVec,
    pub tls_errors: IntCounterVec,
    pub idempotency_replays: IntCounterVec,
    pub idempotency_store_errors: IntCounterVec,
    pub idempotency_evictions: IntCounter,
    pub rate_limit_store_errors: IntCounter,
    pub config_reloads: IntCounterVec,
    /// Public connections accepted, by the core (`server.runtime`) whose
    /// listener took them.
    pub connections_accepted: IntCounterVec,
}

impl Metrics {
    // Every `expect` here is on a definition written in this function (a
    // name, labels, buckets), never on outside data: a bad one fails every
    // test that starts a gateway, not a running gateway.
    #[allow(clippy::expect_used)]
    pub fn new() -> Self {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new(
                "crossdock_http_requests_total",
                "Requests answered on the unified API.",
            ),
            &["route", "method", "status"],
        )
        .expect("static metric definition");
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "crossdock_http_request_duration_seconds",
                "Time to answer a unified API request.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["route", "method"],
        )
        .expect("static metric definition");
        let http_in_flight = IntGauge::new(
            "crossdock_http_requests_in_flight",
            "Unified API requests being handled now.",
        )
        .expect("static metric definition");
        let backend_requests = IntCounterVec::new(
            Opts::new(
                "crossdock_backend_requests_total",
                "Calls to vendor backends, by classified outcome.",
            ),
            &["backend", "operation", "outcome"],
        )
        .expect("static metric definition");
        let backend_duration = HistogramVec::new(
            HistogramOpts::new(
                "crossdock_backend_request_duration_seconds",
                "Time of a vendor call, body included.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["backend", "operation"],
        )
        .expect("static metric definition");
        let backend_in_flight = IntGaugeVec::new(
            Opts::new(
                "crossdock_backend_requests_in_flight",
                "Vendor calls under way, retries included, by backend.",
            ),
            &["backend"],
        )
        .expect("static metric definition");
        let translation_errors = IntCounterVec::new(
            Opts::new(
                "crossdock_translation_errors_total",
                "Bodies that could not be translated (direction: request or response).",
            ),
            &["backend", "direction"],
        )
        .expect("static metric definition");
        let circuit_open = IntGaugeVec::new(
            Opts::new(
                "crossdock_backend_circuit_open",
                "1 while the backend's circuit breaker refuses calls, else 0.",
            ),
            &["backend"],
        )
        .expect("static metric definition");
        let tls_errors = IntCounterVec::new(
            Opts::new(
                "crossdock_backend_tls_errors_total",
                "Failed TLS connections to vendors (reason: untrusted, expired, wrong_host or handshake).",
            ),
            &["backend", "reason"],
        )
        .expect("static metric definition");
        let idempotency_replays = IntCounterVec::new(
            Opts::new(
                "crossdock_idempotency_replays_total",
                "Writes answered from the idempotency store (same Idempotency-Key, same request).",
            ),
            &["route"],
        )
        .expect("static metric definition");
        let idempotency_store_errors = IntCounterVec::new(
            Opts::new(
                "crossdock_idempotency_store_errors_total",
                "Failed calls to the idempotency store (operation: begin, complete or abandon).",
            ),
            &["operation"],
        )
        .expect("static metric definition");
        let idempotency_evictions = IntCounter::new(
            "crossdock_idempotency_evictions_total",
            "Answers the memory idempotency store forgot before their window ended, to stay within max_entries and max_bytes.",
        )
        .expect("static metric definition");
        let rate_limit_store_errors = IntCounter::new(
            "crossdock_rate_limit_store_errors_total",
            "Failed calls to the rate limit store (Redis); the replica then decides alone, with its own buckets, for a second.",
        )
        .expect("static metric definition");
        let build_info = IntGaugeVec::new(
            Opts::new(
                "crossdock_build_info",
                "Always 1; the running build's version is the label.",
            ),
            &["version"],
        )
        .expect("static metric definition");
        build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION")])
            .set(1);
        let config_reloads = IntCounterVec::new(
            Opts::new(
                "crossdock_config_reloads_total",
                "Config reloads (SIGHUP or a changed file), by result; a failed one keeps the old config.",
            ),
            &["result"],
        )
        .expect("static metric definition");
        let connections_accepted = IntCounterVec::new(
            Opts::new(
                "crossdock_connections_accepted_total",
                "Connections accepted on the public listener, by core (one listener per core with server.runtime = thread_per_core; core 0 only with work_stealing).",
            ),
            &["core"],
        )
        .expect("static metric definition");
        for c in [
            Box::new(http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(http_duration.clone()),
            Box::new(http_in_flight.clone()),
            Box::new(backend_requests.clone()),
            Box::new(backend_duration.clone()),
            Box::new(backend_in_flight.clone()),
            Box::new(translation_errors.clone()),
            Box::new(circuit_open.clone()),
            Box::new(tls_errors.clone()),
            Box::new(config_reloads.clone()),
            Box::new(connections_accepted.clone()),
            Box::new(idempotency_replays.clone()),
            Box::new(idempotency_store_errors.clone()),
            Box::new(idempotency_evictions.clone()),
            Box::new(rate_limit_store_errors.clone()),
            Box::new(build_info),
        ] {
            registry
                .register(c)
                .expect("each metric is registered once");
        }
        // process_cpu_seconds_total, process_resident_memory_bytes,
        // process_open_fds, ...: read from /proc at each scrape.
        #[cfg(target_os = "linux")]
        registry
            .register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ))
            .expect("the process collector is registered once");
        Metrics {
            registry,
            http_requests,
            http_duration,
            http_in_flight,
            backend_requests,
            backend_duration,
            backend_in_flight,
            translation_errors,
            circuit_open,
            tls_errors,
            idempotency_replays,
            idempotency_store_errors,
            idempotency_evictions,
            rate_limit_store_errors,
            config_reloads,
            connections_accepted,
        }
    }

    pub fn backend_call(&self, backend: &str, operation: &str, outcome: &str, took: Duration) {
        self.backend_requests
            .with_label_values(&[backend, operation, outcome])
            .inc();
        self.backend_duration
            .with_label_values(&[backend, operation])
            .observe(took.as_secs_f64());
    }

    pub fn translation_error(&self, backend: &str, direction: &str) {
        self.translation_errors
            .with_label_values(&[backend, direction])
            .inc();
    }

    /// A TLS failure with a vendor; `reason` is `TlsFailure::reason()`.
    pub fn tls_error(&self, backend: &str, reason: &str) {
        self.tls_errors.with_label_values(&[backend, reason]).inc();
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        // Encoding into a Vec cannot fail for well-formed metrics.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_all_series() {
        let m = Metrics::new();
        m.http_requests
            .with_label_values(&["/v1/customer-groups/{id}", "GET", "200"])
            .inc();
        m.http_duration
            .with_label_values(&["/v1/customer-groups/{id}", "GET"])
            .observe(0.001);
        m.backend_call(
            "vehizen",
            "get_customer_group",
            "success",
            Duration::from_millis(3),
        );
        m.translation_error("vehizen", "response");
        m.backend_in_flight.with_label_values(&["vehizen"]).inc();
        m.tls_error("bokamera", "untrusted");
        m.idempotency_replays
            .with_label_values(&["/v1/customers/{id}"])
            .inc();
        m.idempotency_store_errors
            .with_label_values(&["begin"])
            .inc();
        let text = m.render();
        for s in [
            "crossdock_http_requests_total",
            "crossdock_http_request_duration_seconds",
            "crossdock_http_requests_in_flight",
            "crossdock_backend_requests_total",
            "crossdock_backend_request_duration_seconds",
            "crossdock_backend_requests_in_flight",
            "crossdock_translation_errors_total",
            "crossdock_backend_tls_errors_total",
            "crossdock_idempotency_replays_total",
            "crossdock_idempotency_store_errors_total",
            "crossdock_idempotency_evictions_total",
            "crossdock_rate_limit_store_errors_total",
        ] {
            assert!(text.contains(s), "{s} missing");
        }
    }

    #[test]
    fn build_info_and_process_metrics_are_exported() {
        let text = Metrics::new().render();
        let line = format!(
            "{}{{version=\"{}\"}} 1",
            "crossdock_build_info",
            env!("CARGO_PKG_VERSION")
        );
        assert!(text.contains(&line), "{line} not in:\n{text}");
        #[cfg(target_os = "linux")]
        for s in [
            "process_cpu_seconds_total",
            "process_resident_memory_bytes",
            "process_open_fds",
            "process_start_time_seconds",
        ] {
            assert!(text.contains(s), "{s} missing");
        }
    }

    #[test]
    fn method_labels_are_bounded() {
        for m in METHODS {
            assert_eq!(method_label(&m.parse().unwrap()), *m);
        }
        for m in ["FOO1", "BAR2", "get", "CONNECT", "TRACE", "PROPFIND"] {
            assert_eq!(method_label(&m.parse().unwrap()), "other", "{m}");
        }
    }
}
