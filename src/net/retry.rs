//! Retries that cannot make an outage worse: jittered exponential backoff, the service's own
//! wait when it says one (`Retry-After` in seconds or as an HTTP-date, Okta's
//! `X-Rate-Limit-Reset`), body-level throttles through a per-service [`Throttle`] hook (Cognito
//! answers 400 `TooManyRequestsException`, Google 403 `rateLimitExceeded`), all bounded by a
//! [`RetryPolicy`]: a maximum number of attempts and a maximum total wait. A wait longer than
//! what is left of the budget is not started: the call fails at once.
//!
//! Time comes from a [`Clock`] and waits go through a [`Sleeper`], so tests replace both and
//! never sleep for real.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;

use super::http::{NetError, NetErrorKind, Response};

/// Wall-clock time (HTTP-dates and epoch resets are wall-clock).
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> SystemTime;
}

/// Waits.
pub trait Sleeper: Send + Sync {
    /// Blocks for `d`.
    fn sleep(&self, d: Duration);
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// `std::thread::sleep`.
#[derive(Debug, Default, Clone, Copy)]
pub struct ThreadSleeper;

impl Sleeper for ThreadSleeper {
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d)
    }
}

/// A body-level throttle check for one service: `true` when a response that is not a 429 still
/// means "slow down" (see [`cognito_throttle`], [`google_throttle`]).
pub type Throttle = fn(&Response) -> bool;

/// No body-level throttling (Graph, Okta, Keycloak: they answer 429).
pub fn no_throttle(_: &Response) -> bool {
    false
}

/// Cognito: a 400 whose `__type` (or `x-amzn-errortype` header) is `TooManyRequestsException`
/// (Cognito throttles with 400, not 429), or the AWS JSON protocol's generic
/// `ThrottlingException`.
pub fn cognito_throttle(resp: &Response) -> bool {
    if resp.status != 400 {
        return false;
    }
    let is_throttle = |t: &str| {
        // `__type` may be prefixed with a namespace (`com.amazon...#TooManyRequestsException`)
        // and the header may carry a `:` suffix.
        let t = t.rsplit('#').next().unwrap_or(t);
        let t = t.split(':').next().unwrap_or(t);
        t == "TooManyRequestsException" || t == "ThrottlingException"
    };
    if resp.header("x-amzn-errortype").is_some_and(is_throttle) {
        return true;
    }
    resp.json()
        .ok()
        .and_then(|v| v.get("__type").and_then(|t| t.as_str()).map(is_throttle))
        .unwrap_or(false)
}

/// Google: a 403 (or 429) whose `error.errors[].reason` is `rateLimitExceeded`,
/// `userRateLimitExceeded` or `quotaExceeded` (the Directory API throttles with 403).
pub fn google_throttle(resp: &Response) -> bool {
    if resp.status != 403 && resp.status != 429 {
        return false;
    }
    let Ok(v) = resp.json() else { return false };
    let reasons = v
        .pointer("/error/errors")
        .and_then(|e| e.as_array())
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("reason").and_then(|r| r.as_str()));
    let status = v.pointer("/error/status").and_then(|s| s.as_str());
    reasons.chain(status).any(|r| {
        matches!(
            r,
            "rateLimitExceeded" | "userRateLimitExceeded" | "quotaExceeded" | "RESOURCE_EXHAUSTED"
        )
    })
}

/// What a response means for the retry loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Final: success, or an error a retry cannot fix.
    Done,
    /// The service asks us to slow down (429, or the service's body-level throttle).
    Throttled,
    /// A transient server failure (408, 500, 502, 503, 504).
    Transient,
}

/// Classifies `resp` with the service's `throttle` hook.
pub fn classify(resp: &Response, throttle: Throttle) -> Verdict {
    if resp.status == 429 || throttle(resp) {
        Verdict::Throttled
    } else if matches!(resp.status, 408 | 500 | 502 | 503 | 504) {
        Verdict::Transient
    } else {
        Verdict::Done
    }
}

