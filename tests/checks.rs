//! The checks on the ALB data token, end to end through `Verifier::verify`: encoding and
//! padding, each check's boundary, every error code, and the order in which checks run (it
//! decides which code an admin sees). Keys are pinned and the token cache is off, so every
//! call runs every check and nothing touches the network.

mod common;

use albauth::{ErrorKind, Outcome, Verifier, MAX_HEADER_BYTES};
use base64::Engine;
use common::*;
use serde_json::{json, Value};

/// Pinned key 1, no token cache, plus `extra` config fields.
fn verifier_with(extra: Value) -> Verifier {
    let k = TestKey::new(1);
    let mut extra = extra;
    extra
        .as_object_mut()
        .unwrap()
        .entry("token_cache_size")
        .or_insert(json!(0));
    Verifier::from_json(&config(None, &[&k], extra)).unwrap()
}

fn verifier() -> Verifier {
    verifier_with(json!({}))
}

fn key() -> TestKey {
    TestKey::new(1)
}

/// The outcome code of verifying `token` as the only identity header at `now`.
fn check_at(v: &Verifier, token: &str, now: i64) -> &'static str {
    outcome_code(&v.verify(headers(token), Some(now)))
}

fn check(token: &str) -> &'static str {
    check_at(&verifier(), token, NOW)
}

/// Re-encodes the last character of a segment so its unused low bits are non-zero: the same
/// bytes, a non-canonical encoding.
fn with_nonzero_trailing_bits(seg: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let body = seg.trim_end_matches('=');
    let pad = &seg[body.len()..];
    assert!(
        body.len() % 4 == 2 || body.len() % 4 == 3,
        "segment has no spare bits"
    );
    let last = body.as_bytes()[body.len() - 1];
    let i = ALPHABET.iter().position(|c| *c == last).unwrap();
    format!(
        "{}{}{pad}",
        &body[..body.len() - 1],
        ALPHABET[i + 1] as char
    )
}

// ---- Encoding and padding ----

#[test]
fn padded_alb_token_authenticates() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    assert!(t.split('.').any(|s| s.ends_with('=')), "fixture is padded");
    assert_eq!(check(&t), "authenticated");
}

#[test]
fn token_signed_without_padding_authenticates() {
    let k = key();
    let t = AlbToken::new(&k).padded(false).sign(&k);
    assert!(!t.contains('='));
    assert_eq!(check(&t), "authenticated");
}

#[test]
fn unpadded_segments_with_padded_signature_authenticate() {
    let k = key();
    let unpadded = AlbToken::new(&k).padded(false).signing_input();
    let (h, p) = unpadded.split_once('.').unwrap();
    assert_eq!(check(&sign_segments(&k, h, p, true)), "authenticated");
}

#[test]
fn padding_stripped_after_signing_is_invalid_signature() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let stripped: Vec<String> = t
        .split('.')
        .map(|s| s.trim_end_matches('=').to_string())
        .collect();
    let stripped = stripped.join(".");
    assert_ne!(stripped, t, "fixture had padding to strip");
    assert_eq!(check(&stripped), "invalid_signature");
}

#[test]
fn padding_added_after_signing_is_invalid_signature() {
    let k = key();
    let unpadded = AlbToken::new(&k).padded(false);
    let t = unpadded.sign(&k);
    let repadded = AlbToken {
        padded: true,
        ..unpadded
    }
    .signing_input();
    assert_ne!(repadded, unpadded_input(&t), "fixture gains padding");
    let sig = t.rsplit('.').next().unwrap();
    assert_eq!(check(&format!("{repadded}.{sig}")), "invalid_signature");
}

fn unpadded_input(token: &str) -> String {
    token.rsplit_once('.').unwrap().0.to_string()
}

#[test]
fn non_canonical_signature_encoding_is_malformed() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let (input, sig) = t.rsplit_once('.').unwrap();
    let odd = with_nonzero_trailing_bits(sig);
    assert_eq!(
        B64_PADDED.decode(sig).unwrap(),
        base64::engine::GeneralPurpose::new(
            &base64::alphabet::URL_SAFE,
            base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true)
        )
        .decode(&odd)
        .unwrap(),
        "same signature bytes, other encoding"
    );
    assert_eq!(check(&format!("{input}.{odd}")), "malformed_token");
}

