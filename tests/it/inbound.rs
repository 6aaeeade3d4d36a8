//! The public listener over real sockets: HTTPS (`[server.tls]`) with
//! HTTP/1.1 and h2 by ALPN, h2c with prior knowledge on plain HTTP, mTLS
//! callers, a certificate swapped by a reload, header limits on h2, and
//! the graceful drain of h2 connections.

use crate::common;

use crate::common::tls::{Pki, Validity};
use crossdock::app::{self, Plan, Running};
use http::{StatusCode, Version};
use http_body_util::Empty;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::Instant;

/// The sandbox customer group.
const PATH: &str = "/v1/customer-groups/e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";

fn env() -> Vec<(String, String)> {
    vec![
        ("CROSSDOCK__SERVER__LISTEN".into(), "127.0.0.1:0".into()),
        ("CROSSDOCK__ADMIN__LISTEN".into(), "127.0.0.1:0".into()),
        ("CROSSDOCK__SERVER__DRAIN_DELAY_MS".into(), "0".into()),
    ]
}

fn config(dir: &Path, server_extra: &str) -> PathBuf {
    let p = dir.join(format!("gw-{}.toml", uuid::Uuid::new_v4().simple()));
    std::fs::write(
        &p,
        format!(
            "[server]\nmax_headers = 20\nheader_read_timeout_ms = 300\ndrain_timeout_ms = 5000\n{server_extra}\n[backends.vehizen]\nbase_url = \"sandbox\"\nformat = \"xml\"\n"
        ),
    )
    .unwrap();
    p
}

/// `[server.tls]` with `pki`'s loopback certificate in `cert.pem`/`key.pem`.
fn tls_section(pki: &Pki, client_ca: Option<&Path>) -> String {
    let leaf = pki.server(&["127.0.0.1"], Validity::Now);
    let cert = pki.write("cert.pem", &leaf.cert_pem);
    let key = pki.write("key.pem", &leaf.key_pem);
    let mut s = format!(
        "[server.tls]\ncert_file = \"{}\"\nkey_file = \"{}\"\n",
        cert.display(),
        key.display()
    );
    if let Some(ca) = client_ca {
        s.push_str(&format!("client_ca_file = \"{}\"\n", ca.display()));
    }
    s
}

/// Seconds until the server closes a connection that sends nothing.
async fn silent_connection_lasts(addr: SocketAddr) -> Duration {
    use tokio::io::AsyncReadExt;
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 64];
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buf)).await;
    start.elapsed()
}

/// The h2 SETTINGS the server sends first on an h2c connection, as
/// (identifier, value) pairs.
async fn server_settings(addr: SocketAddr) -> Vec<(u16, u32)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .await
        .unwrap();
    let mut head = [0u8; 9];
    tcp.read_exact(&mut head).await.unwrap();
    assert_eq!(head[3], 4, "the first frame is SETTINGS");
    let len = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
    let mut payload = vec![0u8; len];
    tcp.read_exact(&mut payload).await.unwrap();
    payload
        .chunks(6)
        .map(|c| {
            (
                u16::from_be_bytes([c[0], c[1]]),
                u32::from_be_bytes([c[2], c[3], c[4], c[5]]),
            )
        })
        .collect()
}

async fn start(path: &Path) -> Running {
    app::start(Plan::from_file(path, env()).unwrap())
        .await
        .unwrap()
}

/// A client config trusting `ca` only, offering `alpn`, with the client
/// certificate in `identity` (PEM files) when given.
fn client(
    ca: &CertificateDer<'static>,
    alpn: &[&[u8]],
    identity: Option<&(PathBuf, PathBuf)>,
) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.clone()).unwrap();
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots);
    let mut cfg = match identity {
        Some((cert, key)) => {
            let chain = CertificateDer::pem_file_iter(cert)
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            let key = PrivateKeyDer::from_pem_file(key).unwrap();
            builder.with_client_auth_cert(chain, key).unwrap()
        }
        None => builder.with_no_client_auth(),
    };
    cfg.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(cfg)
}

/// One GET of [`PATH`] on a fresh connection (TLS when
/// `tls` is given; h2 when ALPN says so, or `h2c` on plain TCP), with
/// `extra` headers besides. Its version and status, or why it failed.
async fn get(
    addr: SocketAddr,
    tls: Option<Arc<rustls::ClientConfig>>,
    h2c: bool,
    extra: usize,
) -> Result<(Version, StatusCode), String> {
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let mut req = http::Request::builder().uri(format!("http://{addr}{PATH}"));
    for i in 0..extra {
        req = req.header(format!("x-extra-{i}"), "v");
    }
    let req = req.body(Empty::<bytes::Bytes>::new()).unwrap();
    match tls {
        Some(cfg) => {
            let name = ServerName::IpAddress(addr.ip().into());
            let stream = tokio_rustls::TlsConnector::from(cfg)
                .connect(name, tcp)
                .await
                .map_err(|e| format!("handshake: {e}"))?;
            let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2");
            send(TokioIo::new(stream), h2, req).await
        }
        None => send(TokioIo::new(tcp), h2c, req).await,
    }
}