/// The retry budget and backoff shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// The most time spent waiting between attempts, over all retries of one call.
    pub max_total_wait: Duration,
    /// The first backoff (before jitter); doubled each retry.
    pub base_delay: Duration,
    /// The largest single backoff when the service gave no wait.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 60 s of waiting at most, backoff from 500 ms up to 20 s.
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            max_total_wait: Duration::from_secs(60),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
        }
    }
}

/// Counters shared by every call of one [`Retrier`].
#[derive(Debug, Default)]
struct Counters {
    retries: AtomicU64,
    throttle_waits: AtomicU64,
    waited_ms: AtomicU64,
    exhausted: AtomicU64,
}

/// Runs calls under a [`RetryPolicy`] for one service.
pub struct Retrier {
    policy: RetryPolicy,
    service: String,
    throttle: Throttle,
    clock: Arc<dyn Clock>,
    sleeper: Arc<dyn Sleeper>,
    rng: Mutex<u64>,
    counters: Counters,
}

impl std::fmt::Debug for Retrier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retrier")
            .field("policy", &self.policy)
            .field("retries", &self.retries())
            .field("throttle_waits", &self.throttle_waits())
            .finish()
    }
}

impl Retrier {
    /// A retrier on the system clock, sleeping for real.
    pub fn new(policy: RetryPolicy, throttle: Throttle) -> Retrier {
        Retrier::with_time(
            policy,
            throttle,
            Arc::new(SystemClock),
            Arc::new(ThreadSleeper),
        )
    }

    /// A retrier on `clock` and `sleeper` (tests pass fakes).
    pub fn with_time(
        policy: RetryPolicy,
        throttle: Throttle,
        clock: Arc<dyn Clock>,
        sleeper: Arc<dyn Sleeper>,
    ) -> Retrier {
        let mut seed = [0u8; 8];
        // Jitter only spreads retries of many clients; a fixed seed is fine if the OS has none.
        let _ = getrandom::fill(&mut seed);
        Retrier {
            policy,
            service: String::new(),
            throttle,
            clock,
            sleeper,
            rng: Mutex::new(u64::from_le_bytes(seed) | 1),
            counters: Counters::default(),
        }
    }

    /// This retrier with the service's host, named in its errors about responses (a
    /// transport error names its own host).
    pub fn for_service(mut self, host: impl Into<String>) -> Retrier {
        self.service = host.into();
        self
    }

    /// The policy.
    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Retries done so far (attempts after the first), over all calls.
    pub fn retries(&self) -> u64 {
        self.counters.retries.load(Ordering::Relaxed)
    }

    /// Waits caused by the service throttling us (429 or its body-level throttle).
    pub fn throttle_waits(&self) -> u64 {
        self.counters.throttle_waits.load(Ordering::Relaxed)
    }

    /// Total time waited between attempts, over all calls.
    pub fn waited(&self) -> Duration {
        Duration::from_millis(self.counters.waited_ms.load(Ordering::Relaxed))
    }

    /// Calls that failed because the budget was spent.
    pub fn budget_exhausted(&self) -> u64 {
        self.counters.exhausted.load(Ordering::Relaxed)
    }

