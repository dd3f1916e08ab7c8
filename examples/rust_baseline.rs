//! The Rust API's cost on the Java benchmark's own tokens, so that the JNI figures can be
//! compared with it on identical input (run by `jni/bench.sh`, not by hand).
//!
//! `rust_baseline FILE ROUNDS`: FILE holds the miss config JSON, the hit config JSON and
//! `now`, one per line, then one request per line: the `x-amzn-oidc-data` token, the
//! `x-amzn-oidc-identity` value and the `x-amzn-oidc-accesstoken` value, separated by spaces. Prints `rust_miss_ns N` and `rust_hit_ns N`:
//! CPU time of this thread per verification (/proc/thread-self/schedstat, so time lost to other
//! processes on a shared machine does not count), best of ROUNDS.

use std::hint::black_box;
use std::time::Instant;

use albauth::{Outcome, Verifier};

/// Nanoseconds this thread has run on a CPU (wall time where /proc is unavailable).
fn cpu_ns(start: Instant) -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| start.elapsed().as_nanos() as u64)
}

fn per_op(passes: usize, tokens: &[[&str; 3]], v: &Verifier, now: i64) -> f64 {
    let origin = Instant::now();
    let t0 = cpu_ns(origin);
    for _ in 0..passes {
        for [data, identity, access] in tokens {
            let headers = [
                ("x-amzn-oidc-data", *data),
                ("x-amzn-oidc-identity", *identity),
                ("x-amzn-oidc-accesstoken", *access),
            ];
            let o = v.verify(headers, Some(now));
            assert!(matches!(o, Outcome::Authenticated(_)), "{o:?}");
            black_box(o);
        }
    }
    (cpu_ns(origin) - t0) as f64 / (passes * tokens.len()) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(rounds)) = (args.get(1), args.get(2).and_then(|r| r.parse().ok())) else {
        eprintln!("usage: rust_baseline FILE ROUNDS");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(file).expect("read the token file");
    let mut lines = text.lines();
    let miss_config = lines.next().expect("miss config line");
    let hit_config = lines.next().expect("hit config line");
    let now: i64 = lines.next().and_then(|l| l.parse().ok()).expect("now line");
    let tokens: Vec<[&str; 3]> = lines
        .filter_map(|l| {
            let mut f = l.split(' ');
            Some([f.next()?, f.next()?, f.next()?])
        })
        .collect();
    let miss = Verifier::from_json(miss_config).expect("miss config");
    let hit = Verifier::from_json(hit_config).expect("hit config");
    per_op(1, &tokens, &hit, now); // fill the cache and warm up
    per_op(1, &tokens, &miss, now);
    let (mut miss_ns, mut hit_ns) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..rounds {
        miss_ns = miss_ns.min(per_op(1, &tokens, &miss, now));
        hit_ns = hit_ns.min(per_op(200, &tokens, &hit, now));
    }
    println!("rust_miss_ns {miss_ns:.0}");
    println!("rust_hit_ns {hit_ns:.0}");
}
