//! OAuth access tokens for the directory APIs: one token per service, cached until shortly
//! before it expires, refreshed once when a call answers 401 (a revoked or rotated token), and
//! fetched by one caller at a time (the others wait for it rather than stampede the token
//! endpoint).
//!
//! Secrets (client secrets, tokens, API keys) live in [`Secret`], whose `Debug` and `Display`
//! print `***`, so a log line, an error or a `{:?}` of a config never shows one.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use parking_lot::Mutex;

use super::http::{origin_of, HttpClient, NetError, NetErrorKind, Request, Response};
use super::paging::encode;
use super::retry::Clock;

/// A secret string: printed as `***`; read it with [`Secret::expose`] where it is sent.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps `s`.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Secret {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Secret {
        Secret(s.to_string())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An access token and how long it is valid from when it was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The bearer token.
    pub access_token: Secret,
    /// Its lifetime (`expires_in`).
    pub expires_in: Duration,
}

/// Where tokens come from: a client-credentials grant ([`client_credentials`]), a signed JWT
/// assertion (Google), or a fixed API token.
pub type TokenSource = Box<dyn Fn() -> Result<Token, NetError> + Send + Sync>;

/// A token is renewed this long before it expires (or at half its life, if shorter).
pub const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

struct Cached {
    token: Secret,
    renew_at: SystemTime,
}

/// One service's token, cached.
pub struct TokenCache {
    source: TokenSource,
    clock: Arc<dyn Clock>,
    cached: Mutex<Option<Cached>>,
    fetches: AtomicU64,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("fetches", &self.fetches())
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// A cache over `source`, timed by `clock`.
    pub fn new(source: TokenSource, clock: Arc<dyn Clock>) -> TokenCache {
        TokenCache {
            source,
            clock,
            cached: Mutex::new(None),
            fetches: AtomicU64::new(0),
        }
    }

    /// Tokens fetched from the source so far.
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// The cached token, or a new one when there is none or it is about to expire.
    pub fn token(&self) -> Result<Secret, NetError> {
        let mut cached = self.cached.lock();
        let now = self.clock.now();
        if let Some(c) = cached.as_ref() {
            if now < c.renew_at {
                return Ok(c.token.clone());
            }
        }
        // The lock is held while fetching: concurrent callers wait for this one token.
        let t = (self.source)()?;
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let margin = EXPIRY_MARGIN.min(t.expires_in / 2);
        *cached = Some(Cached {
            token: t.access_token.clone(),
            renew_at: now + t.expires_in.saturating_sub(margin),
        });
        Ok(t.access_token)
    }

    /// Drops the cached token if it is still `stale` (another caller may have renewed it).
    pub fn invalidate(&self, stale: &Secret) {
        let mut cached = self.cached.lock();
        if cached.as_ref().is_some_and(|c| &c.token == stale) {
            *cached = None;
        }
    }

    /// Calls `call` with the token; on a 401, renews the token once and calls again. The
    /// second answer is final, whatever it is.
    pub fn call<F>(&self, mut call: F) -> Result<Response, NetError>
    where
        F: FnMut(&Secret) -> Result<Response, NetError>,
    {
        let token = self.token()?;
        let resp = call(&token)?;
        if resp.status != 401 {
            return Ok(resp);
        }
        self.invalidate(&token);
        let token = self.token()?;
        call(&token)
    }
}

/// `Authorization: Bearer <token>` on a copy of `req`.
pub fn bearer(req: &Request, token: &Secret) -> Request {
    let mut r = req.clone();
    r.set_header("authorization", format!("Bearer {}", token.expose()));
    r
}

/// A client-credentials grant (RFC 6749 §4.4) at `token_url`, the client authenticated in the
/// form body (Entra ID and Keycloak accept this). `scope` is added when given.
pub fn client_credentials(
    client: HttpClient,
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
) -> TokenSource {
    Box::new(move || {
        let mut form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            encode(&client_id),
            encode(client_secret.expose())
        );
        if let Some(s) = &scope {
            form.push_str("&scope=");
            form.push_str(&encode(s));
        }
        let req = Request::post(&token_url, "application/x-www-form-urlencoded", form)
            .header("accept", "application/json");
        let resp = client.send(&req)?;
        parse_token_response(&token_url, resp)
    })
}

