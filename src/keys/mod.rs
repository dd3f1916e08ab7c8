//! ALB public keys: pinned keys, an HTTP fetcher with hard limits, and a bounded cache with
//! single-flight fetches, negative caching and a global fetch budget.
//!
//! Design (after aws-jwt-verify's `AlbJwksCache`): a kid's key never changes, so cached keys
//! never expire; when `key_cache_size` is reached the least recently used one is evicted, so
//! keys an attacker makes us fetch (real kids of the region, under a forged signer) cannot
//! push out the key that real traffic is using. The key is
//! `(key URL template, kid)`; the kid is already known to be a UUID when it gets here, and the
//! signer already known to be trusted. Many threads asking for one unknown kid cause one fetch;
//! a failed kid is refused without a fetch for `key_fetch_backoff_secs`; and at most
//! `key_fetch_max_per_minute` fetches leave the process (`FetchBudget`, shared with the
//! access-token JWKS), whatever an attacker sends.
//!
//! Whatever happens in a fetch (an error, a panic, a fetcher that never returns), the threads
//! waiting for it are released: the fetching thread holds a `Leader` guard whose drop
//! completes the flight and removes it, even while unwinding; and waiters give up
//! `2 x key_fetch_timeout_ms` after the fetch started (the crate's HTTP client itself gives
//! up by then), so a request arriving later for a fetch that is stuck fails at once. A
//! panicking `Fetcher` is a failed fetch like any other (backed off, so a buggy fetcher is not
//! called on every request); a panic anywhere else in the fetch fails its waiters and leaves
//! nothing behind, so the next request fetches again.
//! Every `key_unavailable` detail about a fetch names the key URL (the kid is a validated UUID,
//! not personal data) and the reason.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex, RwLock};

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::stats::{Counter, Counters};

mod backend;
mod budget;
mod fetch;
pub(crate) mod jwks;

pub(crate) use backend::{Es256Key, BACKEND};
pub(crate) use budget::FetchBudget;
pub use fetch::{Fetcher, HttpFetcher};

/// A cache key: (index of the key URL template, kid bytes).
type Slot = (u16, [u8; 36]);

/// A fetched key and when it was last used (for LRU eviction).
struct Cached {
    key: Arc<Es256Key>,
    last_used: AtomicU64,
}

/// One fetch in progress, which other threads asking for the same slot wait for.
struct Flight {
    started: Instant,
    result: Mutex<Option<Result<Arc<Es256Key>>>>,
    done: Condvar,
}

/// Why a slot is refused without a fetch, and until when.
struct Failure {
    until: Instant,
    /// The failed fetch's detail (names the URL and the reason).
    why: Box<str>,
}

#[derive(Default)]
struct State {
    pending: HashMap<Slot, Arc<Flight>>,
    failed: HashMap<Slot, Failure>,
    failed_order: VecDeque<Slot>,
}

/// Most negative-cache entries kept; a fetch is needed to add one, and fetches are
/// rate-limited, so this is reached only under a sustained flood.
const MAX_FAILED: usize = 4096;

fn unavailable(detail: String) -> Error {
    Error::new(ErrorKind::KeyUnavailable, detail)
}

/// Where ALB keys come from, and the cache in front of it.
pub(crate) struct KeyStore {
    templates: Vec<String>,
    pinned: HashMap<String, Arc<Es256Key>>,
    network: bool,
    ready: RwLock<HashMap<Slot, Cached>>,
    /// Logical clock for least-recently-used eviction (bumped only on key-cache hits, which
    /// happen only on full verifications).
    clock: AtomicU64,
    state: Mutex<State>,
    fetcher: Arc<dyn Fetcher>,
    budget: Arc<FetchBudget>,
    capacity: usize,
    backoff: Duration,
    /// How long after a fetch started its waiters give up: 2 x `key_fetch_timeout_ms`.
    wait_limit: Duration,
}

