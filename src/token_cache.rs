//! The verified-token cache: exact token bytes to the identity they verified as.
//!
//! Only tokens that passed every check get in, so an attacker cannot fill it; entries live
//! until their token expires (plus clock skew). Sharded so that request threads rarely meet on
//! one lock; keyed by a seeded 64-bit hash, and a hit also compares the bytes, so a collision
//! is only ever a miss.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::identity::Identity;

const SHARDS: usize = 16;

struct Entry {
    data: Box<str>,
    access: Option<Box<str>>,
    identity: Arc<Identity>,
    valid_until: i64,
}

/// A bounded map from token bytes to identity.
pub(crate) struct TokenCache {
    shards: Box<[Mutex<HashMap<u64, Entry, NoHash>>]>,
    per_shard: usize,
    seed: foldhash::fast::RandomState,
}

/// The keys are already hashes.
#[derive(Default, Clone, Copy)]
struct NoHash;
impl BuildHasher for NoHash {
    type Hasher = NoHasher;
    fn build_hasher(&self) -> NoHasher {
        NoHasher(0)
    }
}
struct NoHasher(u64);
impl Hasher for NoHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

impl TokenCache {
    /// `None` when `capacity` is 0 (cache disabled).
    pub(crate) fn new(capacity: usize) -> Option<TokenCache> {
        if capacity == 0 {
            return None;
        }
        let per_shard = capacity.div_ceil(SHARDS);
        Some(TokenCache {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::with_hasher(NoHash)))
                .collect(),
            per_shard,
            seed: foldhash::fast::RandomState::default(),
        })
    }

    fn hash(&self, data: &str, access: Option<&str>) -> u64 {
        let mut h = self.seed.build_hasher();
        h.write(data.as_bytes());
        if let Some(a) = access {
            h.write_u8(0xff);
            h.write(a.as_bytes());
        }
        h.finish()
    }

    /// The identity for exactly these tokens, if cached and still valid at `now`.
    pub(crate) fn get(&self, data: &str, access: Option<&str>, now: i64) -> Option<Arc<Identity>> {
        let h = self.hash(data, access);
        let shard = self.shards[(h as usize) % SHARDS].lock();
        let e = shard.get(&h)?;
        (now <= e.valid_until && *e.data == *data && e.access.as_deref() == access)
            .then(|| e.identity.clone())
    }

    /// Remembers a verified identity until `valid_until`.
    pub(crate) fn insert(
        &self,
        data: &str,
        access: Option<&str>,
        identity: Arc<Identity>,
        valid_until: i64,
        now: i64,
    ) {
        let h = self.hash(data, access);
        let mut shard = self.shards[(h as usize) % SHARDS].lock();
        if shard.len() >= self.per_shard && !shard.contains_key(&h) {
            shard.retain(|_, e| e.valid_until >= now);
            if shard.len() >= self.per_shard {
                if let Some(k) = shard.keys().next().copied() {
                    shard.remove(&k);
                }
            }
        }
        shard.insert(
            h,
            Entry {
                data: data.into(),
                access: access.map(Into::into),
                identity,
                valid_until,
            },
        );
    }

    /// Entries held (for tests and metrics).
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().len()).sum()
    }
}
