//! The inbound half: each request runs within the trace its caller named
//! (or a new one). No box: the inner future in a task-local scope.

use super::{otlp, Incoming, INCOMING};
use http::Request;
use std::task::{Context, Poll};
use tokio::task::futures::TaskLocalFuture;
use tower::{Layer, Service};

/// Reads `traceparent`/`tracestate` ([`Incoming::from_headers`]) and runs
/// the request within that trace. With OTLP on, the [`Incoming`] is also
/// put in the request's extensions, where the request span finds its
/// parent ([`super::otlp::link_request_span`]); so this layer goes outside
/// the trace layer that makes that span.
#[derive(Clone, Copy, Debug, Default)]
pub struct TraceContextLayer;

impl<S> Layer<S> for TraceContextLayer {
    type Service = TraceContext<S>;

    fn layer(&self, inner: S) -> TraceContext<S> {
        TraceContext { inner }
    }
}

#[derive(Clone, Debug)]
pub struct TraceContext<S> {
    inner: S,
}

impl<S, B> Service<Request<B>> for TraceContext<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = TaskLocalFuture<Incoming, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<B>) -> Self::Future {
        let incoming = Incoming::from_headers(req.headers());
        if otlp::enabled() {
            req.extensions_mut().insert(incoming.clone());
        }
        INCOMING.scope(incoming, self.inner.call(req))
    }
}
