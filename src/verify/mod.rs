//! [`Verifier`]: from raw request headers to an [`Outcome`]. The one Rust entry point.
//!
//! Order of checks (it decides which code an admin sees): header size, token structure and
//! base64, header JSON, `alg`, `signer`, `kid`, then key and signature, then `exp`, `iss`,
//! `client`, then claims (`sub`, `x-amzn-oidc-identity`, the access token, the username).
//! Nothing from the payload is read before the signature verifies, and no key is fetched
//! before `signer` is trusted and `kid` is a UUID.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

pub(crate) mod access;
pub mod claims;
mod explain;
mod headers;
mod identity;
pub mod token;
mod token_cache;

pub use explain::{Explanation, Step};
pub use identity::{Identity, Outcome};

use access::AccessVerifier;
use explain::Trace;
use headers::{gather, Headers};
use token::AlbHeader;
use token_cache::TokenCache;

use crate::config::templates::DATA_HEADER;
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::keys::{Fetcher, HttpFetcher, KeyStore};
use crate::stats::{Counter, Counters, Stats};
use crate::MAX_HEADER_BYTES;

/// Verifies ALB identity headers. Build one per configuration and share it (`Send + Sync`)
/// across all request threads; its caches are what make a request cost nothing.
pub struct Verifier {
    config: Config,
    keys: KeyStore,
    source_of: Vec<u16>,
    cache: Option<TokenCache>,
    access: Option<AccessVerifier>,
    counters: Counters,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("trusted_albs", &self.config.trusted_albs.len())
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier for `config`, fetching keys over HTTPS with the configured limits.
    pub fn new(config: Config) -> Result<Verifier> {
        let fetcher = Arc::new(HttpFetcher::new(
            Duration::from_millis(config.key_fetch_timeout_ms),
            config.key_fetch_max_bytes,
        ));
        Verifier::with_fetcher(config, fetcher)
    }

    /// A verifier from a JSON config (see [`Config::from_json`]).
    pub fn from_json(json: &str) -> Result<Verifier> {
        Verifier::new(Config::from_json(json)?)
    }