/// What a lookup that missed the cache does next.
enum Next<'a> {
    /// The key arrived meanwhile.
    Ready(Arc<Es256Key>),
    /// Another thread is fetching it.
    Wait(Arc<Flight>),
    /// This thread fetches it.
    Lead(Leader<'a>),
}

impl KeyStore {
    /// A store for `config`; returns it with, for each trusted ALB, the index of its source.
    /// It creates the verifier's [`FetchBudget`] (see [`KeyStore::budget`]).
    pub(crate) fn new(config: &Config, fetcher: Arc<dyn Fetcher>) -> Result<(KeyStore, Vec<u16>)> {
        let mut templates: Vec<String> = Vec::new();
        let mut source_of = Vec::with_capacity(config.trusted_albs.len());
        for alb in &config.trusted_albs {
            let t = config.key_url_for(alb);
            let idx = match templates.iter().position(|x| *x == t) {
                Some(i) => i,
                None => {
                    templates.push(t);
                    templates.len() - 1
                }
            };
            source_of.push(idx as u16);
        }
        // Parsed once, by Config::from_json.
        let pinned: HashMap<String, Arc<Es256Key>> = config
            .pinned_keys
            .iter()
            .map(|(kid, p)| (kid.clone(), p.key.clone()))
            .collect();
        Ok((
            KeyStore {
                templates,
                pinned,
                network: config.fetches_keys(),
                ready: RwLock::new(HashMap::new()),
                clock: AtomicU64::new(0),
                state: Mutex::new(State::default()),
                fetcher,
                budget: Arc::new(FetchBudget::new(config.key_fetch_max_per_minute)),
                capacity: config.key_cache_size,
                backoff: Duration::from_secs(config.key_fetch_backoff_secs),
                wait_limit: Duration::from_millis(config.key_fetch_timeout_ms.saturating_mul(2)),
            },
            source_of,
        ))
    }

    /// The verifier's fetch budget, for the access-token JWKS to share.
    pub(crate) fn budget(&self) -> Arc<FetchBudget> {
        self.budget.clone()
    }

    /// The key URL template of a source (for `--explain`).
    pub(crate) fn template(&self, source: u16) -> &str {
        &self.templates[source as usize]
    }

    /// Whether a kid is pinned.
    pub(crate) fn is_pinned(&self, kid: &str) -> bool {
        self.pinned.contains_key(kid)
    }

    /// Number of keys in the fetched-key cache.
    pub(crate) fn cached(&self) -> usize {
        self.ready.read().len()
    }

    fn cached_key(&self, slot: &Slot) -> Option<Arc<Es256Key>> {
        let ready = self.ready.read();
        let c = ready.get(slot)?;
        c.last_used.store(self.clock.fetch_add(1, Relaxed), Relaxed);
        Some(c.key.clone())
    }

    /// The key URL of `slot`: its template with the kid filled in.
    fn url(&self, slot: &Slot) -> String {
        let kid = std::str::from_utf8(&slot.1).unwrap_or("?");
        self.templates[slot.0 as usize].replace("{kid}", kid)
    }

    /// The key for `kid` (a UUID) from `source`: pinned, cached, or fetched once.
    pub(crate) fn get(&self, source: u16, kid: &str, counters: &Counters) -> Result<Arc<Es256Key>> {
        if let Some(k) = self.pinned.get(kid) {
            return Ok(k.clone());
        }
        let slot: Slot = (
            source,
            kid.as_bytes()
                .try_into()
                .map_err(|_| Error::new(ErrorKind::InvalidKeyId, "kid is not a UUID"))?,
        );
        if let Some(k) = self.cached_key(&slot) {
            return Ok(k);
        }
        if !self.network {
            return Err(Error::new(
                ErrorKind::KeyUnavailable,
                "kid is not in pinned_keys and key fetching is off (pinned_keys without key_url)",
            ));
        }
        match self.next(slot, counters)? {
            Next::Ready(k) => Ok(k),
            Next::Wait(f) => self.wait(&f, &slot),
            Next::Lead(mut leader) => {
                let result = self.fetch(&slot, counters);
                self.record(&leader, &result);
                leader.result = Some(result.clone());
                result
                // `leader` drops here: the flight completes and its waiters wake.
            }
        }
    }

