mod common;
use albauth::{Outcome, Verifier};
use common::*;
use serde_json::json;

#[test]
fn pinned_padded_token_authenticates() {
    let k = TestKey::new(1);
    let v = Verifier::from_json(&config(None, &[&k], json!({}))).unwrap();
    let t = AlbToken::new(&k).sign(&k);
    match v.verify(headers(&t), Some(NOW)) {
        Outcome::Authenticated(id) => {
            assert_eq!(id.username(), "Jane.Doe@Example.com");
            assert_eq!(id.display_name(), Some("Jane Doe"));
        }
        o => panic!("{o:?}"),
    }
}

#[test]
fn key_server_token_authenticates_and_fetches_once() {
    let k = TestKey::new(1);
    let s = KeyServer::start(&[&k]);
    let v = Verifier::from_json(&config(Some(&s), &[], json!({"token_cache_size": 0}))).unwrap();
    let t = AlbToken::new(&k).sign(&k);
    for _ in 0..3 {
        assert!(matches!(v.verify(headers(&t), Some(NOW)), Outcome::Authenticated(_)));
    }
    assert_eq!(s.requests(), 1);
}