    /// Runs `attempt` until it gives a final response, retrying throttles, transient statuses
    /// and transient transport errors within the budget. A final response of any status is
    /// `Ok` (the caller judges it); a spent budget is [`NetErrorKind::RetryBudgetExhausted`]
    /// keeping the last response. `attempt` is called afresh each time (a SigV4 request is
    /// signed again, an OAuth token read again).
    pub fn run<F>(&self, mut attempt: F) -> Result<Response, NetError>
    where
        F: FnMut() -> Result<Response, NetError>,
    {
        let mut waited = Duration::ZERO;
        let mut n = 0u32;
        loop {
            n += 1;
            let outcome = attempt();
            let (verdict, hint, host) = match &outcome {
                Ok(resp) => {
                    let v = classify(resp, self.throttle);
                    if v == Verdict::Done {
                        return outcome;
                    }
                    (v, server_wait(resp, self.clock.now()), self.service.clone())
                }
                Err(e) if e.kind().is_transient() => {
                    (Verdict::Transient, None, e.host().to_string())
                }
                Err(_) => return outcome,
            };
            let backoff = hint.unwrap_or_else(|| self.backoff(n));
            let left = self.policy.max_total_wait.saturating_sub(waited);
            if n >= self.policy.max_attempts || backoff > left {
                self.counters.exhausted.fetch_add(1, Ordering::Relaxed);
                let why = if n >= self.policy.max_attempts {
                    format!("gave up after {n} attempts")
                } else {
                    format!(
                        "gave up after {n} attempts: the next wait ({} ms) exceeds the retry budget",
                        backoff.as_millis()
                    )
                };
                return Err(match outcome {
                    Ok(resp) => {
                        let detail = format!("{why}; last HTTP status {}", resp.status);
                        NetError::new(NetErrorKind::RetryBudgetExhausted, host, detail)
                            .with_response(resp)
                    }
                    Err(e) => NetError::new(
                        NetErrorKind::RetryBudgetExhausted,
                        e.host(),
                        format!("{why}; last error: {}", e.detail()),
                    ),
                });
            }
            if verdict == Verdict::Throttled {
                self.counters.throttle_waits.fetch_add(1, Ordering::Relaxed);
            }
            self.counters.retries.fetch_add(1, Ordering::Relaxed);
            self.counters
                .waited_ms
                .fetch_add(backoff.as_millis() as u64, Ordering::Relaxed);
            waited += backoff;
            self.sleeper.sleep(backoff);
        }
    }

    /// Jittered exponential backoff before attempt `n + 1`: half the doubled delay plus a
    /// random part of the other half, capped at `max_delay`.
    fn backoff(&self, n: u32) -> Duration {
        let exp = self
            .policy
            .base_delay
            .saturating_mul(1u32 << (n - 1).min(20))
            .min(self.policy.max_delay);
        let half = exp / 2;
        let r = {
            let mut s = self.rng.lock();
            // xorshift64*
            *s ^= *s >> 12;
            *s ^= *s << 25;
            *s ^= *s >> 27;
            s.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let frac = (r >> 11) as f64 / (1u64 << 53) as f64;
        half + half.mul_f64(frac)
    }
}

/// The wait the service asked for: `Retry-After` (seconds or HTTP-date), else Okta's
/// `X-Rate-Limit-Reset` (epoch seconds) measured against the response's `Date` header when it
/// has one (so local clock skew does not matter), else against `now`.
pub fn server_wait(resp: &Response, now: SystemTime) -> Option<Duration> {
    if let Some(d) = resp
        .header("retry-after")
        .and_then(|v| parse_retry_after(v, now))
    {
        return Some(d);
    }
    let reset = resp
        .header("x-rate-limit-reset")?
        .trim()
        .parse::<u64>()
        .ok()?;
    let base = resp.header("date").and_then(parse_http_date).unwrap_or(now);
    let base = base.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset.saturating_sub(base)))
}