#[test]
fn non_canonical_payload_signed_as_sent_is_malformed() {
    let k = key();
    let input = AlbToken::new(&k).signing_input();
    let (h, p) = input.split_once('.').unwrap();
    let odd = with_nonzero_trailing_bits(p);
    assert_eq!(check(&sign_segments(&k, h, &odd, true)), "malformed_token");
}

#[test]
fn wrong_amount_of_padding_is_malformed() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let (input, sig) = t.rsplit_once('.').unwrap();
    assert!(sig.ends_with("=="));
    let one_pad = &sig[..sig.len() - 1];
    assert_eq!(check(&format!("{input}.{one_pad}")), "malformed_token");
    assert_eq!(check(&format!("{input}.{sig}=")), "malformed_token");
}

#[test]
fn standard_base64_alphabet_is_malformed_even_when_signed_as_sent() {
    let k = key();
    let std = base64::engine::general_purpose::STANDARD;
    let mut t = AlbToken::new(&k);
    // Find a name whose standard encoding needs `+` or `/`, so the alphabet matters.
    let payload = (0..64)
        .map(|i| {
            t.claims
                .insert("name".into(), format!("Jane ~~~>>>??? {i}").into());
            std.encode(Value::Object(t.claims.clone()).to_string())
        })
        .find(|p| p.contains(['+', '/']))
        .expect("a payload with + or /");
    let header = std.encode(Value::Object(t.header.clone()).to_string());
    assert_eq!(
        check(&sign_segments(&k, &header, &payload, true)),
        "malformed_token"
    );
}

#[test]
fn signature_that_is_not_64_bytes_is_malformed() {
    let k = key();
    let input = AlbToken::new(&k).signing_input();
    let sig = k.sign(input.as_bytes());
    for bad in [&sig[..63], &[&sig[..], &[0u8]].concat()[..]] {
        let t = format!("{input}.{}", B64_PADDED.encode(bad));
        assert_eq!(check(&t), "malformed_token");
    }
}

#[test]
fn der_encoded_signature_is_malformed() {
    let k = key();
    let input = AlbToken::new(&k).signing_input();
    let sig = p256::ecdsa::Signature::from_slice(&k.sign(input.as_bytes())).unwrap();
    let der = sig.to_der();
    let t = format!("{input}.{}", B64_PADDED.encode(der.as_bytes()));
    assert_eq!(check(&t), "malformed_token");
}

#[test]
fn token_that_is_not_three_segments_is_malformed() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let (input, _) = t.rsplit_once('.').unwrap();
    assert_eq!(check(input), "malformed_token");
    assert_eq!(check(&format!("{t}.")), "malformed_token");
    assert_eq!(check(&format!("{t}.AAAA")), "malformed_token");
    assert_eq!(check("not a token"), "malformed_token");
}

#[test]
fn pretty_printed_payload_authenticates() {
    let k = key();
    let mut t = AlbToken::new(&k);
    t.raw_claims = Some(format!(
        "{{\n  \"sub\": \"a|b\",\n  \"email\": \"jane\\/doe@example.com\",\n  \"name\": \"J\u{e9}r\u{f4}me\",\n  \"exp\": {},\n  \"iss\": \"{ISSUER}\"\n}}",
        NOW + 120
    ));
    let o = verifier().verify(headers(&t.sign(&k)), Some(NOW));
    let id = o.identity().expect("authenticated");
    assert_eq!(id.sub(), "a|b");
    assert_eq!(id.username(), "jane/doe@example.com");
    assert_eq!(id.display_name(), Some("J\u{e9}r\u{f4}me"));
}

#[test]
fn payload_without_exp_and_iss_authenticates_on_header_exp() {
    let k = key();
    let t = AlbToken::new(&k)
        .claim("exp", Value::Null)
        .claim("iss", Value::Null);
    let o = verifier().verify(headers(&t.sign(&k)), Some(NOW));
    assert_eq!(o.identity().expect("authenticated").expires_at(), NOW + 120);
}

