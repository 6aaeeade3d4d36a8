//! The listener loop: HTTP/1.1 connections served by hyper with the limits
//! axum's `serve` does not expose, and a bounded graceful drain.
//!
//! - `header_read_timeout`: a client that dribbles its request head
//!   (slowloris) is cut off; the head must arrive within the timeout.
//! - `max_headers` and `max_buf_size`: bounds on the number of headers and
//!   on the bytes buffered for a request head.
//! - Shutdown comes in two steps, each told through a [`Control`]. First
//!   `close_connections`: the listener still accepts, and every answer
//!   carries `Connection: close`, so kept-alive clients reconnect (through
//!   the load balancer, to another replica). Then `stop`: the listener
//!   stops accepting, every connection is asked to finish its in-flight
//!   request and close, and after `drain` the rest are dropped.

use crate::bare_errors::ProblemIo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// Connection limits of a listener.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub header_read_timeout: Duration,
    pub max_headers: usize,
    pub max_head_bytes: usize,
    pub drain: Duration,
}

/// A router that can be replaced while serving (config reload): each
/// request runs on the router current when it arrived, so a reload never
/// drops a request.
#[derive(Clone)]
pub struct Swappable(Arc<RwLock<Router>>);

impl Swappable {
    pub fn new(router: Router) -> Self {
        Swappable(Arc::new(RwLock::new(router)))
    }

    pub fn replace(&self, router: Router) {
        let mut slot = self.0.write().unwrap_or_else(|e| e.into_inner());
        *slot = router;
    }

    fn current(&self) -> Router {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// How the owner of a listener winds it down (see the module's doc).
pub struct Control {
    closing: Arc<AtomicBool>,
    stop: watch::Sender<bool>,
}

/// A listener's side of its [`Control`].
pub struct Signals {
    closing: Arc<AtomicBool>,
    stop: watch::Receiver<bool>,
}

impl Control {
    pub fn new() -> Self {
        Control {
            closing: Arc::new(AtomicBool::new(false)),
            stop: watch::channel(false).0,
        }
    }

    /// What [`serve`] listens to.
    pub fn signals(&self) -> Signals {
        Signals {
            closing: self.closing.clone(),
            stop: self.stop.subscribe(),
        }
    }

    /// From now on every answer carries `Connection: close`; the listener
    /// still accepts.
    pub fn close_connections(&self) {
        self.closing.store(true, Ordering::Relaxed);
    }

    /// Stop accepting and drain.
    pub fn stop(&self) {
        self.close_connections();
        self.stop.send_replace(true);
    }
}

impl Default for Control {
    fn default() -> Self {
        Control::new()
    }
}

/// Serves `router` on `listener` until `signals` says stop, then drains.
/// `problems`: hyper's own bare error answers (431, a malformed head) are
/// rewritten as problem+json with a request id ([`ProblemIo`]); for the
/// public listener, whose every other answer carries a request id.
pub async fn serve(
    listener: TcpListener,
    router: Swappable,
    limits: ConnLimits,
    problems: bool,
    signals: Signals,
) {
    let Signals { closing, mut stop } = signals;
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_headers(limits.max_headers)
        .max_buf_size(limits.max_head_bytes.max(8192));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(s) => s,
                    Err(e) => {
                        // Out of file descriptors and the like: back off
                        // rather than spin.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let swap = router.clone();
                let closing = closing.clone();
                let service = TowerToHyperService::new(tower::service_fn(
                    move |req: http::Request<Incoming>| {
                        let r = swap.current();
                        let mut req = req.map(axum::body::Body::new);
                        // The client's address, for per-address limits.
                        req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                        let closing = closing.clone();
                        async move {
                            let mut resp = r.oneshot(req).await?;
                            // Draining: hyper closes the connection after
                            // this answer, and the client reconnects
                            // elsewhere.
                            if closing.load(Ordering::Relaxed) {
                                resp.headers_mut().insert(
                                    http::header::CONNECTION,
                                    http::HeaderValue::from_static("close"),
                                );
                            }
                            Ok::<_, std::convert::Infallible>(resp)
                        }
                    },
                ));
                let conn = builder.serve_connection(TokioIo::new(ProblemIo::new(stream, problems)), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    // A client that goes away mid-request is not an error
                    // worth more than a debug line.
                    if let Err(e) = conn.await {
                        tracing::debug!(error = %e, "connection ended");
                    }
                });
            }
            _ = async { let _ = stop.wait_for(|v| *v).await; } => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(limits.drain) => {
            tracing::warn!("drain timed out; dropping the remaining connections");
        }
    }
}