/// `Retry-After`: delta-seconds (`"120"`) or an HTTP-date (the wait until then, zero if past).
/// `None` when it is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Absurd values saturate; the budget then refuses to wait that long.
        return Some(Duration::from_secs(v.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let at = parse_http_date(v)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// An HTTP-date (RFC 9110 §5.6.7): IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete
/// RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`.
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    let v = value.trim();
    if v.len() > 64 {
        return None;
    }
    let (day, month, year, time) = if let Some((_, rest)) = v.split_once(", ") {
        let parts: Vec<&str> = rest.split_whitespace().collect();
        match parts.as_slice() {
            // IMF-fixdate: 06 Nov 1994 08:49:37 GMT
            [d, m, y, t, "GMT"] => (*d, *m, parse_num(y)?, *t),
            // RFC 850: 06-Nov-94 08:49:37 GMT
            [dmy, t, "GMT"] => {
                let mut it = dmy.split('-');
                let (d, m, y) = (it.next()?, it.next()?, it.next()?);
                if it.next().is_some() || y.len() != 2 {
                    return None;
                }
                let y = parse_num(y)?;
                // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
                (d, m, if y < 70 { 2000 + y } else { 1900 + y }, *t)
            }
            _ => return None,
        }
    } else {
        // asctime: Sun Nov  6 08:49:37 1994
        let parts: Vec<&str> = v.split_whitespace().collect();
        match parts.as_slice() {
            [_, m, d, t, y] => (*d, *m, parse_num(y)?, *t),
            _ => return None,
        }
    };
    let day = parse_num(day)?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u64 + 1;
    let mut hms = time.split(':');
    let (h, mi, s) = (
        parse_num(hms.next()?)?,
        parse_num(hms.next()?)?,
        parse_num(hms.next()?)?,
    );
    if hms.next().is_some()
        || !(1..=31).contains(&day)
        || h > 23
        || mi > 59
        || s > 60
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

fn parse_num(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (year >= 1970).
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// 1994-11-06T08:49:37Z
    const RFC_EXAMPLE: u64 = 784_111_777;

    #[test]
    fn http_dates_in_all_three_forms() {
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "  sun, 06 nov 1994 08:49:37 GMT ",
        ] {
            assert_eq!(parse_http_date(v), Some(at(RFC_EXAMPLE)), "{v}");
        }
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(at(0))
        );
        assert_eq!(
            parse_http_date("Wed, 02 Dec 2026 15:45:49 GMT"),
            Some(at(1_796_226_349))
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 00:00:00 GMT"),
            Some(at(1_835_395_200))
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 99999 08:49:37 GMT",
            "Sun, -6 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = at(RFC_EXAMPLE - 30);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(30))
        );
        // A date in the past: retry now.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at(RFC_EXAMPLE + 5)),
            Some(Duration::ZERO)
        );
        for bad in ["", "-1", "1.5", "soon", "12 s"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn okta_reset_is_measured_against_the_date_header() {
        // The server's Date says 08:49:37; the reset is 7 s later; the local clock is 1 h off.
        let r = resp(
            429,
            &[
                ("date", "Sun, 06 Nov 1994 08:49:37 GMT"),
                ("x-rate-limit-reset", &(RFC_EXAMPLE + 7).to_string()),
            ],
            "",
        );
        assert_eq!(
            server_wait(&r, at(RFC_EXAMPLE + 3600)),
            Some(Duration::from_secs(7))
        );
        // Without Date, against the local clock; a reset in the past is no wait.
        let r = resp(429, &[("x-rate-limit-reset", "1000")], "");
        assert_eq!(server_wait(&r, at(990)), Some(Duration::from_secs(10)));
        assert_eq!(server_wait(&r, at(2000)), Some(Duration::ZERO));
        // Retry-After wins.
        let r = resp(
            429,
            &[("x-rate-limit-reset", "1000"), ("retry-after", "3")],
            "",
        );
        assert_eq!(server_wait(&r, at(990)), Some(Duration::from_secs(3)));
        assert_eq!(server_wait(&resp(429, &[], ""), at(0)), None);
    }

    #[test]
    fn body_level_throttles() {
        let c = resp(
            400,
            &[],
            r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
        );
        assert!(cognito_throttle(&c));
        assert_eq!(classify(&c, cognito_throttle), Verdict::Throttled);
        assert_eq!(classify(&c, no_throttle), Verdict::Done);
        let ns = resp(
            400,
            &[],
            r#"{"__type":"com.amazonaws.cognito#TooManyRequestsException"}"#,
        );
        assert!(cognito_throttle(&ns));
        let hdr = resp(
            400,
            &[(
                "x-amzn-errortype",
                "TooManyRequestsException:http://internal",
            )],
            "",
        );
        assert!(cognito_throttle(&hdr));
        let other = resp(400, &[], r#"{"__type":"InvalidParameterException"}"#);
        assert!(!cognito_throttle(&other));
        assert!(!cognito_throttle(&resp(400, &[], "not json")));

        for reason in [
            "rateLimitExceeded",
            "userRateLimitExceeded",
            "quotaExceeded",
        ] {
            let g = resp(
                403,
                &[],
                &format!(
                    r#"{{"error":{{"code":403,"errors":[{{"domain":"usageLimits","reason":"{reason}"}}]}}}}"#
                ),
            );
            assert!(google_throttle(&g), "{reason}");
        }
        let denied = resp(
            403,
            &[],
            r#"{"error":{"code":403,"errors":[{"reason":"forbidden"}]}}"#,
        );
        assert!(!google_throttle(&denied));
        assert_eq!(classify(&denied, google_throttle), Verdict::Done);
        assert_eq!(
            classify(&resp(429, &[], ""), no_throttle),
            Verdict::Throttled
        );
        assert_eq!(
            classify(&resp(503, &[], ""), no_throttle),
            Verdict::Transient
        );
        assert_eq!(classify(&resp(404, &[], ""), no_throttle), Verdict::Done);
    }

    struct FakeTime {
        now: Mutex<SystemTime>,
        slept: Mutex<Vec<Duration>>,
    }

    impl Clock for FakeTime {
        fn now(&self) -> SystemTime {
            *self.now.lock()
        }
    }

    impl Sleeper for FakeTime {
        fn sleep(&self, d: Duration) {
            self.slept.lock().push(d);
            *self.now.lock() += d;
        }
    }

    fn fake() -> Arc<FakeTime> {
        Arc::new(FakeTime {
            now: Mutex::new(at(1_000_000)),
            slept: Mutex::new(Vec::new()),
        })
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let t = fake();
        let policy = RetryPolicy {
            max_attempts: 8,
            max_total_wait: Duration::from_secs(3600),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
        };
        let r = Retrier::with_time(policy, no_throttle, t.clone(), t.clone());
        let e = r.run(|| Ok(resp(503, &[], ""))).unwrap_err();
        assert_eq!(e.kind(), NetErrorKind::RetryBudgetExhausted);
        assert_eq!(e.http_status(), Some(503));
        let slept = t.slept.lock().clone();
        assert_eq!(slept.len(), 7);
        for (i, d) in slept.iter().enumerate() {
            let full = Duration::from_millis(100 << i).min(Duration::from_millis(1000));
            assert!(*d >= full / 2 && *d <= full, "{i}: {d:?}");
        }
        assert_eq!(
            (r.retries(), r.throttle_waits(), r.budget_exhausted()),
            (7, 0, 1)
        );
    }

    #[test]
    fn a_wait_beyond_the_budget_is_not_started() {
        let t = fake();
        let policy = RetryPolicy {
            max_total_wait: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        let r = Retrier::with_time(policy, no_throttle, t.clone(), t.clone())
            .for_service("graph.microsoft.com");
        let mut calls = 0;
        let e = r
            .run(|| {
                calls += 1;
                Ok(resp(429, &[("retry-after", "3600")], "slow down"))
            })
            .unwrap_err();
        assert_eq!(calls, 1);
        assert!(t.slept.lock().is_empty());
        assert_eq!(e.kind(), NetErrorKind::RetryBudgetExhausted);
        assert!(e.to_string().contains("exceeds the retry budget"), "{e}");
        assert_eq!(e.host(), "graph.microsoft.com");
        assert_eq!(e.response().unwrap().body, b"slow down");
    }

    #[test]
    fn final_errors_are_not_retried() {
        let t = fake();
        let r = Retrier::with_time(RetryPolicy::default(), no_throttle, t.clone(), t.clone());
        let mut calls = 0;
        let out = r.run(|| {
            calls += 1;
            Err(NetError::new(NetErrorKind::TooLarge, "h", "big"))
        });
        assert_eq!(out.unwrap_err().kind(), NetErrorKind::TooLarge);
        let out = r.run(|| {
            calls += 1;
            Ok(resp(404, &[], ""))
        });
        assert_eq!(out.unwrap().status, 404);
        assert_eq!(calls, 2);
        assert_eq!(r.retries(), 0);
    }
}
