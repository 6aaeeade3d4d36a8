//! `HttpCall`: the innermost service; sends on a pooled client and reads the
//! body with a limit.

use super::{CallError, VendorClient, VendorResponse};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Clone)]
pub struct HttpCall {
    client: VendorClient,
    max_body: usize,
}

impl HttpCall {
    /// Sends on `client` (see [`VendorClient::new`]), reading at most
    /// `max_body` bytes of each answer.
    pub fn new(client: VendorClient, max_body: usize) -> Self {
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
            let resp = client
                .request(req)
                .await
                .map_err(|e| CallError::from_client(&e, e.is_connect()))?;
            let (parts, body) = resp.into_parts();
            let body = Limited::new(body, max).collect().await.map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    CallError::BodyTooLarge
                } else {
                    CallError::from_client(&*e, false)
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
