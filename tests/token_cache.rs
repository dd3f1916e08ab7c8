//! The verified-token cache: a hit returns the identity verified before, only for exactly the
//! same token bytes, only until exp + clock skew, and never skips the identity-header check.

mod common;

use std::sync::Arc;

use albauth::{Outcome, Verifier};
use common::*;
use serde_json::{json, Value};

fn cached(extra: Value) -> (TestKey, Verifier) {
    let k = TestKey::new(1);
    let v = Verifier::from_json(&config(None, &[&k], extra)).unwrap();
    (k, v)
}

fn identity_at(v: &Verifier, token: &str, now: i64) -> Arc<albauth::Identity> {
    match v.verify(headers(token), Some(now)) {
        Outcome::Authenticated(id) => id,
        o => panic!("{o:?}"),
    }
}

#[test]
fn hit_returns_the_same_identity_without_verifying_again() {
    let (k, v) = cached(json!({}));
    let t = AlbToken::new(&k).sign(&k);
    let first = identity_at(&v, &t, NOW);
    let second = identity_at(&v, &t, NOW + 1);
    assert!(Arc::ptr_eq(&first, &second));
    let s = v.stats();
    assert_eq!((s.token_cache_misses, s.token_cache_hits), (1, 1));
    assert_eq!(v.cached_tokens(), 1);
}

#[test]
fn entry_lives_until_exp_plus_skew_and_no_longer() {
    let (k, v) = cached(json!({}));
    let exp = NOW + 120;
    let t = AlbToken::new(&k).exp(exp).sign(&k);
    let first = identity_at(&v, &t, NOW);
    assert!(Arc::ptr_eq(&first, &identity_at(&v, &t, exp + 30)));
    assert_eq!(v.stats().token_cache_hits, 1);
    assert_eq!(
        outcome_code(&v.verify(headers(&t), Some(exp + 31))),
        "expired"
    );
    assert_eq!(
        v.stats().token_cache_hits,
        1,
        "the expired entry was not served"
    );
}

#[test]
fn other_token_bytes_are_a_miss() {
    let (k, v) = cached(json!({}));
    let a = AlbToken::new(&k).sign(&k);
    let b = AlbToken::new(&k).claim("sub", "other").sign(&k);
    let ia = identity_at(&v, &a, NOW);
    let ib = identity_at(&v, &b, NOW);
    assert_ne!(ia.sub(), ib.sub());
    assert_eq!(v.stats().token_cache_hits, 0);
    assert_eq!(v.cached_tokens(), 2);
}

#[test]
fn a_cached_tokens_bytes_changed_are_verified_in_full() {
    let (k, v) = cached(json!({}));
    let t = AlbToken::new(&k).sign(&k);
    identity_at(&v, &t, NOW);
    let stripped: String = t
        .split('.')
        .map(|s| s.trim_end_matches('='))
        .collect::<Vec<_>>()
        .join(".");
    assert_eq!(
        outcome_code(&v.verify(headers(&stripped), Some(NOW))),
        "invalid_signature"
    );
}

#[test]
fn size_zero_disables_the_cache() {
    let (k, v) = cached(json!({"token_cache_size": 0}));
    let t = AlbToken::new(&k).sign(&k);
    let first = identity_at(&v, &t, NOW);
    let second = identity_at(&v, &t, NOW);
    assert!(!Arc::ptr_eq(&first, &second));
    assert_eq!(first, second);
    assert_eq!(v.cached_tokens(), 0);
    assert_eq!(v.stats().token_cache_hits, 0);
}

#[test]
fn identity_header_is_still_checked_on_a_hit() {
    let (k, v) = cached(json!({}));
    let t = AlbToken::new(&k).claim("sub", "user-1").sign(&k);
    identity_at(&v, &t, NOW);
    let spoof = [
        ("x-amzn-oidc-data", t.as_str()),
        ("x-amzn-oidc-identity", "admin"),
    ];
    assert_eq!(
        outcome_code(&v.verify(spoof, Some(NOW))),
        "identity_mismatch"
    );
    let honest = [
        ("x-amzn-oidc-data", t.as_str()),
        ("x-amzn-oidc-identity", "user-1"),
    ];
    assert_eq!(outcome_code(&v.verify(honest, Some(NOW))), "authenticated");
    assert_eq!(v.stats().token_cache_hits, 2);
}

#[test]
fn rejected_tokens_are_not_cached() {
    let (k, v) = cached(json!({}));
    let t = AlbToken::new(&k).header("client", "evil").sign(&k);
    for _ in 0..2 {
        assert_eq!(
            outcome_code(&v.verify(headers(&t), Some(NOW))),
            "client_mismatch"
        );
    }
    assert_eq!(v.cached_tokens(), 0);
    assert_eq!(v.stats().token_cache_hits, 0);
}

#[test]
fn cache_holds_at_most_token_cache_size_tokens() {
    let (k, v) = cached(json!({"token_cache_size": 32}));
    for i in 0..200 {
        let t = AlbToken::new(&k).claim("sub", format!("user-{i}")).sign(&k);
        identity_at(&v, &t, NOW);
        assert!(v.cached_tokens() <= 32, "{} after {i}", v.cached_tokens());
    }
    assert!(
        v.cached_tokens() >= 16,
        "the cache is used: {}",
        v.cached_tokens()
    );
}

