//! `VendorClient`: the pooled hyper-util client of one backend, built from
//! its outbound config and base URL. HTTPS with rustls (system roots plus
//! `tls.ca_file`, TLS 1.2+, SNI from the host, ALPN `h2` then `http/1.1`,
//! an optional client certificate), plain HTTP for `http://`, and the
//! egress proxy the backend's [`Route`] names.
//!
//! Everything is read when the client is built: a config reload builds
//! new clients, so renewed certificate files and a changed proxy
//! environment are picked up.
//!
//! The pool is one per core ([`Pools`]).

use super::dial::Dialer;
use super::pools::Pools;
use super::proxy::{self, Route};
use super::OutboundConfig;
use super::{tls_config, BaseUrl};
use bytes::Bytes;
use http::uri::Authority;
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::ResponseFuture;
use hyper_util::client::proxy::matcher::Matcher;
use std::sync::Arc;
use std::time::Duration;

/// Why a client could not be built, worded as `<key>: <problem>` for the
/// config key at fault. Never quotes a secret or a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(pub(crate) String);

/// The pooled client of one backend (or of its token endpoint). Cheap to
/// clone: clones share the pools.
#[derive(Clone)]
pub struct VendorClient {
    pools: Arc<Pools>,
    route: Route,
}

impl VendorClient {
    /// The client for `target` under `cfg`, the proxy taken from
    /// `cfg.proxy_url` or else from the process environment. A sandbox is
    /// always reached directly.
    pub fn new(cfg: &OutboundConfig, target: &BaseUrl) -> Result<VendorClient, ConnectError> {
        let env = if cfg.is_sandbox() {
            Matcher::builder().build()
        } else {
            Matcher::from_env()
        };
        VendorClient::with_proxy_env(cfg, target, &env)
    }

    /// As [`VendorClient::new`], with the proxy environment given (tests
    /// build one with `Matcher::builder()` instead of mutating the
    /// process's variables).
    pub fn with_proxy_env(
        cfg: &OutboundConfig,
        target: &BaseUrl,
        env: &Matcher,
    ) -> Result<VendorClient, ConnectError> {
        let proxy_url = if cfg.is_sandbox() {
            None
        } else {
            cfg.proxy_url.as_ref()
        };
        let route = proxy::decide(proxy_url, env, target).map_err(ConnectError)?;
        // TLS material is read only for an https target: an http vendor's
        // client never speaks TLS.
        let tls = if target.is_https() {
            tls_config::client_config(cfg.tls.as_ref()).map_err(ConnectError)?
        } else {
            rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .map_err(|_| ConnectError("tls: no TLS version available".into()))?
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth()
        };
        let mut tcp = HttpConnector::new();
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(Some(Duration::from_secs(5)));
        // The TLS layer above decides by scheme; the TCP layer dials both.
        tcp.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_all_versions()
            .wrap_connector(Dialer::new(tcp, &route));
        let pools = Pools::new(connector);
        tracing::debug!(vendor = target.authority(), route = ?route, "outbound client built");
        Ok(VendorClient {
            pools: Arc::new(pools),
            route,
        })
    }

    /// Sends `req` (an absolute URI). Through a forward proxy, the
    /// proxy's `Proxy-Authorization` is added here; through a tunnel it
    /// went on the CONNECT only, never to the vendor.
    pub fn request(&self, mut req: http::Request<Full<Bytes>>) -> ResponseFuture {
        if let Route::Forward {
            auth: Some(auth), ..
        } = &self.route
        {
            if req.uri().scheme_str() == Some("http") {
                req.headers_mut()
                    .insert(http::header::PROXY_AUTHORIZATION, auth.clone());
            }
        }
        self.pools.current().request(req)
    }

    /// The proxy's `host:port` when calls go through one (for logs).
    pub fn proxy(&self) -> Option<&Authority> {
        self.route.proxy()
    }
}

impl std::fmt::Debug for VendorClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VendorClient")
            .field("route", &self.route)
            .finish_non_exhaustive()
    }
}
