//! A backend's connection pools, one per core (`server.runtime =
//! "thread_per_core"`).
//!
//! A request on core `k` ([`crate::runtime::core_index`]) takes its
//! connection from core `k`'s pool, built on first use on that core. The
//! connection's task (hyper's, spawned on the runtime current at connect
//! time) then runs on the request's own thread: no wake-up crosses
//! threads, and no core waits on another core's runtime to move its
//! bytes. Under `work_stealing` every thread is core 0: one pool, as
//! before. The breaker, concurrency limit, retry budget and OAuth tokens
//! stay one per backend (`super::Outbound`).

use super::dial::Dialer;
use bytes::Bytes;
use http_body_util::Full;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::sync::OnceLock;
use std::time::Duration;

type Pool = Client<HttpsConnector<Dialer>, Full<Bytes>>;

/// A pool per core, each built on first use on its core.
pub(super) struct Pools {
    connector: HttpsConnector<Dialer>,
    /// Indexed by core; a pointer each, so a core that never calls costs
    /// 16 bytes.
    cores: Box<[OnceLock<Box<Pool>>]>,
}

impl Pools {
    pub(super) fn new(connector: HttpsConnector<Dialer>) -> Pools {
        Pools {
            connector,
            cores: (0..crate::runtime::MAX_THREADS.max(1))
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The pool of the core this thread serves.
    pub(super) fn current(&self) -> &Pool {
        let k = crate::runtime::core_index();
        let slot = match self.cores.get(k) {
            Some(slot) => slot,
            None => &self.cores[0],
        };
        slot.get_or_init(|| {
            Box::new(
                Client::builder(TokioExecutor::new())
                    .pool_idle_timeout(Duration::from_secs(60))
                    .pool_max_idle_per_host(256)
                    .build(self.connector.clone()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BaseUrl, VendorClient};
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Arc};

    /// A vendor on a std thread: answers every request on a kept-alive
    /// connection; counts connections.
    fn vendor() -> (String, Arc<AtomicUsize>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let conns = Arc::new(AtomicUsize::new(0));
        let counted = conns.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                counted.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || {
                    let mut out = stream.try_clone().unwrap();
                    let mut lines = BufReader::new(stream);
                    let mut line = String::new();
                    loop {
                        line.clear();
                        match lines.read_line(&mut line) {
                            Ok(0) | Err(_) => return,
                            Ok(_) if line == "\r\n" => {
                                let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                                if out.write_all(ok).is_err() {
                                    return;
                                }
                            }
                            Ok(_) => {}
                        }
                    }
                });
            }
        });
        (format!("http://{addr}"), conns)
    }

    /// A core's thread: its own current-thread runtime, kept running,
    /// making one call per message.
    fn core(
        k: usize,
        client: VendorClient,
        url: String,
    ) -> (tokio::sync::mpsc::Sender<()>, mpsc::Receiver<u16>) {
        let (go, mut calls) = tokio::sync::mpsc::channel::<()>(1);
        let (tx, done) = mpsc::channel();
        std::thread::spawn(move || {
            crate::runtime::set_core_index(k);
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                while calls.recv().await.is_some() {
                    let req = http::Request::get(&url)
                        .body(http_body_util::Full::default())
                        .unwrap();
                    let status = match client.request(req).await {
                        Ok(r) => r.status().as_u16(),
                        Err(_) => 0,
                    };
                    let _ = tx.send(status);
                }
            });
        });
        (go, done)
    }

    #[test]
    fn each_core_keeps_its_own_connections() {
        let (url, conns) = vendor();
        let cfg = serde_json::from_value(serde_json::json!({ "base_url": url })).unwrap();
        let client = VendorClient::new(&cfg, &BaseUrl::parse(&url).unwrap()).unwrap();
        let cores: Vec<_> = (0..2)
            .map(|k| core(k, client.clone(), format!("{url}/x")))
            .collect();
        // One call at a time, alternating: a shared pool would hand core
        // 1 the connection core 0 left idle (one connection in all).
        for _ in 0..3 {
            for (go, done) in &cores {
                go.blocking_send(()).unwrap();
                let status = done
                    .recv_timeout(std::time::Duration::from_secs(10))
                    .unwrap();
                assert_eq!(status, 200);
            }
        }
        assert_eq!(
            conns.load(Ordering::SeqCst),
            2,
            "one connection per core, each kept alive"
        );
    }
}
