//! The outbound fetch budget: at most `key_fetch_max_per_minute` fetches in any 60 seconds,
//! ALB keys and the access-token JWKS together, whatever an attacker sends.
//!
//! One budget per verifier, shared by its [`KeyStore`](super::KeyStore) and its JWKS cache:
//! the limit protects the key servers and the host's outbound connections, and both kinds of
//! fetch can be provoked from outside (an unknown kid under a trusted signer, an unknown
//! access-token kid), so neither may spend past it. Refused fetches are not counted.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

const WINDOW: Duration = Duration::from_secs(60);

/// A sliding one-minute window of fetch start times.
pub(crate) struct FetchBudget {
    per_minute: usize,
    /// Start times of the fetches of the last minute, oldest first (at most `per_minute`).
    started: Mutex<VecDeque<Instant>>,
}

impl FetchBudget {
    pub(crate) fn new(per_minute: u32) -> FetchBudget {
        FetchBudget {
            per_minute: per_minute as usize,
            started: Mutex::new(VecDeque::new()),
        }
    }

    /// Takes one fetch at `now`: `false`, taking nothing, when the minute before `now` already
    /// had `per_minute` fetches.
    pub(crate) fn try_take(&self, now: Instant) -> bool {
        let mut started = self.started.lock();
        while started
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            started.pop_front();
        }
        if started.len() >= self.per_minute {
            return false;
        }
        started.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_per_minute_fetches_then_refuses() {
        let b = FetchBudget::new(3);
        let t0 = Instant::now();
        assert!((0..3).all(|i| b.try_take(t0 + Duration::from_secs(i))));
        assert!(!b.try_take(t0 + Duration::from_secs(59)));
    }

    #[test]
    fn a_fetch_frees_its_place_a_minute_after_it_started() {
        let b = FetchBudget::new(2);
        let t0 = Instant::now();
        assert!(b.try_take(t0));
        assert!(b.try_take(t0 + Duration::from_secs(30)));
        assert!(!b.try_take(t0 + Duration::from_millis(59_999)));
        assert!(b.try_take(t0 + WINDOW));
        assert!(
            !b.try_take(t0 + WINDOW),
            "the second fetch still holds its place"
        );
        assert!(b.try_take(t0 + Duration::from_secs(90)));
    }

    #[test]
    fn refused_fetches_take_nothing() {
        let b = FetchBudget::new(1);
        let t0 = Instant::now();
        assert!(b.try_take(t0));
        for s in 1..60 {
            assert!(!b.try_take(t0 + Duration::from_secs(s)));
        }
        assert!(b.try_take(t0 + WINDOW));
    }
}