async fn send<I>(
    io: I,
    h2: bool,
    mut req: http::Request<Empty<bytes::Bytes>>,
) -> Result<(Version, StatusCode), String>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    if !h2 {
        let host = req
            .uri()
            .authority()
            .map(|a| a.to_string())
            .unwrap_or_default();
        req.headers_mut()
            .insert(http::header::HOST, host.parse().unwrap());
    }
    let resp = if h2 {
        let (mut tx, conn) = hyper::client::conn::http2::handshake(TokioExecutor::new(), io)
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        tx.send_request(req).await
    } else {
        let (mut tx, conn) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        tx.send_request(req).await
    }
    .map_err(|e| e.to_string())?;
    Ok((resp.version(), resp.status()))
}

#[tokio::test]
async fn https_serves_http1_and_h2_by_alpn_and_admin_stays_plain() {
    let pki = Pki::new();
    let path = config(&pki.dir, &tls_section(&pki, None));
    let running = start(&path).await;
    let addr = running.public;

    let h1 = get(addr, Some(client(&pki.ca, &[b"http/1.1"], None)), false, 0).await;
    assert_eq!(h1, Ok((Version::HTTP_11, StatusCode::OK)));
    let h2 = get(
        addr,
        Some(client(&pki.ca, &[b"h2", b"http/1.1"], None)),
        false,
        0,
    )
    .await;
    assert_eq!(h2, Ok((Version::HTTP_2, StatusCode::OK)));
    // No ALPN at all: HTTP/1.1.
    let none = get(addr, Some(client(&pki.ca, &[], None)), false, 0).await;
    assert_eq!(none, Ok((Version::HTTP_11, StatusCode::OK)));
    // Plain HTTP on the TLS listener gets no answer.
    assert!(get(addr, None, false, 0).await.is_err());
    // A handshake that never comes is cut off at the head timeout.
    let silent = silent_connection_lasts(addr).await;
    assert!(silent < Duration::from_secs(3), "{silent:?}");

    let admin = common::send(
        http::Method::GET,
        &format!("http://{}/healthz", running.admin),
        &[],
        None,
    )
    .await;
    assert_eq!(admin.status, 200);
    running.shutdown().await;
}

#[tokio::test]
async fn h2c_with_prior_knowledge_beside_http1_and_h2_header_limits_hold() {
    let dir = Pki::new();
    let path = config(
        &dir.dir,
        "max_header_bytes = 8192\nmax_concurrent_streams = 7",
    );
    let running = start(&path).await;
    let addr = running.public;

    // The h2 limits are announced: MAX_CONCURRENT_STREAMS (3) and
    // MAX_HEADER_LIST_SIZE (6).
    let settings = server_settings(addr).await;
    assert!(settings.contains(&(3, 7)), "{settings:?}");
    assert!(settings.contains(&(6, 8192)), "{settings:?}");
    // A client that sends nothing (no preface, no request line) is cut
    // off at the head timeout.
    let silent = silent_connection_lasts(addr).await;
    assert!(silent < Duration::from_secs(3), "{silent:?}");

    assert_eq!(
        get(addr, None, true, 0).await,
        Ok((Version::HTTP_2, StatusCode::OK))
    );
    assert_eq!(
        get(addr, None, false, 0).await,
        Ok((Version::HTTP_11, StatusCode::OK))
    );
    // More than max_headers (20): refused on h2 as on HTTP/1.1.
    assert_eq!(
        get(addr, None, true, 30).await,
        Ok((Version::HTTP_2, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE))
    );
    assert_eq!(
        get(addr, None, false, 30).await,
        Ok((
            Version::HTTP_11,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        ))
    );

    // More header bytes than max_header_bytes: the stream is refused
    // (431 or a reset), never served.
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (mut tx, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(tcp))
            .await
            .unwrap();
    tokio::spawn(conn);
    let req = http::Request::builder()
        .uri(format!("http://{addr}{PATH}"))
        .header("x-big", "a".repeat(20_000))
        .body(Empty::<bytes::Bytes>::new())
        .unwrap();
    let refused = match tx.send_request(req).await {
        Ok(r) => r.status() == StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        Err(_) => true,
    };
    assert!(refused, "an oversized h2 head was served");
    running.shutdown().await;
}