// ---- Headers: presence, names, duplicates, identity, size ----

#[test]
fn request_without_data_header_is_anonymous() {
    let v = verifier();
    let none: Vec<(&str, &str)> = vec![];
    assert!(matches!(v.verify(none, Some(NOW)), Outcome::Anonymous));
    let unrelated = vec![("cookie", "a=b"), ("x-amzn-trace-id", "Root=1-0-0")];
    assert!(matches!(v.verify(unrelated, Some(NOW)), Outcome::Anonymous));
}

#[test]
fn identity_header_without_data_header_is_still_anonymous() {
    let v = verifier();
    let spoof = vec![("x-amzn-oidc-identity", "admin")];
    assert!(matches!(v.verify(spoof, Some(NOW)), Outcome::Anonymous));
}

#[test]
fn empty_data_header_is_malformed() {
    assert_eq!(check(""), "malformed_token");
}

#[test]
fn two_data_headers_are_malformed_even_when_identical() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let h = vec![
        ("x-amzn-oidc-data", t.as_str()),
        ("X-Amzn-Oidc-Data", t.as_str()),
    ];
    assert_eq!(
        outcome_code(&verifier().verify(h, Some(NOW))),
        "malformed_token"
    );
}

#[test]
fn header_names_match_in_any_case() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let v = verifier();
    for name in ["x-amzn-oidc-data", "X-Amzn-Oidc-Data", "X-AMZN-OIDC-DATA"] {
        assert_eq!(
            outcome_code(&v.verify([(name, t.as_str())], Some(NOW))),
            "authenticated"
        );
    }
    let mismatch = [
        ("x-amzn-oidc-data", t.as_str()),
        ("X-AMZN-OIDC-IDENTITY", "someone-else"),
    ];
    assert_eq!(
        outcome_code(&v.verify(mismatch, Some(NOW))),
        "identity_mismatch"
    );
}

#[test]
fn identity_header_equal_to_verified_sub_authenticates() {
    let k = key();
    let t = AlbToken::new(&k).claim("sub", "user-123").sign(&k);
    let h = [
        ("x-amzn-oidc-data", t.as_str()),
        ("x-amzn-oidc-identity", "user-123"),
    ];
    assert_eq!(
        outcome_code(&verifier().verify(h, Some(NOW))),
        "authenticated"
    );
}

#[test]
fn identity_header_different_from_verified_sub_is_identity_mismatch() {
    let k = key();
    let t = AlbToken::new(&k).claim("sub", "user-123").sign(&k);
    for spoof in ["admin", "user-1234", "USER-123", ""] {
        let h = [
            ("x-amzn-oidc-data", t.as_str()),
            ("x-amzn-oidc-identity", spoof),
        ];
        assert_eq!(
            outcome_code(&verifier().verify(h, Some(NOW))),
            "identity_mismatch",
            "{spoof:?}"
        );
    }
}

/// A valid token of exactly `len` bytes, grown with filler in the payload and the header.
fn token_of_len(k: &TestKey, len: usize) -> String {
    for header_filler in 0..4 {
        for padded in [false, true] {
            let sig_len = if padded { 88 } else { 86 };
            // Start a little below the size where the payload alone would reach `len`.
            for n in (len * 3 / 4).saturating_sub(1000)..len {
                let t = AlbToken::new(k)
                    .padded(padded)
                    .header("x", "h".repeat(header_filler))
                    .claim("filler", "x".repeat(n));
                let l = t.signing_input().len() + 1 + sig_len;
                if l == len {
                    let token = t.sign(k);
                    assert_eq!(token.len(), len);
                    return token;
                }
                if l > len {
                    break;
                }
            }
        }
    }
    panic!("no token of {len} bytes")
}

#[test]
fn data_header_of_exactly_16_kib_authenticates() {
    let k = key();
    let t = token_of_len(&k, MAX_HEADER_BYTES);
    assert_eq!(MAX_HEADER_BYTES, 16 * 1024);
    assert_eq!(check(&t), "authenticated");
}

