//! The in-process store: one replica's keys, bounded in count and age.
//!
//! Records are kept in insertion order (a completed record moves to the
//! back). Expired records are swept from the front and ignored on lookup.
//! When `max_entries` records are held, the oldest *completed or expired*
//! record is evicted to make room: a marker of a request still running is
//! never evicted (that could let a duplicate through), so when every record
//! is such a marker the new key is refused ([`StoreError::Full`], 503).

use super::{Begin, BoxFuture, Store, StoreError, StoredResponse, Token};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Expired records swept from the front per call, at most (amortized).
const SWEEP_PER_CALL: usize = 64;

pub struct MemoryStore {
    inner: Mutex<Inner>,
    max_entries: usize,
    window: Duration,
    in_flight_ttl: Duration,
}

#[derive(Default)]
struct Inner {
    slots: HashMap<String, Slot>,
    /// Insertion sequence -> key, oldest first.
    order: BTreeMap<u64, String>,
    next: u64,
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

impl Inner {
    fn remove(&mut self, key: &str) {
        if let Some(slot) = self.slots.remove(key) {
            self.order.remove(&slot.seq);
        }
    }

    fn insert(&mut self, key: String, expires: Instant, state: State) {
        self.remove(&key);
        let seq = self.next;
        self.next += 1;
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

    /// Evicts the oldest record that is completed or expired.
    fn evict_one(&mut self, now: Instant) -> bool {
        let victim = self.order.values().find(|k| {
            self.slots
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
    /// how long a marker lives if its request never finishes.
    pub fn new(max_entries: usize, window: Duration, in_flight_ttl: Duration) -> Self {
        MemoryStore {
            inner: Mutex::new(Inner::default()),
            max_entries: max_entries.max(1),
            window,
            in_flight_ttl,
        }
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
        while inner.slots.len() >= self.max_entries {
            if !inner.evict_one(now) {
                return Err(StoreError::Full);
            }
        }
        let token = Token::new();
        inner.insert(
            key.to_owned(),
            now + self.in_flight_ttl,
            State::InFlight {
                token: token.clone(),
                fingerprint: fingerprint.to_owned(),
            },
        );
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
        let mut inner = self.lock();
        if !Self::holds(&inner, key, token) {
            return Err(StoreError::MarkerLost);
        }
        inner.insert(
            key.to_owned(),
            Instant::now() + self.window,
            State::Done(response),
        );
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

    #[tokio::test]
    async fn records_expire() {
        let s = MemoryStore::new(10, Duration::from_millis(30), Duration::from_millis(30));
        let Begin::New(t) = s.begin("k", "fp").await.unwrap() else {
            panic!("new")
        };
        s.complete("k", &t, resp("fp", 200)).await.unwrap();
        let Begin::New(_) = s.begin("stuck", "fp").await.unwrap() else {
            panic!("new")
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        // The completed answer and the stuck marker are both gone.
        assert!(matches!(s.begin("k", "fp").await.unwrap(), Begin::New(_)));
        assert!(matches!(
            s.begin("stuck", "fp").await.unwrap(),
            Begin::New(_)
        ));
        assert_eq!(s.len(), 2);
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
}
