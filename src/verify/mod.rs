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
mod checks;
pub mod claims;
mod explain;
mod headers;
mod identity;
pub mod token;
mod token_cache;

pub use explain::{Explanation, Step};
pub use identity::{Identity, Outcome};

use access::AccessVerifier;
use checks::Checked;
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
    /// With `provisioning.source: directory`: the connector behind the lookup cache, built on
    /// the first login that plans (never per request, no I/O until a lookup).
    pub(crate) lookups: std::sync::OnceLock<Option<crate::provision::LookupCache>>,
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
            lookups: std::sync::OnceLock::new(),
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
        let outcome = trace
            .step("header_size", gather(headers), |_| {
                format!(
                    "every x-amzn-oidc-* header is at most {MAX_HEADER_BYTES} bytes, each identity header at most once"
                )
            })
            .and_then(|found| self.run(&found.borrowed(), now, trace));
        let outcome = match outcome {
            Ok(Some(id)) => Outcome::Authenticated(id),
            Ok(None) => Outcome::Anonymous,
            Err(e) => Outcome::Rejected(e),
        };
        match &outcome {
            Outcome::Authenticated(_) => self.counters.bump(Counter::Authenticated),
            Outcome::Anonymous => self.counters.bump(Counter::Anonymous),
            Outcome::Rejected(e) => self.counters.bump_rejected(e.kind()),
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

    /// `Ok(None)`: anonymous; `Ok(Some)`: authenticated. The verified-token cache first
    /// (skipped when explaining, so that every check runs), then the full check.
    fn run(&self, h: &Headers, now: i64, trace: &mut Trace) -> Result<Option<Arc<Identity>>> {
        let data = trace.step("token_present", present(h.data), |d| match d {
            None => format!("no {DATA_HEADER} header: anonymous request"),
            Some(_) => format!("{DATA_HEADER} header present"),
        })?;
        let Some(data) = data else {
            return Ok(None);
        };
        // The access token matters (and keys the cache) only when claims are read from it.
        let access = self.access.as_ref().and(h.access);

        if let (Some(cache), false) = (&self.cache, trace.is_recording()) {
            if let Some(id) = cache.get(data, access, now) {
                self.counters.bump(Counter::TokenCacheHit);
                checks::identity_header(h.identity, &id.sub)?;
                return Ok(Some(id));
            }
            self.counters.bump(Counter::TokenCacheMiss);
        }

        let id = Arc::new(self.full_check(data, h.identity, access, now, trace)?);
        if let Some(cache) = &self.cache {
            let until = id
                .expires_at
                .saturating_add(self.config.clock_skew_secs as i64);
            cache.insert(data, access, id.clone(), until, now);
        }
        Ok(Some(id))
    }

    /// Every check, in the documented order, each recorded once in the trace. Nothing from
    /// the payload is read before the signature verifies; no key is looked up before the
    /// signer is trusted and the kid is a UUID.
    fn full_check(
        &self,
        data: &str,
        identity: Option<&str>,
        access: Option<&str>,
        now: i64,
        t: &mut Trace,
    ) -> Result<Identity> {
        let cfg = &self.config;
        let skew = cfg.clock_skew_secs as i64;

        let parts = t.step("structure", token::split(data), |_| {
            "three base64url segments".into()
        })?;
        let seg = t.step("base64", checks::decode(&parts), |_| {
            "canonical base64url".into()
        })?;
        let header = t.step("header_json", AlbHeader::parse(&seg.header), |_| {
            "JOSE header parsed".into()
        })?;
        let sig = t.step("alg", checks::algorithm(&header, &seg.signature), |_| {
            "ES256, 64-byte signature".into()
        })?;
        let alb = t.step("signer", checks::signer(&header, &cfg.trusted_albs), |i| {
            format!("trusted_albs[{i}] ({})", cfg.trusted_albs[*i].arn)
        })?;
        let kid = t.step("kid", checks::kid(&header), |k| format!("{k} is a UUID"))?;
        let source = self.source_of[alb];
        let key = t.step(
            "key",
            self.keys.get(source, kid, &self.counters),
            |_| match self.keys.is_pinned(kid) {
                true => "pinned key".to_string(),
                false => format!("P-256 key from {}", self.keys.template(source)),
            },
        )?;
        t.step(
            "signature",
            checks::signature(&key, parts.signing_input, &sig),
            |_| format!("ES256 verified ({})", crate::keys::BACKEND),
        )?;

        // From here on the payload is signed by a trusted ALB.
        let claims = t.step("payload_json", token::parse_claims(&seg.payload), |_| {
            "claims parsed".into()
        })?;
        let mut expires_at = t.step("exp", checks::expiry(&header, &claims, now, skew), |e| {
            format!("exp {e} + skew {skew} >= now {now}")
        })?;
        t.step("iss", checks::issuer(&header, &claims, cfg), |c| match c {
            Checked::Matched => "matches issuer".into(),
            Checked::OptedOut => "NOT CHECKED (issuer: null)".into(),
        })?;
        t.step("client", checks::client(&header, cfg), |c| match c {
            Checked::Matched => "matches client_id".into(),
            Checked::OptedOut => "NOT CHECKED (client_id: null)".into(),
        })?;
        let sub = t.step("sub", claims::required_str(&claims, "sub"), |_| {
            "present".into()
        })?;
        t.step(
            "identity_header",
            checks::identity_header(identity, sub),
            |_| match identity {
                Some(_) => "x-amzn-oidc-identity equals the verified sub".into(),
                None => "absent".into(),
            },
        )?;
        let sub = sub.to_string();

        let mapped = match &self.access {
            None => claims,
            Some(av) => {
                let verified = access
                    .ok_or_else(|| {
                        Error::new(
                            ErrorKind::AccessTokenInvalid,
                            "x-amzn-oidc-accesstoken header is missing (needed for the username)",
                        )
                    })
                    .and_then(|at| av.verify(at, now, &self.counters));
                let ac = t.step("access_token", verified, |_| {
                    "RS256 verified; iss, exp, tenant, aud and appid/azp checked".into()
                })?;
                if let Some(aexp) = ac.get("exp").and_then(Value::as_i64) {
                    expires_at = expires_at.min(aexp);
                }
                ac
            }
        };

        let username = t.step("username", claims::resolve_username(&mapped, cfg), |_| {
            let policy = match cfg.allowed_domains.is_some() {
                true => ", allowed_domains",
                false => "",
            };
            format!(
                "claim `{}` (email_verified{policy}, look-alike characters) with {} transform(s)",
                cfg.username_claim,
                cfg.username_transforms.len()
            )
        })?;
        let mut id = Identity {
            username,
            display_name: claims::optional_str(&mapped, &cfg.display_name_claim),
            email: claims::optional_str(&mapped, &cfg.email_claim),
            groups: claims::groups(&mapped, cfg.groups_claim.as_deref()),
            sub,
            issuer: header.iss.as_deref().map(str::to_string),
            // Serialised from the map itself: no copy of the claims on the per-request path.
            claims_json: serde_json::to_string(&mapped).unwrap_or_default(),
            claims: mapped,
            expires_at,
            login_key: None,
        };
        // Once per verified token (a miss), never per cache hit.
        let p = cfg.provisioning();
        if p.enabled {
            let mut key = crate::provision::login_key(&id, p);
            // A lookup at login is asked again once its answer is stale: the key changes every
            // `lookup_cache_secs`, so a session's host provisions (and looks up) again, and a
            // leaver the directory now reports disabled is refused on their next request.
            if p.source == crate::provision::Source::Directory && p.lookup_cache_secs > 0 {
                key.push_str(&format!(":{}", now.max(0) as u64 / p.lookup_cache_secs));
            }
            id.login_key = Some(key);
        }
        Ok(id)
    }
}

/// `token_present`: `None` (anonymous) without the data header; an empty one is malformed.
fn present(data: Option<&str>) -> Result<Option<&str>> {
    match data {
        Some("") => Err(Error::new(
            ErrorKind::MalformedToken,
            "x-amzn-oidc-data header is present but empty",
        )),
        other => Ok(other),
    }
}

fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