#[test]
fn data_header_one_byte_over_16_kib_is_header_too_large() {
    let k = key();
    let t = token_of_len(&k, MAX_HEADER_BYTES + 1);
    assert_eq!(check(&t), "header_too_large");
}

#[test]
fn any_identity_header_over_16_kib_is_header_too_large_before_decoding() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let big = "x".repeat(MAX_HEADER_BYTES + 1);
    for name in [
        "x-amzn-oidc-identity",
        "x-amzn-oidc-accesstoken",
        "X-Amzn-Oidc-Something-New",
    ] {
        let h = [("x-amzn-oidc-data", t.as_str()), (name, big.as_str())];
        assert_eq!(
            outcome_code(&verifier().verify(h, Some(NOW))),
            "header_too_large",
            "{name}"
        );
    }
    // Not a token at all, yet the size decides first.
    assert_eq!(check(&"!".repeat(MAX_HEADER_BYTES + 1)), "header_too_large");
}

#[test]
fn large_headers_outside_the_identity_family_are_ignored() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let big = "c".repeat(4 * MAX_HEADER_BYTES);
    let h = [("cookie", big.as_str()), ("x-amzn-oidc-data", t.as_str())];
    assert_eq!(
        outcome_code(&verifier().verify(h, Some(NOW))),
        "authenticated"
    );
}

// ---- exp and the clock ----

#[test]
fn token_is_valid_from_before_exp_until_exp_plus_skew() {
    let k = key();
    let exp = NOW + 120;
    let t = AlbToken::new(&k).exp(exp).sign(&k);
    let v = verifier();
    assert_eq!(check_at(&v, &t, exp - 1), "authenticated");
    assert_eq!(check_at(&v, &t, exp), "authenticated");
    assert_eq!(check_at(&v, &t, exp + 30), "authenticated");
}

#[test]
fn token_is_expired_one_second_after_exp_plus_skew() {
    let k = key();
    let exp = NOW + 120;
    let t = AlbToken::new(&k).exp(exp).sign(&k);
    assert_eq!(check_at(&verifier(), &t, exp + 31), "expired");
}

#[test]
fn configured_clock_skew_moves_the_boundary() {
    let k = key();
    let exp = NOW;
    let t = AlbToken::new(&k).exp(exp).sign(&k);
    let strict = verifier_with(json!({"clock_skew_secs": 0}));
    assert_eq!(check_at(&strict, &t, exp), "authenticated");
    assert_eq!(check_at(&strict, &t, exp + 1), "expired");
    let lax = verifier_with(json!({"clock_skew_secs": 300}));
    assert_eq!(check_at(&lax, &t, exp + 300), "authenticated");
    assert_eq!(check_at(&lax, &t, exp + 301), "expired");
}

#[test]
fn earlier_payload_exp_is_honoured() {
    let k = key();
    let t = AlbToken::new(&k)
        .header("exp", NOW + 120)
        .claim("exp", NOW + 10)
        .sign(&k);
    let v = verifier();
    assert_eq!(check_at(&v, &t, NOW + 40), "authenticated");
    assert_eq!(check_at(&v, &t, NOW + 41), "expired");
}

#[test]
fn earlier_header_exp_is_honoured() {
    let k = key();
    let t = AlbToken::new(&k)
        .header("exp", NOW + 10)
        .claim("exp", NOW + 120)
        .sign(&k);
    assert_eq!(check_at(&verifier(), &t, NOW + 41), "expired");
}

#[test]
fn header_exp_missing_or_not_an_integer_is_malformed() {
    let k = key();
    for exp in [Value::Null, json!("1767225720"), json!(1767225720.5)] {
        let t = AlbToken::new(&k).header("exp", exp.clone()).sign(&k);
        assert_eq!(check(&t), "malformed_token", "exp {exp}");
    }
}

#[test]
fn payload_exp_that_is_not_an_integer_is_malformed() {
    let k = key();
    let t = AlbToken::new(&k).claim("exp", "soon").sign(&k);
    assert_eq!(check(&t), "malformed_token");
}

