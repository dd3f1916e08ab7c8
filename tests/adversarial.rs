//! The attack catalogue, as tables: each row names an attack (RFC 8725 "JWT Best Current
//! Practices", the OWASP JWT cheat sheet, and the ALB-specific ones), the request that
//! carries it, the error code it must get, and whether a key fetch may happen on the way.
//!
//! Every row runs against a fresh verifier whose keys come from a real HTTP key server on
//! 127.0.0.1, so "no fetch" is counted at the server, not assumed. An attacker must never make
//! albauth reach out before the token's `signer` is trusted and its `kid` is a UUID.
//!
//! Decisions recorded here (and in docs/fuzzing.md):
//! - Duplicate members in the JOSE header (`signer` twice, `alg` twice) are `malformed_token`:
//!   two parsers could read two different signers, so ambiguity is refused, never resolved.
//!   Duplicate claims in the payload are refused the same way.
//! - `exp` is not capped. ALB tokens carry no `iat`, so their lifetime cannot be measured, and
//!   a far-future `exp` can only come with a valid signature from a trusted ALB (which always
//!   writes now + 120 s); capping would reject nothing an attacker can produce.

mod common;

use albauth::{Verifier, MAX_HEADER_BYTES};
use base64::Engine;
use common::*;
use serde_json::json;
use sha2::Digest;

/// Whether an attack may cause an outbound key fetch.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fetch {
    /// Refused before any key lookup: the server must see no request.
    Never,
    /// Got as far as the key (trusted signer, UUID kid): at most one fetch.
    AtMostOne,
}
use Fetch::*;

/// One attack: what it is, the request, the expected code, and the fetch rule.
struct Attack {
    attack: &'static str,
    headers: Vec<(String, String)>,
    expect: &'static str,
    fetch: Fetch,
}

fn attack(
    attack: &'static str,
    token: impl Into<String>,
    expect: &'static str,
    fetch: Fetch,
) -> Attack {
    Attack {
        attack,
        headers: headers(&token.into()),
        expect,
        fetch,
    }
}

fn attack_headers(
    attack: &'static str,
    headers: &[(&str, &str)],
    expect: &'static str,
    fetch: Fetch,
) -> Attack {
    Attack {
        attack,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        expect,
        fetch,
    }
}