#[test]
fn explained_verification_runs_every_check_even_for_a_cached_token() {
    let (k, v) = cached(json!({}));
    let t = AlbToken::new(&k).sign(&k);
    identity_at(&v, &t, NOW);
    let (o, e) = v.verify_explained(headers(&t), Some(NOW));
    assert_eq!(outcome_code(&o), "authenticated");
    assert!(e.steps.iter().any(|s| s.check == "signature" && s.passed));
}

#[test]
fn access_token_is_part_of_the_cache_key() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[&k]);
    s.route("/jwks", Reply::Body(fixture("jwks-1.json")));
    let v = Verifier::from_json(&azure_config(&s, json!({}))).unwrap();
    let data = azure_data_token(&k).sign(&k);
    let good = AccessToken::new().sign(&fixture("access-token-rsa-1.pem"));
    let forged = AccessToken::new()
        .claim("upn", "admin@example.onmicrosoft.com")
        .sign(&fixture("access-token-rsa-2.pem"));
    assert_eq!(
        outcome_code(&v.verify(azure_headers(&data, &good), Some(NOW))),
        "authenticated"
    );
    assert_eq!(
        outcome_code(&v.verify(azure_headers(&data, &forged), Some(NOW))),
        "access_token_invalid",
        "a cached data token does not vouch for another access token"
    );
    assert_eq!(
        outcome_code(&v.verify(headers(&data), Some(NOW))),
        "access_token_invalid"
    );
    assert_eq!(
        outcome_code(&v.verify(azure_headers(&data, &good), Some(NOW))),
        "authenticated"
    );
    assert_eq!(v.stats().token_cache_hits, 1);
}

#[test]
fn cached_access_token_identity_dies_with_the_access_token() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[&k]);
    s.route("/jwks", Reply::Body(fixture("jwks-1.json")));
    let v = Verifier::from_json(&azure_config(&s, json!({}))).unwrap();
    let data = azure_data_token(&k).exp(NOW + 120).sign(&k);
    let access = AccessToken::new()
        .claim("exp", NOW + 10)
        .sign(&fixture("access-token-rsa-1.pem"));
    let h = azure_headers(&data, &access);
    assert_eq!(
        outcome_code(&v.verify(h.clone(), Some(NOW))),
        "authenticated"
    );
    assert_eq!(
        outcome_code(&v.verify(h.clone(), Some(NOW + 40))),
        "authenticated"
    );
    assert_eq!(
        outcome_code(&v.verify(h, Some(NOW + 41))),
        "access_token_invalid"
    );
}

// ---- Eviction when full: oldest first, O(1) per insert, the bound exact ----

#[test]
fn a_cache_full_of_live_tokens_holds_exactly_token_cache_size() {
    let (k, v) = cached(json!({"token_cache_size": 32}));
    for (i, t) in distinct_user_tokens(&k, 100).iter().enumerate() {
        identity_at(&v, t, NOW);
        assert_eq!(v.cached_tokens(), (i + 1).min(32), "after {} tokens", i + 1);
    }
}

#[test]
fn when_full_the_oldest_tokens_make_room_and_the_newest_survive() {
    let (k, v) = cached(json!({"token_cache_size": 32}));
    let tokens = distinct_user_tokens(&k, 100);
    let first: Vec<_> = tokens.iter().map(|t| identity_at(&v, t, NOW)).collect();
    for (t, id) in tokens.iter().zip(&first).skip(68) {
        assert!(
            Arc::ptr_eq(id, &identity_at(&v, t, NOW)),
            "a newest token was evicted"
        );
    }
    assert_eq!(v.stats().token_cache_hits, 32);
    identity_at(&v, &tokens[67], NOW);
    assert_eq!(
        v.stats().token_cache_hits,
        32,
        "the 33rd newest token was evicted"
    );
}

#[test]
fn hits_keep_working_after_eviction() {
    let (k, v) = cached(json!({"token_cache_size": 8}));
    let tokens = distinct_user_tokens(&k, 20);
    for t in &tokens {
        identity_at(&v, t, NOW);
    }
    let again = identity_at(&v, &tokens[0], NOW);
    assert_eq!(v.stats().token_cache_hits, 0, "token 0 had been evicted");
    assert!(Arc::ptr_eq(&again, &identity_at(&v, &tokens[0], NOW)));
    identity_at(&v, &tokens[19], NOW);
    assert_eq!(v.stats().token_cache_hits, 2);
    assert_eq!(v.cached_tokens(), 8);
}

#[test]
fn expired_tokens_leave_the_cache_on_the_next_insert() {
    let (k, v) = cached(json!({"token_cache_size": 32}));
    for i in 0..10 {
        let t = AlbToken::new(&k)
            .claim("sub", format!("user-{i}"))
            .exp(NOW + 10)
            .sign(&k);
        identity_at(&v, &t, NOW);
    }
    assert_eq!(v.cached_tokens(), 10);
    let later = AlbToken::new(&k).exp(NOW + 200).sign(&k);
    identity_at(&v, &later, NOW + 100);
    assert_eq!(v.cached_tokens(), 1, "only the live token is left");
}

#[test]
fn concurrent_misses_keep_the_bound() {
    let (k, v) = cached(json!({"token_cache_size": 16}));
    let v = Arc::new(v);
    let tokens = Arc::new(distinct_user_tokens(&k, 200));
    let threads: Vec<_> = (0..4)
        .map(|n| {
            let (v, tokens) = (v.clone(), tokens.clone());
            std::thread::spawn(move || {
                for t in tokens.iter().skip(n).step_by(4) {
                    identity_at(&v, t, NOW);
                    assert!(v.cached_tokens() <= 16);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(v.cached_tokens(), 16);
}