#[test]
fn no_explicit_now_uses_the_system_clock() {
    let k = key();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let fresh = AlbToken::new(&k).exp(now + 120).sign(&k);
    let stale = AlbToken::new(&k).exp(now - 3600).sign(&k);
    let v = verifier();
    assert_eq!(
        outcome_code(&v.verify(headers(&fresh), None)),
        "authenticated"
    );
    assert_eq!(outcome_code(&v.verify(headers(&stale), None)), "expired");
}

// ---- alg, signer, kid, key, signature ----

#[test]
fn any_alg_but_es256_is_unsupported_algorithm() {
    let k = key();
    for alg in [
        json!("none"),
        json!("HS256"),
        json!("RS256"),
        json!("ES384"),
        json!("es256"),
        Value::Null,
    ] {
        let t = AlbToken::new(&k).header("alg", alg.clone()).sign(&k);
        assert_eq!(check(&t), "unsupported_algorithm", "alg {alg}");
    }
}

#[test]
fn untrusted_or_missing_signer_is_signer_not_trusted() {
    let k = key();
    let upper = ALB.to_uppercase();
    for signer in [
        json!(ALB_OTHER),
        json!(ALB_DR),
        json!(upper),
        json!(""),
        Value::Null,
    ] {
        let t = AlbToken::new(&k).header("signer", signer.clone()).sign(&k);
        assert_eq!(check(&t), "signer_not_trusted", "signer {signer}");
    }
}

#[test]
fn every_trusted_alb_is_accepted_as_signer() {
    let k = key();
    let v = verifier_with(json!({"trusted_albs": [ALB, ALB_DR]}));
    for signer in [ALB, ALB_DR] {
        let t = AlbToken::new(&k).header("signer", signer).sign(&k);
        assert_eq!(check_at(&v, &t, NOW), "authenticated", "{signer}");
    }
}

#[test]
fn kid_that_is_missing_or_not_a_uuid_is_invalid_key_id() {
    let k = key();
    for kid in [
        json!("../../etc/passwd"),
        json!("11111111-2222-4333-8444-55555555555"),
        json!("11111111-2222-4333-8444-555555555555/x"),
        json!("1111111g-2222-4333-8444-555555555555"),
        json!(""),
        Value::Null,
    ] {
        let t = AlbToken::new(&k).header("kid", kid.clone()).sign(&k);
        assert_eq!(check(&t), "invalid_key_id", "kid {kid}");
    }
}

#[test]
fn kid_without_a_key_is_key_unavailable() {
    let stranger = TestKey::new(9);
    let t = AlbToken::new(&stranger).sign(&stranger);
    assert_eq!(check(&t), "key_unavailable");
}

#[test]
fn payload_changed_after_signing_is_invalid_signature() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let forged_payload = AlbToken::new(&k)
        .claim("email", "admin@example.com")
        .signing_input();
    let (h, p) = forged_payload.split_once('.').unwrap();
    let sig = t.rsplit('.').next().unwrap();
    assert_eq!(check(&format!("{h}.{p}.{sig}")), "invalid_signature");
}

#[test]
fn token_signed_by_another_key_under_the_trusted_kid_is_invalid_signature() {
    let k = key();
    let other = TestKey::new(2);
    let t = AlbToken::new(&k).sign(&other);
    assert_eq!(check(&t), "invalid_signature");
}

// ---- iss and client ----

#[test]
fn issuer_not_configured_is_issuer_mismatch() {
    let k = key();
    for iss in [
        json!("https://evil.example.com"),
        json!(format!("{ISSUER}/")),
        Value::Null,
    ] {
        let t = AlbToken::new(&k)
            .header("iss", iss.clone())
            .claim("iss", iss.clone())
            .sign(&k);
        assert_eq!(check(&t), "issuer_mismatch", "iss {iss}");
    }
}

#[test]
fn payload_iss_that_differs_from_header_iss_is_issuer_mismatch() {
    let k = key();
    let t = AlbToken::new(&k)
        .claim("iss", "https://evil.example.com")
        .sign(&k);
    assert_eq!(check(&t), "issuer_mismatch");
}

