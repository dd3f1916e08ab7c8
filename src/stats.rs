//! Counters for metrics: cheap to bump on the hot path (striped, no shared cache line).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::error::ErrorKind;

/// A snapshot of a verifier's counters since it was created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests that authenticated.
    pub authenticated: u64,
    /// Requests without a token header.
    pub anonymous: u64,
    /// Requests rejected, all codes.
    pub rejected: u64,
    /// Rejections per code, in the order of [`ErrorKind::ALL`].
    pub rejected_by_kind: Vec<(ErrorKind, u64)>,
    /// Verified-token cache hits.
    pub token_cache_hits: u64,
    /// Verified-token cache misses (full verification).
    pub token_cache_misses: u64,
    /// Outbound key fetches attempted (ALB keys and access-token JWKS).
    pub key_fetches: u64,
    /// Key fetches that failed.
    pub key_fetch_failures: u64,
    /// Key lookups refused without a fetch (negative cache or rate limit).
    pub key_fetches_suppressed: u64,
}

const STRIPES: usize = 8;
const COUNTERS: usize = 7 + ErrorKind::ALL.len();

#[repr(align(128))]
#[derive(Default)]
struct Stripe([AtomicU64; COUNTERS]);

/// Which counter to bump.
#[derive(Clone, Copy)]
pub(crate) enum Counter {
    Authenticated = 0,
    Anonymous = 1,
    TokenCacheHit = 2,
    TokenCacheMiss = 3,
    KeyFetch = 4,
    KeyFetchFailure = 5,
    KeyFetchSuppressed = 6,
}

/// Striped counters: each thread bumps its own cache line; a snapshot sums the stripes.
#[derive(Default)]
pub(crate) struct Counters {
    stripes: [Stripe; STRIPES],
}

fn stripe_index() -> usize {
    use std::cell::Cell;
    use std::sync::atomic::AtomicUsize;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local!(static INDEX: Cell<usize> = const { Cell::new(usize::MAX) });
    INDEX.with(|i| {
        if i.get() == usize::MAX {
            i.set(NEXT.fetch_add(1, Relaxed) % STRIPES);
        }
        i.get()
    })
}

impl Counters {
    pub(crate) fn bump(&self, c: Counter) {
        self.stripes[stripe_index()].0[c as usize].fetch_add(1, Relaxed);
    }

    pub(crate) fn bump_rejected(&self, kind: ErrorKind) {
        self.stripes[stripe_index()].0[7 + kind.index()].fetch_add(1, Relaxed);
    }

    fn sum(&self, i: usize) -> u64 {
        self.stripes.iter().map(|s| s.0[i].load(Relaxed)).sum()
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let rejected_by_kind: Vec<(ErrorKind, u64)> = ErrorKind::ALL
            .iter()
            .map(|k| (*k, self.sum(7 + k.index())))
            .collect();
        Stats {
            authenticated: self.sum(Counter::Authenticated as usize),
            anonymous: self.sum(Counter::Anonymous as usize),
            rejected: rejected_by_kind.iter().map(|(_, n)| n).sum(),
            rejected_by_kind,
            token_cache_hits: self.sum(Counter::TokenCacheHit as usize),
            token_cache_misses: self.sum(Counter::TokenCacheMiss as usize),
            key_fetches: self.sum(Counter::KeyFetch as usize),
            key_fetch_failures: self.sum(Counter::KeyFetchFailure as usize),
            key_fetches_suppressed: self.sum(Counter::KeyFetchSuppressed as usize),
        }
    }
}
