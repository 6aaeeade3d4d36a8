//! The public listener, one socket per core (`server.runtime =
//! "thread_per_core"`; see `crate::runtime`).
//!
//! Every core's socket is bound to `server.listen` with `SO_REUSEPORT`, so
//! the kernel spreads new connections over the cores (by a hash of the
//! connection's addresses) and no accept is handed between threads. Core
//! 0's socket is served on the runtime that binds it (the main one); core
//! `k > 0`'s on a current-thread runtime of its own, on thread
//! `crossdock-core-<k>`. Every core runs [`super::serve`]'s loop with the
//! same [`Swappable`] router (a reload reaches them all) and the signals
//! of one [`Control`] (drain and shutdown reach them all). A core's thread
//! ends when its loop has drained, and its runtime (with the core's vendor
//! connections) goes with it.
//!
//! With one core this is a plain listener served on the current runtime,
//! as `work_stealing` has it.

use super::{serve_counted, ConnLimits, Control, Swappable};
use crate::inbound_tls::TlsSlot;
use crate::metrics::Metrics;
use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpSocket};
use tokio::runtime::Runtime;

/// The kernel's queue of connections not yet accepted, per socket (as
/// tokio's `TcpListener::bind`).
const BACKLOG: u32 = 1024;

/// How many times a group on an ephemeral port (`:0`) is bound again when
/// another socket took the port between the probe and the group.
const ATTEMPTS: usize = 5;

/// The public listener's sockets, bound (a port in use fails here, before
/// anything serves) but not yet served.
pub struct PublicSockets {
    local: SocketAddr,
    /// Core 0's listener, on the runtime that bound it.
    first: TcpListener,
    /// Core `k`'s runtime and listener, for `k` in `1..`.
    others: Vec<(Runtime, TcpListener)>,
}

impl PublicSockets {
    /// Binds `addr` for `cores` cores. Must run on a tokio runtime: core
    /// 0's socket is registered with it.
    pub async fn bind(addr: SocketAddr, cores: usize) -> std::io::Result<PublicSockets> {
        if cores <= 1 {
            let first = TcpListener::bind(addr).await?;
            return Ok(PublicSockets {
                local: first.local_addr()?,
                first,
                others: Vec::new(),
            });
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            match bind_group(addr, cores) {
                Err(e) if addr.port() == 0 && attempt < ATTEMPTS => {
                    tracing::debug!(error = %e, "ephemeral port taken; binding again");
                }
                other => return other,
            }
        }
    }

    /// The address bound (the port picked, for `:0`).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Serves every core's socket with `router` until `control` stops
    /// them. The handle completes when every core has drained.
    pub fn serve(
        self,
        router: Swappable,
        limits: ConnLimits,
        tls: TlsSlot,
        control: &Control,
        metrics: &Metrics,
    ) -> std::io::Result<tokio::task::JoinHandle<()>> {
        let counter = |k: usize| {
            metrics
                .connections_accepted
                .with_label_values(&[k.to_string().as_str()])
        };
        // Core threads log where this thread logs: the global subscriber
        // in the binary, a test's own (`set_default`) in tests.
        let logs = tracing::dispatcher::get_default(|d| d.clone());
        let mut done = Vec::with_capacity(self.others.len());
        for (i, (rt, listener)) in self.others.into_iter().enumerate() {
            let k = i + 1;
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let serving = serve_counted(
                listener,
                router.clone(),
                limits,
                true,
                tls.clone(),
                control.signals(),
                Some(counter(k)),
            );
            let logs = logs.clone();
            std::thread::Builder::new()
                .name(format!("crossdock-core-{k}"))
                .spawn(move || {
                    crate::runtime::set_core_index(k);
                    let _logs = tracing::dispatcher::set_default(&logs);
                    rt.block_on(serving);
                    // The core's connections (a drain that timed out) and
                    // vendor pools end with its runtime, before `done`.
                    drop(rt);
                    let _ = tx.send(());
                })?;
            done.push(rx);
        }
        let first = tokio::spawn(serve_counted(
            self.first,
            router,
            limits,
            true,
            tls,
            control.signals(),
            Some(counter(0)),
        ));
        Ok(tokio::spawn(async move {
            let _ = first.await;
            for rx in done {
                let _ = rx.await;
            }
        }))
    }
}

/// `cores` sockets with `SO_REUSEPORT` on `addr`, after a probe: a plain
/// bind of `addr`, which fails as before when the port is in use, even by
/// another process's `SO_REUSEPORT` group (which would otherwise share
/// the port and its connections silently), and picks the port for `:0`.
fn bind_group(addr: SocketAddr, cores: usize) -> std::io::Result<PublicSockets> {
    let local = std::net::TcpListener::bind(addr)?.local_addr()?;
    let socket = || -> std::io::Result<TcpSocket> {
        let s = if local.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        s.set_reuseaddr(true)?;
        // Only Linux balances a group (`crate::runtime::mode`); elsewhere
        // there is one core, and this is not reached.
        #[cfg(target_os = "linux")]
        s.set_reuseport(true)?;
        s.bind(local)?;
        Ok(s)
    };
    // All bound before any listens: a failure leaves no listening socket
    // behind to take connections.
    let sockets = (0..cores)
        .map(|_| socket())
        .collect::<Result<Vec<_>, _>>()?;
    let mut sockets = sockets.into_iter();
    let first = match sockets.next() {
        Some(s) => s.listen(BACKLOG)?,
        None => return Err(std::io::Error::other("no core to listen on")),
    };
    let mut others = Vec::with_capacity(cores - 1);
    for s in sockets {
        let rt = crate::runtime::core_runtime()?;
        // Registered with core k's runtime, whose thread will serve it.
        let listener = {
            let _entered = rt.enter();
            s.listen(BACKLOG)?
        };
        others.push((rt, listener));
    }
    Ok(PublicSockets {
        local,
        first,
        others,
    })
}
