//! The threads that serve requests (`server.worker_threads`) and how they
//! share the work (`server.runtime`).
//!
//! - `thread_per_core` (the default): N single-threaded tokio runtimes.
//!   The first is the one `main` blocks on, which also runs the admin
//!   listener, reloads, signals and sandboxes; the other N - 1 run on
//!   threads of their own (`crossdock-core-<k>`). Each has its own public
//!   listening socket (`crate::server::threads`) and its own vendor
//!   connection pools ([`core_index`]). So `worker_threads` stays the
//!   number of threads, and `worker_threads = 1` is one current-thread
//!   runtime, as before.
//! - `work_stealing`: one tokio runtime; multi-threaded with N workers,
//!   or current-thread when N is 1.
//!
//! Why the default: docs/benchmarks.md ("Thread per core").

use crate::config::{RuntimeMode, ServerConfig};
use std::cell::Cell;

/// Most threads a config may ask for (`server.worker_threads`).
pub const MAX_THREADS: usize = 1024;

thread_local! {
    static CORE: Cell<usize> = const { Cell::new(0) };
}

/// The core this thread serves: `k` on the thread of core `k`, 0 on any
/// other thread (the main one, which is core 0, a `work_stealing` worker,
/// a test's runtime). Per-core state (vendor pools) is indexed by it.
pub fn core_index() -> usize {
    CORE.with(Cell::get)
}

/// Marks this thread as core `k`'s.
pub(crate) fn set_core_index(k: usize) {
    CORE.with(|c| c.set(k));
}

/// The number of threads `server` asks for: `worker_threads`, or one per
/// CPU when it is 0.
pub fn threads(server: &ServerConfig) -> usize {
    match server.worker_threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n.min(MAX_THREADS),
    }
}

/// The mode that runs: `server.runtime`, except that `thread_per_core`
/// needs Linux's `SO_REUSEPORT`, which spreads connections over the
/// sockets of a group (elsewhere the option exists but does not balance):
/// other systems run `work_stealing`.
pub fn mode(server: &ServerConfig) -> RuntimeMode {
    if cfg!(target_os = "linux") {
        server.runtime
    } else {
        RuntimeMode::WorkStealing
    }
}

/// How many public listeners (one per core) `server` runs with: one for
/// `work_stealing`, whose runtime spreads the connections itself.
pub fn cores(server: &ServerConfig) -> usize {
    match mode(server) {
        RuntimeMode::ThreadPerCore => threads(server),
        RuntimeMode::WorkStealing => 1,
    }
}

/// The runtime `main` blocks on: current-thread for `thread_per_core`
/// (core 0; the other cores' runtimes start with the listeners) and for
/// one thread, else multi-threaded with [`threads`] workers.
pub fn build(server: &ServerConfig) -> std::io::Result<tokio::runtime::Runtime> {
    let n = threads(server);
    let mut rt = if mode(server) == RuntimeMode::ThreadPerCore || n == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(n);
        b
    };
    rt.enable_all().build()
}

/// A current-thread runtime for core `k > 0` (its thread starts later).
pub(crate) fn core_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_threads_is_the_number_of_threads_in_both_modes() {
        let mut s = ServerConfig {
            worker_threads: 3,
            ..ServerConfig::default()
        };
        assert_eq!(threads(&s), 3);
        assert_eq!(cores(&s), if cfg!(target_os = "linux") { 3 } else { 1 });
        s.runtime = RuntimeMode::WorkStealing;
        assert_eq!(cores(&s), 1);
        s.worker_threads = 0;
        assert_eq!(
            threads(&s),
            std::thread::available_parallelism().map_or(1, usize::from)
        );
    }

    #[test]
    fn the_core_index_is_per_thread() {
        assert_eq!(core_index(), 0);
        let other = std::thread::spawn(|| {
            set_core_index(5);
            core_index()
        })
        .join()
        .ok();
        assert_eq!(other, Some(5));
        assert_eq!(core_index(), 0, "another thread's index is its own");
    }
}
