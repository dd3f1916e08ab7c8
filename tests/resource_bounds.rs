//! Resource bounds under attack: 100,000 hostile requests through one verifier.
//!
//! Half name a distinct unknown kid from a trusted signer (each would cost a key fetch if
//! nothing bounded them), half are distinct garbage tokens. Every 1,000 requests a valid
//! token is checked too. The flood runs once (the first test to need it runs it); each test
//! then checks one bound on the same run. Speed is measured by `examples/flood.rs`, never
//! here.
//!
//! The bounds (see docs/fuzzing.md): outbound fetches <= key_fetch_max_per_minute per started
//! minute; the key cache holds only keys that were served (unknown kids are never cached);
//! the token cache holds only tokens that verified, at most token_cache_size; the negative
//! cache holds at most 4,096 kids. Nothing else grows with the number of requests.

mod common;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use albauth::{Outcome, Stats, Verifier};
use common::*;
use serde_json::json;

const FLOOD: u64 = 100_000;
const MAX_PER_MINUTE: u64 = 60;
const TOKEN_CACHE_SIZE: usize = 1_000;
/// A valid token is checked every this many flood requests.
const VALID_EVERY: u64 = 1_000;

/// What the flood left behind.
struct Report {
    /// Outcome code counts of the unknown-kid requests.
    unknown_kid: HashMap<&'static str, u64>,
    /// Outcome code counts of the garbage requests.
    garbage: HashMap<&'static str, u64>,
    /// Valid tokens checked during the flood, and those that did not authenticate.
    valid_checked: u64,
    valid_failures: Vec<String>,
    /// Requests the key server received.
    server_requests: usize,
    stats: Stats,
    cached_keys: usize,
    cached_tokens: usize,
    elapsed: Duration,
    /// Resident set size after the first 10% of the flood and at its end (bytes).
    rss_early: Option<u64>,
    rss_end: Option<u64>,
}

/// Resident set size from /proc/self/statm (Linux), in bytes.
fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn flood() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(run_flood)
}

fn run_flood() -> Report {
    let key = TestKey::new(1);
    let server = KeyServer::start(&[&key]);
    let config = config(
        Some(&server),
        &[],
        json!({
            "key_fetch_max_per_minute": MAX_PER_MINUTE,
            "token_cache_size": TOKEN_CACHE_SIZE,
        }),
    );
    let v = Verifier::from_json(&config).unwrap();
    let valid: Vec<String> = (0..FLOOD / VALID_EVERY)
        .map(|i| {
            AlbToken::new(&key)
                .claim("sub", format!("user-{i}"))
                .sign(&key)
        })
        .collect();
    let mut report = Report {
        unknown_kid: HashMap::new(),
        garbage: HashMap::new(),
        valid_checked: 0,
        valid_failures: Vec::new(),
        server_requests: 0,
        stats: Stats::default(),
        cached_keys: 0,
        cached_tokens: 0,
        elapsed: Duration::ZERO,
        rss_early: None,
        rss_end: None,
    };
    let check_valid = |token: &str, report: &mut Report| {
        report.valid_checked += 1;
        if let o @ (Outcome::Rejected(_) | Outcome::Anonymous) = v.verify(headers(token), Some(NOW))
        {
            report.valid_failures.push(format!("{o:?}"));
        }
    };

    let started = Instant::now();
    // The genuine key is known before the attack starts (one fetch).
    check_valid(&valid[0], &mut report);
    for i in 0..FLOOD {
        let (token, counts) = if i % 2 == 0 {
            (unknown_kid_token(i), &mut report.unknown_kid)
        } else {
            (garbage_token(i), &mut report.garbage)
        };
        *counts
            .entry(outcome_code(&v.verify(headers(&token), Some(NOW))))
            .or_default() += 1;
        if i % VALID_EVERY == VALID_EVERY - 1 {
            // A token not seen before (a full check) and one served from the cache.
            check_valid(&valid[(i / VALID_EVERY) as usize], &mut report);
            check_valid(&valid[0], &mut report);
        }
        if i == FLOOD / 10 {
            report.rss_early = rss_bytes();
        }
    }
    report.elapsed = started.elapsed();
    report.rss_end = rss_bytes();
    report.server_requests = server.requests();
    report.stats = v.stats();
    report.cached_keys = v.cached_keys();
    report.cached_tokens = v.cached_tokens();
    report
}

#[test]
fn unknown_kids_cause_at_most_the_configured_fetch_rate() {
    let r = flood();
    let minutes_started = r.elapsed.as_secs() / 60 + 1;
    let limit = MAX_PER_MINUTE * minutes_started;
    assert!(
        r.server_requests as u64 <= limit,
        "{} fetches in {:?}, limit {limit}",
        r.server_requests,
        r.elapsed
    );
    assert_eq!(r.stats.key_fetches, r.server_requests as u64);
    // The limit was reached (the flood is big enough to test it), and the rest were refused
    // without a fetch.
    assert!(r.server_requests as u64 >= MAX_PER_MINUTE.min(FLOOD / 2));
    assert_eq!(
        r.stats.key_fetches_suppressed + r.stats.key_fetches,
        FLOOD / 2 + 1,
        "every unknown kid was either fetched once or refused without a fetch"
    );
}

#[test]
fn every_flood_request_is_rejected_with_a_stable_code() {
    let r = flood();
    assert_eq!(
        r.unknown_kid.get("key_unavailable"),
        Some(&(FLOOD / 2)),
        "{:?}",
        r.unknown_kid
    );
    assert_eq!(r.garbage.values().sum::<u64>(), FLOOD / 2);
    for code in r.garbage.keys() {
        assert!(
            matches!(*code, "malformed_token" | "unsupported_algorithm"),
            "garbage got {code}: {:?}",
            r.garbage
        );
    }
}

#[test]
fn valid_tokens_keep_verifying_during_the_flood() {
    let r = flood();
    assert_eq!(r.valid_checked, 1 + 2 * (FLOOD / VALID_EVERY));
    assert!(r.valid_failures.is_empty(), "{:?}", r.valid_failures);
    assert_eq!(r.stats.authenticated, r.valid_checked);
}

#[test]
fn caches_hold_only_what_verified_within_their_bounds() {
    let r = flood();
    // Only the genuine key was ever served; 50,000 unknown kids left nothing in the key cache.
    assert_eq!(r.cached_keys, 1);
    // Only tokens that verified are cached: the 100 distinct valid ones.
    assert_eq!(r.cached_tokens as u64, FLOOD / VALID_EVERY);
    assert!(r.cached_tokens <= TOKEN_CACHE_SIZE);
}

#[test]
#[cfg(target_os = "linux")]
fn resident_memory_stays_flat_while_the_flood_goes_on() {
    let r = flood();
    let (early, end) = (r.rss_early.unwrap(), r.rss_end.unwrap());
    // 90,000 more hostile requests after the early sample: a per-request leak of even 100
    // bytes would add 9 MB. 16 MiB leaves room for allocator noise and the test harness.
    let growth = end.saturating_sub(early);
    assert!(
        growth < 16 << 20,
        "RSS grew by {} KiB over 90,000 requests ({} -> {} KiB)",
        growth >> 10,
        early >> 10,
        end >> 10
    );
}
