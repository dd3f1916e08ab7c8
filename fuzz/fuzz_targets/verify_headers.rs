//! The full verify path through `Verifier::verify` with any header set.
//!
//! Input: text lines `name: value` (the seeds are readable requests). A key is pinned so a
//! token built from the seeds reaches the signature check. Checks, for every input: the result
//! is the same with the verified-token cache on and off and through `verify_explained`; a
//! rejection's detail never echoes a token.
#![no_main]

use std::sync::OnceLock;

use albauth::{Outcome, Verifier};
use albauth_fuzz::{config_json, NOW};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn verifiers() -> &'static (Verifier, Verifier) {
    static V: OnceLock<(Verifier, Verifier)> = OnceLock::new();
    V.get_or_init(|| {
        let uncached = Verifier::from_json(&config_json(json!({}))).expect("config");
        let cached =
            Verifier::from_json(&config_json(json!({"token_cache_size": 64}))).expect("config");
        (uncached, cached)
    })
}

fn code(o: &Outcome) -> &'static str {
    match o {
        Outcome::Authenticated(_) => "ok",
        Outcome::Anonymous => "anonymous",
        Outcome::Rejected(e) => e.code(),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let headers: Vec<(&str, &str)> = text
        .split('\n')
        .take(64)
        .map(|line| line.split_once(": ").unwrap_or((line, "")))
        .collect();
    let (uncached, cached) = verifiers();

    let plain = uncached.verify(headers.iter().copied(), Some(NOW));
    let (explained, steps) = uncached.verify_explained(headers.iter().copied(), Some(NOW));
    let first = cached.verify(headers.iter().copied(), Some(NOW));
    let again = cached.verify(headers.iter().copied(), Some(NOW));
    assert_eq!(code(&plain), code(&explained));
    assert_eq!(code(&plain), code(&first));
    assert_eq!(code(&plain), code(&again));
    if let (Outcome::Authenticated(a), Outcome::Authenticated(b)) = (&plain, &again) {
        assert_eq!(a.username(), b.username());
        assert_eq!(a.sub(), b.sub());
    }
    assert!(!steps.steps.is_empty());

    if let Outcome::Rejected(e) = &plain {
        // Token-shaped text (32+ base64url characters) from any header never reaches the detail.
        for (_, value) in &headers {
            for segment in value
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .filter(|s| s.len() >= 32)
            {
                assert!(!e.detail().contains(segment), "detail echoes a token");
            }
        }
    }
});