/// Reads `{"access_token": .., "expires_in": ..}` (RFC 6749 §5.1; `expires_in` may be a number
/// or a numeric string, and defaults to one hour). A refusal becomes [`NetErrorKind::Token`]
/// naming the OAuth `error` code only (its description may echo request details).
pub fn parse_token_response(token_url: &str, resp: Response) -> Result<Token, NetError> {
    let host = origin_of(token_url)
        .map(|o| o.host_port())
        .unwrap_or_default();
    let json = resp.json().ok();
    if !resp.is_success() {
        let code = json
            .as_ref()
            .and_then(|j| j.get("error"))
            .and_then(|e| e.as_str())
            .filter(|c| c.len() <= 64 && c.bytes().all(|b| b.is_ascii_graphic()))
            .unwrap_or("no error code");
        let detail = format!("token endpoint answered HTTP {} ({code})", resp.status);
        return Err(NetError::new(NetErrorKind::Token, host, detail).with_response(resp));
    }
    let json = json
        .ok_or_else(|| NetError::new(NetErrorKind::Token, &host, "token response is not JSON"))?;
    let token = json
        .get("access_token")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            NetError::new(
                NetErrorKind::Token,
                &host,
                "token response has no access_token",
            )
        })?;
    let expires_in = match json.get("expires_in") {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.parse().ok(),
        _ => Some(3600),
    }
    .ok_or_else(|| {
        NetError::new(
            NetErrorKind::Token,
            &host,
            "token response has a bad expires_in",
        )
    })?;
    Ok(Token {
        access_token: Secret::new(token),
        expires_in: Duration::from_secs(expires_in),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    struct FakeClock(Mutex<SystemTime>);

    impl Clock for FakeClock {
        fn now(&self) -> SystemTime {
            *self.0.lock()
        }
    }

    fn counting_source(n: Arc<AtomicU32>, life: u64) -> TokenSource {
        Box::new(move || {
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(Token {
                access_token: Secret::new(format!("tok{i}")),
                expires_in: Duration::from_secs(life),
            })
        })
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?} {:?}", Some(&s)), "*** *** Some(***)");
        let t = Token {
            access_token: s.clone(),
            expires_in: Duration::from_secs(1),
        };
        assert!(!format!("{t:?}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn cached_until_shortly_before_expiry() {
        let clock = Arc::new(FakeClock(Mutex::new(SystemTime::UNIX_EPOCH)));
        let n = Arc::new(AtomicU32::new(0));
        let c = TokenCache::new(counting_source(n.clone(), 3600), clock.clone());
        assert_eq!(c.token().unwrap().expose(), "tok1");
        *clock.0.lock() += Duration::from_secs(3539);
        assert_eq!(c.token().unwrap().expose(), "tok1");
        *clock.0.lock() += Duration::from_secs(1);
        assert_eq!(c.token().unwrap().expose(), "tok2");
        assert_eq!(c.fetches(), 2);

        // A short-lived token is renewed at half its life.
        let c = TokenCache::new(counting_source(n.clone(), 10), clock.clone());
        let first = c.token().unwrap();
        *clock.0.lock() += Duration::from_secs(4);
        assert_eq!(c.token().unwrap(), first);
        *clock.0.lock() += Duration::from_secs(1);
        assert_ne!(c.token().unwrap(), first);
    }

    fn status(s: u16) -> Response {
        Response {
            status: s,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn a_401_renews_the_token_once() {
        let clock = Arc::new(FakeClock(Mutex::new(SystemTime::UNIX_EPOCH)));
        let n = Arc::new(AtomicU32::new(0));
        let c = TokenCache::new(counting_source(n.clone(), 3600), clock);
        let mut seen = Vec::new();
        let r = c
            .call(|t| {
                seen.push(t.expose().to_string());
                Ok(status(if t.expose() == "tok1" { 401 } else { 200 }))
            })
            .unwrap();
        assert_eq!(
            (r.status, seen.clone()),
            (200, vec!["tok1".into(), "tok2".into()])
        );
        // Always 401: two calls, then the 401 is the answer.
        seen.clear();
        let r = c
            .call(|t| {
                seen.push(t.expose().to_string());
                Ok(status(401))
            })
            .unwrap();
        assert_eq!((r.status, seen), (401, vec!["tok2".into(), "tok3".into()]));
        assert_eq!(c.fetches(), 3);
    }

    #[test]
    fn token_responses() {
        let ok = |b: &str| Response {
            status: 200,
            headers: Vec::new(),
            body: b.as_bytes().to_vec(),
        };
        let t = parse_token_response(
            "https://t.example/tok",
            ok(r#"{"access_token":"abc","expires_in":"599","token_type":"Bearer"}"#),
        )
        .unwrap();
        assert_eq!(
            (t.access_token.expose(), t.expires_in.as_secs()),
            ("abc", 599)
        );
        let t =
            parse_token_response("https://t.example/tok", ok(r#"{"access_token":"abc"}"#)).unwrap();
        assert_eq!(t.expires_in.as_secs(), 3600);
        for bad in [
            r#"{"expires_in":1}"#,
            "nope",
            r#"{"access_token":"a","expires_in":-1}"#,
        ] {
            let e = parse_token_response("https://t.example/tok", ok(bad)).unwrap_err();
            assert_eq!(e.kind(), NetErrorKind::Token, "{bad}");
        }
        let refused = Response {
            status: 401,
            headers: Vec::new(),
            body: br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret s3cr3t"}"#.to_vec(),
        };
        let e = parse_token_response("https://t.example/tok", refused).unwrap_err();
        assert_eq!(
            e.to_string(),
            "token (t.example): token endpoint answered HTTP 401 (invalid_client)"
        );
        assert_eq!(e.http_status(), Some(401));
    }
}
