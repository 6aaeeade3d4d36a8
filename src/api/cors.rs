//! CORS for browser callers (`[server.cors]`), with tower-http's
//! `CorsLayer` doing the protocol.
//!
//! tower-http answers every preflight and adds its `allow-methods`,
//! `allow-headers` and `max-age` whatever the origin. Here a request from
//! an origin that is not allowed skips CORS entirely: it gets no CORS
//! header at all (a preflight then gets the router's 405, which a browser
//! reads as "not allowed").

use crate::config::CorsConfig;
use http::{HeaderName, HeaderValue, Method, Request, Response};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tower::{Layer, Service, ServiceExt};
use tower_http::cors::{AllowOrigin, Cors, CorsLayer};

/// Which origins may call.
#[derive(Clone)]
enum Origins {
    Any,
    List(Arc<[HeaderValue]>),
}

impl Origins {
    fn allows(&self, origin: Option<&HeaderValue>) -> bool {
        match (self, origin) {
            (_, None) => false,
            (Origins::Any, Some(_)) => true,
            (Origins::List(l), Some(o)) => l.iter().any(|a| a == o),
        }
    }
}

/// The CORS layer of a `[server.cors]` section.
#[derive(Clone)]
pub struct OriginCorsLayer {
    origins: Origins,
    cors: CorsLayer,
}

impl OriginCorsLayer {
    /// Checks and builds; every problem is named (`allow_origins: ...`).
    pub fn new(cfg: &CorsConfig) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        let any = cfg.allow_origins.iter().any(|o| o == "*");
        let mut origins = Vec::new();
        for o in cfg.allow_origins.iter().filter(|o| *o != "*") {
            let ok = o.contains("://") && !o.ends_with('/');
            match HeaderValue::from_str(o) {
                Ok(v) if ok => origins.push(v),
                _ => problems.push(format!(
                    "allow_origins: `{o}` is not an origin (scheme://host[:port], no path)"
                )),
            }
        }
        if cfg.allow_origins.is_empty() {
            problems.push("allow_origins: name at least one origin, or \"*\"".into());
        }
        let mut methods = Vec::new();
        for m in &cfg.allow_methods {
            match Method::from_bytes(m.as_bytes()) {
                Ok(m) => methods.push(m),
                Err(_) => problems.push(format!("allow_methods: `{m}` is not a method")),
            }
        }
        let mut headers = Vec::new();
        for h in &cfg.allow_headers {
            match HeaderName::from_bytes(h.as_bytes()) {
                Ok(h) => headers.push(h),
                Err(_) => problems.push(format!("allow_headers: `{h}` is not a header name")),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let (origins, allow) = if any {
            (Origins::Any, AllowOrigin::any())
        } else {
            let list: Arc<[HeaderValue]> = origins.into();
            (
                Origins::List(list.clone()),
                AllowOrigin::list(list.iter().cloned()),
            )
        };
        let cors = CorsLayer::new()
            .allow_origin(allow)
            .allow_methods(methods)
            .allow_headers(headers)
            .expose_headers([
                HeaderName::from_static("x-request-id"),
                HeaderName::from_static("retry-after"),
                HeaderName::from_static("idempotent-replayed"),
            ])
            .max_age(Duration::from_secs(cfg.max_age_secs));
        Ok(OriginCorsLayer { origins, cors })
    }
}

impl<S: Clone> Layer<S> for OriginCorsLayer {
    type Service = OriginCors<S>;

    fn layer(&self, inner: S) -> OriginCors<S> {
        OriginCors {
            cors: self.cors.layer(inner.clone()),
            inner,
            origins: self.origins.clone(),
        }
    }
}

/// See the module doc.
#[derive(Clone)]
pub struct OriginCors<S> {
    inner: S,
    cors: Cors<S>,
    origins: Origins,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B, RB> Service<Request<B>> for OriginCors<S>
where
    S: Service<Request<B>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
    RB: Default + Send + 'static,
{
    type Response = Response<RB>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<RB>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        if self.origins.allows(req.headers().get(http::header::ORIGIN)) {
            Box::pin(self.cors.clone().oneshot(req))
        } else {
            Box::pin(self.inner.clone().oneshot(req))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(origins: &[&str]) -> CorsConfig {
        CorsConfig {
            allow_origins: origins.iter().map(|s| s.to_string()).collect(),
            allow_methods: vec!["GET".into(), "PUT".into()],
            allow_headers: vec!["content-type".into()],
            max_age_secs: 60,
        }
    }

    #[test]
    fn origins_are_checked() {
        assert!(OriginCorsLayer::new(&cfg(&["https://app.example.com"])).is_ok());
        assert!(OriginCorsLayer::new(&cfg(&["*"])).is_ok());
        let e = OriginCorsLayer::new(&cfg(&["app.example.com", "https://x/"]))
            .err()
            .unwrap();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(OriginCorsLayer::new(&cfg(&[])).is_err());
        let mut bad = cfg(&["https://a"]);
        bad.allow_methods = vec!["GE T".into()];
        bad.allow_headers = vec!["a b".into()];
        assert_eq!(OriginCorsLayer::new(&bad).err().unwrap().len(), 2);
    }
}
