//! Answer compression, paid only by callers that ask for it.
//!
//! tower-http's `Compression` does the work. It wraps every answer's body
//! in its `CompressionBody`, whose inline brotli encoder makes the answer
//! about 6 KB: moved through each layer above it and boxed once per
//! request, even when the caller sent no `Accept-Encoding` and the body
//! goes out as it is. A request without that header skips `Compression`
//! here and gets what it would have given: the same body and, when the
//! predicate would compress the answer, `Vary: accept-encoding`.

use axum::body::Body;
use futures_util::future::{Either, MapOk, TryFutureExt};
use http::{header, HeaderValue, Request, Response};
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tower::{Layer, Service};
use tower_http::compression::{CompressionBody, CompressionLayer, Predicate};

/// [`CompressionLayer`] for requests with an `Accept-Encoding`; the others
/// bypass it (module doc).
#[derive(Clone)]
pub struct CompressWhenAskedLayer<P: Predicate> {
    layer: CompressionLayer<P>,
    predicate: P,
}

impl<P: Predicate> CompressWhenAskedLayer<P> {
    /// Compression with `predicate` deciding which answers are compressed.
    pub fn new(predicate: P) -> Self {
        CompressWhenAskedLayer {
            layer: CompressionLayer::new().compress_when(predicate.clone()),
            predicate,
        }
    }
}

impl<S: Clone, P: Predicate> Layer<S> for CompressWhenAskedLayer<P> {
    type Service = CompressWhenAsked<S, P>;

    fn layer(&self, inner: S) -> Self::Service {
        CompressWhenAsked {
            compressed: self.layer.layer(inner.clone()),
            plain: inner,
            predicate: self.predicate.clone(),
        }
    }
}

/// The service of [`CompressWhenAskedLayer`].
#[derive(Clone)]
pub struct CompressWhenAsked<S, P: Predicate> {
    plain: S,
    compressed: Compression<S, P>,
    predicate: P,
}

type Compressed<B> = Response<CompressionBody<B>>;

type Compression<S, P> = tower_http::compression::Compression<S, P>;

impl<S, P, ReqB, ResB> Service<Request<ReqB>> for CompressWhenAsked<S, P>
where
    S: Service<Request<ReqB>, Response = Response<ResB>>,
    Compression<S, P>: Service<Request<ReqB>, Response = Compressed<ResB>, Error = S::Error>,
    P: Predicate,
    ResB: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    ResB::Error: Into<axum::BoxError> + Send + Sync,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Either<
        Plain<S::Future, P>,
        MapOk<
            <Compression<S, P> as Service<Request<ReqB>>>::Future,
            fn(Compressed<ResB>) -> Response<Body>,
        >,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        // `compressed` wraps a clone of `plain`: both must be ready for
        // either to be called.
        ready!(self.plain.poll_ready(cx))?;
        self.compressed.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqB>) -> Self::Future {
        if req.headers().contains_key(header::ACCEPT_ENCODING) {
            let boxed: fn(Compressed<ResB>) -> Response<Body> = |r| r.map(Body::new);
            Either::Right(self.compressed.call(req).map_ok(boxed))
        } else {
            Either::Left(Plain {
                inner: self.plain.call(req),
                predicate: self.predicate.clone(),
            })
        }
    }
}

pin_project! {
    /// The answer to a request that asked for no compression: as
    /// `Compression` would send it with the identity encoding.
    pub struct Plain<F, P> {
        #[pin]
        inner: F,
        predicate: P,
    }
}

impl<F, P, B, E> Future for Plain<F, P>
where
    F: Future<Output = Result<Response<B>, E>>,
    P: Predicate,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Output = Result<Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut res = ready!(this.inner.poll(cx))?;
        // tower-http's rule: never for an encoded or ranged answer, else
        // the predicate's word; a compressible answer varies by encoding.
        let compressible = !res.headers().contains_key(header::CONTENT_ENCODING)
            && !res.headers().contains_key(header::CONTENT_RANGE)
            && this.predicate.should_compress(&res);
        if compressible && !varies_by_encoding(res.headers()) {
            res.headers_mut().append(
                header::VARY,
                HeaderValue::from_static(header::ACCEPT_ENCODING.as_str()),
            );
        }
        Poll::Ready(Ok(res.map(Body::new)))
    }
}

/// Whether a `Vary` header already names `accept-encoding`.
fn varies_by_encoding(headers: &http::HeaderMap) -> bool {
    let name = header::ACCEPT_ENCODING.as_str().as_bytes();
    headers.get_all(header::VARY).iter().any(|v| {
        v.as_bytes()
            .windows(name.len())
            .any(|w| w.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{service_fn, ServiceExt};
    use tower_http::compression::predicate::SizeAbove;

    async fn answer(len: usize, vary: Option<&'static str>) -> Response<Body> {
        let mut r = Response::new(Body::from(vec![b'a'; len]));
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        if let Some(v) = vary {
            r.headers_mut()
                .insert(header::VARY, HeaderValue::from_static(v));
        }
        r
    }

    /// The answer through tower-http's `Compression` and through the
    /// bypass, for a request without `Accept-Encoding`: same status,
    /// headers and bytes.
    async fn both(len: usize, vary: Option<&'static str>) -> [(Vec<(String, String)>, Vec<u8>); 2] {
        let inner = service_fn(move |_: Request<Body>| async move {
            Ok::<_, std::convert::Infallible>(answer(len, vary).await)
        });
        let old = CompressionLayer::new()
            .compress_when(SizeAbove::new(100))
            .layer(inner)
            .oneshot(Request::new(Body::empty()))
            .await
            .map(|r| r.map(Body::new));
        let new = CompressWhenAskedLayer::new(SizeAbove::new(100))
            .layer(inner)
            .oneshot(Request::new(Body::empty()))
            .await;
        let mut out = Vec::new();
        for r in [old, new] {
            let Ok(r) = r;
            let headers = r
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect();
            let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
                .await
                .map(|b| b.to_vec())
                .unwrap_or_default();
            out.push((headers, bytes));
        }
        let [a, b]: [_; 2] = out.try_into().unwrap_or_else(|_| unreachable!());
        [a, b]
    }

    #[tokio::test]
    async fn without_accept_encoding_the_bypass_answers_as_compression_does() {
        for (len, vary) in [
            (10, None),
            (1000, None),
            (1000, Some("origin")),
            (1000, Some("Accept-Encoding")),
        ] {
            let [old, new] = both(len, vary).await;
            assert_eq!(old, new, "answer of {len} bytes, vary {vary:?}");
        }
        // The case that adds the header is covered.
        let [_, (headers, _)] = both(1000, None).await;
        assert!(headers.contains(&("vary".into(), "accept-encoding".into())));
    }

    #[tokio::test]
    async fn with_accept_encoding_the_answer_is_compressed() {
        let inner = service_fn(|_: Request<Body>| async {
            Ok::<_, std::convert::Infallible>(answer(1000, None).await)
        });
        let mut req = Request::new(Body::empty());
        req.headers_mut()
            .insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        let Ok(r) = CompressWhenAskedLayer::new(SizeAbove::new(100))
            .layer(inner)
            .oneshot(req)
            .await;
        assert_eq!(
            r.headers().get(header::CONTENT_ENCODING),
            Some(&HeaderValue::from_static("gzip"))
        );
    }
}
