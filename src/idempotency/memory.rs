//! The in-process store: one replica's keys, bounded in count, bytes and
//! age.
//!
//! Records are kept in insertion order (a completed record moves to the
//! back). Expired records are swept from the front and ignored on lookup.
//! A record costs its key, fingerprint and stored answer (body and content
//! type) in bytes. When `max_entries` records are held, or a new record
//! would take the total above `max_bytes`, the oldest *completed or expired*
//! records are evicted to make room: a marker of a request still running is
//! never evicted (that could let a duplicate through), so when only such
//! markers are left the new key is refused ([`StoreError::Full`], 503). An
//! answer that does not fit even then is not kept: its key is released
//! and `complete` says [`StoreError::NoRoom`].

use super::{Begin, BoxFuture, Store, StoreError, StoredResponse, Token};
use prometheus::IntCounter;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;

/// Expired records swept from the front per call, at most (amortized).
const SWEEP_PER_CALL: usize = 64;

/// The default of `idempotency.max_bytes`: 64 MiB of keys and answers.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;

pub struct MemoryStore {
    inner: Mutex<Inner>,
    max_entries: usize,
    max_bytes: usize,
    window: Duration,
    in_flight_ttl: Duration,
    /// `crossdock_idempotency_evictions_total`, when wired to metrics.
    evictions: Option<IntCounter>,
}

#[derive(Default)]
struct Inner {
    slots: HashMap<String, Slot>,
    /// Insertion sequence -> key, oldest first.
    order: BTreeMap<u64, String>,
    next: u64,
    /// The sum of every held record's [`cost`].
    bytes: usize,
}

struct Slot {
    seq: u64,
    expires: Instant,
    state: State,
}

enum State {
    InFlight { token: Token, fingerprint: String },
    Done(StoredResponse),
}

/// What a record counts against `max_bytes`: its key, its fingerprint and
/// its stored answer.
fn cost(key: &str, state: &State) -> usize {
    key.len()
        + match state {
            State::InFlight { fingerprint, .. } => fingerprint.len(),
            State::Done(r) => {
                r.fingerprint.len() + r.body.len() + r.content_type.as_ref().map_or(0, String::len)
            }
        }
}

impl Inner {
    fn remove(&mut self, key: &str) {
        if let Some(slot) = self.slots.remove(key) {
            self.order.remove(&slot.seq);
            self.bytes = self.bytes.saturating_sub(cost(key, &slot.state));
        }
    }

    fn insert(&mut self, key: String, expires: Instant, state: State) {
        self.remove(&key);
        let seq = self.next;
        self.next += 1;
        self.bytes += cost(&key, &state);
        self.order.insert(seq, key.clone());
        self.slots.insert(
            key,
            Slot {
                seq,
                expires,
                state,
            },
        );
    }

    fn sweep(&mut self, now: Instant) {
        for _ in 0..SWEEP_PER_CALL {
            let Some((seq, key)) = self.order.first_key_value().map(|(s, k)| (*s, k.clone()))
            else {
                return;
            };
            match self.slots.get(&key) {
                Some(slot) if slot.seq == seq && slot.expires > now => return,
                Some(slot) if slot.seq == seq => self.remove(&key),
                // An order entry without its slot cannot happen; drop it
                // anyway so the loop always advances.
                _ => {
                    self.order.remove(&seq);
                }
            }
        }
    }

    /// Evicts the oldest record that is completed or expired, never `keep`.
    fn evict_one(&mut self, now: Instant, keep: &str) -> bool {
        let victim = self.order.values().find(|k| {
            k.as_str() != keep
                && self
                    .slots
                    .get(*k)
                    .is_none_or(|s| s.expires <= now || matches!(s.state, State::Done(_)))
        });
        match victim.cloned() {
            Some(k) => {
                self.remove(&k);
                true
            }
            None => false,
        }
    }
}

impl MemoryStore {
    /// `window`: how long a completed answer is replayed; `in_flight_ttl`:
    /// how long a marker lives if its request never finishes. Holds at most
    /// [`DEFAULT_MAX_BYTES`] until [`MemoryStore::with_max_bytes`] says
    /// otherwise.
    pub fn new(max_entries: usize, window: Duration, in_flight_ttl: Duration) -> Self {
        MemoryStore {
            inner: Mutex::new(Inner::default()),
            max_entries: max_entries.max(1),
            max_bytes: DEFAULT_MAX_BYTES,
            window,
            in_flight_ttl,
            evictions: None,
        }
    }