#[tokio::test]
async fn mtls_callers_need_a_certificate_signed_by_client_ca_file() {
    let pki = Pki::new();
    let callers = Pki::new();
    let stranger = Pki::new();
    let ca = callers.ca_file();
    let path = config(&pki.dir, &tls_section(&pki, Some(&ca)));
    let running = start(&path).await;
    let addr = running.public;

    for alpn in [&[&b"h2"[..]][..], &[&b"http/1.1"[..]][..]] {
        let anonymous = get(addr, Some(client(&pki.ca, alpn, None)), false, 0).await;
        assert!(anonymous.is_err(), "{anonymous:?}");
        let wrong = stranger.client_files();
        let wrong = get(addr, Some(client(&pki.ca, alpn, Some(&wrong))), false, 0).await;
        assert!(wrong.is_err(), "{wrong:?}");
        let ok = callers.client_files();
        let ok = get(addr, Some(client(&pki.ca, alpn, Some(&ok))), false, 0).await;
        assert_eq!(ok.map(|(_, s)| s), Ok(StatusCode::OK));
    }
    running.shutdown().await;
}

#[tokio::test]
async fn a_reload_serves_the_new_certificate_to_new_connections() {
    let old = Pki::new();
    let new = Pki::new();
    let section = tls_section(&old, None);
    let path = config(&old.dir, &section);
    let running = start(&path).await;
    let addr = running.public;
    let trusts_new = || Some(client(&new.ca, &[b"h2"], None));
    let trusts_old = || Some(client(&old.ca, &[b"h2"], None));
    assert!(get(addr, trusts_old(), false, 0).await.is_ok());
    assert!(get(addr, trusts_new(), false, 0).await.is_err());

    // Same paths, new contents (as a renewal writes them).
    let leaf = new.server(&["127.0.0.1"], Validity::Now);
    std::fs::write(old.dir.join("cert.pem"), &leaf.cert_pem).unwrap();
    std::fs::write(old.dir.join("key.pem"), &leaf.key_pem).unwrap();
    running.reload_file(&path, env()).await.unwrap();

    assert_eq!(
        get(addr, trusts_new(), false, 0).await,
        Ok((Version::HTTP_2, StatusCode::OK))
    );
    assert!(get(addr, trusts_old(), false, 0).await.is_err());
    // The files are watched for changes.
    let watched = running.watched_files();
    let watched = watched.lock().unwrap().clone();
    assert!(watched.contains(&old.dir.join("cert.pem")), "{watched:?}");
    assert!(watched.contains(&old.dir.join("key.pem")), "{watched:?}");

    // A reload to a missing file is refused; the running certificate stays.
    let broken = section.replace("cert.pem", "gone.pem");
    std::fs::write(
        &path,
        format!(
            "{}{broken}",
            std::fs::read_to_string(&path)
                .unwrap()
                .split("[server.tls]")
                .next()
                .unwrap()
        ),
    )
    .unwrap();
    let err = running.reload_file(&path, env()).await.unwrap_err();
    assert!(err.contains("server.tls.cert_file: cannot read"), "{err}");
    assert!(get(addr, trusts_new(), false, 0).await.is_ok());
    running.shutdown().await;
}

#[tokio::test]
async fn bad_tls_files_are_config_errors_naming_the_key() {
    let pki = Pki::new();
    let key = pki.write(
        "key.pem",
        "-----BEGIN PRIVATE KEY-----\nSECRET-BYTES!!\n-----END PRIVATE KEY-----\n",
    );
    let path = config(
        &pki.dir,
        &format!(
            "[server.tls]\ncert_file = \"{}\"\nkey_file = \"{}\"\n",
            pki.dir.join("missing.pem").display(),
            key.display()
        ),
    );
    let Err(errors) = Plan::from_file(&path, env()) else {
        panic!("a missing certificate file was accepted");
    };
    let text = errors.to_string();
    assert!(
        text.contains("server.tls.cert_file: cannot read "),
        "{text}"
    );
    assert!(text.contains("missing.pem"), "{text}");
    assert!(text.contains("server.tls.key_file: "), "{text}");
    assert!(!text.contains("SECRET"), "{text}");

    let path = config(&pki.dir, "max_concurrent_streams = 0");
    let Err(errors) = Plan::from_file(&path, env()) else {
        panic!("max_concurrent_streams = 0 was accepted");
    };
    assert!(
        errors.to_string().contains("server.max_concurrent_streams"),
        "{errors}"
    );
}

