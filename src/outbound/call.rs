//! `HttpCall`: the innermost service; sends on a pooled client and reads the
//! body with a limit.

use super::{CallError, VendorResponse};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

#[derive(Clone)]
pub struct HttpCall {
    client: Client<HttpConnector, Full<Bytes>>,
    max_body: usize,
}

impl HttpCall {
    pub fn new(max_body: usize) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(Duration::from_secs(5)));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(256)
            .build(connector);
        HttpCall { client, max_body }
    }
}

impl tower::Service<http::Request<Full<Bytes>>> for HttpCall {
    type Response = VendorResponse;
    type Error = CallError;
    type Future = Pin<Box<dyn Future<Output = Result<VendorResponse, CallError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), CallError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Full<Bytes>>) -> Self::Future {
        let client = self.client.clone();
        let max = self.max_body;
        Box::pin(async move {
            let resp = client.request(req).await.map_err(|e| {
                if e.is_connect() {
                    CallError::Connect
                } else {
                    CallError::Io
                }
            })?;
            let (parts, body) = resp.into_parts();
            let body = Limited::new(body, max).collect().await.map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    CallError::BodyTooLarge
                } else {
                    CallError::Io
                }
            })?;
            Ok(VendorResponse {
                status: parts.status,
                headers: parts.headers,
                body: body.to_bytes(),
            })
        })
    }
}
