//! The proxy floor of `bench/load.sh` (the `hyper` side): what the
//! gateway's own stack costs before any translation.
//!
//!   proxy-floor PORT UPSTREAM
//!
//! A hyper 1 HTTP/1.1 server on 127.0.0.1:PORT, on one current-thread
//! tokio runtime (the gateway with `worker_threads = 1`), mimalloc as the
//! allocator (as the gateway). Each request is forwarded to UPSTREAM (a
//! base URL such as `http://127.0.0.1:18181`) with the same method, path
//! and query, its headers minus the hop-by-hop ones and its body collected,
//! through a pooled hyper-util legacy client (keep-alive, the gateway's
//! pool settings). The vendor's answer is collected in memory, as the
//! gateway does before translating it, and returned with its status and
//! content type. No axum, no tower layers, no parsing of either body: the
//! gap between this side and the gateway is the gateway's own work.
//!
//! A request the vendor cannot be asked for (a bad URI, the vendor
//! unreachable, a body that breaks off) gets a `502` with the reason.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpListener;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Vendor = Client<HttpConnector, Full<Bytes>>;

/// Headers of one hop (RFC 9110 7.6.1), not forwarded; `host` is the
/// vendor's (the client sets it from the URI) and `content-length` is the
/// collected body's (hyper sets it from the body's exact size).
const HOP: [HeaderName; 10] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
    header::HOST,
    header::CONTENT_LENGTH,
];

struct Proxy {
    client: Vendor,
    /// The upstream base URL without a trailing slash.
    base: String,
}

fn bad_gateway(why: String) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(why)));
    *resp.status_mut() = StatusCode::BAD_GATEWAY;
    resp
}

impl Proxy {
    async fn forward(&self, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, String> {
        let (parts, body) = req.into_parts();
        let pq = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
        let uri = Uri::try_from(format!("{}{pq}", self.base))
            .map_err(|e| format!("bad vendor URI: {e}"))?;
        let body = body
            .collect()
            .await
            .map_err(|e| format!("request body: {e}"))?
            .to_bytes();
        let mut out = Request::new(Full::new(body));
        *out.method_mut() = parts.method;
        *out.uri_mut() = uri;
        let mut headers = parts.headers;
        for h in &HOP {
            headers.remove(h);
        }
        *out.headers_mut() = headers;

        let resp = self
            .client
            .request(out)
            .await
            .map_err(|e| format!("vendor: {e}"))?;
        let (parts, body) = resp.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|e| format!("vendor body: {e}"))?
            .to_bytes();
        let mut answer = Response::new(Full::new(body));
        *answer.status_mut() = parts.status;
        if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
            answer
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::clone(ct));
        }
        Ok(answer)
    }
}

async fn serve(port: u16, proxy: Arc<Proxy>) -> Result<(), String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("bind {addr}: {e}"))?;
    let mut http = hyper::server::conn::http1::Builder::new();
    // The gateway's HTTP/1 server has a timer (its head read timeout).
    http.timer(TokioTimer::new());
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let proxy = proxy.clone();
        let conn = http.serve_connection(
            TokioIo::new(stream),
            hyper::service::service_fn(move |req| {
                let proxy = proxy.clone();
                async move {
                    Ok::<_, Infallible>(match proxy.forward(req).await {
                        Ok(resp) => resp,
                        Err(why) => bad_gateway(why),
                    })
                }
            }),
        );
        tokio::spawn(async move {
            // A client that goes away mid-request is no error of the floor.
            let _ = conn.await;
        });
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (port, base) = match args.as_slice() {
        [port, base] => match port.parse::<u16>() {
            Ok(port) => (port, base.trim_end_matches('/').to_owned()),
            Err(e) => {
                eprintln!("proxy-floor: bad port {port:?}: {e}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: proxy-floor PORT UPSTREAM (e.g. 18189 http://127.0.0.1:18181)");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = Uri::try_from(base.as_str()) {
        eprintln!("proxy-floor: bad upstream {base:?}: {e}");
        return ExitCode::from(2);
    }
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("proxy-floor: runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    // The gateway's vendor pool settings (src/outbound/pools.rs).
    let client = Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(256)
        .build(connector);
    let proxy = Arc::new(Proxy { client, base });
    match rt.block_on(serve(port, proxy)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("proxy-floor: {e}");
            ExitCode::FAILURE
        }
    }
}