#[test]
fn any_issuer_of_a_configured_list_is_accepted() {
    let k = key();
    let v = verifier_with(json!({"issuer": ["https://a.example.com", ISSUER]}));
    assert_eq!(
        check_at(&v, &AlbToken::new(&k).sign(&k), NOW),
        "authenticated"
    );
}

#[test]
fn issuer_null_accepts_any_issuer() {
    let k = key();
    let t = AlbToken::new(&k)
        .header("iss", "https://anything.example.com")
        .claim("iss", "https://anything.example.com")
        .sign(&k);
    let v = verifier_with(json!({"issuer": null}));
    assert_eq!(check_at(&v, &t, NOW), "authenticated");
}

#[test]
fn client_not_configured_is_client_mismatch() {
    let k = key();
    for client in [json!("other-client"), json!(""), Value::Null] {
        let t = AlbToken::new(&k).header("client", client.clone()).sign(&k);
        assert_eq!(check(&t), "client_mismatch", "client {client}");
    }
}

#[test]
fn any_client_of_a_configured_list_is_accepted_and_null_accepts_any() {
    let k = key();
    let t = AlbToken::new(&k).header("client", "second").sign(&k);
    let listed = verifier_with(json!({"client_id": [CLIENT, "second"]}));
    assert_eq!(check_at(&listed, &t, NOW), "authenticated");
    let unchecked = verifier_with(json!({"client_id": null}));
    assert_eq!(check_at(&unchecked, &t, NOW), "authenticated");
}

// ---- claims ----

#[test]
fn missing_sub_or_username_claim_is_claim_missing() {
    let k = key();
    for claim in ["sub", "email"] {
        let t = AlbToken::new(&k).claim(claim, Value::Null).sign(&k);
        assert_eq!(check(&t), "claim_missing", "without {claim}");
    }
    let t = AlbToken::new(&k).claim("sub", 42).sign(&k);
    assert_eq!(check(&t), "claim_missing", "numeric sub");
}

// ---- Order of checks: with two faults, the earlier check decides ----

