//! The egress proxy decision, made once per backend from its base URL:
//! `proxy_url` when set, else `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and
//! `NO_PROXY` (upper or lower case) as curl reads them.
//!
//! An https vendor is reached through an HTTP CONNECT tunnel (TLS is then
//! spoken with the vendor, end to end); an http vendor gets absolute-form
//! requests sent to the proxy. Only `http://` proxies are supported.
//!
//! Proxy credentials live only in a sensitive `Proxy-Authorization` value;
//! messages here never quote a proxy URL.

use super::BaseUrl;
use crate::secret::Secret;
use http::uri::Authority;
use http::{HeaderValue, Uri};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};

/// How connections to one vendor are made.
#[derive(Clone)]
pub(crate) enum Route {
    Direct,
    /// CONNECT through `proxy`, then TLS to the vendor.
    Tunnel {
        proxy: Uri,
        auth: Option<HeaderValue>,
    },
    /// Plain HTTP requests in absolute form to `proxy`.
    Forward {
        proxy: Uri,
        auth: Option<HeaderValue>,
    },
}

impl Route {
    /// The proxy's `host:port`, never its credentials.
    pub(crate) fn proxy(&self) -> Option<&Authority> {
        match self {
            Route::Direct => None,
            Route::Tunnel { proxy, .. } | Route::Forward { proxy, .. } => proxy.authority(),
        }
    }
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let via = |kind: &str, p: &Uri, auth: &Option<HeaderValue>| {
            format!(
                "{kind} via {}{}",
                p.authority().map_or("?", Authority::as_str),
                if auth.is_some() {
                    " (with credentials)"
                } else {
                    ""
                }
            )
        };
        match self {
            Route::Direct => f.write_str("direct"),
            Route::Tunnel { proxy, auth } => f.write_str(&via("tunnel", proxy, auth)),
            Route::Forward { proxy, auth } => f.write_str(&via("forward", proxy, auth)),
        }
    }
}

/// Checks `proxy_url`: `http://[user:pass@]host:port`, nothing else.
pub(crate) fn check_proxy_url(url: &str) -> Result<(), String> {
    let uri: Uri = url
        .parse()
        .map_err(|_| "not a URL (want http://[user:pass@]host:port)".to_string())?;
    match uri.scheme_str() {
        Some("http") => {}
        Some(_) => return Err("only http:// proxies are supported".into()),
        None => return Err("no scheme (want http://[user:pass@]host:port)".into()),
    }
    let authority = uri.authority().ok_or("no host")?;
    if authority.host().is_empty() {
        return Err("no host".into());
    }
    if authority.port_u16().is_none() {
        return Err("no port (want http://[user:pass@]host:port)".into());
    }
    if (uri.path() != "/" && !uri.path().is_empty()) || uri.query().is_some() {
        return Err("a proxy URL takes no path or query".into());
    }
    Ok(())
}

/// The route to `target`. `proxy_url` wins over `env`; `env` is
/// `Matcher::from_env()` in production and a built matcher in tests.
pub(crate) fn decide(
    proxy_url: Option<&Secret>,
    env: &Matcher,
    target: &BaseUrl,
) -> Result<Route, String> {
    let origin = target.origin();
    let intercept = match proxy_url {
        Some(url) => {
            check_proxy_url(url.expose()).map_err(|e| format!("proxy_url: {e}"))?;
            let configured = Matcher::builder().all(url.expose()).build();
            Some(
                configured
                    .intercept(&origin)
                    .ok_or("proxy_url: not a usable proxy URL")?,
            )
        }
        None => env.intercept(&origin),
    };
    let Some(intercept) = intercept else {
        return Ok(Route::Direct);
    };
    route_through(&intercept, target.is_https())
}

