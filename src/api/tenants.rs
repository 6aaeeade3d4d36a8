//! Picking the tenant of a request.
//!
//! Each tenant has its own router (same routes and layers, its own routes
//! to backends and credentials). `/v1` requests go to the router of the
//! tenant whose key they carry; everything else (and a request whose key
//! is nobody's) goes to the `default` tenant's router, whose API-key check
//! then answers 401 as a problem with the request id.

use super::{problem, AppState};
use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::{Service, ServiceExt};

/// The public router: `states[0]` is the `default` tenant.
pub fn router(states: &[Arc<AppState>]) -> Router {
    let routers: Vec<Router> = states.iter().map(|s| super::router(s.clone())).collect();
    if routers.len() == 1 {
        return routers.into_iter().next().unwrap_or_default();
    }
    let keys: Vec<(Vec<Vec<u8>>, usize)> = states
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, s)| {
            let keys = s
                .api_keys
                .iter()
                .flatten()
                .map(|k| k.expose().as_bytes().to_vec())
                .collect();
            (keys, i)
        })
        .collect();
    Router::new().fallback_service(Dispatch {
        routers: Arc::new(routers),
        keys: Arc::new(keys),
    })
}

#[derive(Clone)]
struct Dispatch {
    routers: Arc<Vec<Router>>,
    keys: Arc<Vec<(Vec<Vec<u8>>, usize)>>,
}

impl Dispatch {
    /// The router for `req`: every key of every tenant is compared, each in
    /// constant time, so timing does not tell which tenant or how much of a
    /// key matched.
    fn pick(&self, req: &Request) -> usize {
        if !req.uri().path().starts_with("/v1") {
            return 0;
        }
        let given = req
            .headers()
            .get("x-api-key")
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        let mut chosen = 0;
        for (keys, index) in self.keys.iter() {
            for k in keys {
                let hit = crate::secret::ct_eq(k, given);
                chosen = if hit { *index } else { chosen };
            }
        }
        chosen
    }
}

impl Service<Request> for Dispatch {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let i = self.pick(&req);
        let router = self.routers.get(i).cloned();
        Box::pin(async move {
            match router {
                Some(r) => r.oneshot(req).await,
                None => Ok(axum::response::IntoResponse::into_response(
                    problem::ApiError::from_status(http::StatusCode::INTERNAL_SERVER_ERROR),
                )),
            }
        })
    }
}