/// Each case: a token with faults A and B gives A's code; the same token without fault A
/// gives B's code (so the case really has both faults).
#[test]
fn earlier_check_decides_when_a_token_has_two_faults() {
    let k = key();
    let stranger = TestKey::new(9);
    let t = || AlbToken::new(&k);
    let zero_sig = B64_NOPAD.encode([0u8; 64]);
    let alg_none = B64_NOPAD.encode(r#"{"alg":"none","exp":1}"#);
    let not_json = B64_PADDED.encode("not json");
    let header = B64_PADDED.encode(Value::Object(t().header).to_string());
    #[rustfmt::skip]
    let cases: Vec<(&str, String, &str, String, &str)> = vec![
        ("size before structure",
            format!("{}.", "a".repeat(MAX_HEADER_BYTES)), "header_too_large",
            format!("{}.", "a".repeat(100)), "malformed_token"),
        ("base64 before alg",
            format!("{}.e30.{zero_sig}", with_nonzero_trailing_bits(&alg_none)), "malformed_token",
            format!("{alg_none}.e30.{zero_sig}"), "unsupported_algorithm"),
        ("alg before signer",
            t().header("alg", "HS256").header("signer", ALB_OTHER).sign(&k), "unsupported_algorithm",
            t().header("signer", ALB_OTHER).sign(&k), "signer_not_trusted"),
        ("signer before kid",
            t().header("signer", ALB_OTHER).header("kid", "../x").sign(&k), "signer_not_trusted",
            t().header("kid", "../x").sign(&k), "invalid_key_id"),
        ("kid before signature",
            t().header("kid", "not-a-uuid").sign(&stranger), "invalid_key_id",
            t().sign(&stranger), "invalid_signature"),
        ("key before exp",
            AlbToken::new(&stranger).exp(NOW - 3600).sign(&stranger), "key_unavailable",
            t().exp(NOW - 3600).sign(&k), "expired"),
        ("signature before exp",
            t().exp(NOW - 3600).sign(&stranger), "invalid_signature",
            t().exp(NOW - 3600).sign(&k), "expired"),
        ("signature before payload JSON",
            sign_segments(&stranger, &header, &not_json, true), "invalid_signature",
            sign_segments(&k, &header, &not_json, true), "malformed_token"),
        ("exp before iss",
            t().exp(NOW - 3600).header("iss", "https://evil.example.com").sign(&k), "expired",
            t().header("iss", "https://evil.example.com").sign(&k), "issuer_mismatch"),
        ("iss before client",
            t().header("iss", "https://evil.example.com").header("client", "evil").sign(&k), "issuer_mismatch",
            t().header("client", "evil").sign(&k), "client_mismatch"),
        ("client before claims",
            t().header("client", "evil").claim("sub", Value::Null).sign(&k), "client_mismatch",
            t().claim("sub", Value::Null).sign(&k), "claim_missing"),
    ];
    let v = verifier();
    for (why, both, first, only_second, second) in cases {
        assert_eq!(check_at(&v, &both, NOW), first, "{why}");
        assert_eq!(
            check_at(&v, &only_second, NOW),
            second,
            "{why}: second fault alone"
        );
    }
}

#[test]
fn sub_is_checked_before_identity_header_and_identity_before_username() {
    let k = key();
    let v = verifier();
    let no_sub = AlbToken::new(&k).claim("sub", Value::Null).sign(&k);
    let h = [
        ("x-amzn-oidc-data", no_sub.as_str()),
        ("x-amzn-oidc-identity", "x"),
    ];
    assert_eq!(outcome_code(&v.verify(h, Some(NOW))), "claim_missing");
    let no_email = AlbToken::new(&k).claim("email", Value::Null).sign(&k);
    let h = [
        ("x-amzn-oidc-data", no_email.as_str()),
        ("x-amzn-oidc-identity", "x"),
    ];
    assert_eq!(outcome_code(&v.verify(h, Some(NOW))), "identity_mismatch");
}

#[test]
fn explanation_lists_every_check_in_order() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let h = [
        ("x-amzn-oidc-data", t.as_str()),
        (
            "x-amzn-oidc-identity",
            "a1b2c3d4-0000-4000-8000-000000000001",
        ),
    ];
    let (o, e) = verifier().verify_explained(h, Some(NOW));
    assert_eq!(outcome_code(&o), "authenticated");
    let steps: Vec<&str> = e.steps.iter().map(|s| s.check).collect();
    assert_eq!(
        steps,
        [
            "header_size",
            "token_present",
            "structure",
            "base64",
            "header_json",
            "alg",
            "signer",
            "kid",
            "key",
            "signature",
            "payload_json",
            "exp",
            "iss",
            "client",
            "sub",
            "identity_header",
            "username"
        ]
    );
    assert!(e.steps.iter().all(|s| s.passed));
    assert!(e.warnings.is_empty());
}

#[test]
fn explanation_stops_at_the_failing_check() {
    let k = key();
    let t = AlbToken::new(&k).header("signer", ALB_OTHER).sign(&k);
    let (o, e) = verifier().verify_explained(headers(&t), Some(NOW));
    assert_eq!(outcome_code(&o), "signer_not_trusted");
    let failed: Vec<&str> = e
        .steps
        .iter()
        .filter(|s| !s.passed)
        .map(|s| s.check)
        .collect();
    assert_eq!(failed, ["signer"], "the failing check is named once");
    assert!(
        !e.steps.iter().any(|s| s.check == "key"),
        "no key step after a wrong signer"
    );
}

#[test]
fn explanation_names_a_rejection_before_any_token_check() {
    let big = "a".repeat(albauth::MAX_HEADER_BYTES + 1);
    let (o, e) = verifier().verify_explained([("x-amzn-oidc-data", big)], Some(NOW));
    assert_eq!(outcome_code(&o), "header_too_large");
    let steps: Vec<(&str, bool)> = e.steps.iter().map(|s| (s.check, s.passed)).collect();
    assert_eq!(steps, [("header_size", false)]);

    let (o, e) = verifier().verify_explained([("x-amzn-oidc-data", "")], Some(NOW));
    assert_eq!(outcome_code(&o), "malformed_token");
    let last = e.steps.last().unwrap();
    assert_eq!((last.check, last.passed), ("token_present", false));
}

