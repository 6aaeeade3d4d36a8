//! `Dialer`: the TCP connector under the TLS layer. It dials the vendor
//! directly, opens an HTTP CONNECT tunnel through the proxy, or dials the
//! proxy itself and marks the connection proxied (so the pooled client
//! sends absolute-form request targets), as the backend's [`Route`] says.

use super::proxy::Route;
use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tower::BoxError;

#[derive(Clone)]
pub(crate) struct Dialer {
    tcp: HttpConnector,
    how: How,
}

#[derive(Clone)]
enum How {
    Direct,
    Tunnel(Tunnel<HttpConnector>),
    Forward(Uri),
}

impl Dialer {
    pub(crate) fn new(tcp: HttpConnector, route: &Route) -> Dialer {
        let how = match route {
            Route::Direct => How::Direct,
            Route::Tunnel { proxy, auth } => {
                let t = Tunnel::new(proxy.clone(), tcp.clone());
                How::Tunnel(match auth {
                    Some(a) => t.with_auth(a.clone()),
                    None => t,
                })
            }
            Route::Forward { proxy, .. } => How::Forward(proxy.clone()),
        };
        Dialer { tcp, how }
    }
}

type Dialing = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

impl tower::Service<Uri> for Dialer {
    type Response = Conn;
    type Error = BoxError;
    type Future = Dialing;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // `HttpConnector` and `Tunnel` are always ready; each call below
        // readies its own clone.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Dialing {
        let mut tcp = self.tcp.clone();
        match &self.how {
            How::Direct => Box::pin(async move {
                std::future::poll_fn(|cx| tower::Service::poll_ready(&mut tcp, cx)).await?;
                let io = tower::Service::call(&mut tcp, dst).await?;
                Ok(Conn { io, proxied: false })
            }),
            How::Tunnel(t) => {
                let mut t = t.clone();
                Box::pin(async move {
                    std::future::poll_fn(|cx| tower::Service::poll_ready(&mut t, cx)).await?;
                    let io = tower::Service::call(&mut t, dst).await?;
                    Ok(Conn { io, proxied: false })
                })
            }
            How::Forward(proxy) => {
                let proxy = proxy.clone();
                Box::pin(async move {
                    std::future::poll_fn(|cx| tower::Service::poll_ready(&mut tcp, cx)).await?;
                    let io = tower::Service::call(&mut tcp, proxy).await?;
                    Ok(Conn { io, proxied: true })
                })
            }
        }
    }
}

/// A TCP connection, to the vendor or to a proxy.
pub(crate) struct Conn {
    io: TokioIo<TcpStream>,
    /// Dialed to a forward proxy: requests go in absolute form.
    proxied: bool,
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}
