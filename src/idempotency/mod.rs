//! `Idempotency-Key`: a write retried by the caller with the same key is
//! done once, and every replay within the window gets the first answer.
//!
//! A [`Store`] holds one record per key: an *in-flight marker* while the
//! first request runs, then the *stored response*. [`MemoryStore`] keeps
//! them in the process (one replica); [`RedisStore`] keeps them in Redis so
//! every replica behind a load balancer sees every key. [`key`] names what
//! a key and its request fingerprint are.
//!
//! A store library only: the axum middleware that answers with it lives in
//! `api/idempotency.rs`; nothing here imports the inbound API.
//!
//! Failure rule: when the store cannot be asked (Redis down), a request that
//! carries `Idempotency-Key` is refused with 503 rather than sent without
//! the guarantee, because sending it could write twice. Requests without the
//! header never touch the store.

pub mod key;
pub mod memory;
pub mod redis;

pub use memory::MemoryStore;
pub use redis::RedisStore;

use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Largest response body stored for replay; a larger answer is passed on
/// but not stored (the key is released). The gateway's bodies are small.
pub const MAX_STORED_BODY: usize = 1024 * 1024;

/// A boxed future, so [`Store`] can be used as `dyn Store`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Proves that the caller holds the in-flight marker of a key (a random id
/// written into the marker), so only the request that began a key can
/// complete or release it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token(pub(crate) String);

impl Token {
    pub fn new() -> Self {
        Token(uuid::Uuid::new_v4().simple().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Token {
    fn default() -> Self {
        Self::new()
    }
}

/// The first answer to a key, as replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// The request fingerprint (method, path, body) the answer belongs to.
    pub fingerprint: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
}

/// What [`Store::begin`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// The key was free; the caller now holds its in-flight marker.
    New(Token),
    /// Another request with this key is running; its fingerprint says
    /// whether it is the same request.
    InFlight { fingerprint: String },
    /// The key's first answer.
    Done(StoredResponse),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store could not be asked (Redis down, timeout). Never holds a
    /// URL or password.
    #[error("the idempotency store is unavailable: {0}")]
    Unavailable(String),
    /// The memory store is full of keys whose requests are still running.
    #[error("the idempotency store is full of requests in flight")]
    Full,
    /// The memory store cannot make room for an answer (it is larger than
    /// `max_bytes` allows beside the requests in flight): not kept for
    /// replay, the key is released.
    #[error("the answer does not fit in the idempotency store; not kept for replay")]
    NoRoom,
    /// The in-flight marker expired or was replaced before completion.
    #[error("the in-flight marker of the key was lost before completion")]
    MarkerLost,
    /// A record in the store could not be read.
    #[error("an idempotency record could not be read")]
    Corrupt,
}

/// Where the idempotency records live.
pub trait Store: Send + Sync + 'static {
    /// Takes the key's in-flight marker when the key is free, else says
    /// what holds it.
    fn begin<'a>(
        &'a self,
        key: &'a str,
        fingerprint: &'a str,
    ) -> BoxFuture<'a, Result<Begin, StoreError>>;

    /// Replaces the marker held by `token` with the final answer, kept for
    /// the window.
    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a Token,
        response: StoredResponse,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Releases the marker held by `token` (the answer is not final), so
    /// the caller may retry.
    fn abandon<'a>(
        &'a self,
        key: &'a str,
        token: &'a Token,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// `memory` or `redis`, for logs.
    fn kind(&self) -> &'static str;

    /// Records held, when the store counts them cheaply (memory).
    fn entries(&self) -> Option<usize> {
        None
    }

    /// Bytes of keys and answers held, when the store counts them (memory).
    fn bytes(&self) -> Option<usize> {
        None
    }
}

/// The idempotency settings of a running gateway.
#[derive(Clone)]
pub struct Idempotency {
    pub store: Arc<dyn Store>,
}

/// How long an in-flight marker lives when its request never completes nor
/// abandons it (the replica died): the whole-request deadline plus a margin,
/// so a marker never expires while its request may still be writing.
pub fn in_flight_ttl(request_timeout: Duration) -> Duration {
    request_timeout + Duration::from_secs(5)
}