#[tokio::test]
async fn an_idle_h2_connection_does_not_hold_up_the_drain() {
    let pki = Pki::new();
    let path = config(&pki.dir, &tls_section(&pki, None));
    let running = start(&path).await;
    let addr = running.public;
    // An h2 connection kept open after its request (over TLS), and an
    // h2c one.
    let tcp = TcpStream::connect(addr).await.unwrap();
    let tls = tokio_rustls::TlsConnector::from(client(&pki.ca, &[b"h2"], None))
        .connect(ServerName::IpAddress(addr.ip().into()), tcp)
        .await
        .unwrap();
    let (mut tx, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(tls))
            .await
            .unwrap();
    let conn = tokio::spawn(conn);
    let req = http::Request::builder()
        .uri(format!("http://{addr}{PATH}"))
        .body(Empty::<bytes::Bytes>::new())
        .unwrap();
    assert_eq!(tx.send_request(req).await.unwrap().status(), 200);

    let t = Instant::now();
    running.shutdown().await;
    // drain_timeout_ms is 5 s: the idle connection got its GOAWAY and
    // closed instead.
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    let closed = tokio::time::timeout(Duration::from_secs(3), conn).await;
    assert!(closed.is_ok(), "the client saw its connection close");
}

/// Kills the binary when a test fails before stopping it.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The real binary notices renewed certificate files by itself (the
/// config poll watches them too) and serves them to new connections.
#[tokio::test]
async fn the_binary_reloads_when_the_certificate_files_change() {
    let old = Pki::new();
    let new = Pki::new();
    let free = || {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let (public, admin) = (free(), free());
    let path = old.write(
        "gw.toml",
        &format!(
            "[server]\nlisten = \"{public}\"\nreload_poll_ms = 50\ndrain_delay_ms = 0\n[admin]\nlisten = \"{admin}\"\n[backends.vehizen]\nbase_url = \"sandbox\"\nformat = \"xml\"\n{}",
            tls_section(&old, None)
        ),
    );
    let mut child = Child(
        std::process::Command::new(env!("CARGO_BIN_EXE_crossdock"))
            .args(["--config", path.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let until_ok = |ca: CertificateDer<'static>| async move {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok((_, StatusCode::OK)) =
                get(public, Some(client(&ca, &[b"h2"], None)), false, 0).await
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    };
    assert!(
        until_ok(old.ca.clone()).await,
        "serves the first certificate"
    );

    let leaf = new.server(&["127.0.0.1"], Validity::Now);
    std::fs::write(old.dir.join("key.pem"), &leaf.key_pem).unwrap();
    std::fs::write(old.dir.join("cert.pem"), &leaf.cert_pem).unwrap();
    assert!(
        until_ok(new.ca.clone()).await,
        "serves the renewed certificate"
    );
    assert!(get(public, Some(client(&old.ca, &[b"h2"], None)), false, 0)
        .await
        .is_err());

    let pid = child.0.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let start = Instant::now();
    loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// While the drain delay runs (`/readyz` 503, still accepting), an h2
/// client gets a GOAWAY, as an HTTP/1 client gets `Connection: close`,
/// so it reconnects through the load balancer before the listener stops.
#[tokio::test]
async fn h2_connections_are_asked_to_go_away_during_the_drain_delay() {
    let dir = Pki::new();
    let path = config(&dir.dir, "");
    let mut env = env();
    env.push(("CROSSDOCK__SERVER__DRAIN_DELAY_MS".into(), "3000".into()));
    let running = app::start(Plan::from_file(&path, env).unwrap())
        .await
        .unwrap();
    let addr = running.public;
    let tcp = TcpStream::connect(addr).await.unwrap();
    let (mut tx, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(tcp))
            .await
            .unwrap();
    let conn = tokio::spawn(conn);
    let req = || {
        http::Request::builder()
            .uri(format!("http://{addr}{PATH}"))
            .body(Empty::<bytes::Bytes>::new())
            .unwrap()
    };
    assert_eq!(tx.send_request(req()).await.unwrap().status(), 200);

    let t = Instant::now();
    let shutdown = tokio::spawn(running.shutdown());
    let closed = tokio::time::timeout(Duration::from_secs(2), conn).await;
    assert!(closed.is_ok(), "no GOAWAY during the delay");
    // Still within the delay: new connections are served.
    assert!(t.elapsed() < Duration::from_secs(3));
    assert_eq!(
        get(addr, None, true, 0).await,
        Ok((Version::HTTP_2, StatusCode::OK))
    );
    shutdown.await.unwrap();
}