#[test]
fn explanation_renders_each_step_once_and_ends_with_the_outcome() {
    let k = key();
    let t = AlbToken::new(&k)
        .header("iss", "https://elsewhere/")
        .claim("iss", "https://elsewhere/")
        .sign(&k);
    let (_, e) = verifier().verify_explained(headers(&t), Some(NOW));
    let text = e.render();
    assert_eq!(text.matches("FAIL").count(), 1, "{text}");
    assert!(text.contains("FAIL     iss"), "{text}");
    assert!(
        text.contains("\"https://elsewhere/\""),
        "the carried iss is named: {text}"
    );
    assert!(text.ends_with("outcome  rejected"), "{text}");
}

#[test]
fn explanation_warns_about_disabled_checks() {
    let v = verifier_with(json!({"issuer": null, "client_id": null}));
    let (_, e) = v.verify_explained(Vec::<(String, String)>::new(), Some(NOW));
    assert_eq!(e.warnings.len(), 2, "{:?}", e.warnings);
    assert!(e.warnings[0].contains("issuer"));
    assert!(e.warnings[1].contains("client"));
}

// ---- Error codes and messages ----

#[test]
fn error_codes_are_the_stable_snake_case_contract() {
    let codes: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(
        codes,
        [
            "malformed_token",
            "unsupported_algorithm",
            "invalid_key_id",
            "signer_not_trusted",
            "issuer_mismatch",
            "client_mismatch",
            "expired",
            "invalid_signature",
            "key_unavailable",
            "claim_missing",
            "header_too_large",
            "identity_mismatch",
            "access_token_invalid",
            "config_invalid",
            "username_not_allowed",
        ]
    );
    for k in ErrorKind::ALL {
        assert_eq!(ErrorKind::from_code(k.code()), Some(k));
        assert_eq!(k.to_string(), k.code());
    }
    assert_eq!(ErrorKind::from_code("Expired"), None);
}

#[test]
fn rejection_details_never_contain_the_token_or_claim_values() {
    let k = key();
    let secret_mail = "secret.person@example.com";
    let secret_name = "Secret Person";
    let base = || {
        AlbToken::new(&k)
            .claim("email", secret_mail)
            .claim("name", secret_name)
    };
    let tokens = [
        base().header("signer", ALB_OTHER).sign(&k),
        base().exp(NOW - 3600).sign(&k),
        base().header("client", "evil").sign(&k),
        base().claim("sub", Value::Null).sign(&k),
        base().sign(&TestKey::new(2)),
        base().header("kid", "not-a-uuid").sign(&k),
    ];
    let v = verifier();
    for t in &tokens {
        let h = [
            ("x-amzn-oidc-data", t.as_str()),
            ("x-amzn-oidc-identity", "spoofed-sub"),
        ];
        let o = v.verify(h, Some(NOW));
        let e = o.error().expect("rejected");
        for secret in [
            t.as_str(),
            secret_mail,
            secret_name,
            "spoofed-sub",
            &t[..20],
        ] {
            assert!(
                !e.detail().contains(secret),
                "{} leaks {secret:?}",
                e.code()
            );
            assert!(!e.to_string().contains(secret));
        }
    }
}

#[test]
fn stats_count_outcomes_and_rejections_by_code() {
    let k = key();
    let v = verifier();
    v.verify(headers(&AlbToken::new(&k).sign(&k)), Some(NOW));
    v.verify(
        headers(&AlbToken::new(&k).exp(NOW - 3600).sign(&k)),
        Some(NOW),
    );
    v.verify(
        headers(&AlbToken::new(&k).exp(NOW - 3600).sign(&k)),
        Some(NOW),
    );
    v.verify(Vec::<(String, String)>::new(), Some(NOW));
    let s = v.stats();
    assert_eq!((s.authenticated, s.anonymous, s.rejected), (1, 1, 2));
    assert!(s.rejected_by_kind.contains(&(ErrorKind::Expired, 2)));
    assert_eq!(s.rejected_by_kind.iter().map(|(_, n)| n).sum::<u64>(), 2);
}
