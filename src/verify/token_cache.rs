//! The verified-token cache: exact token bytes to the identity they verified as.
//!
//! Only tokens that passed every check get in, so an attacker cannot fill it; entries live
//! until their token expires (plus clock skew). Reads are lock-free (papaya): a hit writes no
//! memory shared with other request threads, so hits scale with cores. Keyed by a seeded 64-bit
//! hash; a hit also compares the bytes, so a collision is only ever a miss.
//!
//! Eviction is first in, first out, and costs O(1) per insert whatever the cache holds. The
//! ALB re-signs the token on every request, so a busy node keeps the cache full of live
//! entries and every request is a miss that inserts; scanning for a victim would make each of
//! those misses walk the whole map. Instead the keys are also kept in insertion order in a
//! ring (`order`), and a full cache drops the oldest entry, expired or not. Expired entries
//! at the front go on every insert. FIFO rather than least-recently-used: LRU would need every
//! hit to write shared memory (a timestamp or a list move), which is what the lock-free reads
//! exist to avoid; and since every ALB token lives about as long as the next (exp = signing
//! time + 120 s) and is cached when it is first seen, insertion order is close to expiry
//! order, so the oldest entry is also the one closest to expiring anyway.
//!
//! The ring sits behind a mutex that only inserts take (a miss, which costs a full
//! verification, about 80 µs); every change to the map happens under it, so the ring and the
//! map always hold the same keys and the bound is exact: at most `capacity` entries.

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use parking_lot::Mutex;

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
    /// The map's keys, oldest first. Taken only by inserts; see the module doc.
    order: Mutex<VecDeque<u64>>,
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
            order: Mutex::new(VecDeque::with_capacity(capacity.min(1 << 16))),
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

    /// Remembers a verified identity until `valid_until`. Expired entries at the front of the
    /// insertion order go first; when still full, the oldest entry goes, expired or not.
    pub(crate) fn insert(
        &self,
        data: &str,
        access: Option<&str>,
        identity: Arc<Identity>,
        valid_until: i64,
        now: i64,
    ) {
        let h = self.hash(data, access);
        let entry = Entry {
            data: data.into(),
            access: access.map(Into::into),
            identity,
            valid_until,
        };
        let map = self.map.pin();
        let mut order = self.order.lock();
        // Already there: the same tokens verified twice at once (or a 64-bit collision). The
        // entry is replaced and keeps its place.
        if map.contains_key(&h) {
            map.insert(h, entry);
            return;
        }
        while let Some(&oldest) = order.front() {
            let expired = map.get(&oldest).is_none_or(|e| e.valid_until < now);
            if !expired && order.len() < self.capacity {
                break;
            }
            map.remove(&oldest);
            order.pop_front();
        }
        map.insert(h, entry);
        order.push_back(h);
    }

    /// Entries held (for tests and metrics).
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Arc<Identity> {
        Arc::new(Identity {
            username: "user".into(),
            display_name: None,
            email: None,
            groups: Vec::new(),
            sub: "user".into(),
            issuer: None,
            claims: serde_json::Map::new(),
            claims_json: "{}".into(),
            expires_at: 100,
            login_key: None,
        })
    }

    #[test]
    fn ring_and_map_hold_the_same_keys() {
        let c = TokenCache::new(4).unwrap();
        for i in 0..10 {
            c.insert(&format!("t{i}"), None, identity(), 100, 0);
            c.insert(&format!("t{i}"), None, identity(), 100, 0);
        }
        let order = c.order.lock();
        assert_eq!(order.len(), 4);
        assert_eq!(c.len(), 4);
        let map = c.map.pin();
        assert!(order.iter().all(|k| map.contains_key(k)));
        drop(map);
        drop(order);
        for i in 6..10 {
            assert!(c.get(&format!("t{i}"), None, 0).is_some(), "t{i}");
        }
    }

    #[test]
    fn replacing_an_entry_keeps_its_place() {
        let c = TokenCache::new(2).unwrap();
        c.insert("a", None, identity(), 100, 0);
        c.insert("b", None, identity(), 100, 0);
        c.insert("a", None, identity(), 100, 0);
        c.insert("c", None, identity(), 100, 0);
        assert!(c.get("a", None, 0).is_none(), "a was still the oldest");
        assert!(c.get("b", None, 0).is_some());
        assert!(c.get("c", None, 0).is_some());
    }
}
