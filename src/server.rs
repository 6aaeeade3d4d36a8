//! The listener loop: HTTP/1.1 and HTTP/2 connections (over TLS when the
//! listener has a certificate: h2 by ALPN; on plain TCP: h2c with prior
//! knowledge) served by hyper with the limits axum's `serve` does not
//! expose, and a bounded graceful drain.
//!
//! - `header_read_timeout`: a client that dribbles its request head
//!   (slowloris) is cut off; the head must arrive within the timeout.
//! - `max_headers` and `max_buf_size`: bounds on the number of headers and
//!   on the bytes buffered for a request head (h2: `max_header_list_size`,
//!   and the header count checked per request), and a bound on concurrent
//!   h2 streams. The TLS handshake, and the first bytes of a plain
//!   connection, must also arrive within the head timeout.
//! - Shutdown comes in two steps, each told through a [`Control`]. First
//!   `close_connections`: the listener still accepts, and every answer
//!   carries `Connection: close` and h2 connections get a GOAWAY, so
//!   kept-alive clients reconnect (through the load balancer, to another
//!   replica). Then `stop`: the listener
//!   stops accepting, every connection is asked to finish its in-flight
//!   request and close, and after `drain` the rest are dropped.
//!
//! With `server.runtime = "thread_per_core"` the public listener is one
//! socket per core, each served by this loop on its core's runtime
//! ([`threads`]); one [`Control`] winds them all down.

mod threads;

pub use threads::PublicSockets;

use crate::bare_errors::ProblemIo;
use crate::inbound_tls::TlsSlot;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// Connection limits of a listener.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub header_read_timeout: Duration,
    pub max_headers: usize,
    pub max_head_bytes: usize,
    pub drain: Duration,
    /// Most concurrent h2 streams per connection.
    pub max_concurrent_streams: u32,
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
    /// `closing` for connections that wait on it (h2).
    closing_tx: watch::Sender<bool>,
    stop: watch::Sender<bool>,
}

/// A listener's side of its [`Control`].
pub struct Signals {
    closing: Arc<AtomicBool>,
    closing_rx: watch::Receiver<bool>,
    stop: watch::Receiver<bool>,
}

impl Control {
    pub fn new() -> Self {
        Control {
            closing: Arc::new(AtomicBool::new(false)),
            closing_tx: watch::channel(false).0,
            stop: watch::channel(false).0,
        }
    }

    /// What [`serve`] listens to.
    pub fn signals(&self) -> Signals {
        Signals {
            closing: self.closing.clone(),
            closing_rx: self.closing_tx.subscribe(),
            stop: self.stop.subscribe(),
        }
    }

    /// From now on every answer carries `Connection: close`; the listener
    /// still accepts.
    pub fn close_connections(&self) {
        self.closing.store(true, Ordering::Relaxed);
        self.closing_tx.send_replace(true);
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

/// The first bytes of an h2 connection with prior knowledge (h2c).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Serves `router` on `listener` until `signals` says stop, then drains.
/// `problems`: hyper's own bare error answers (431, a malformed head) are
/// rewritten as problem+json with a request id ([`ProblemIo`]); for the
/// public listener, whose every other answer carries a request id.
/// `tls`: read per connection, so a reload swaps the certificate for new
/// connections; when empty the listener is plain TCP.
pub async fn serve(
    listener: TcpListener,
    router: Swappable,
    limits: ConnLimits,
    problems: bool,
    tls: TlsSlot,
    signals: Signals,
) {
    serve_counted(listener, router, limits, problems, tls, signals, None).await
}

/// As [`serve`], counting accepted connections on `accepted`.
async fn serve_counted(
    listener: TcpListener,
    router: Swappable,
    limits: ConnLimits,
    problems: bool,
    tls: TlsSlot,
    signals: Signals,
    counted: Option<prometheus::IntCounter>,
) {
    let Signals {
        closing,
        closing_rx,
        mut stop,
    } = signals;
    // Each connection holds a receiver; the drain waits for them all.
    let (live, _) = watch::channel(());
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_headers(limits.max_headers)
        .max_buf_size(limits.max_head_bytes.max(8192));
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_header_list_size(u32::try_from(limits.max_head_bytes).unwrap_or(u32::MAX))
        .max_concurrent_streams(limits.max_concurrent_streams)
        // A peer that stops answering pings is dropped.
        .keep_alive_interval(limits.header_read_timeout)
        .keep_alive_timeout(limits.header_read_timeout);
    // The protocol is known before hyper sees the connection (ALPN, or the
    // h2c preface read under the head timeout), so each builder serves one.
    let h1 = Arc::new(builder.clone().http1_only());
    let h2 = Arc::new(builder.http2_only());
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
                if let Some(c) = &counted {
                    c.inc();
                }
                let conn = Conn {
                    service: service(router.clone(), closing.clone(), peer, limits.max_headers),
                    h1: h1.clone(),
                    h2: h2.clone(),
                    live: live.subscribe(),
                    closing: closing_rx.clone(),
                    stop: stop.clone(),
                    problems,
                    timeout: limits.header_read_timeout,
                };
                let acceptor = tls.current();
                tokio::spawn(async move {
                    // A client that goes away mid-request, or fails its
                    // handshake, is not an error worth more than a debug
                    // line.
                    if let Err(e) = conn.run(stream, acceptor).await {
                        tracing::debug!(error = %e, "connection ended");
                    }
                });
            }
            _ = async { let _ = stop.wait_for(|v| *v).await; } => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = live.closed() => {}
        _ = tokio::time::sleep(limits.drain) => {
            tracing::warn!("drain timed out; dropping the remaining connections");
        }
    }
}

