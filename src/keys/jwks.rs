//! The IdP's JWKS for access tokens: fetched on an unknown kid, at most once every
//! `access_token_refresh_secs` after a success and `key_fetch_backoff_secs` after a failure,
//! and only within the verifier's [`FetchBudget`] (`key_fetch_max_per_minute`, shared with ALB
//! key fetches). One refresh at a time: the others wait for it, at most
//! `2 x key_fetch_timeout_ms`. Only RSA keys for signatures are kept (a JWK whose `use` is
//! other than `sig` is not one).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::DecodingKey;
use parking_lot::{Mutex, RwLock};

use super::{FetchBudget, Fetcher};
use crate::error::Result;
use crate::stats::{Counter, Counters};
use crate::verify::access::invalid;

/// Most keys kept from one JWKS.
const MAX_JWKS_KEYS: usize = 64;

/// The last JWKS fetch: when, and why it failed (`None`: it succeeded).
struct Refresh {
    at: Instant,
    failure: Option<Box<str>>,
}

/// The RSA keys of one JWKS endpoint, refreshed on demand.
pub(crate) struct JwksCache {
    url: String,
    refresh_every: Duration,
    retry_after_failure: Duration,
    /// How long a request waits for another's refresh: 2 x `key_fetch_timeout_ms`.
    wait_limit: Duration,
    keys: RwLock<HashMap<String, Arc<DecodingKey>>>,
    /// The last refresh; held while refreshing, so that one refresh runs at a time.
    last_refresh: Mutex<Option<Refresh>>,
    fetcher: Arc<dyn Fetcher>,
    budget: Arc<FetchBudget>,
}

impl JwksCache {
    pub(crate) fn new(
        url: String,
        refresh_every: Duration,
        retry_after_failure: Duration,
        wait_limit: Duration,
        fetcher: Arc<dyn Fetcher>,
        budget: Arc<FetchBudget>,
    ) -> JwksCache {
        JwksCache {
            url,
            refresh_every,
            retry_after_failure,
            wait_limit,
            keys: RwLock::new(HashMap::new()),
            last_refresh: Mutex::new(None),
            fetcher,
            budget,
        }
    }

    pub(crate) fn key(&self, kid: &str, counters: &Counters) -> Result<Arc<DecodingKey>> {
        if let Some(k) = self.keys.read().get(kid) {
            return Ok(k.clone());
        }
        {
            let Some(mut last) = self.last_refresh.try_lock_for(self.wait_limit) else {
                return Err(invalid(format!(
                    "JWKS fetch from {} did not complete within {} ms (2 x key_fetch_timeout_ms)",
                    self.url,
                    self.wait_limit.as_millis()
                )));
            };
            // Another thread may have refreshed while this one waited for the lock.
            if let Some(k) = self.keys.read().get(kid) {
                return Ok(k.clone());
            }
            // After a success, an unknown kid waits `access_token_refresh_secs`; after a
            // failure, only `key_fetch_backoff_secs`, so one failed fetch does not lock
            // everybody out for the whole refresh interval.
            match &*last {
                Some(Refresh { at, failure: None }) if at.elapsed() < self.refresh_every => {
                    counters.bump(Counter::KeyFetchSuppressed);
                    return Err(invalid(
                        "access token kid is not in the JWKS (refreshed recently; not fetching again yet)",
                    ));
                }
                Some(Refresh {
                    at,
                    failure: Some(why),
                }) if at.elapsed() < self.retry_after_failure => {
                    counters.bump(Counter::KeyFetchSuppressed);
                    return Err(invalid(format!(
                        "{why}; backing off (key_fetch_backoff_secs) before fetching it again"
                    )));
                }
                _ => {}
            }
            if !self.budget.try_take(Instant::now()) {
                counters.bump(Counter::KeyFetchSuppressed);
                return Err(invalid(format!(
                    "JWKS fetch from {} refused: fetch rate limit reached (key_fetch_max_per_minute)",
                    self.url
                )));
            }
            counters.bump(Counter::KeyFetch);
            let url = &self.url;
            let fetched =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.fetcher.get(url)))
                    .unwrap_or_else(|_| Err("the fetcher panicked".to_string()))
                    .map_err(|why| format!("JWKS fetch from {url} failed: {why}"))
                    .and_then(|body| {
                        parse_jwks(&body).map_err(|why| {
                            format!("JWKS fetch from {url} returned no usable key: {why}")
                        })
                    });
            *last = Some(Refresh {
                at: Instant::now(),
                failure: fetched.as_ref().err().map(|why| why.as_str().into()),
            });
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

/// Parses a JWKS, keeping the RSA signing keys that have a kid (at most 64). A key whose `use`
/// is present and not `sig` is skipped: it is not for verifying signatures.
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
        if !matches!(
            jwk.common.public_key_use,
            None | Some(PublicKeyUse::Signature)
        ) {
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
