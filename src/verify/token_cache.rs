//! The verified-token cache: exact token bytes to the identity they verified as.
//!
//! Only tokens that passed every check get in, so an attacker cannot fill it; entries live
//! until their token expires (plus clock skew). Reads are lock-free (papaya): a hit writes no
//! memory shared with other request threads, so hits scale with cores. Keyed by a seeded 64-bit
//! hash; a hit also compares the bytes, so a collision is only ever a miss.

use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use crate::verify::Identity;

struct Entry {
    data: Box<str>,
    access: Option<Box<str>>,
    identity: Arc<Identity>,
    valid_until: i64,
}

/// A bounded map from token bytes to identity.
pub(crate) struct TokenCache {
    map: papaya::HashMap<u64, Entry, NoHash>,
    capacity: usize,
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
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; fold anything else in rather than panic.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
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
        Some(TokenCache {
            map: papaya::HashMap::builder()
                .hasher(NoHash)
                .capacity(capacity.min(1 << 16))
                .build(),
            capacity,
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
        let map = self.map.pin();
        let e = map.get(&h)?;
        (now <= e.valid_until && *e.data == *data && e.access.as_deref() == access)
            .then(|| e.identity.clone())
    }

    /// Remembers a verified identity until `valid_until`. When full, expired entries go
    /// first, then arbitrary ones: the bound holds whatever the traffic.
    pub(crate) fn insert(
        &self,
        data: &str,
        access: Option<&str>,
        identity: Arc<Identity>,
        valid_until: i64,
        now: i64,
    ) {
        let h = self.hash(data, access);
        let map = self.map.pin();
        if map.len() >= self.capacity && !map.contains_key(&h) {
            map.retain(|_, e| e.valid_until >= now);
            let excess = (map.len() + 1).saturating_sub(self.capacity);
            let victims: Vec<u64> = map.keys().take(excess).copied().collect();
            for k in victims {
                map.remove(&k);
            }
        }
        map.insert(
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
        self.map.len()
    }
}
