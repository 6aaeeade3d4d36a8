//! hyper's own error answers, made problems.
//!
//! When a request head cannot be parsed (a malformed request line, a bad or
//! duplicate `Content-Length`, a bad `Transfer-Encoding`) or is too large
//! (431), hyper answers by itself, before any request reaches the router,
//! with a bare status line and no body. hyper has no hook for that answer,
//! so [`ProblemIo`] wraps the connection and rewrites it on its way out:
//! the same status, `application/problem+json` with a fresh `requestId`,
//! and `x-request-id`. The connection is closed afterwards, as hyper does.
//!
//! An answer of the gateway's own always carries `x-request-id` (the
//! request id layer sets it on every response), so a 4xx or 5xx head
//! without one can only be hyper's. Those heads are small and written in
//! one piece: a write that starts with a status line but does not hold the
//! whole head is passed through untouched.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Largest head inspected (hyper's error heads are under 200 bytes).
const MAX_HEAD: usize = 1024;

/// A connection whose bare error answers are rewritten as problems.
pub struct ProblemIo<T> {
    inner: T,
    /// Off on listeners whose answers do not all carry a request id (the
    /// admin listener's `/readyz` 503).
    enabled: bool,
    /// A rewritten answer being written: its bytes, how far it got, and
    /// the length of the write it replaces (reported once it is out).
    pending: Option<(Vec<u8>, usize, usize)>,
}

impl<T> ProblemIo<T> {
    pub fn new(inner: T, enabled: bool) -> Self {
        ProblemIo {
            inner,
            enabled,
            pending: None,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ProblemIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ProblemIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.pending.is_none() {
            match rewrite(buf).filter(|_| self.enabled) {
                Some(bytes) => self.pending = Some((bytes, 0, buf.len())),
                None => return Pin::new(&mut self.inner).poll_write(cx, buf),
            }
        }
        let this = &mut *self;
        while let Some((bytes, done, replaces)) = &mut this.pending {
            if *done == bytes.len() {
                let n = *replaces;
                this.pending = None;
                return Poll::Ready(Ok(n));
            }
            match Pin::new(&mut this.inner).poll_write(cx, &bytes[*done..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *done += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(0))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // The head comes first; hyper's bare answers have no body.
        let first = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &**b);
        if self.pending.is_none() && (!self.enabled || rewrite(first).is_none()) {
            let this = self.get_mut();
            return Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        }
        self.poll_write(cx, first)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The 431 problem for an h2 request with more than `server.max_headers`
/// headers (h2's own limit, `max_header_list_size`, counts bytes).
pub(crate) fn too_many_headers() -> http::Response<axum::body::Body> {
    let id = uuid::Uuid::new_v4().hyphenated().to_string();
    let status = http::StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
    let mut problem = crate::api::problem::ApiError::from_status(status);
    problem.detail = "the request head is too large (too many or too long headers)".to_string();
    let body = serde_json::to_vec(&problem.body(Some(&id))).unwrap_or_default();
    let mut resp = http::Response::new(axum::body::Body::from(body));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/problem+json"),
    );
    if let Ok(v) = http::HeaderValue::from_str(&id) {
        headers.insert("x-request-id", v);
    }
    resp
}

/// The problem answer for `buf` when it is a bare error head of hyper's.
fn rewrite(buf: &[u8]) -> Option<Vec<u8>> {
    // Cheap exits first: this runs on every write of the connection.
    if buf.len() > MAX_HEAD
        || !buf.starts_with(b"HTTP/1.")
        || !matches!(buf.get(9), Some(b'4' | b'5'))
    {
        return None;
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    if end + 4 != buf.len() {
        return None;
    }
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let code: u16 = status_line.get(9..12)?.parse().ok()?;
    if !(400..600).contains(&code) {
        return None;
    }
    if lines.any(|l| {
        l.split_once(':')
            .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("x-request-id"))
    }) {
        return None;
    }
    let status = http::StatusCode::from_u16(code).ok()?;
    let detail = match code {
        431 => "the request head is too large (too many or too long headers)",
        414 => "the request target is too long",
        _ => "the request head is malformed (request line, Content-Length or Transfer-Encoding)",
    };
    let id = uuid::Uuid::new_v4().hyphenated().to_string();
    let mut problem = crate::api::problem::ApiError::from_status(status);
    problem.detail = detail.to_string();
    let body = serde_json::to_vec(&problem.body(Some(&id))).ok()?;
    let mut out = Vec::with_capacity(256 + body.len());
    out.extend_from_slice(
        format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/problem+json\r\nx-request-id: {id}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("Error"),
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_error_heads_become_problems() {
        let out = rewrite(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n",
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 "));
        assert!(head.contains("content-type: application/problem+json"));
        let id = head
            .lines()
            .find_map(|l| l.strip_prefix("x-request-id: "))
            .unwrap();
        let p: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(p["status"], 431);
        assert_eq!(p["requestId"], id);
        assert!(head.contains(&format!("content-length: {}", body.len())));
    }

    #[test]
    fn the_gateways_own_answers_pass() {
        assert!(
            rewrite(b"HTTP/1.1 404 Not Found\r\nx-request-id: a\r\ncontent-length: 0\r\n\r\n")
                .is_none()
        );
        assert!(rewrite(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(rewrite(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}").is_none());
        assert!(rewrite(b"{\"data\":1}").is_none());
        // h2 frames (here a HEADERS frame, then a SETTINGS frame) never
        // start with `HTTP/1.`: an h2 connection passes untouched.
        assert!(rewrite(b"\x00\x00\x05\x01\x04\x00\x00\x00\x01\x88\x5f\x00\x00\x00").is_none());
        assert!(rewrite(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64").is_none());
    }
}
