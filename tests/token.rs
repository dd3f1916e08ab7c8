//! The public `albauth::token` functions on real ALB-style tokens, and the fixtures: each
//! fixture file is what tests/fixtures/README.md says it is.

mod common;

use albauth::token::{self, AlbHeader};
use common::*;

#[test]
fn signing_input_is_header_and_payload_exactly_as_received() {
    let k = TestKey::new(1);
    let t = AlbToken::new(&k);
    let signed = t.sign(&k);
    let parts = token::split(&signed).unwrap();
    assert_eq!(parts.signing_input, t.signing_input().as_bytes());
    assert!(
        parts.header.ends_with('=') || parts.payload.ends_with('='),
        "padding kept"
    );
    assert_eq!(
        token::decode_signature(parts.signature).unwrap(),
        k.sign(parts.signing_input)
    );
}

#[test]
fn alb_header_exposes_every_field_the_alb_sends() {
    let k = TestKey::new(1);
    let signed = AlbToken::new(&k).sign(&k);
    let parts = token::split(&signed).unwrap();
    let bytes = token::decode_segment(parts.header).unwrap();
    let h = AlbHeader::parse(&bytes).unwrap();
    assert_eq!(h.alg.as_deref(), Some("ES256"));
    assert_eq!(h.kid.as_deref(), Some(KID));
    assert_eq!(h.signer.as_deref(), Some(ALB));
    assert_eq!(h.iss.as_deref(), Some(ISSUER));
    assert_eq!(h.client.as_deref(), Some(CLIENT));
    assert_eq!(h.typ.as_deref(), Some("JWT"));
    assert_eq!(h.exp, NOW + 120);
}

#[test]
fn padded_and_unpadded_segments_decode_to_the_same_bytes() {
    let k = TestKey::new(1);
    let padded = AlbToken::new(&k).sign(&k);
    let unpadded = AlbToken::new(&k).padded(false).sign(&k);
    let (p, u) = (
        token::split(&padded).unwrap(),
        token::split(&unpadded).unwrap(),
    );
    assert_ne!(p.signing_input, u.signing_input);
    assert_eq!(
        token::decode_segment(p.header).unwrap(),
        token::decode_segment(u.header).unwrap()
    );
    assert_eq!(
        token::decode_segment(p.payload).unwrap(),
        token::decode_segment(u.payload).unwrap()
    );
}

#[test]
fn test_key_ids_are_uuids() {
    for seed in 1..=255 {
        assert!(token::is_uuid(&kid_for(seed)), "{}", kid_for(seed));
    }
}

#[test]
fn alb_key_fixtures_are_the_deterministic_test_keys() {
    for seed in 1..=3 {
        assert_eq!(
            fixture(&format!("alb-key-{seed}.pem")),
            TestKey::new(seed).pem(),
            "alb-key-{seed}.pem"
        );
    }
}

#[test]
fn jwks_fixtures_hold_the_public_halves_of_the_rsa_fixtures() {
    use jsonwebtoken::jwk::JwkSet;
    use jsonwebtoken::{crypto, Algorithm, DecodingKey, EncodingKey};
    let msg = b"albauth fixture check";
    for (i, other) in [(1, 2), (2, 1)] {
        let signing =
            EncodingKey::from_rsa_pem(fixture(&format!("access-token-rsa-{i}.pem")).as_bytes())
                .unwrap();
        let sig = crypto::sign(msg, &signing, Algorithm::RS256).unwrap();
        let jwk = |n: i32| {
            let set: JwkSet = serde_json::from_str(&fixture(&format!("jwks-{n}.json"))).unwrap();
            assert_eq!(
                set.keys[0].common.key_id.as_deref(),
                Some(format!("at-key-{n}").as_str())
            );
            DecodingKey::from_jwk(&set.keys[0]).unwrap()
        };
        assert!(crypto::verify(&sig, msg, &jwk(i), Algorithm::RS256).unwrap());
        assert!(!crypto::verify(&sig, msg, &jwk(other), Algorithm::RS256).unwrap_or(false));
    }
}