    /// Under the state lock: the key if it arrived meanwhile, the refusals (backoff, budget),
    /// or the flight to wait for or to lead.
    fn next(&self, slot: Slot, counters: &Counters) -> Result<Next<'_>> {
        let mut st = self.state.lock();
        if let Some(k) = self.cached_key(&slot) {
            return Ok(Next::Ready(k));
        }
        let now = Instant::now();
        if let Some(f) = st.failed.get(&slot) {
            if f.until > now {
                counters.bump(Counter::KeyFetchSuppressed);
                return Err(unavailable(format!(
                    "{}; backing off (key_fetch_backoff_secs) before fetching it again",
                    f.why
                )));
            }
        }
        if let Some(f) = st.pending.get(&slot) {
            return Ok(Next::Wait(f.clone()));
        }
        if !self.budget.try_take(now) {
            counters.bump(Counter::KeyFetchSuppressed);
            return Err(unavailable(format!(
                "key fetch from {} refused: fetch rate limit reached (key_fetch_max_per_minute)",
                self.url(&slot)
            )));
        }
        let flight = Arc::new(Flight {
            started: now,
            result: Mutex::new(None),
            done: Condvar::new(),
        });
        st.pending.insert(slot, flight.clone());
        // Nothing can fail between the insert and the guard that undoes it.
        Ok(Next::Lead(Leader {
            store: self,
            slot,
            flight,
            result: None,
        }))
    }

    /// Fetches and parses the key of `slot`; a panicking fetcher is a failed fetch.
    fn fetch(&self, slot: &Slot, counters: &Counters) -> Result<Arc<Es256Key>> {
        counters.bump(Counter::KeyFetch);
        let url = self.url(slot);
        let fetched =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.fetcher.get(&url)))
                .unwrap_or_else(|_| Err("the fetcher panicked".to_string()));
        let result = match fetched {
            Ok(body) => Es256Key::from_pem(&body).map(Arc::new).map_err(|why| {
                unavailable(format!(
                    "key fetch from {url} returned no usable key: {why}"
                ))
            }),
            Err(why) => Err(unavailable(format!("key fetch from {url} failed: {why}"))),
        };
        if result.is_err() {
            counters.bump(Counter::KeyFetchFailure);
        }
        result
    }

    /// Stores a fetch's result (in the key cache or the negative cache) and, in the same
    /// critical section, ends the flight, so that no thread finds neither and fetches again.
    fn record(&self, leader: &Leader, result: &Result<Arc<Es256Key>>) {
        let mut st = self.state.lock();
        match result {
            Ok(k) => {
                let mut ready = self.ready.write();
                while ready.len() >= self.capacity {
                    let lru = ready
                        .iter()
                        .min_by_key(|(_, c)| c.last_used.load(Relaxed))
                        .map(|(s, _)| *s);
                    match lru {
                        Some(old) => ready.remove(&old),
                        None => break,
                    };
                }
                ready.insert(
                    leader.slot,
                    Cached {
                        key: k.clone(),
                        last_used: AtomicU64::new(self.clock.fetch_add(1, Relaxed)),
                    },
                );
            }
            Err(e) => {
                let now = Instant::now();
                if st.failed.len() >= MAX_FAILED {
                    st.failed.retain(|_, f| f.until > now);
                    let failed = std::mem::take(&mut st.failed);
                    st.failed_order.retain(|s| failed.contains_key(s));
                    st.failed = failed;
                    while st.failed.len() >= MAX_FAILED {
                        match st.failed_order.pop_front() {
                            Some(old) => {
                                st.failed.remove(&old);
                            }
                            None => break,
                        }
                    }
                }
                let failure = Failure {
                    until: now + self.backoff,
                    why: e.detail().into(),
                };
                if st.failed.insert(leader.slot, failure).is_none() {
                    st.failed_order.push_back(leader.slot);
                }
            }
        }
        leader.end_flight(&mut st);
    }

    /// Waits for another thread's fetch, until `wait_limit` after it started.
    fn wait(&self, f: &Flight, slot: &Slot) -> Result<Arc<Es256Key>> {
        let deadline = f.started + self.wait_limit;
        let mut r = f.result.lock();
        while r.is_none() && !f.done.wait_until(&mut r, deadline).timed_out() {}
        match &*r {
            Some(result) => result.clone(),
            None => Err(unavailable(format!(
                "key fetch from {} did not complete within {} ms (2 x key_fetch_timeout_ms)",
                self.url(slot),
                self.wait_limit.as_millis()
            ))),
        }
    }
}

