//! Fault injection for the sandbox simulators, one mechanism for every
//! vendor: a middleware around a simulator's router, configured by
//! `[backends.<name>.faults]`.
//!
//! Per request: `latency_ms` is added first; then one draw picks at most one
//! of the rate faults, in this order: `error_rate` (503 or 500 with a short
//! text body), `reset_rate` (the connection is closed with no byte of an
//! answer), `garbage_rate` (200 with random bytes under the vendor's own
//! content type), `html_rate` (500 with an HTML error page). The rates are
//! shares of all requests, so their sum is at most 1. Last, `slow_body_ms`
//! sends the headers at once and dribbles the body out over that time.
//!
//! The random draws come from a SplitMix64 sequence (lock-free, seeded by
//! `seed`, else at random), so a seeded run injects the same faults in the
//! same order when requests arrive in the same order.
//!
//! A [`Faults`] handle changes the faults of a running sandbox (tests use it
//! to take a fault away and watch the gateway recover).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
use http_body::{Body as HttpBody, Frame, SizeHint};
use serde::Deserialize;
use std::collections::VecDeque;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::task::{ready, Context, Poll};
use std::time::Duration;

/// `[backends.<name>.faults]`. Every fault is off by default.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Added before every answer.
    pub latency_ms: u64,
    /// Share of requests answered 503 or 500 (0..1).
    pub error_rate: f64,
    /// Share of requests whose connection is closed with no answer.
    pub reset_rate: f64,
    /// Share of requests answered 200 with a garbage body of the vendor's
    /// content type.
    pub garbage_rate: f64,
    /// Share of requests answered 500 with an HTML error page.
    pub html_rate: f64,
    /// The body is sent over this long, in small pieces, after the headers.
    pub slow_body_ms: u64,
    /// Seed of the random draws; at random when unset.
    pub seed: Option<u64>,
}

impl FaultConfig {
    /// What is wrong with these values, each as `key: problem`.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let rates = self.rates();
        for (key, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                out.push(format!("{key}: must be between 0 and 1, not {rate}"));
            }
        }
        let sum: f64 = rates.iter().map(|(_, r)| r).sum();
        if out.is_empty() && sum > 1.0 + 1e-9 {
            out.push(format!(
                "error_rate + reset_rate + garbage_rate + html_rate: must be at most 1, not {sum}"
            ));
        }
        out
    }

    fn rates(&self) -> [(&'static str, f64); 4] {
        [
            ("error_rate", self.error_rate),
            ("reset_rate", self.reset_rate),
            ("garbage_rate", self.garbage_rate),
            ("html_rate", self.html_rate),
        ]
    }

    /// The rate fault a draw in `[0, 1)` picks, if any.
    fn pick(&self, draw: f64) -> Option<Fault> {
        let mut edge = 0.0;
        for (fault, rate) in [
            (Fault::Error, self.error_rate),
            (Fault::Reset, self.reset_rate),
            (Fault::Garbage, self.garbage_rate),
            (Fault::Html, self.html_rate),
        ] {
            edge += rate.max(0.0);
            if draw < edge {
                return Some(fault);
            }
        }
        None
    }

    fn is_quiet(&self) -> bool {
        self.latency_ms == 0 && self.slow_body_ms == 0 && self.pick(0.0).is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Error,
    Reset,
    Garbage,
    Html,
}

/// How many faults a sandbox injected, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Injected {
    pub errors: u64,
    pub resets: u64,
    pub garbage: u64,
    pub html: u64,
    /// Answers delayed by `latency_ms`.
    pub delayed: u64,
    /// Bodies dribbled by `slow_body_ms`.
    pub slow_bodies: u64,
}

/// The faults of one sandbox; clones share them.
#[derive(Clone)]
pub struct Faults {
    inner: Arc<Shared>,
}

struct Shared {
    config: RwLock<FaultConfig>,
    rng: SplitMix64,
    counts: [AtomicU64; 6],
}

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faults")
            .field("config", &self.config())
            .finish()
    }
}

impl Faults {
    pub fn new(config: FaultConfig) -> Self {
        let seed = config.seed.unwrap_or_else(|| {
            std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish()
        });
        Faults {
            inner: Arc::new(Shared {
                config: RwLock::new(config),
                rng: SplitMix64(AtomicU64::new(seed)),
                counts: Default::default(),
            }),
        }
    }

