//! The key cache evicts the least recently used key, so keys an attacker makes the verifier
//! fetch cannot push out the key that real traffic keeps using.

mod common;

use albauth::{Outcome, Verifier};
use common::*;
use serde_json::json;

fn verify(v: &Verifier, k: &TestKey) -> Outcome {
    v.verify(headers(&AlbToken::new(k).sign(k)), Some(NOW))
}

#[test]
fn full_key_cache_evicts_the_least_recently_used_key() {
    let (a, b, c) = (TestKey::new(1), TestKey::new(2), TestKey::new(3));
    let server = KeyServer::start(&[&a, &b, &c]);
    let v = Verifier::from_json(&config(
        Some(&server),
        &[],
        json!({"key_cache_size": 2, "token_cache_size": 0}),
    ))
    .unwrap();
    let path = |k: &TestKey| format!("/{}", k.kid);

    assert!(matches!(verify(&v, &a), Outcome::Authenticated(_)));
    assert!(matches!(verify(&v, &b), Outcome::Authenticated(_)));
    // a is used again: b is now the least recently used.
    assert!(matches!(verify(&v, &a), Outcome::Authenticated(_)));
    assert!(matches!(verify(&v, &c), Outcome::Authenticated(_)));
    assert_eq!(v.cached_keys(), 2);

    assert!(matches!(verify(&v, &a), Outcome::Authenticated(_)));
    assert_eq!(server.requests_for(&path(&a)), 1, "a stayed cached");
    assert!(matches!(verify(&v, &b), Outcome::Authenticated(_)));
    assert_eq!(
        server.requests_for(&path(&b)),
        2,
        "b was evicted and fetched again"
    );
}