/// The fetching thread's hold on a flight. Dropping it, on return or while unwinding from a
/// panic anywhere between the flight's start and its end, removes the flight and releases its
/// waiters with the result, or with `key_unavailable` when there is none.
struct Leader<'a> {
    store: &'a KeyStore,
    slot: Slot,
    flight: Arc<Flight>,
    result: Option<Result<Arc<Es256Key>>>,
}

impl Leader<'_> {
    /// Removes the flight from `pending`, if it is still this one.
    fn end_flight(&self, st: &mut State) {
        if st
            .pending
            .get(&self.slot)
            .is_some_and(|f| Arc::ptr_eq(f, &self.flight))
        {
            st.pending.remove(&self.slot);
        }
    }
}

impl Drop for Leader<'_> {
    fn drop(&mut self) {
        // Not under the state lock: `record` released it, also when it panicked.
        self.end_flight(&mut self.store.state.lock());
        let result = self.result.take().unwrap_or_else(|| {
            Err(unavailable(format!(
                "key fetch from {} did not complete: it panicked",
                self.store.url(&self.slot)
            )))
        });
        *self.flight.result.lock() = Some(result);
        self.flight.done.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoFetch;
    impl Fetcher for NoFetch {
        fn get(&self, _url: &str) -> std::result::Result<Vec<u8>, String> {
            Err("not used".into())
        }
    }

    const KID: &str = "5f6e7a2c-0000-4000-8000-000000000001";

    fn store() -> KeyStore {
        let config = Config::from_json(
            &serde_json::json!({
                "trusted_albs": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188"],
                "issuer": "https://idp.example.com",
                "client_id": "client",
                "key_url": "http://127.0.0.1:9/{kid}",
            })
            .to_string(),
        )
        .unwrap();
        KeyStore::new(&config, Arc::new(NoFetch)).unwrap().0
    }

    #[test]
    fn a_panic_while_leading_a_fetch_releases_the_waiters_and_removes_the_flight() {
        let store = store();
        let counters = Counters::default();
        let slot: Slot = (0, KID.as_bytes().try_into().unwrap());
        let Ok(Next::Lead(leader)) = store.next(slot, &counters) else {
            panic!("expected to lead the fetch");
        };
        std::thread::scope(|s| {
            let waiters: Vec<_> = (0..3)
                .map(|_| s.spawn(|| store.get(0, KID, &counters)))
                .collect();
            // Each waiter holds the flight: pending, the leader and 3 waiters.
            while Arc::strong_count(&leader.flight) < 5 {
                std::thread::sleep(Duration::from_millis(1));
            }
            let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                let _leader = leader;
                panic!("between the flight's start and its end");
            }));
            assert!(unwound.is_err());
            for w in waiters {
                let e = w.join().unwrap().unwrap_err();
                assert_eq!(e.kind(), ErrorKind::KeyUnavailable);
                assert_eq!(
                    e.detail(),
                    format!(
                        "key fetch from http://127.0.0.1:9/{KID} did not complete: it panicked"
                    )
                );
            }
        });
        assert!(store.state.lock().pending.is_empty());
        // Nothing was negative-cached: the next request leads a new fetch.
        assert!(matches!(store.next(slot, &counters), Ok(Next::Lead(_))));
    }
}