    /// The faults in force.
    pub fn config(&self) -> FaultConfig {
        self.inner
            .config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the faults of the running sandbox (the seed is kept).
    pub fn set(&self, config: FaultConfig) {
        *self.inner.config.write().unwrap_or_else(|e| e.into_inner()) = config;
    }

    /// Counts of the faults injected so far.
    pub fn injected(&self) -> Injected {
        let c = |i: usize| self.inner.counts[i].load(Ordering::Relaxed);
        Injected {
            errors: c(0),
            resets: c(1),
            garbage: c(2),
            html: c(3),
            delayed: c(4),
            slow_bodies: c(5),
        }
    }

    fn count(&self, i: usize) {
        self.inner.counts[i].fetch_add(1, Ordering::Relaxed);
    }

    /// `router` with these faults in front of every route.
    pub fn wrap(&self, router: Router) -> Router {
        router.layer(axum::middleware::from_fn_with_state(self.clone(), inject))
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014) over an atomic counter: one
/// `fetch_add` per draw, no lock, good enough statistics for fault rates.
struct SplitMix64(AtomicU64);

impl SplitMix64 {
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

    fn next_u64(&self) -> u64 {
        let mut z = self
            .0
            .fetch_add(Self::GAMMA, Ordering::Relaxed)
            .wrapping_add(Self::GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn next_f64(&self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

async fn inject(State(faults): State<Faults>, req: Request, next: Next) -> Response {
    let cfg = faults.config();
    if cfg.is_quiet() {
        return next.run(req).await;
    }
    if cfg.latency_ms > 0 {
        faults.count(4);
        tokio::time::sleep(Duration::from_millis(cfg.latency_ms)).await;
    }
    let response = match cfg.pick(faults.inner.rng.next_f64()) {
        Some(Fault::Error) => {
            faults.count(0);
            let status = if faults.inner.rng.next_u64() % 2 == 0 {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            };
            text(
                status,
                "text/plain; charset=utf-8",
                "sandbox fault: error\n",
            )
        }
        Some(Fault::Reset) => {
            faults.count(1);
            return reset();
        }
        Some(Fault::Garbage) => {
            faults.count(2);
            let accept = req.headers().get(header::ACCEPT).cloned();
            let real = next.run(req).await;
            garbage(&faults.inner.rng, real, accept)
        }
        Some(Fault::Html) => {
            faults.count(3);
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                HTML_PAGE,
            )
        }
        None => next.run(req).await,
    };
    if cfg.slow_body_ms > 0 {
        faults.count(5);
        dribble(response, Duration::from_millis(cfg.slow_body_ms)).await
    } else {
        response
    }
}

const HTML_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n<body><h1>Internal Server Error</h1><p>The server encountered an internal error (sandbox fault).</p></body></html>\n";

fn text(status: StatusCode, content_type: &'static str, body: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// A response whose body fails on its first poll. hyper writes the head to
/// its buffer and polls the body before flushing; the body's error ends the
/// connection, so the buffered head is never sent: the client sees the
/// connection closed with no answer (checked by a test below).
fn reset() -> Response {
    Response::new(Body::new(Abort))
}

struct Abort;

impl HttpBody for Abort {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "sandbox fault: reset",
        ))))
    }
}

/// 200 with random bytes under the real answer's content type (else the
/// request's `Accept`, else JSON). The bytes start with a NUL, which no
/// JSON, XML or JSV reader takes, so they are never readable by chance.
fn garbage(rng: &SplitMix64, real: Response, accept: Option<HeaderValue>) -> Response {
    let content_type = real
        .headers()
        .get(header::CONTENT_TYPE)
        .cloned()
        .or(accept.filter(|a| a.to_str().is_ok_and(|a| !a.contains('*'))))
        .unwrap_or_else(|| HeaderValue::from_static("application/json"));
    let len = 16 + (rng.next_u64() % 240) as usize;
    let mut bytes = Vec::with_capacity(len + 8);
    bytes.push(0);
    while bytes.len() < len {
        bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    bytes.truncate(len);
    let mut r = Response::new(Body::from(bytes));
    r.headers_mut().insert(header::CONTENT_TYPE, content_type);
    r
}

/// The same answer, its body sent in up to 8 pieces spread over `over`.
async fn dribble(response: Response, over: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 20).await else {
        return reset();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let pieces = bytes.len().clamp(1, 8);
    let size = bytes.len().div_ceil(pieces).max(1);
    let mut chunks = VecDeque::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        chunks.push_back(rest.split_to(size.min(rest.len())));
    }
    let gap = over / (chunks.len().max(1) as u32);
    let total = chunks.iter().map(|c| c.len() as u64).sum();
    Response::from_parts(
        parts,
        Body::new(Dribble {
            chunks,
            gap,
            total,
            sleep: None,
        }),
    )
}

struct Dribble {
    chunks: VecDeque<Bytes>,
    gap: Duration,
    total: u64,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl HttpBody for Dribble {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if this.chunks.is_empty() {
            return Poll::Ready(None);
        }
        let gap = this.gap;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(gap)));
        ready!(sleep.as_mut().poll(cx));
        this.sleep = None;
        let chunk = this.chunks.pop_front();
        if let Some(c) = &chunk {
            this.total -= c.len() as u64;
        }
        Poll::Ready(chunk.map(|c| Ok(Frame::data(c))))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn quiet() -> FaultConfig {
        FaultConfig {
            seed: Some(7),
            ..Default::default()
        }
    }