/// Runs every row against a fresh verifier fed by one key server serving key 1; reports all
/// rows that went wrong at once.
fn run(table: Vec<Attack>) {
    let key = TestKey::new(1);
    let server = KeyServer::start(&[&key]);
    let mut wrong = Vec::new();
    for row in &table {
        let v = Verifier::from_json(&config(Some(&server), &[], json!({}))).unwrap();
        let before = server.requests();
        let got = outcome_code(&v.verify(row.headers.iter().cloned(), Some(NOW)));
        let fetched = server.requests() - before;
        if got != row.expect {
            wrong.push(format!(
                "{}: got {got}, expected {}",
                row.attack, row.expect
            ));
        }
        let allowed = match row.fetch {
            Never => 0,
            AtMostOne => 1,
        };
        if fetched > allowed {
            wrong.push(format!(
                "{}: {fetched} key fetch(es), allowed {allowed}",
                row.attack
            ));
        }
        assert_eq!(v.stats().key_fetches, fetched as u64, "{}", row.attack);
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

fn key() -> TestKey {
    TestKey::new(1)
}

/// A valid token with `field` of the JOSE header set to `value`, signed by key 1.
fn with_header(field: &str, value: serde_json::Value) -> String {
    let k = key();
    AlbToken::new(&k).header(field, value).sign(&k)
}

/// A token whose JOSE header is exactly `raw`, signed by key 1.
fn with_raw_header(raw: &str) -> String {
    let k = key();
    let mut t = AlbToken::new(&k);
    t.raw_header = Some(raw.to_string());
    t.sign(&k)
}

/// The default header of key 1 as JSON text without its closing brace, to append members to.
fn header_prefix() -> String {
    let k = key();
    let mut h = serde_json::Value::Object(AlbToken::new(&k).header).to_string();
    h.pop();
    h
}

/// `token`'s signing input with `sig` as signature, base64url-padded like the ALB.
fn with_signature(token: &str, sig: &[u8]) -> String {
    let input = &token[..token.rfind('.').unwrap()];
    format!("{input}.{}", B64_PADDED.encode(sig))
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&sha2::Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = sha2::Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    sha2::Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// The token's segments, each mapped by `f`.
fn map_segments(token: &str, f: impl Fn(usize, &str) -> String) -> String {
    token
        .split('.')
        .enumerate()
        .map(|(i, s)| f(i, s))
        .collect::<Vec<_>>()
        .join(".")
}

#[test]
fn the_unmodified_token_authenticates_with_one_fetch() {
    // The control row: the setup lets a genuine token in, so every refusal below is the
    // attack's doing.
    let k = key();
    #[rustfmt::skip]
    let table = vec![
        attack("none (genuine ALB token)", AlbToken::new(&k).sign(&k), "authenticated", AtMostOne),
    ];
    run(table);
}

#[test]
fn algorithm_confusion_is_refused_without_a_key_fetch() {
    let k = key();
    let genuine = AlbToken::new(&k);
    let none_input = genuine.clone().header("alg", "none").signing_input();
    let hs256 = genuine.clone().header("alg", "HS256");
    let hs256_sig = hmac_sha256(k.pem().as_bytes(), hs256.signing_input().as_bytes());
    let hs256_token = format!(
        "{}.{}",
        hs256.signing_input(),
        B64_PADDED.encode(&hs256_sig)
    );
    let hs512_shaped = with_signature(&hs256_token, &[hs256_sig.clone(), hs256_sig].concat());
    #[rustfmt::skip]
    let table = vec![
        attack("alg none, empty signature", format!("{none_input}."), "unsupported_algorithm", Never),
        attack("alg none, 64-byte signature", with_header("alg", "none".into()), "unsupported_algorithm", Never),
        attack("HS256 keyed with the public key PEM (32-byte MAC)", hs256_token, "unsupported_algorithm", Never),
        attack("HS256 with a 64-byte MAC", hs512_shaped, "unsupported_algorithm", Never),
        attack("RS256", with_header("alg", "RS256".into()), "unsupported_algorithm", Never),
        attack("ES384", with_header("alg", "ES384".into()), "unsupported_algorithm", Never),
        attack("alg lowercase es256", with_header("alg", "es256".into()), "unsupported_algorithm", Never),
        attack("alg mixed case Es256", with_header("alg", "Es256".into()), "unsupported_algorithm", Never),
        attack("alg with trailing space", with_header("alg", "ES256 ".into()), "unsupported_algorithm", Never),
        attack("alg with trailing NUL", with_header("alg", "ES256\u{0}".into()), "unsupported_algorithm", Never),
        attack("alg missing", with_header("alg", json!(null)), "unsupported_algorithm", Never),
        attack("alg as a list", with_header("alg", json!(["ES256"])), "malformed_token", Never),
        attack("alg as an object", with_header("alg", json!({"alg": "ES256"})), "malformed_token", Never),
        attack("alg in the payload only", AlbToken::new(&k).header("alg", json!(null)).claim("alg", "ES256").sign(&k), "unsupported_algorithm", Never),
    ];
    run(table);
}

#[test]
fn kid_injection_is_refused_without_a_key_fetch() {
    let long = format!("{KID}{}", "a".repeat(8000));
    #[rustfmt::skip]
    let table = vec![
        attack("kid path traversal", with_header("kid", "../../../../etc/passwd".into()), "invalid_key_id", Never),
        attack("kid traversal shaped like a UUID", with_header("kid", "../11111111-2222-4333-8444-5555555".into()), "invalid_key_id", Never),
        attack("kid with a query", with_header("kid", format!("{KID}?x=1").into()), "invalid_key_id", Never),
        attack("kid with a fragment", with_header("kid", format!("{KID}#x").into()), "invalid_key_id", Never),
        attack("kid as an absolute URL", with_header("kid", "http://169.254.169.254/latest/meta-data".into()), "invalid_key_id", Never),
        attack("kid percent-encoded", with_header("kid", "%2e%2e%2f%2e%2e%2f-2222-4333-8444-555555555555".into()), "invalid_key_id", Never),
        attack("kid with CR/LF header injection", with_header("kid", format!("{KID}\r\nHost: evil.example").into()), "invalid_key_id", Never),
        attack("kid 8 KiB long", with_header("kid", long.into()), "invalid_key_id", Never),
        attack("kid with UUID braces", with_header("kid", format!("{{{KID}}}").into()), "invalid_key_id", Never),
        attack("kid empty", with_header("kid", "".into()), "invalid_key_id", Never),
        attack("kid missing", with_header("kid", json!(null)), "invalid_key_id", Never),
        attack("kid as a number", with_header("kid", json!(11111111)), "malformed_token", Never),
        attack("kid with non-ASCII digits", with_header("kid", "١١١١١١١١-2222-4333-8444-555555555555".into()), "invalid_key_id", Never),
        // A well-formed kid the key server does not know: one fetch (404), then refused.
        attack("kid a UUID the key server does not serve", with_header("kid", "99999999-2222-4333-8444-555555555555".into()), "key_unavailable", AtMostOne),
    ];
    run(table);
}

#[test]
fn signer_spoofing_is_refused_before_any_key_fetch() {
    let k = key();
    let other_alb = AlbToken::new(&k).header("signer", ALB_OTHER).sign(&k);
    let prefix = header_prefix();
    let escaped = with_raw_header(&format!(
        "{},\"signer\":\"{}\"}}",
        header_prefix_without("signer"),
        ALB.replace(':', "\\u003a")
    ));
    // The ALBeast variant: a token genuinely signed for another account's ALB, its header
    // edited to name the trusted ALB. The edit breaks the signature.
    let edited = {
        let mut parts: Vec<String> = other_alb.split('.').map(str::to_string).collect();
        let trusted = AlbToken::new(&k).signing_input();
        parts[0] = trusted.split('.').next().unwrap().to_string();
        parts.join(".")
    };
    #[rustfmt::skip]
    let table = vec![
        attack("another account's ALB in the same region, validly signed", other_alb, "signer_not_trusted", Never),
        attack("signer missing", with_header("signer", json!(null)), "signer_not_trusted", Never),
        attack("signer in the payload instead of the header", AlbToken::new(&k).header("signer", json!(null)).claim("signer", ALB).sign(&k), "signer_not_trusted", Never),
        attack("signer with a suffix", with_header("signer", format!("{ALB}/x").into()), "signer_not_trusted", Never),
        attack("signer as a prefix of the trusted ARN", with_header("signer", ALB[..ALB.len() - 1].into()), "signer_not_trusted", Never),
        attack("signer in upper case", with_header("signer", ALB.to_uppercase().into()), "signer_not_trusted", Never),
        attack("signer with trailing whitespace", with_header("signer", format!("{ALB} ").into()), "signer_not_trusted", Never),
        attack("signer as a list holding the trusted ARN", with_header("signer", json!([ALB])), "malformed_token", Never),
        attack("duplicate signer, trusted first and untrusted last", with_raw_header(&format!("{prefix},\"signer\":\"{ALB_OTHER}\"}}")), "malformed_token", Never),
        attack("duplicate signer, untrusted first and trusted last", with_raw_header(&format!("{{\"signer\":\"{ALB_OTHER}\",{}}}", &prefix[1..])), "malformed_token", Never),
        attack("duplicate alg", with_raw_header(&format!("{prefix},\"alg\":\"none\"}}")), "malformed_token", Never),
        attack("duplicate kid", with_raw_header(&format!("{prefix},\"kid\":\"../x\"}}")), "malformed_token", Never),
        // Signed by the trusted key, so the escape is just another spelling of the same ARN.
        attack("signer spelled with JSON escapes, signed", escaped, "authenticated", AtMostOne),
        attack("header edited to the trusted signer after signing", edited, "invalid_signature", AtMostOne),
        attack("signed by an attacker key under the trusted kid", AlbToken::new(&k).sign(&TestKey::new(9)), "invalid_signature", AtMostOne),
    ];
    run(table);
}

#[test]
fn duplicate_claims_in_a_signed_payload_are_malformed() {
    let k = key();
    let mut t = AlbToken::new(&k);
    t.raw_claims = Some(format!(
        "{{\"sub\":\"admin\",\"sub\":\"a1\",\"email\":\"a@b.c\",\"exp\":{},\"iss\":\"{ISSUER}\"}}",
        NOW + 120
    ));
    #[rustfmt::skip]
    let table = vec![
        attack("duplicate sub claim", t.sign(&k), "malformed_token", AtMostOne),
    ];
    run(table);
}

#[test]
fn padding_and_alphabet_tricks_are_malformed_or_fail_the_signature() {
    let k = key();
    let padded = AlbToken::new(&k).sign(&k);
    let unpadded = AlbToken::new(&k).padded(false).sign(&k);
    let std_alphabet = map_segments(&padded, |_, s| s.replace('-', "+").replace('_', "/"));
    assert_ne!(std_alphabet, padded, "the fixture must contain - or _");
    let mixed = map_segments(&padded, |i, s| {
        if i == 2 {
            s.replace('-', "+").replace('_', "/")
        } else {
            s.to_string()
        }
    });
    let sig = padded.rsplit('.').next().unwrap();
    assert!(
        sig.contains(['-', '_']),
        "the fixture signature must contain - or _"
    );
    let stripped = map_segments(&padded, |_, s| s.trim_end_matches('=').to_string());
    let added = map_segments(&unpadded, |_, s| match s.len() % 4 {
        2 => format!("{s}=="),
        3 => format!("{s}="),
        _ => s.to_string(),
    });
    assert_ne!(added, unpadded, "the fixture must have a segment that pads");
    // An unpadded token whose header segment has spare bits (its length is not a multiple of 4).
    let spare_header = (0..3)
        .map(|n| {
            AlbToken::new(&k)
                .padded(false)
                .header("x", "y".repeat(n))
                .sign(&k)
        })
        .find(|t| t.split('.').next().unwrap().len() % 4 != 0)
        .unwrap();
    let middle = map_segments(&padded, |i, s| {
        if i == 1 {
            format!("{}={}", &s[..8], &s[8..])
        } else {
            s.to_string()
        }
    });
    #[rustfmt::skip]
    let table = vec![
        attack("standard alphabet (+/) throughout", std_alphabet, "malformed_token", Never),
        attack("standard alphabet in the signature only", mixed, "malformed_token", Never),
        attack("non-canonical trailing bits in the signature", with_nonzero_trailing_bits(&padded, 2), "malformed_token", Never),
        attack("non-canonical trailing bits in the header", with_nonzero_trailing_bits(&spare_header, 0), "malformed_token", Never),
        attack("padding in the middle of a segment", middle, "malformed_token", Never),
        attack("three padding characters", format!("{padded}="), "malformed_token", Never),
        attack("one padding character where two belong", &padded[..padded.len() - 1], "malformed_token", Never),
        attack("leading space", format!(" {padded}"), "malformed_token", Never),
        attack("trailing newline", format!("{padded}\n"), "malformed_token", Never),
        attack("tab inside a segment", padded.replacen('.', "\t.", 1), "malformed_token", Never),
        attack("Bearer prefix", format!("Bearer {padded}"), "malformed_token", Never),
        attack("four segments", format!("{padded}.AAAA"), "malformed_token", Never),
        attack("five segments (JWE shape)", format!("{padded}.AAAA.AAAA"), "malformed_token", Never),
        attack("two segments (no signature)", padded[..padded.rfind('.').unwrap()].to_string(), "malformed_token", Never),
        attack("DER-encoded signature", with_signature(&padded, &[0x30; 70]), "malformed_token", Never),
        // Only the exact bytes that were signed verify: padding is never normalised.
        attack("padding stripped after signing", stripped, "invalid_signature", AtMostOne),
        attack("padding added after signing", added, "invalid_signature", AtMostOne),
        attack("unpadded token signed as sent (RFC 7515)", unpadded, "authenticated", AtMostOne),
        // ECDSA malleability: (r, n - s) verifies too. Both backends accept it: it is another
        // spelling of what the ALB signed, cannot change a claim, and caches as its own token.
        attack("ECDSA twin signature (r, n - s) of a genuine token", with_signature(&padded, &twin_signature(&B64_PADDED.decode(sig).unwrap())), "authenticated", AtMostOne),
    ];
    run(table);
}

/// `(r, n - s)` for a raw `r || s` P-256 signature: the other valid signature of the message.
fn twin_signature(sig: &[u8]) -> Vec<u8> {
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63,
        0x25, 0x51,
    ];
    let mut out = sig[..32].to_vec();
    let mut s = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(N[i]) - i16::from(sig[32 + i]) - borrow;
        borrow = i16::from(d < 0);
        s[i] = d.rem_euclid(256) as u8;
    }
    assert_eq!(borrow, 0);
    out.extend_from_slice(&s);
    assert_ne!(out, sig);
    out
}

/// Sets the unused low bits of segment `seg`'s last character: the same bytes, spelled
/// non-canonically.
fn with_nonzero_trailing_bits(token: &str, seg: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    map_segments(token, |i, s| {
        if i != seg {
            return s.to_string();
        }
        let body = s.trim_end_matches('=');
        assert!(
            matches!(body.len() % 4, 2 | 3),
            "segment {seg} has no spare bits"
        );
        let last = ALPHABET
            .iter()
            .position(|c| *c == body.as_bytes()[body.len() - 1])
            .unwrap();
        format!(
            "{}{}{}",
            &body[..body.len() - 1],
            ALPHABET[last | 1] as char,
            &s[body.len()..]
        )
    })
}

/// A valid, unpadded token of exactly `len` bytes (filler in a claim and the header).
fn token_of_len(k: &TestKey, len: usize) -> String {
    for header_filler in 0..4 {
        for n in (len * 3 / 4).saturating_sub(1000)..len {
            let t = AlbToken::new(k)
                .padded(false)
                .header("x", "h".repeat(header_filler))
                .claim("filler", "x".repeat(n));
            let l = t.signing_input().len() + 1 + 86;
            if l == len {
                return t.sign(k);
            }
            if l > len {
                break;
            }
        }
    }
    panic!("no token of {len} bytes")
}

#[test]
fn size_bombs_are_bounded() {
    let k = key();
    let exactly = token_of_len(&k, MAX_HEADER_BYTES);
    assert_eq!(exactly.len(), 16 * 1024);
    let over = token_of_len(&k, MAX_HEADER_BYTES + 1);
    let genuine = AlbToken::new(&k).sign(&k);
    let big = "x".repeat(MAX_HEADER_BYTES + 1);
    let deep = |field: &str, depth: usize| {
        format!(
            "{},\"{field}\":{}{}}}",
            header_prefix_without(field),
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    let mut deep_payload = AlbToken::new(&k);
    deep_payload.raw_claims = Some(format!(
        "{{\"sub\":\"a\",\"email\":\"a@b.c\",\"x\":{}{}}}",
        "[".repeat(3000),
        "]".repeat(3000)
    ));
    let mut wide_payload = AlbToken::new(&k);
    wide_payload.raw_claims = Some(format!(
        "{{\"sub\":\"a\",\"email\":\"a@b.c\",\"x\":[{}0]}}",
        "0,".repeat(5000)
    ));
    #[rustfmt::skip]
    let table = vec![
        attack("data header of exactly 16 KiB (the limit)", exactly, "authenticated", AtMostOne),
        attack("data header one byte over 16 KiB", over, "header_too_large", Never),
        attack_headers("identity header over 16 KiB", &[("x-amzn-oidc-data", &genuine), ("x-amzn-oidc-identity", &big)], "header_too_large", Never),
        attack_headers("access-token header over 16 KiB", &[("x-amzn-oidc-data", &genuine), ("x-amzn-oidc-accesstoken", &big)], "header_too_large", Never),
        attack_headers("unknown x-amzn-oidc-* header over 16 KiB", &[("X-Amzn-Oidc-Future", &big), ("x-amzn-oidc-data", &genuine)], "header_too_large", Never),
        // An unknown member is skipped without recursion, however deep; a known one must be
        // a string and is refused at its first bracket.
        attack("header JSON nested 5000 deep in an unknown member, signed", with_raw_header(&deep("x", 5000)), "authenticated", AtMostOne),
        attack("header JSON nested 5000 deep in an unknown member, forged", AlbToken { raw_header: Some(deep("x", 5000)), ..AlbToken::new(&k) }.sign(&TestKey::new(9)), "invalid_signature", AtMostOne),
        attack("header JSON nested 5000 deep in signer", with_raw_header(&deep("signer", 5000)), "malformed_token", Never),
        attack("payload JSON nested 3000 deep, signed", deep_payload.sign(&k), "malformed_token", AtMostOne),
        attack("payload with a 5000-element array, signed", wide_payload.sign(&k), "authenticated", AtMostOne),
        attack("exp beyond i64", with_raw_header(&format!("{},\"exp\":99999999999999999999}}", header_prefix_without("exp"))), "malformed_token", Never),
        attack("exp 1e400", with_raw_header(&format!("{},\"exp\":1e400}}", header_prefix_without("exp"))), "malformed_token", Never),
        attack("exp with 5000 digits", with_raw_header(&format!("{},\"exp\":{}}}", header_prefix_without("exp"), "9".repeat(5000))), "malformed_token", Never),
    ];
    run(table);
}

/// The default header of key 1 without `field`, as JSON text lacking its closing brace.
fn header_prefix_without(field: &str) -> String {
    let k = key();
    let mut h =
        serde_json::Value::Object(AlbToken::new(&k).header(field, json!(null)).header).to_string();
    h.pop();
    h
}

#[test]
fn time_tricks_follow_exp_plus_skew_and_nothing_else() {
    let k = key();
    let exp_only_in_header = |exp: serde_json::Value| {
        AlbToken::new(&k)
            .claim("exp", json!(null))
            .header("exp", exp)
            .sign(&k)
    };
    #[rustfmt::skip]
    let table = vec![
        attack("exp as a float", exp_only_in_header(json!(NOW as f64 + 120.5)), "malformed_token", Never),
        attack("exp as a whole float", with_raw_header(&format!("{},\"exp\":{}.0}}", header_prefix_without("exp"), NOW + 120)), "malformed_token", Never),
        attack("exp as a string", exp_only_in_header(json!((NOW + 120).to_string())), "malformed_token", Never),
        attack("exp missing from the header", exp_only_in_header(json!(null)), "malformed_token", Never),
        attack("exp negative", exp_only_in_header(json!(-1)), "expired", AtMostOne),
        attack("exp i64::MIN (no overflow into the future)", exp_only_in_header(json!(i64::MIN)), "expired", AtMostOne),
        attack("exp one second past the skew", exp_only_in_header(json!(NOW - 31)), "expired", AtMostOne),
        attack("exp exactly at the skew", exp_only_in_header(json!(NOW - 30)), "authenticated", AtMostOne),
        // Decision: no cap on exp (no iat to measure a lifetime; only a trusted ALB can sign).
        attack("exp ten years ahead, signed by the trusted key", exp_only_in_header(json!(NOW + 315_360_000)), "authenticated", AtMostOne),
        attack("exp i64::MAX, signed by the trusted key", exp_only_in_header(json!(i64::MAX)), "authenticated", AtMostOne),
        attack("far-future header exp, expired payload exp", AlbToken::new(&k).header("exp", NOW + 10_000).claim("exp", NOW - 100).sign(&k), "expired", AtMostOne),
        attack("payload exp as a float", AlbToken::new(&k).claim("exp", json!(NOW as f64 + 0.5)).sign(&k), "malformed_token", AtMostOne),
    ];
    run(table);
}

#[test]
fn header_smuggling_is_refused() {
    let k = key();
    let t = AlbToken::new(&k).claim("sub", "user-1").sign(&k);
    let other = AlbToken::new(&k).claim("sub", "admin").sign(&k);
    #[rustfmt::skip]
    let table = vec![
        attack_headers("two identical x-amzn-oidc-data headers", &[("x-amzn-oidc-data", &t), ("x-amzn-oidc-data", &t)], "malformed_token", Never),
        attack_headers("two x-amzn-oidc-data headers, different case", &[("x-amzn-oidc-data", &t), ("X-AMZN-OIDC-DATA", &other)], "malformed_token", Never),
        attack_headers("two x-amzn-oidc-identity headers", &[("x-amzn-oidc-data", &t), ("x-amzn-oidc-identity", "user-1"), ("x-amzn-oidc-identity", "admin")], "malformed_token", Never),
        attack_headers("two x-amzn-oidc-accesstoken headers", &[("x-amzn-oidc-data", &t), ("x-amzn-oidc-accesstoken", "a"), ("x-amzn-oidc-accesstoken", "b")], "malformed_token", Never),
        attack_headers("identity header naming another user", &[("x-amzn-oidc-data", &t), ("x-amzn-oidc-identity", "admin")], "identity_mismatch", AtMostOne),
        attack_headers("identity header with trailing space", &[("x-amzn-oidc-data", &t), ("x-amzn-oidc-identity", "user-1 ")], "identity_mismatch", AtMostOne),
        attack_headers("identity header alone, no token", &[("x-amzn-oidc-identity", "admin")], "anonymous", Never),
        attack_headers("empty x-amzn-oidc-data", &[("x-amzn-oidc-data", "")], "malformed_token", Never),
        attack_headers("data header name with a trailing space (not the header)", &[("x-amzn-oidc-data ", &t)], "anonymous", Never),
        attack_headers("identity header matching, token valid", &[("x-amzn-oidc-data", &t), ("x-amzn-oidc-identity", "user-1")], "authenticated", AtMostOne),
    ];
    run(table);
}

#[test]
fn non_ascii_anywhere_is_refused() {
    let k = key();
    let t = AlbToken::new(&k).sign(&k);
    let (head, rest) = t.split_at(10);
    #[rustfmt::skip]
    let table = vec![
        attack("non-ASCII letter inside a segment", format!("{head}é{rest}"), "malformed_token", Never),
        attack("U+FFFD (a lossily decoded byte) inside a segment", format!("{head}\u{FFFD}{rest}"), "malformed_token", Never),
        attack("NUL inside a segment", format!("{head}\u{0}{rest}"), "malformed_token", Never),
        attack("fullwidth dot as separator", t.replacen('.', "\u{FF0E}", 1), "malformed_token", Never),
        attack("non-ASCII signer", with_header("signer", ALB.replace("app", "аpp").into()), "signer_not_trusted", Never),
        attack("lone surrogate escape in the header", with_raw_header(&format!("{},\"iss\":\"\\ud800\"}}", header_prefix_without("iss"))), "malformed_token", Never),
        attack_headers("non-ASCII identity header", &[("x-amzn-oidc-data", &t), ("x-amzn-oidc-identity", "a1b2c3d4-0000-4000-8000-00000000000١")], "identity_mismatch", AtMostOne),
    ];
    run(table);
}

#[test]
fn cached_token_with_a_spoofed_identity_header_is_still_refused() {
    // A token that verified once is served from the cache; the unsigned identity header is
    // still compared on every hit.
    let k = key();
    let server = KeyServer::start(&[&k]);
    let v = Verifier::from_json(&config(Some(&server), &[], json!({}))).unwrap();
    let t = AlbToken::new(&k).claim("sub", "user-1").sign(&k);
    assert_eq!(
        outcome_code(&v.verify(headers(&t), Some(NOW))),
        "authenticated"
    );
    let spoofed = [
        ("x-amzn-oidc-data", t.as_str()),
        ("x-amzn-oidc-identity", "admin"),
    ];
    assert_eq!(
        outcome_code(&v.verify(spoofed, Some(NOW))),
        "identity_mismatch"
    );
    assert_eq!(v.stats().token_cache_hits, 1);
    assert_eq!(server.requests(), 1);
}

#[test]
fn invalid_utf8_in_any_header_is_refused_at_the_c_boundary_without_a_fetch() {
    // The Rust API takes &str, so invalid UTF-8 can only arrive through the C ABI (and JNI,
    // which goes through Java strings). Every position: data, identity, access token, and a
    // header name.
    use albauth::ffi::*;
    let k = key();
    let server = KeyServer::start(&[&k]);
    let config = config(Some(&server), &[], json!({}));
    let mut v = std::ptr::null_mut();
    // SAFETY: a valid string view and a writable out pointer; err may be NULL.
    let status =
        unsafe { albauth_verifier_new(albauth_str::new(&config), &mut v, std::ptr::null_mut()) };
    assert_eq!(status, albauth_status::ALBAUTH_OK);
    let token = AlbToken::new(&k).sign(&k);
    let mut broken = token.clone().into_bytes();
    broken[20] = 0xff;
    let (data, identity, access): (&[u8], &[u8], &[u8]) = (
        b"x-amzn-oidc-data",
        b"x-amzn-oidc-identity",
        b"x-amzn-oidc-accesstoken",
    );
    let sub: &[u8] = b"a1b2c3d4-0000-4000-8000-000000000001";
    type Header<'a> = (&'a [u8], &'a [u8]);
    let cases: [(&str, [Header; 2]); 4] = [
        ("data value", [(data, &broken), (identity, sub)]),
        (
            "identity value",
            [(data, token.as_bytes()), (identity, b"a1b2\xc3(")],
        ),
        (
            "access token value",
            [(data, token.as_bytes()), (access, b"\xed\xa0\x80")],
        ),
        (
            "header name",
            [(b"x-amzn-oidc-d\xe1ta", token.as_bytes()), (identity, sub)],
        ),
    ];
    for (what, pair) in cases {
        let headers = pair.map(|(name, value)| albauth_header {
            name: albauth_str::from_bytes(name),
            value: albauth_str::from_bytes(value),
        });
        let mut out = std::ptr::null_mut();
        // SAFETY: live verifier; headers readable for the call; writable out; err NULL.
        let status = unsafe {
            albauth_verify(
                v,
                headers.as_ptr(),
                headers.len(),
                NOW,
                &mut out,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, albauth_status::ALBAUTH_INVALID_ARGUMENT, "{what}");
        assert!(out.is_null(), "{what}");
    }
    // SAFETY: made above, freed once.
    unsafe { albauth_verifier_free(v) };
    assert_eq!(server.requests(), 0);
}
