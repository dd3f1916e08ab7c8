//! The IdP access token (`x-amzn-oidc-accesstoken`), verified before any claim of it is used.
//!
//! The ALB does not sign this header, so albauth verifies it itself: RS256 against the IdP's
//! JWKS, then `exp`, `iss` and (Entra) `tid`. Microsoft Graph tokens carry a `nonce` in their
//! JOSE header and are signed over a header whose nonce was replaced by its SHA-256 hex
//! digest; albauth rebuilds that signing input. The JWKS is cached; an unknown kid refreshes it
//! at most once every `access_token_refresh_secs`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use jsonwebtoken::jwk::{JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey};
use parking_lot::{Mutex, RwLock};
use serde_json::{Map, Value};
use sha2::Digest;

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::keys::Fetcher;
use crate::stats::{Counter, Counters};
use crate::token::{decode_segment, parse_claims};

/// Most keys kept from one JWKS.
const MAX_JWKS_KEYS: usize = 64;
/// Most bytes of an access token's kid that are looked up.
const MAX_KID_BYTES: usize = 128;

fn invalid(detail: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::AccessTokenInvalid, detail)
}

pub(crate) struct AccessVerifier {
    jwks_url: String,
    issuers: Option<Vec<String>>,
    tenant: Option<String>,
    skew: i64,
    refresh_every: Duration,
    retry_after_failure: Duration,
    keys: RwLock<HashMap<String, Arc<DecodingKey>>>,
    /// When the JWKS was last fetched, and whether that fetch succeeded.
    last_refresh: Mutex<Option<(Instant, bool)>>,
    fetcher: Arc<dyn Fetcher>,
}

impl AccessVerifier {
    pub(crate) fn new(config: &Config, fetcher: Arc<dyn Fetcher>) -> Option<AccessVerifier> {
        if !config.uses_access_token() {
            return None;
        }
        Some(AccessVerifier {
            jwks_url: config.access_token_jwks_url.clone()?,
            issuers: config.access_token_issuer.clone(),
            tenant: config.tenant_id.clone(),
            skew: config.clock_skew_secs as i64,
            refresh_every: Duration::from_secs(config.access_token_refresh_secs),
            retry_after_failure: Duration::from_secs(config.key_fetch_backoff_secs),
            keys: RwLock::new(HashMap::new()),
            last_refresh: Mutex::new(None),
            fetcher,
        })
    }

    /// Verifies the access token at `now`; its claims on success.
    pub(crate) fn verify(
        &self,
        token: &str,
        now: i64,
        counters: &Counters,
    ) -> Result<Map<String, Value>> {
        let mut segs = token.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (segs.next(), segs.next(), segs.next(), segs.next())
        else {
            return Err(invalid("access token is not a JWT (three segments)"));
        };
        let header_bytes =
            decode_segment(h).map_err(|_| invalid("access token header is not base64url"))?;
        let header: Map<String, Value> = parse_claims(&header_bytes)
            .map_err(|_| invalid("access token header is not a JSON object"))?;
        if header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err(invalid("access token alg is not RS256"));
        }
        let kid = match header.get("kid").and_then(Value::as_str) {
            Some(k) if !k.is_empty() && k.len() <= MAX_KID_BYTES => k,
            _ => return Err(invalid("access token has no usable kid")),
        };
        let key = self.key(kid, counters)?;

        // Graph variant: the signature covers the header with nonce = hex(SHA-256(nonce)).
        let signing_input: Vec<u8> = match header.get("nonce") {
            Some(Value::String(nonce)) => {
                let header_text = std::str::from_utf8(&header_bytes)
                    .map_err(|_| invalid("access token header is not UTF-8"))?;
                let quoted = format!("\"{nonce}\"");
                if nonce.is_empty() || header_text.matches(&quoted).count() != 1 {
                    return Err(invalid("access token nonce is ambiguous"));
                }
                let digest = sha2::Sha256::digest(nonce.as_bytes());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                let rewritten = header_text.replacen(&quoted, &format!("\"{hex}\""), 1);
                let mut input = crate::token::B64URL.encode(rewritten).into_bytes();
                input.push(b'.');
                input.extend_from_slice(p.as_bytes());
                input
            }
            Some(_) => return Err(invalid("access token nonce is not a string")),
            None => token.as_bytes()[..h.len() + 1 + p.len()].to_vec(),
        };
        let ok = jsonwebtoken::crypto::verify(s, &signing_input, &key, Algorithm::RS256)
            .unwrap_or(false);
        if !ok {
            return Err(invalid(
                "access token signature does not verify against the JWKS",
            ));
        }

        let payload =
            decode_segment(p).map_err(|_| invalid("access token payload is not base64url"))?;
        let claims = parse_claims(&payload)
            .map_err(|_| invalid("access token payload is not a JSON object"))?;
        match claims.get("exp").and_then(Value::as_i64) {
            Some(exp) if now <= exp.saturating_add(self.skew) => {}
            Some(_) => return Err(invalid("access token has expired")),
            None => return Err(invalid("access token has no integer exp")),
        }
        if let Some(nbf) = claims.get("nbf").and_then(Value::as_i64) {
            if now.saturating_add(self.skew) < nbf {
                return Err(invalid("access token is not valid yet (nbf)"));
            }
        }
        if let Some(issuers) = &self.issuers {
            let iss = claims.get("iss").and_then(Value::as_str);
            if !iss.is_some_and(|i| issuers.iter().any(|x| x == i)) {
                return Err(invalid(
                    "access token iss is not an accepted access_token_issuer",
                ));
            }
        }
        if let Some(tenant) = &self.tenant {
            if claims.get("tid").and_then(Value::as_str) != Some(tenant.as_str()) {
                return Err(invalid("access token tid is not the configured tenant"));
            }
        }
        Ok(claims)
    }

    fn key(&self, kid: &str, counters: &Counters) -> Result<Arc<DecodingKey>> {
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
                .get(&self.jwks_url)
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