type Builder = auto::Builder<TokioExecutor>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One accepted connection, before its protocol is known.
struct Conn<S> {
    service: S,
    h1: Arc<Builder>,
    h2: Arc<Builder>,
    /// Held until the connection ends (the drain waits for it).
    live: watch::Receiver<()>,
    closing: watch::Receiver<bool>,
    stop: watch::Receiver<bool>,
    problems: bool,
    timeout: Duration,
}

impl<S> Conn<S>
where
    S: hyper::service::Service<
            http::Request<Incoming>,
            Response = http::Response<axum::body::Body>,
            Error = std::convert::Infallible,
        > + Send
        + 'static,
    S::Future: Send + 'static,
{
    async fn run(self, stream: TcpStream, tls: Option<TlsAcceptor>) -> Result<(), BoxError> {
        match tls {
            Some(acceptor) => {
                let tls = tokio::time::timeout(self.timeout, acceptor.accept(stream))
                    .await
                    .map_err(|_| "TLS handshake timed out")??;
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                self.serve(tls, h2).await
            }
            None => {
                let h2 = tokio::time::timeout(self.timeout, is_h2c(&stream))
                    .await
                    .map_err(|_| "no request before the head timeout")??;
                self.serve(stream, h2).await
            }
        }
    }

    async fn serve<I>(self, io: I, h2: bool) -> Result<(), BoxError>
    where
        I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        // ProblemIo rewrites HTTP/1 heads only; h2 frames go around it.
        let io = TokioIo::new(ProblemIo::new(io, self.problems && !h2));
        let Conn {
            service,
            h1,
            h2: h2_builder,
            live,
            mut closing,
            mut stop,
            ..
        } = self;
        let builder = if h2 { &h2_builder } else { &h1 };
        let conn = builder.serve_connection(io, service);
        tokio::pin!(conn);
        let mut asked = false;
        let result = loop {
            tokio::select! {
                r = conn.as_mut() => break r,
                // Stop: in-flight requests finish, then the connection
                // closes (HTTP/1: after the answer; h2: GOAWAY).
                _ = stop.wait_for(|v| *v), if !asked => {
                    conn.as_mut().graceful_shutdown();
                    asked = true;
                }
                // Closing: h2 has no `Connection: close`, so its clients
                // get a GOAWAY now and reconnect (elsewhere).
                _ = closing.wait_for(|v| *v), if h2 && !asked => {
                    conn.as_mut().graceful_shutdown();
                    asked = true;
                }
            }
        };
        drop(live);
        result
    }
}

/// Whether a plain connection opens with the h2 preface (prior
/// knowledge). Waits for enough bytes to tell, without consuming them.
async fn is_h2c(stream: &TcpStream) -> std::io::Result<bool> {
    let mut buf = [0u8; H2_PREFACE.len()];
    loop {
        let n = stream.peek(&mut buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if buf[..n] != H2_PREFACE[..n] {
            return Ok(false);
        }
        if n == H2_PREFACE.len() {
            return Ok(true);
        }
        // Part of the preface: peek again once more may have come.
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// The per-connection service: the router current at each request, the
/// peer's address, `Connection: close` while draining (HTTP/1), and the
/// header count limit for h2 (whose own limit is on bytes).
fn service(
    router: Swappable,
    closing: Arc<AtomicBool>,
    peer: std::net::SocketAddr,
    max_headers: usize,
) -> impl hyper::service::Service<
    http::Request<Incoming>,
    Response = http::Response<axum::body::Body>,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Send
       + Clone {
    TowerToHyperService::new(tower::service_fn(move |req: http::Request<Incoming>| {
        let r = router.current();
        let h2 = req.version() >= http::Version::HTTP_2;
        let too_many = h2 && req.headers().len() > max_headers;
        let mut req = req.map(axum::body::Body::new);
        // The client's address, for per-address limits.
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        let closing = closing.clone();
        async move {
            if too_many {
                return Ok(crate::bare_errors::too_many_headers());
            }
            let mut resp = r.oneshot(req).await?;
            // Draining: hyper closes an HTTP/1 connection after this
            // answer, and the client reconnects elsewhere. (h2 has no
            // such header; its connections get a GOAWAY at `stop`.)
            if closing.load(Ordering::Relaxed) && !h2 {
                resp.headers_mut().insert(
                    http::header::CONNECTION,
                    http::HeaderValue::from_static("close"),
                );
            }
            Ok::<_, std::convert::Infallible>(resp)
        }
    }))
}
