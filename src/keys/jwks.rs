//! The IdP's JWKS for access tokens: fetched on an unknown kid, at most once every
//! `access_token_refresh_secs` after a success and `key_fetch_backoff_secs` after a failure.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{JwkSet, KeyAlgorithm};
use jsonwebtoken::DecodingKey;
use parking_lot::{Mutex, RwLock};

use super::Fetcher;
use crate::error::Result;
use crate::stats::{Counter, Counters};
use crate::verify::access::invalid;

/// Most keys kept from one JWKS.
const MAX_JWKS_KEYS: usize = 64;

/// The RSA keys of one JWKS endpoint, refreshed on demand.
pub(crate) struct JwksCache {
    url: String,
    refresh_every: Duration,
    retry_after_failure: Duration,
    keys: RwLock<HashMap<String, Arc<DecodingKey>>>,
    /// When the JWKS was last fetched, and whether that fetch succeeded.
    last_refresh: Mutex<Option<(Instant, bool)>>,
    fetcher: Arc<dyn Fetcher>,
}

impl JwksCache {
    pub(crate) fn new(
        url: String,
        refresh_every: Duration,
        retry_after_failure: Duration,
        fetcher: Arc<dyn Fetcher>,
    ) -> JwksCache {
        JwksCache {
            url,
            refresh_every,
            retry_after_failure,
            keys: RwLock::new(HashMap::new()),
            last_refresh: Mutex::new(None),
            fetcher,
        }
    }

    pub(crate) fn key(&self, kid: &str, counters: &Counters) -> Result<Arc<DecodingKey>> {
        if let Some(k) = self.keys.read().get(kid) {
            return Ok(k.clone());
        }
        {
            let mut last = self.last_refresh.lock();
            // Another thread may have refreshed while this one waited for the lock.
            if let Some(k) = self.keys.read().get(kid) {
                return Ok(k.clone());
            }
            // After a success, an unknown kid waits `access_token_refresh_secs`; after a
            // failure, only `key_fetch_backoff_secs`, so one failed fetch does not lock
            // everybody out for the whole refresh interval.
            match *last {
                Some((t, true)) if t.elapsed() < self.refresh_every => {
                    counters.bump(Counter::KeyFetchSuppressed);
                    return Err(invalid(
                        "access token kid is not in the JWKS (refreshed recently; not fetching again yet)",
                    ));
                }
                Some((t, false)) if t.elapsed() < self.retry_after_failure => {
                    counters.bump(Counter::KeyFetchSuppressed);
                    return Err(invalid(
                        "an earlier JWKS fetch failed; backing off before trying again",
                    ));
                }
                _ => {}
            }
            counters.bump(Counter::KeyFetch);
            let fetched = self
                .fetcher
                .get(&self.url)
                .map_err(|why| format!("JWKS fetch failed: {why}"))
                .and_then(|body| parse_jwks(&body));
            *last = Some((Instant::now(), fetched.is_ok()));
            let keys = fetched.map_err(|why| {
                counters.bump(Counter::KeyFetchFailure);
                invalid(why)
            })?;
            *self.keys.write() = keys;
        }
        self.keys
            .read()
            .get(kid)
            .cloned()
            .ok_or_else(|| invalid("access token kid is not in the JWKS"))
    }
}

/// Parses a JWKS, keeping the RSA signing keys that have a kid (at most 64).
pub fn parse_jwks(body: &[u8]) -> std::result::Result<HashMap<String, Arc<DecodingKey>>, String> {
    let set: JwkSet =
        serde_json::from_slice(body).map_err(|_| "JWKS is not a JSON key set".to_string())?;
    let mut keys = HashMap::new();
    for jwk in set.keys.iter().take(MAX_JWKS_KEYS) {
        let Some(kid) = jwk.common.key_id.clone() else {
            continue;
        };
        if !matches!(jwk.common.key_algorithm, None | Some(KeyAlgorithm::RS256)) {
            continue;
        }
        if let jsonwebtoken::jwk::AlgorithmParameters::RSA(_) = jwk.algorithm {
            if let Ok(k) = DecodingKey::from_jwk(jwk) {
                keys.insert(kid, Arc::new(k));
            }
        }
    }
    if keys.is_empty() {
        return Err("JWKS has no RSA key with a kid".to_string());
    }
    Ok(keys)
}