fn route_through(intercept: &Intercept, https: bool) -> Result<Route, String> {
    let proxy = intercept.uri().clone();
    if proxy.scheme_str() != Some("http") {
        return Err(format!(
            "the proxy from the environment (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY) is a {} proxy; only http:// proxies are supported",
            proxy.scheme_str().unwrap_or("schemeless")
        ));
    }
    let auth = intercept.basic_auth().cloned().map(|mut v| {
        v.set_sensitive(true);
        v
    });
    Ok(if https {
        Route::Tunnel { proxy, auth }
    } else {
        Route::Forward { proxy, auth }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(s: &str) -> BaseUrl {
        BaseUrl::parse(s).unwrap()
    }

    fn none() -> Matcher {
        Matcher::builder().build()
    }

    #[test]
    fn no_proxy_anywhere_is_direct() {
        let r = decide(None, &none(), &base("https://api.vendor.example")).unwrap();
        assert!(matches!(r, Route::Direct));
        assert!(r.proxy().is_none());
    }

    #[test]
    fn configured_proxy_tunnels_https_and_forwards_http() {
        let url = Secret::new("http://u:p%40ss@proxy.internal:3128");
        let r = decide(Some(&url), &none(), &base("https://api.vendor.example")).unwrap();
        let Route::Tunnel { proxy, auth } = &r else {
            panic!("{r:?}")
        };
        assert_eq!(proxy.authority().unwrap(), "proxy.internal:3128");
        let auth = auth.as_ref().unwrap();
        assert!(auth.is_sensitive());
        // base64("u:p@ss")
        assert_eq!(auth, "Basic dTpwQHNz");
        let shown = format!("{r:?}");
        assert_eq!(shown, "tunnel via proxy.internal:3128 (with credentials)");

        let r = decide(Some(&url), &none(), &base("http://vendor.example:8080")).unwrap();
        assert!(matches!(r, Route::Forward { .. }), "{r:?}");
    }

    #[test]
    fn configured_proxy_ignores_no_proxy() {
        let url = Secret::new("http://proxy.internal:3128");
        let env = Matcher::builder().no("*").build();
        let r = decide(Some(&url), &env, &base("https://api.vendor.example")).unwrap();
        assert!(matches!(r, Route::Tunnel { auth: None, .. }));
    }

    #[test]
    fn environment_proxies_by_scheme_and_no_proxy() {
        let env = Matcher::builder()
            .https("http://secure-proxy:3128")
            .http("http://plain-proxy:8080")
            .no("internal.example, 10.0.0.0/8")
            .build();
        let r = decide(None, &env, &base("https://api.vendor.example")).unwrap();
        assert_eq!(r.proxy().unwrap(), "secure-proxy:3128");
        let r = decide(None, &env, &base("http://api.vendor.example")).unwrap();
        assert_eq!(r.proxy().unwrap(), "plain-proxy:8080");
        for direct in [
            "https://internal.example",
            "https://db.internal.example:8443",
            "http://10.1.2.3:81",
        ] {
            let r = decide(None, &env, &base(direct)).unwrap();
            assert!(matches!(r, Route::Direct), "{direct}: {r:?}");
        }
    }

    #[test]
    fn unsupported_proxies_are_refused_without_quoting_them() {
        let env = Matcher::builder()
            .all("socks5://user:hunter2@proxy:1080")
            .build();
        let e = decide(None, &env, &base("https://api.vendor.example")).unwrap_err();
        assert!(e.contains("only http:// proxies"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");

        for (url, want) in [
            ("https://proxy:3128", "only http://"),
            ("proxy:3128", "no scheme"),
            ("http://proxy", "no port"),
            ("http://proxy:3128/x", "no path"),
            ("http://u:hunter2@proxy:3128/x?y", "no path"),
            ("http://u:hunter2 @proxy:3128", "not a URL"),
        ] {
            let e = decide(
                Some(&Secret::new(url)),
                &none(),
                &base("https://api.vendor.example"),
            )
            .unwrap_err();
            assert!(e.starts_with("proxy_url: "), "{url}: {e}");
            assert!(e.contains(want), "{url}: {e}");
            assert!(!e.contains("hunter2"), "{e}");
        }
    }
}