    #[test]
    fn rates_are_checked() {
        assert!(quiet().problems().is_empty());
        let c = FaultConfig {
            error_rate: 1.5,
            ..quiet()
        };
        assert_eq!(c.problems().len(), 1, "{:?}", c.problems());
        let c = FaultConfig {
            error_rate: 0.6,
            html_rate: 0.6,
            ..quiet()
        };
        assert!(c.problems()[0].contains("at most 1"));
        let c = FaultConfig {
            reset_rate: f64::NAN,
            ..quiet()
        };
        assert!(!c.problems().is_empty());
    }

    #[test]
    fn picks_by_share() {
        let c = FaultConfig {
            error_rate: 0.25,
            reset_rate: 0.25,
            garbage_rate: 0.25,
            html_rate: 0.25,
            ..quiet()
        };
        assert_eq!(c.pick(0.0), Some(Fault::Error));
        assert_eq!(c.pick(0.3), Some(Fault::Reset));
        assert_eq!(c.pick(0.6), Some(Fault::Garbage));
        assert_eq!(c.pick(0.99), Some(Fault::Html));
        assert_eq!(quiet().pick(0.0), None);
    }

    #[test]
    fn the_rng_is_seeded_and_roughly_uniform() {
        let a = SplitMix64(AtomicU64::new(1));
        let b = SplitMix64(AtomicU64::new(1));
        let xs: Vec<f64> = (0..10_000).map(|_| a.next_f64()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        assert_eq!(xs[17], {
            for _ in 0..17 {
                b.next_f64();
            }
            b.next_f64()
        });
        let below = xs.iter().filter(|x| **x < 0.3).count();
        assert!((2_700..3_300).contains(&below), "{below}");
    }

    #[test]
    fn numbers_come_as_numbers_or_as_environment_text() {
        use crate::config::de::from_value;
        let v = serde_json::json!({
            "error_rate": "0.5", "latency_ms": "10", "seed": 3, "html_rate": 0.1
        });
        // From the file, text is not a number.
        let p = from_value::<FaultConfig>(&v, None);
        let keys: Vec<String> = p.problems.iter().map(|(k, _)| k.join(".")).collect();
        assert_eq!(keys, ["error_rate", "latency_ms"]);
        // From the environment (CROSSDOCK__..._FAULTS__ERROR_RATE=0.5), it is.
        let env = |_: &[String]| true;
        let c = from_value::<FaultConfig>(&v, Some(&env)).value.unwrap();
        assert_eq!(c.error_rate, 0.5);
        assert_eq!(c.latency_ms, 10);
        assert_eq!(c.seed, Some(3));
        let p = from_value::<FaultConfig>(&serde_json::json!({"error_rate": "x"}), Some(&env));
        assert_eq!(p.problems.len(), 1);
        let p = from_value::<FaultConfig>(&serde_json::json!({"nope": 1}), None);
        assert_eq!(p.problems[0].1, "unknown key");
    }

    async fn raw_exchange(addr: std::net::SocketAddr) -> std::io::Result<Vec<u8>> {
        let mut s = tokio::net::TcpStream::connect(addr).await?;
        s.write_all(
            b"GET /x HTTP/1.1\r\nhost: x\r\naccept: application/xml\r\nconnection: close\r\n\r\n",
        )
        .await?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await?;
        Ok(out)
    }

    async fn served(cfg: FaultConfig) -> (std::net::SocketAddr, Faults) {
        let faults = Faults::new(cfg);
        let router = Router::new().route(
            "/x",
            get(|| async { ([(header::CONTENT_TYPE, "application/xml")], "<a>hello</a>") }),
        );
        let addr = crate::app::spawn_router(faults.wrap(router), None)
            .await
            .unwrap();
        (addr, faults)
    }

    #[tokio::test]
    async fn a_reset_closes_the_connection_with_no_byte_sent() {
        let (addr, faults) = served(FaultConfig {
            reset_rate: 1.0,
            ..quiet()
        })
        .await;
        for _ in 0..20 {
            // Either a clean close with nothing read, or a reset: never a
            // single byte of an answer.
            match raw_exchange(addr).await {
                Ok(bytes) => assert!(bytes.is_empty(), "{:?}", String::from_utf8_lossy(&bytes)),
                Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
            }
        }
        assert_eq!(faults.injected().resets, 20);
        faults.set(quiet());
        let ok = raw_exchange(addr).await.unwrap();
        assert!(ok.starts_with(b"HTTP/1.1 200"));
    }

    #[tokio::test]
    async fn garbage_keeps_the_content_type_and_html_is_a_500_page() {
        let (addr, faults) = served(FaultConfig {
            garbage_rate: 1.0,
            ..quiet()
        })
        .await;
        let r = String::from_utf8_lossy(&raw_exchange(addr).await.unwrap()).into_owned();
        assert!(r.starts_with("HTTP/1.1 200"), "{r}");
        assert!(r.contains("content-type: application/xml"), "{r}");
        assert!(!r.contains("hello"), "{r}");
        faults.set(FaultConfig {
            html_rate: 1.0,
            ..quiet()
        });
        let r = String::from_utf8_lossy(&raw_exchange(addr).await.unwrap()).into_owned();
        assert!(r.starts_with("HTTP/1.1 500"), "{r}");
        assert!(r.contains("text/html") && r.contains("<html>"), "{r}");
        faults.set(FaultConfig {
            error_rate: 1.0,
            ..quiet()
        });
        let r = String::from_utf8_lossy(&raw_exchange(addr).await.unwrap()).into_owned();
        assert!(r.starts_with("HTTP/1.1 50"), "{r}");
    }

    #[tokio::test]
    async fn a_slow_body_sends_the_head_first_then_the_body_over_time() {
        let (addr, _faults) = served(FaultConfig {
            slow_body_ms: 400,
            ..quiet()
        })
        .await;
        let start = tokio::time::Instant::now();
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /x HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut first = [0u8; 12];
        s.read_exact(&mut first).await.unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        let head_after = start.elapsed();
        let mut rest = Vec::new();
        s.read_to_end(&mut rest).await.unwrap();
        let all_after = start.elapsed();
        assert!(head_after < Duration::from_millis(200), "{head_after:?}");
        assert!(all_after >= Duration::from_millis(350), "{all_after:?}");
        assert!(String::from_utf8_lossy(&rest).ends_with("<a>hello</a>"));
    }

    #[tokio::test]
    async fn latency_delays_the_answer() {
        let (addr, faults) = served(FaultConfig {
            latency_ms: 150,
            ..quiet()
        })
        .await;
        let start = tokio::time::Instant::now();
        let r = raw_exchange(addr).await.unwrap();
        assert!(start.elapsed() >= Duration::from_millis(150));
        assert!(r.starts_with(b"HTTP/1.1 200"));
        assert_eq!(faults.injected().delayed, 1);
    }
}
