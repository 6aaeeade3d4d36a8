//! A scripted vendor: answers each request with the next canned response and
//! records what it received. For byte-exact round trips and faults.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the scripted vendor answers.
#[derive(Clone)]
pub enum Answer {
    /// Status, content type, body.
    Body(u16, &'static str, Bytes),
    /// Waits before answering 200 with the body.
    Slow(Duration, &'static str, Bytes),
}

impl Answer {
    pub fn xml(status: u16, body: impl Into<Bytes>) -> Answer {
        Answer::Body(status, "application/xml; charset=utf-8", body.into())
    }

    pub fn json(status: u16, body: impl Into<Bytes>) -> Answer {
        Answer::Body(status, "application/json; charset=utf-8", body.into())
    }
}

/// A request as the vendor saw it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Clone, Default)]
pub struct Scripted {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Scripted {
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Scripted {
        Scripted {
            answers: Arc::new(Mutex::new(answers.into_iter().collect())),
            received: Arc::default(),
        }
    }

    pub fn push(&self, a: Answer) {
        self.answers.lock().unwrap().push_back(a);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The vendor as a router, to serve some other way (over TLS).
    pub fn router(&self) -> axum::Router {
        axum::Router::new()
            .fallback(handle)
            .with_state(self.clone())
    }

    /// Serves on loopback; returns `http://addr`.
    pub async fn start(&self) -> String {
        let addr = serve_raw(self.clone()).await;
        format!("http://{addr}")
    }
}

async fn handle(State(s): State<Scripted>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 16 << 20)
        .await
        .unwrap_or_default();
    s.received.lock().unwrap().push(Received {
        method: parts.method,
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers: parts.headers,
        body,
    });
    let next = s.answers.lock().unwrap().pop_front();
    match next {
        Some(Answer::Body(status, ct, body)) => respond(status, ct, body),
        Some(Answer::Slow(d, ct, body)) => {
            tokio::time::sleep(d).await;
            respond(200, ct, body)
        }
        None => respond(599, "text/plain", Bytes::from_static(b"script exhausted")),
    }
}

fn respond(status: u16, ct: &'static str, body: Bytes) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header("content-type", ct)
        .body(Body::from(body))
        .unwrap()
}

async fn serve_raw(s: Scripted) -> SocketAddr {
    super::serve(s.router()).await
}

/// A vendor that reads the request and closes the connection without a
/// word: the gateway sees a reset. Returns `http://addr`.
pub async fn resetting_vendor() -> String {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            // Dropping the socket with unread data makes the kernel send RST.
            drop(sock);
        }
    });
    format!("http://{addr}")
}