    /// Bounds the bytes of keys, fingerprints and answers held.
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes.max(1);
        self
    }

    /// Counts every record evicted to make room in `counter`.
    pub fn with_evictions_counter(mut self, counter: IntCounter) -> Self {
        self.evictions = Some(counter);
        self
    }

    /// Bytes held now, as counted against `max_bytes`.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Evicts until `extra` more bytes (and, with `new_record`, one more
    /// record) fit; false when only records that must stay are left.
    fn make_room(
        &self,
        inner: &mut Inner,
        now: Instant,
        keep: &str,
        extra: usize,
        new_record: bool,
    ) -> bool {
        while (new_record && inner.slots.len() >= self.max_entries)
            || inner.bytes.saturating_add(extra) > self.max_bytes
        {
            if !inner.evict_one(now, keep) {
                return false;
            }
            if let Some(c) = &self.evictions {
                c.inc();
            }
        }
        true
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // No code panics while holding the lock; a poisoned lock still
        // holds consistent maps.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records held now (expired ones not yet swept included).
    pub fn len(&self) -> usize {
        self.lock().slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn begin_now(&self, key: &str, fingerprint: &str) -> Result<Begin, StoreError> {
        let now = Instant::now();
        let mut inner = self.lock();
        inner.sweep(now);
        if let Some(slot) = inner.slots.get(key) {
            if slot.expires > now {
                return Ok(match &slot.state {
                    State::InFlight { fingerprint, .. } => Begin::InFlight {
                        fingerprint: fingerprint.clone(),
                    },
                    State::Done(r) => Begin::Done(r.clone()),
                });
            }
            inner.remove(key);
        }
        let token = Token::new();
        let state = State::InFlight {
            token: token.clone(),
            fingerprint: fingerprint.to_owned(),
        };
        if !self.make_room(&mut inner, now, key, cost(key, &state), true) {
            return Err(StoreError::Full);
        }
        inner.insert(key.to_owned(), now + self.in_flight_ttl, state);
        Ok(Begin::New(token))
    }

    fn holds(inner: &Inner, key: &str, token: &Token) -> bool {
        matches!(
            inner.slots.get(key),
            Some(Slot { state: State::InFlight { token: t, .. }, .. }) if t == token
        )
    }

    fn complete_now(
        &self,
        key: &str,
        token: &Token,
        response: StoredResponse,
    ) -> Result<(), StoreError> {
        let now = Instant::now();
        let mut inner = self.lock();
        if !Self::holds(&inner, key, token) {
            return Err(StoreError::MarkerLost);
        }
        // A body may share a larger buffer (a serializer's doubled Vec):
        // keep an exact copy, so the bytes counted are the bytes held.
        let response = StoredResponse {
            body: bytes::Bytes::copy_from_slice(&response.body),
            ..response
        };
        let state = State::Done(response);
        // The marker's bytes are counted now and become the answer's.
        let marker = inner.slots.get(key).map_or(0, |s| cost(key, &s.state));
        let extra = cost(key, &state).saturating_sub(marker);
        if !self.make_room(&mut inner, now, key, extra, false) {
            // Kept only while running: the answer goes to the caller, the
            // key is released so a retry runs again rather than waiting.
            inner.remove(key);
            return Err(StoreError::NoRoom);
        }
        inner.insert(key.to_owned(), now + self.window, state);
        Ok(())
    }

    fn abandon_now(&self, key: &str, token: &Token) {
        let mut inner = self.lock();
        if Self::holds(&inner, key, token) {
            inner.remove(key);
        }
    }
}

impl Store for MemoryStore {
    fn begin<'a>(
        &'a self,
        key: &'a str,
        fingerprint: &'a str,
    ) -> BoxFuture<'a, Result<Begin, StoreError>> {
        Box::pin(async move { self.begin_now(key, fingerprint) })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a Token,
        response: StoredResponse,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move { self.complete_now(key, token, response) })
    }

    fn abandon<'a>(
        &'a self,
        key: &'a str,
        token: &'a Token,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            self.abandon_now(key, token);
            Ok(())
        })
    }

    fn kind(&self) -> &'static str {
        "memory"
    }

    fn entries(&self) -> Option<usize> {
        Some(self.len())
    }

    fn bytes(&self) -> Option<usize> {
        Some(MemoryStore::bytes(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn resp(fp: &str, status: u16) -> StoredResponse {
        StoredResponse {
            fingerprint: fp.into(),
            status,
            content_type: Some("application/json".into()),
            body: bytes::Bytes::from_static(b"{\"data\":1}"),
        }
    }

    fn store(max: usize) -> MemoryStore {
        MemoryStore::new(max, Duration::from_secs(60), Duration::from_secs(5))
    }

    #[tokio::test]
    async fn begin_complete_replay() {
        let s = store(10);
        let Begin::New(t) = s.begin("k", "fp").await.unwrap() else {
            panic!("new")
        };
        assert_eq!(
            s.begin("k", "fp2").await.unwrap(),
            Begin::InFlight {
                fingerprint: "fp".into()
            }
        );
        s.complete("k", &t, resp("fp", 201)).await.unwrap();
        assert_eq!(
            s.begin("k", "fp").await.unwrap(),
            Begin::Done(resp("fp", 201))
        );
        // A completed key cannot be completed or released again.
        assert!(matches!(
            s.complete("k", &t, resp("fp", 200)).await,
            Err(StoreError::MarkerLost)
        ));
        s.abandon("k", &t).await.unwrap();
        assert!(matches!(s.begin("k", "fp").await.unwrap(), Begin::Done(_)));
    }

    #[tokio::test]
    async fn abandon_frees_the_key_only_for_its_holder() {
        let s = store(10);
        let Begin::New(t) = s.begin("k", "fp").await.unwrap() else {
            panic!("new")
        };
        s.abandon("k", &Token::new()).await.unwrap();
        assert!(matches!(
            s.begin("k", "fp").await.unwrap(),
            Begin::InFlight { .. }
        ));
        s.abandon("k", &t).await.unwrap();
        assert!(matches!(s.begin("k", "fp").await.unwrap(), Begin::New(_)));
    }

    #[tokio::test(start_paused = true)]
    async fn records_expire() {
        let s = MemoryStore::new(10, Duration::from_millis(30), Duration::from_millis(30));
        let Begin::New(t) = s.begin("k", "fp").await.unwrap() else {
            panic!("new")
        };
        s.complete("k", &t, resp("fp", 200)).await.unwrap();
        let Begin::New(_) = s.begin("stuck", "fp").await.unwrap() else {
            panic!("new")
        };
        tokio::time::advance(Duration::from_millis(29)).await;
        assert!(matches!(s.begin("k", "fp").await.unwrap(), Begin::Done(_)));
        assert!(matches!(
            s.begin("stuck", "fp").await.unwrap(),
            Begin::InFlight { .. }
        ));
        tokio::time::advance(Duration::from_millis(1)).await;
        // The completed answer and the stuck marker are both gone.
        assert!(matches!(s.begin("k", "fp").await.unwrap(), Begin::New(_)));
        assert!(matches!(
            s.begin("stuck", "fp").await.unwrap(),
            Begin::New(_)
        ));
        assert_eq!(s.len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_is_kept_for_the_window_from_its_completion() {
        // The marker lives 5 s; the answer 60 s from when it completes.
        let s = store(10);
        let Begin::New(t) = s.begin("k", "fp").await.unwrap() else {
            panic!("new")
        };
        tokio::time::advance(Duration::from_secs(4)).await;
        s.complete("k", &t, resp("fp", 200)).await.unwrap();
        tokio::time::advance(Duration::from_secs(59)).await;
        assert!(matches!(s.begin("k", "fp").await.unwrap(), Begin::Done(_)));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(matches!(s.begin("k", "fp").await.unwrap(), Begin::New(_)));
    }

    #[tokio::test(start_paused = true)]
    async fn expired_records_are_swept_from_the_front() {
        let s = MemoryStore::new(100, Duration::from_secs(1), Duration::from_secs(1));
        for i in 0..10 {
            let k = format!("k{i}");
            let Begin::New(t) = s.begin(&k, "fp").await.unwrap() else {
                panic!("new")
            };
            s.complete(&k, &t, resp("fp", 200)).await.unwrap();
        }
        assert_eq!(s.len(), 10);
        tokio::time::advance(Duration::from_secs(1)).await;
        // Any call sweeps: only the new key's marker is left.
        let Begin::New(_) = s.begin("new", "fp").await.unwrap() else {
            panic!("new")
        };
        assert_eq!(s.len(), 1);
        assert_eq!(s.bytes(), "new".len() + "fp".len());
    }

    #[tokio::test]
    async fn bounded_evicting_the_oldest_completed() {
        let s = store(3);
        for i in 0..10 {
            let k = format!("k{i}");
            let Begin::New(t) = s.begin(&k, "fp").await.unwrap() else {
                panic!("new")
            };
            s.complete(&k, &t, resp("fp", 200)).await.unwrap();
            assert!(s.len() <= 3);
        }
        assert_eq!(s.len(), 3);
        // The newest are kept, the oldest forgotten.
        assert!(matches!(s.begin("k9", "fp").await.unwrap(), Begin::Done(_)));
        assert!(matches!(s.begin("k0", "fp").await.unwrap(), Begin::New(_)));
        assert!(s.len() <= 3);
    }

    #[tokio::test]
    async fn markers_in_flight_are_never_evicted() {
        let s = store(2);
        let Begin::New(_) = s.begin("a", "fp").await.unwrap() else {
            panic!("new")
        };
        let Begin::New(tb) = s.begin("b", "fp").await.unwrap() else {
            panic!("new")
        };
        assert!(matches!(s.begin("c", "fp").await, Err(StoreError::Full)));
        s.complete("b", &tb, resp("fp", 200)).await.unwrap();
        // b is completed: it makes room; a, still running, stays.
        assert!(matches!(s.begin("c", "fp").await.unwrap(), Begin::New(_)));
        assert!(matches!(
            s.begin("a", "fp").await.unwrap(),
            Begin::InFlight { .. }
        ));
        assert_eq!(s.len(), 2);
    }

    fn sized(fp: &str, body_len: usize) -> StoredResponse {
        StoredResponse {
            fingerprint: fp.into(),
            status: 200,
            content_type: None,
            body: bytes::Bytes::from(vec![b'x'; body_len]),
        }
    }

    async fn stored(s: &MemoryStore, key: &str, body_len: usize) -> Result<(), StoreError> {
        let Begin::New(t) = s.begin(key, "fp").await? else {
            panic!("new")
        };
        s.complete(key, &t, sized("fp", body_len)).await
    }

    #[tokio::test]
    async fn bytes_are_counted_and_the_oldest_completed_go_first() {
        // Each answer: key "kN" (2) + fingerprint "fp" (2) + 100 bytes.
        let s = store(100).with_max_bytes(350);
        let counter = IntCounter::new("t_evictions", "t").unwrap();
        let s = s.with_evictions_counter(counter.clone());
        // A marker held from the start: older than every answer.
        let Begin::New(running) = s.begin("run", "fp").await.unwrap() else {
            panic!("new")
        };
        assert_eq!(s.bytes(), 5);
        stored(&s, "k1", 100).await.unwrap();
        stored(&s, "k2", 100).await.unwrap();
        stored(&s, "k3", 100).await.unwrap();
        assert_eq!(s.bytes(), 5 + 3 * 104);
        assert_eq!(counter.get(), 0);
        // k4 does not fit beside k1..k3: k1, the oldest answer, goes; the
        // older marker stays.
        stored(&s, "k4", 100).await.unwrap();
        assert_eq!(s.bytes(), 5 + 3 * 104);
        assert_eq!(counter.get(), 1);
        assert!(matches!(s.begin("k1", "fp").await.unwrap(), Begin::New(_)));
        assert!(matches!(
            s.begin("run", "fp").await.unwrap(),
            Begin::InFlight { .. }
        ));
        assert!(matches!(s.begin("k4", "fp").await.unwrap(), Begin::Done(_)));
        // k1's new marker (4) beside k2..k4 and the running one.
        assert_eq!(s.bytes(), 4 + 5 + 3 * 104);
        // A released marker gives its bytes back.
        s.abandon("run", &running).await.unwrap();
        assert_eq!(s.bytes(), 4 + 3 * 104);
    }

    #[tokio::test]
    async fn markers_in_flight_are_never_evicted_for_bytes() {
        let s = store(100).with_max_bytes(11);
        // Two markers of 4 bytes each (key + "fp").
        let Begin::New(ta) = s.begin("aa", "fp").await.unwrap() else {
            panic!("new")
        };
        let Begin::New(_) = s.begin("bb", "fp").await.unwrap() else {
            panic!("new")
        };
        assert_eq!(s.bytes(), 8);
        // No completed record to evict: the new key is refused (503).
        assert!(matches!(s.begin("cc", "fp").await, Err(StoreError::Full)));
        assert!(matches!(
            s.begin("aa", "fp").await.unwrap(),
            Begin::InFlight { .. }
        ));
        // An answer that cannot fit beside the other marker is not kept;
        // its key is released, the marker of bb stays.
        assert!(matches!(
            s.complete("aa", &ta, sized("fp", 50)).await,
            Err(StoreError::NoRoom)
        ));
        assert!(matches!(s.begin("aa", "fp").await.unwrap(), Begin::New(_)));
        assert!(matches!(
            s.begin("bb", "fp").await.unwrap(),
            Begin::InFlight { .. }
        ));
        assert_eq!(s.bytes(), 8);
    }
}
