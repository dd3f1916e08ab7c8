//! The IdP access token (`x-amzn-oidc-accesstoken`), verified before any claim of it is used.
//!
//! The ALB does not sign this header, so albauth verifies it itself: RS256 against the IdP's
//! JWKS, then `exp`, `nbf`, `iss`, (Entra) `tid`, `aud`, and `appid` / `azp` against
//! `client_id`, so that a token issued to another application of the same tenant is refused.
//! Its `sub` is not compared with the data token's: Entra `sub` is pairwise per application
//! (README "Azure / Entra ID"). Microsoft Graph tokens carry a `nonce` in their
//! JOSE header and are signed over a header whose nonce was replaced by its SHA-256 hex
//! digest; albauth rebuilds that signing input. The JWKS is cached; an unknown kid refreshes it
//! at most once every `access_token_refresh_secs`.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use jsonwebtoken::Algorithm;
use serde_json::{Map, Value};
use sha2::Digest;

use super::token::{decode_segment, parse_claims};
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::keys::jwks::JwksCache;
use crate::keys::{FetchBudget, Fetcher};
use crate::stats::Counters;

/// Most bytes of an access token's kid that are looked up.
const MAX_KID_BYTES: usize = 128;

pub(crate) fn invalid(detail: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::AccessTokenInvalid, detail)
}

pub(crate) struct AccessVerifier {
    issuers: Option<Vec<String>>,
    /// `access_token_audience`; `None` = explicitly not checked.
    audiences: Option<Vec<String>>,
    /// `client_id`: the access token's `appid` / `azp` must be one of them.
    client_ids: Vec<String>,
    tenant: Option<String>,
    skew: i64,
    jwks: JwksCache,
}

impl AccessVerifier {
    pub(crate) fn new(
        config: &Config,
        fetcher: Arc<dyn Fetcher>,
        budget: Arc<FetchBudget>,
    ) -> Option<AccessVerifier> {
        if !config.uses_access_token() {
            return None;
        }
        Some(AccessVerifier {
            jwks: JwksCache::new(
                config.access_token_jwks_url.clone()?,
                Duration::from_secs(config.access_token_refresh_secs),
                Duration::from_secs(config.key_fetch_backoff_secs),
                Duration::from_millis(config.key_fetch_timeout_ms.saturating_mul(2)),
                fetcher,
                budget,
            ),
            issuers: config.access_token_issuer.clone(),
            audiences: config.access_token_audience.clone(),
            // Never empty here: `client_id: null` is refused when the access token is used.
            client_ids: config.client_id.clone().unwrap_or_default(),
            tenant: config.tenant_id.clone(),
            skew: config.clock_skew_secs as i64,
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
        let key = self.jwks.key(kid, counters)?;

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
                let mut input = super::token::B64URL.encode(rewritten).into_bytes();
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
        if let Some(audiences) = &self.audiences {
            check_audience(&claims, audiences)?;
        }
        check_application(&claims, &self.client_ids)?;
        Ok(claims)
    }
}

/// `aud` must be a string equal to one of `audiences` (Entra puts one string here; a list is
/// refused rather than interpreted).
fn check_audience(claims: &Map<String, Value>, audiences: &[String]) -> Result<()> {
    match claims.get("aud").and_then(Value::as_str) {
        Some(aud) if audiences.iter().any(|a| a == aud) => Ok(()),
        _ => Err(invalid(format!(
            "access token aud is not one of access_token_audience ({})",
            audiences.join(", ")
        ))),
    }
}

/// The token must have been issued to this application: its `appid` (v1 tokens, as Microsoft
/// Graph issues) or `azp` (v2) is one of `client_id`. Every one of the two that is present
/// must match, and at least one must be present, so a token for another application of the
/// same tenant is refused.
fn check_application(claims: &Map<String, Value>, client_ids: &[String]) -> Result<()> {
    let mut bound = false;
    for claim in ["appid", "azp"] {
        match claims.get(claim) {
            None => {}
            Some(Value::String(id)) if client_ids.iter().any(|c| c == id) => bound = true,
            Some(_) => {
                let ids = client_ids.join(", ");
                return Err(invalid(format!(
                    "access token {claim} is not one of client_id ({ids}): issued to another app"
                )));
            }
        }
    }
    if !bound {
        return Err(invalid(
            "access token has no appid or azp: it cannot be tied to this application",
        ));
    }
    Ok(())
}
