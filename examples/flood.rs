//! Flood benchmark: how fast hostile requests are refused, how many key fetches they cause,
//! and whether valid tokens keep their speed while one thread floods the same verifier.
//!
//!     cargo run --release --example flood [SECONDS_PER_PHASE]
//!
//! Figures, not assertions (tests/resource_bounds.rs asserts the bounds): the machine is shared
//! and noisy, so read the ratios, not the absolute numbers. Keys come from a real HTTP key
//! server on 127.0.0.1 that knows only the genuine kid.
#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use albauth::{Outcome, Verifier};
use common::*;
use serde_json::json;

/// Runs `f(i)` for `secs` seconds; calls per second.
fn rate(secs: f64, mut f: impl FnMut(u64)) -> f64 {
    let started = Instant::now();
    let mut i = 0u64;
    while started.elapsed().as_secs_f64() < secs {
        for _ in 0..64 {
            f(i);
            i += 1;
        }
    }
    i as f64 / started.elapsed().as_secs_f64()
}

fn must_authenticate(o: Outcome) {
    assert!(matches!(o, Outcome::Authenticated(_)), "{o:?}");
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(f64::NAN, |pages| pages * 4096.0 / (1 << 20) as f64)
}

/// Keeps another thread busy with work unrelated to albauth while `measure` runs: the share
/// of a slowdown that is only CPU contention on this (shared, 2-core) machine.
fn under_busy_thread(measure: impl FnOnce() -> f64) -> f64 {
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut x = 1u64;
            while !stop.load(Ordering::Relaxed) {
                for _ in 0..1000 {
                    x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            }
        });
        let r = measure();
        stop.store(true, Ordering::Relaxed);
        r
    })
}

/// Floods `v` from another thread (unknown kids and garbage, alternating) while `measure`
/// runs; returns the measured rate and the flood's requests per second.
fn under_flood(v: &Verifier, measure: impl FnOnce() -> f64) -> (f64, f64) {
    let stop = AtomicBool::new(false);
    let sent = AtomicU64::new(0);
    let started = Instant::now();
    let measured = std::thread::scope(|s| {
        s.spawn(|| {
            let mut i = 1_000_000u64;
            while !stop.load(Ordering::Relaxed) {
                let t = if i % 2 == 0 {
                    unknown_kid_token(i)
                } else {
                    garbage_token(i)
                };
                black_box(v.verify(headers(&t), Some(NOW)));
                i += 1;
                sent.fetch_add(1, Ordering::Relaxed);
            }
        });
        let r = measure();
        stop.store(true, Ordering::Relaxed);
        r
    });
    let flood_rate = sent.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    (measured, flood_rate)
}

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2.0);
    let key = TestKey::new(1);
    let server = KeyServer::start(&[&key]);
    let make = |extra: serde_json::Value| {
        let mut extra = extra;
        extra["key_fetch_max_per_minute"] = json!(60);
        Verifier::from_json(&config(Some(&server), &[], extra)).unwrap()
    };
    let full = make(json!({"token_cache_size": 0}));
    let cached = make(json!({}));
    let token = AlbToken::new(&key).sign(&key);
    must_authenticate(full.verify(headers(&token), Some(NOW)));
    must_authenticate(cached.verify(headers(&token), Some(NOW)));
    let rss_start = rss_mib();

    println!(
        "albauth flood benchmark ({secs} s per phase, {})",
        albauth::VERSION
    );
    let unknown = rate(secs, |i| {
        black_box(full.verify(headers(&unknown_kid_token(i)), Some(NOW)));
    });
    let garbage = rate(secs, |i| {
        black_box(full.verify(headers(&garbage_token(i)), Some(NOW)));
    });
    println!("refusing, one thread:   unknown kids {unknown:>10.0} req/s   garbage {garbage:>10.0} req/s   (token building included)");

    for (name, v) in [("full check", &full), ("cache hit ", &cached)] {
        let valid = || {
            rate(secs, |_| {
                must_authenticate(v.verify(headers(&token), Some(NOW)))
            })
        };
        let alone = valid();
        let busy = under_busy_thread(valid);
        let (flooded, flood_rate) = under_flood(v, valid);
        println!(
            "valid token, {name}: alone {alone:>10.0} /s   busy thread {busy:>10.0} /s ({:.2})   under flood {flooded:>10.0} /s ({:.2})   flood thread {flood_rate:.0} req/s",
            busy / alone,
            flooded / alone
        );
    }

    for (name, v) in [("cache off", &full), ("cache on", &cached)] {
        let s = v.stats();
        println!(
            "{name:9}: {} requests, {} key fetches ({} failed), {} refused without a fetch; cached keys {}, cached tokens {}",
            s.authenticated + s.anonymous + s.rejected,
            s.key_fetches,
            s.key_fetch_failures,
            s.key_fetches_suppressed,
            v.cached_keys(),
            v.cached_tokens()
        );
    }
    println!(
        "key server requests: {} (limit 60 per minute per verifier); RSS {rss_start:.1} -> {:.1} MiB",
        server.requests(),
        rss_mib()
    );
    std::thread::sleep(Duration::from_millis(10));
}
