//! ALB public keys: pinned keys, an HTTP fetcher with hard limits, and a bounded cache with
//! single-flight fetches, negative caching and a global fetch-rate limit.
//!
//! Design (after aws-jwt-verify's `AlbJwksCache`): a kid's key never changes, so cached keys
//! never expire; when `key_cache_size` is reached the least recently used one is evicted, so
//! keys an attacker makes us fetch (real kids of the region, under a forged signer) cannot
//! push out the key that real traffic is using. The key is
//! `(key URL template, kid)`; the kid is already known to be a UUID when it gets here, and the
//! signer already known to be trusted. Many threads asking for one unknown kid cause one fetch;
//! a failed kid is refused without a fetch for `key_fetch_backoff_secs`; and at most
//! `key_fetch_max_per_minute` fetches leave the process, whatever an attacker sends.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex, RwLock};

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::stats::{Counter, Counters};

mod backend;
mod fetch;
pub(crate) mod jwks;

pub(crate) use backend::{Es256Key, BACKEND};
pub use fetch::{Fetcher, HttpFetcher};

/// A cache key: (index of the key URL template, kid bytes).
type Slot = (u16, [u8; 36]);

/// A fetched key and when it was last used (for LRU eviction).
struct Cached {
    key: Arc<Es256Key>,
    last_used: AtomicU64,
}

struct Flight {
    result: Mutex<Option<std::result::Result<Arc<Es256Key>, Error>>>,
    done: Condvar,
}

#[derive(Default)]
struct State {
    pending: HashMap<Slot, Arc<Flight>>,
    failed: HashMap<Slot, Instant>,
    failed_order: VecDeque<Slot>,
    fetch_times: VecDeque<Instant>,
}

/// Most negative-cache entries kept; a fetch is needed to add one, and fetches are
/// rate-limited, so this is reached only under a sustained flood.
const MAX_FAILED: usize = 4096;

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
    capacity: usize,
    backoff: Duration,
    max_per_minute: usize,
}

impl KeyStore {
    /// A store for `config`; returns it with, for each trusted ALB, the index of its source.
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
                capacity: config.key_cache_size,
                backoff: Duration::from_secs(config.key_fetch_backoff_secs),
                max_per_minute: config.key_fetch_max_per_minute as usize,
            },
            source_of,
        ))
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
        let flight = {
            let mut st = self.state.lock();
            if let Some(k) = self.cached_key(&slot) {
                return Ok(k);
            }
            let now = Instant::now();
            if let Some(until) = st.failed.get(&slot) {
                if *until > now {
                    counters.bump(Counter::KeyFetchSuppressed);
                    return Err(Error::new(
                        ErrorKind::KeyUnavailable,
                        "an earlier fetch of this kid failed; backing off before trying again",
                    ));
                }
            }
            if let Some(f) = st.pending.get(&slot) {
                Some(f.clone())
            } else {
                while st
                    .fetch_times
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
                {
                    st.fetch_times.pop_front();
                }
                if st.fetch_times.len() >= self.max_per_minute {
                    counters.bump(Counter::KeyFetchSuppressed);
                    return Err(Error::new(
                        ErrorKind::KeyUnavailable,
                        "key fetch rate limit reached (key_fetch_max_per_minute)",
                    ));
                }
                st.fetch_times.push_back(now);
                st.pending.insert(
                    slot,
                    Arc::new(Flight {
                        result: Mutex::new(None),
                        done: Condvar::new(),
                    }),
                );
                None
            }
        };
        match flight {
            Some(f) => wait(&f),
            None => self.fetch(slot, kid, counters),
        }
    }

    fn fetch(&self, slot: Slot, kid: &str, counters: &Counters) -> Result<Arc<Es256Key>> {
        counters.bump(Counter::KeyFetch);
        let url = self.templates[slot.0 as usize].replace("{kid}", kid);
        let fetched =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.fetcher.get(&url)))
                .unwrap_or_else(|_| Err("the fetcher panicked".to_string()));
        let result = match fetched {
            Ok(body) => Es256Key::from_pem(&body).map(Arc::new).map_err(|why| {
                Error::new(
                    ErrorKind::KeyUnavailable,
                    format!("key server answered, but {why}"),
                )
            }),
            Err(why) => Err(Error::new(
                ErrorKind::KeyUnavailable,
                format!("key fetch failed: {why}"),
            )),
        };
        if result.is_err() {
            counters.bump(Counter::KeyFetchFailure);
        }
        let flight = {
            let mut st = self.state.lock();
            match &result {
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
                        slot,
                        Cached {
                            key: k.clone(),
                            last_used: AtomicU64::new(self.clock.fetch_add(1, Relaxed)),
                        },
                    );
                }
                Err(_) => {
                    let now = Instant::now();
                    if st.failed.len() >= MAX_FAILED {
                        st.failed.retain(|_, until| *until > now);
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
                    if st.failed.insert(slot, now + self.backoff).is_none() {
                        st.failed_order.push_back(slot);
                    }
                }
            }
            st.pending.remove(&slot)
        };
        if let Some(f) = flight {
            *f.result.lock() = Some(result.clone());
            f.done.notify_all();
        }
        result
    }
}

fn wait(f: &Flight) -> Result<Arc<Es256Key>> {
    let mut r = f.result.lock();
    while r.is_none() {
        f.done.wait(&mut r);
    }
    r.clone().unwrap_or_else(|| {
        Err(Error::new(
            ErrorKind::KeyUnavailable,
            "key fetch did not complete",
        ))
    })
}
