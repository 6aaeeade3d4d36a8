//! `RequestId`: the one header a handler reads, taken alone (axum's
//! `HeaderMap` extractor would copy every header of every request).

use axum::extract::FromRequestParts;
use http::request::Parts;
use http::HeaderValue;
use std::convert::Infallible;

/// The request's `x-request-id` (set or kept by the outermost layer), for
/// the vendor calls it makes.
pub struct RequestId(Option<HeaderValue>);

impl RequestId {
    pub fn get(&self) -> Option<&HeaderValue> {
        self.0.as_ref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(RequestId(parts.headers.get("x-request-id").cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn takes_the_request_id_and_nothing_else() {
        let (mut parts, ()) = http::Request::builder()
            .header("x-request-id", "abc")
            .header("authorization", "secret")
            .body(())
            .unwrap()
            .into_parts();
        let id = RequestId::from_request_parts(&mut parts, &())
            .await
            .unwrap();
        assert_eq!(id.get().unwrap(), "abc");
        let (mut parts, ()) = http::Request::new(()).into_parts();
        let none = RequestId::from_request_parts(&mut parts, &())
            .await
            .unwrap();
        assert!(none.get().is_none());
    }
}