    /// A verifier that fetches keys and JWKS through `fetcher`.
    pub fn with_fetcher(config: Config, fetcher: Arc<dyn Fetcher>) -> Result<Verifier> {
        let (keys, source_of) = KeyStore::new(&config, fetcher.clone())?;
        Ok(Verifier {
            cache: TokenCache::new(config.token_cache_size),
            access: AccessVerifier::new(&config, fetcher, keys.budget()),
            keys,
            source_of,
            counters: Counters::default(),
            config,
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Counters since creation.
    pub fn stats(&self) -> Stats {
        self.counters.snapshot()
    }

    /// Verifies one request. `headers` are (name, value) pairs, names in any case;
    /// `now_unix` `None` means the system clock.
    pub fn verify<I, N, V>(&self, headers: I, now_unix: Option<i64>) -> Outcome
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<str>,
    {
        self.verify_traced(headers, now_unix, &mut Trace(None))
    }

    /// Like [`Verifier::verify`], also returning each check with pass/fail and why. Skips the
    /// verified-token cache so that every check runs.
    pub fn verify_explained<I, N, V>(
        &self,
        headers: I,
        now_unix: Option<i64>,
    ) -> (Outcome, Explanation)
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<str>,
    {
        let mut e = Explanation {
            steps: Vec::new(),
            warnings: self.config.warnings(),
            outcome: "",
        };
        let outcome = self.verify_traced(headers, now_unix, &mut Trace(Some(&mut e)));
        e.outcome = outcome.name();
        (outcome, e)
    }

    fn verify_traced<I, N, V>(
        &self,
        headers: I,
        now_unix: Option<i64>,
        trace: &mut Trace,
    ) -> Outcome
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<str>,
    {
        let now = now_unix.unwrap_or_else(system_now);
        let outcome = match gather(headers) {
            Err(e) => Err(e),
            Ok(found) => {
                let h = Headers {
                    data: found.data.as_ref().map(AsRef::as_ref),
                    identity: found.identity.as_ref().map(AsRef::as_ref),
                    access: found.access.as_ref().map(AsRef::as_ref),
                };
                self.run(&h, now, trace)
            }
        };
        let outcome = match outcome {
            Ok(Some(id)) => Outcome::Authenticated(id),
            Ok(None) => Outcome::Anonymous,
            Err(e) => Outcome::Rejected(e),
        };
        match &outcome {
            Outcome::Authenticated(_) => self.counters.bump(Counter::Authenticated),
            Outcome::Anonymous => self.counters.bump(Counter::Anonymous),
            Outcome::Rejected(e) => {
                trace.fail("result", e.detail());
                self.counters.bump_rejected(e.kind())
            }
        }
        outcome
    }

    /// Fetches the keys for `kids` from every trusted ALB's key endpoint (start-up warming).
    /// Returns how many keys are now available; the first failure if none is.
    pub fn prefetch(&self, kids: &[&str]) -> Result<usize> {
        let mut ok = 0;
        let mut first_err = None;
        let mut sources: Vec<u16> = self.source_of.clone();
        sources.sort_unstable();
        sources.dedup();
        for kid in kids {
            if !token::is_uuid(kid) {
                first_err.get_or_insert(Error::new(ErrorKind::InvalidKeyId, "kid is not a UUID"));
                continue;
            }
            for s in &sources {
                match self.keys.get(*s, kid, &self.counters) {
                    Ok(_) => ok += 1,
                    Err(e) => {
                        first_err.get_or_insert(e);
                    }
                }
            }
        }
        match (ok, first_err) {
            (0, Some(e)) => Err(e),
            _ => Ok(ok),
        }
    }

    /// Keys held in the fetched-key cache (pinned keys not counted).
    pub fn cached_keys(&self) -> usize {
        self.keys.cached()
    }

    /// Tokens held in the verified-token cache.
    pub fn cached_tokens(&self) -> usize {
        self.cache.as_ref().map_or(0, TokenCache::len)
    }

    /// `Ok(None)`: anonymous; `Ok(Some)`: authenticated.
    fn run(&self, h: &Headers, now: i64, trace: &mut Trace) -> Result<Option<Arc<Identity>>> {
        trace.pass("header_size", || {
            format!("every x-amzn-oidc-* header is at most {MAX_HEADER_BYTES} bytes")
        });
        let Some(data) = h.data else {
            trace.pass("token_present", || {
                format!("no {DATA_HEADER} header: anonymous request")
            });
            return Ok(None);
        };
        if data.is_empty() {
            return Err(Error::new(
                ErrorKind::MalformedToken,
                "x-amzn-oidc-data header is present but empty",
            ));
        }
        let access = if self.access.is_some() {
            h.access
        } else {
            None
        };

        let explaining = trace.0.is_some();
        if let (Some(cache), false) = (&self.cache, explaining) {
            if let Some(id) = cache.get(data, access, now) {
                self.counters.bump(Counter::TokenCacheHit);
                check_identity_header(h.identity, &id.sub)?;
                return Ok(Some(id));
            }
            self.counters.bump(Counter::TokenCacheMiss);
        }

        let id = Arc::new(self.full_check(data, h, access, now, trace)?);
        if let Some(cache) = &self.cache {
            let until = id
                .expires_at
                .saturating_add(self.config.clock_skew_secs as i64);
            cache.insert(data, access, id.clone(), until, now);
        }
        Ok(Some(id))
    }

    fn full_check(
        &self,
        data: &str,
        h: &Headers,
        access: Option<&str>,
        now: i64,
        trace: &mut Trace,
    ) -> Result<Identity> {
        let cfg = &self.config;
        let skew = cfg.clock_skew_secs as i64;

        let parts = token::split(data).inspect_err(|e| trace.fail("structure", e.detail()))?;
        trace.pass("structure", || "three base64url segments".into());
        let decoded = (|| {
            Ok::<_, Error>((
                token::decode_segment(parts.header)?,
                token::decode_segment(parts.payload)?,
                token::decode_signature(parts.signature)?,
            ))
        })();
        let (header_bytes, payload_bytes, sig) =
            decoded.inspect_err(|e| trace.fail("base64", e.detail()))?;
        trace.pass("base64", || {
            "canonical base64url; signature is 64 bytes".into()
        });

        let header = AlbHeader::parse(&header_bytes)
            .inspect_err(|e| trace.fail("header_json", e.detail()))?;
        trace.pass("header_json", || "JOSE header parsed".into());

        if header.alg.as_deref() != Some("ES256") {
            let e = Error::new(
                ErrorKind::UnsupportedAlgorithm,
                "alg is not ES256 (the only algorithm an ALB signs with)",
            );
            trace.fail("alg", e.detail());
            return Err(e);
        }
        trace.pass("alg", || "ES256".into());

        let signer = header.signer.as_deref().unwrap_or("");
        let Some(alb) = cfg.trusted_albs.iter().position(|a| a.arn == signer) else {
            let e = Error::new(
                ErrorKind::SignerNotTrusted,
                if signer.is_empty() {
                    "token header has no signer"
                } else {
                    "signer is not one of trusted_albs (any ALB in the region can sign; the signer decides)"
                },
            );
            trace.fail("signer", e.detail());
            return Err(e);
        };
        trace.pass("signer", || {
            format!("trusted_albs[{alb}] ({})", cfg.trusted_albs[alb].arn)
        });

        let kid = header.kid.as_deref().unwrap_or("");
        if !token::is_uuid(kid) {
            let e = Error::new(ErrorKind::InvalidKeyId, "kid is missing or not a UUID");
            trace.fail("kid", e.detail());
            return Err(e);
        }
        trace.pass("kid", || format!("{kid} is a UUID"));

        let source = self.source_of[alb];
        let key = self
            .keys
            .get(source, kid, &self.counters)
            .inspect_err(|e| trace.fail("key", e.detail()))?;
        trace.pass("key", || {
            if self.keys.is_pinned(kid) {
                "pinned key".to_string()
            } else {
                format!("P-256 key from {}", self.keys.template(source))
            }
        });

        if !key.verify(parts.signing_input, &sig) {
            let e = Error::new(
                ErrorKind::InvalidSignature,
                "ES256 signature does not verify over the token as received",
            );
            trace.fail("signature", e.detail());
            return Err(e);
        }
        trace.pass("signature", || {
            format!("ES256 verified ({})", crate::keys::BACKEND)
        });

        // From here on the payload is signed by a trusted ALB.
        let claims = token::parse_claims(&payload_bytes)
            .inspect_err(|e| trace.fail("payload_json", e.detail()))?;
        let mut expires_at = header.exp;
        let payload_exp = match claims.get("exp") {
            None => None,
            Some(v) => match v.as_i64() {
                Some(e) => Some(e),
                None => {
                    let e = Error::new(ErrorKind::MalformedToken, "payload exp is not an integer");
                    trace.fail("exp", e.detail());
                    return Err(e);
                }
            },
        };
        if let Some(pe) = payload_exp {
            expires_at = expires_at.min(pe);
        }
        if now > expires_at.saturating_add(skew) {
            let e = Error::new(
                ErrorKind::Expired,
                format!(
                    "token expired {} s ago (exp {expires_at}, now {now}, clock_skew_secs {skew})",
                    now.saturating_sub(expires_at)
                ),
            );
            trace.fail("exp", e.detail());
            return Err(e);
        }
        trace.pass("exp", || {
            format!("exp {expires_at} + skew {skew} >= now {now}")
        });

        let iss = header.iss.as_deref();
        if let Some(payload_iss) = claims.get("iss") {
            if payload_iss.as_str() != iss {
                let e = Error::new(
                    ErrorKind::IssuerMismatch,
                    "payload iss differs from header iss",
                );
                trace.fail("iss", e.detail());
                return Err(e);
            }
        }
        match &cfg.issuer {
            Some(list) if !iss.is_some_and(|i| list.iter().any(|x| x == i)) => {
                let e = Error::new(
                    ErrorKind::IssuerMismatch,
                    "iss is not one of the configured issuer values",
                );
                trace.fail("iss", e.detail());
                return Err(e);
            }
            Some(_) => trace.pass("iss", || "matches issuer".into()),
            None => trace.pass("iss", || "NOT CHECKED (issuer: null)".into()),
        }
        let client = header.client.as_deref();
        match &cfg.client_id {
            Some(list) if !client.is_some_and(|c| list.iter().any(|x| x == c)) => {
                let e = Error::new(
                    ErrorKind::ClientMismatch,
                    "client is not one of the configured client_id values",
                );
                trace.fail("client", e.detail());
                return Err(e);
            }
            Some(_) => trace.pass("client", || "matches client_id".into()),
            None => trace.pass("client", || "NOT CHECKED (client_id: null)".into()),
        }

        let sub = claims::required_str(&claims, "sub")
            .inspect_err(|e| trace.fail("sub", e.detail()))?
            .to_string();
        trace.pass("sub", || "present".into());
        check_identity_header(h.identity, &sub)
            .inspect_err(|e| trace.fail("identity_header", e.detail()))?;
        trace.pass("identity_header", || match h.identity {
            Some(_) => "x-amzn-oidc-identity equals the verified sub".into(),
            None => "absent".into(),
        });

        let mapped = match &self.access {
            None => claims,
            Some(av) => {
                let Some(at) = access else {
                    let e = Error::new(
                        ErrorKind::AccessTokenInvalid,
                        "x-amzn-oidc-accesstoken header is missing (needed for the username)",
                    );
                    trace.fail("access_token", e.detail());
                    return Err(e);
                };
                let ac = av
                    .verify(at, now, &self.counters)
                    .inspect_err(|e| trace.fail("access_token", e.detail()))?;
                if let Some(aexp) = ac.get("exp").and_then(Value::as_i64) {
                    expires_at = expires_at.min(aexp);
                }
                trace.pass("access_token", || {
                    "RS256 verified; iss, exp and tenant checked".into()
                });
                ac
            }
        };

        let username = claims::username(&mapped, &cfg.username_claim, &cfg.username_transforms)
            .inspect_err(|e| trace.fail("username", e.detail()))?;
        trace.pass("username", || {
            format!(
                "claim `{}` with {} transform(s)",
                cfg.username_claim,
                cfg.username_transforms.len()
            )
        });
        Ok(Identity {
            username,
            display_name: claims::optional_str(&mapped, &cfg.display_name_claim),
            email: claims::optional_str(&mapped, &cfg.email_claim),
            groups: claims::groups(&mapped, cfg.groups_claim.as_deref()),
            sub,
            issuer: iss.map(str::to_string),
            // Serialised from the map itself: no copy of the claims on the per-request path.
            claims_json: serde_json::to_string(&mapped).unwrap_or_default(),
            claims: mapped,
            expires_at,
        })
    }
}

fn check_identity_header(identity: Option<&str>, sub: &str) -> Result<()> {
    match identity {
        Some(i) if i != sub => Err(Error::new(
            ErrorKind::IdentityMismatch,
            "x-amzn-oidc-identity differs from the verified sub",
        )),
        _ => Ok(()),
    }
}

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
