//! Span export over OTLP/HTTP with protobuf bodies, when
//! `[telemetry.otlp] endpoint` is set.
//!
//! The SDK's batch processor takes finished spans into a bounded queue
//! (2048 spans; past that, spans are dropped and counted by the SDK, never
//! waited for) and exports them from its own thread, in batches of up to
//! 512, every second. A request never waits on the export and never fails
//! because of it: an unreachable receiver costs a logged warning per batch.
//!
//! The POST is made by opentelemetry-http's hyper client, on the gateway's
//! own tokio runtime ([`OnRuntime`]): hyper, hyper-util and hyper-rustls are
//! in the tree already, so the exporter adds neither reqwest (with its own
//! runtime thread) nor tonic's gRPC stack.

use crate::config::OtlpConfig;
use opentelemetry::trace::{
    SpanContext, SpanId, SpanKind, Status, TraceContextExt, TraceFlags, TraceId, TraceState,
    TracerProvider as _,
};
use opentelemetry::Value;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{
    BatchConfigBuilder, BatchSpanProcessor, Sampler, SdkTracer, SdkTracerProvider, SpanData,
    SpanProcessor,
};
use opentelemetry_sdk::Resource;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use super::{Incoming, TraceParent, SAMPLED};

/// Set once the exporter runs (at start, never unset): spans are made and
/// linked only then.
static ON: AtomicBool = AtomicBool::new(false);

/// Spans waiting for export at most; more are dropped.
const MAX_QUEUE: usize = 2048;
/// Spans per POST at most.
const MAX_BATCH: usize = 512;
/// How often the queue is sent.
const EVERY: Duration = Duration::from_secs(1);
/// One POST's deadline (retries included).
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether spans are exported (`[telemetry.otlp]` set, and the exporter
/// started).
pub fn enabled() -> bool {
    ON.load(Ordering::Relaxed)
}

/// The running exporter: [`Exporter::shutdown`] sends what is queued.
pub struct Exporter {
    provider: SdkTracerProvider,
}

impl Exporter {
    /// Starts the exporter to `cfg`'s receiver, POSTing on `rt`. Returns
    /// the tracer for `tracing-opentelemetry`'s layer.
    pub fn start(
        cfg: &OtlpConfig,
        rt: &tokio::runtime::Handle,
    ) -> Result<(Exporter, SdkTracer), String> {
        let url = cfg
            .traces_url()
            .map_err(|e| format!("telemetry.otlp.{e}"))?;
        let tls = crate::outbound::tls_config::client_config(None)?;
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .build();
        let client = OnRuntime {
            client: opentelemetry_http::hyper::HyperClient::new(connector, EXPORT_TIMEOUT, None),
            rt: rt.clone(),
        };
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_http_client(client)
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(url.to_string())
            .with_timeout(EXPORT_TIMEOUT)
            .build()
            .map_err(|e| format!("telemetry.otlp: the exporter cannot start ({e})"))?;
        let batches = BatchConfigBuilder::default()
            .with_max_queue_size(MAX_QUEUE)
            .with_max_export_batch_size(MAX_BATCH)
            .with_scheduled_delay(EVERY)
            .build();
        let provider = SdkTracerProvider::builder()
            .with_span_processor(ServerSpans(
                BatchSpanProcessor::builder(exporter)
                    .with_batch_config(batches)
                    .build(),
            ))
            // The caller's `sampled` flag decides; a new trace is sampled.
            .with_sampler(Sampler::ParentBased(Box::new(Sampler::AlwaysOn)))
            .with_resource(
                Resource::builder()
                    .with_service_name(cfg.service_name.trim().to_string())
                    .build(),
            )
            .build();
        let tracer = provider.tracer("crossdock");
        ON.store(true, Ordering::Relaxed);
        Ok((Exporter { provider }, tracer))
    }

    /// Exports what is queued and stops. Blocks until then (bounded by the
    /// export deadline): call it off the runtime's threads.
    pub fn shutdown(self) {
        if let Err(e) = self.provider.shutdown() {
            tracing::warn!(error = %e, "spans left unexported at shutdown");
        }
    }
}

/// Makes the request's span a child of the caller's span, when OTLP is on
/// and the caller sent a valid `traceparent` (a new trace otherwise).
/// Call before the span is first entered.
pub fn link_request_span<B>(span: &Span, req: &http::Request<B>) {
    if !enabled() {
        return;
    }
    let Some(incoming) = req.extensions().get::<Incoming>() else {
        return;
    };
    let Some(caller) = incoming.caller else {
        return;
    };
    let state = incoming
        .state
        .as_ref()
        .and_then(|s| s.to_str().ok())
        .and_then(|s| s.parse::<TraceState>().ok())
        .unwrap_or_default();
    let parent = SpanContext::new(
        TraceId::from_bytes(caller.trace_id),
        SpanId::from_bytes(caller.parent_id),
        TraceFlags::new(caller.flags & SAMPLED),
        true,
        state,
    );
    let _ = span.set_parent(opentelemetry::Context::new().with_remote_span_context(parent));
}

/// The ids of `span` as a `traceparent`, when OTLP is on and the span is
/// an OpenTelemetry span.
pub(super) fn span_parent(span: &Span) -> Option<TraceParent> {
    if !enabled() {
        return None;
    }
    let cx = span.context();
    let otel = cx.span();
    let sc = otel.span_context();
    sc.is_valid().then(|| TraceParent {
        trace_id: sc.trace_id().to_bytes(),
        parent_id: sc.span_id().to_bytes(),
        flags: sc.trace_flags().to_u8(),
    })
}

/// Names the request spans as OpenTelemetry's HTTP conventions do
/// (`PUT /v1/customers/{id}`, kind server, an error from a 5xx) on their
/// way to export, so the `request` span of the logs keeps its fields as
/// they are.
#[derive(Debug)]
struct ServerSpans<P>(P);

impl<P: SpanProcessor> SpanProcessor for ServerSpans<P> {
    fn on_start(&self, span: &mut opentelemetry_sdk::trace::Span, cx: &opentelemetry::Context) {
        self.0.on_start(span, cx);
    }

    fn on_end(&self, mut span: SpanData) {
        if span.name == "request" {
            let attr = |k: &str| span.attributes.iter().find(|a| a.key.as_str() == k);
            let name = match (attr("method"), attr("route")) {
                (Some(m), Some(r)) => Some(format!("{} {}", m.value.as_str(), r.value.as_str())),
                _ => None,
            };
            let failed =
                attr("status").is_some_and(|s| matches!(s.value, Value::I64(c) if c >= 500));
            if let Some(name) = name {
                span.name = name.into();
            }
            span.span_kind = SpanKind::Server;
            if failed {
                span.status = Status::error("");
            }
        }
        self.0.on_end(span);
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.0.force_flush()
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.0.shutdown_with_timeout(timeout)
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.0.set_resource(resource);
    }
}

/// An HTTP client whose requests run on the gateway's runtime: the batch
/// processor exports from its own thread, where hyper has no reactor.
#[derive(Debug)]
struct OnRuntime<C: std::fmt::Debug> {
    client: C,
    rt: tokio::runtime::Handle,
}

#[async_trait::async_trait]
impl<C> HttpClient for OnRuntime<C>
where
    C: HttpClient + Clone + 'static,
{
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let client = self.client.clone();
        self.rt
            .spawn(async move { client.send_bytes(request).await })
            .await?
    }
}
