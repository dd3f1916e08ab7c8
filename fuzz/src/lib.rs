//! Shared pieces of the fuzz targets: the known signing key, a pinned-key config, and ALB-style
//! token encoding. The identities come from `tests/fixtures/ids.properties` (as in `tests/common`)
//! and the key is `tests/common`'s seed 1, so seeds taken from the test fixtures verify here too.

use std::sync::OnceLock;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use base64::Engine;
use p256::ecdsa::SigningKey;
use p256::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::{json, Value};

// From tests/fixtures/ids.properties (fuzz/build.rs), the file every test suite reads.
/// The trusted ALB.
pub const ALB: &str = env!("ALBAUTH_TEST_ALB");
/// A second trusted ALB (another region).
pub const ALB_DR: &str = env!("ALBAUTH_TEST_ALB_DR");
/// Another account's ALB: signs validly, never trusted.
pub const ALB_OTHER: &str = env!("ALBAUTH_TEST_ALB_OTHER");
/// The configured issuer.
pub const ISSUER: &str = env!("ALBAUTH_TEST_ISSUER");
/// The configured client id.
pub const CLIENT: &str = env!("ALBAUTH_TEST_CLIENT");
/// The pinned key's kid.
pub const KID: &str = env!("ALBAUTH_TEST_KID");
/// The fixed clock of every target (2026-01-01T00:00:00Z).
pub const NOW: i64 = parse_i64(env!("ALBAUTH_TEST_NOW"));

const fn parse_i64(s: &str) -> i64 {
    let b = s.as_bytes();
    let (mut i, mut n) = (0, 0i64);
    while i < b.len() {
        assert!(b[i].is_ascii_digit(), "ALBAUTH_TEST_NOW is not a number");
        n = n * 10 + (b[i] - b'0') as i64;
        i += 1;
    }
    n
}

/// The pinned signing key (same scalar as `tests/common`'s `TestKey::new(1)`).
pub fn signing_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut bytes = [0u8; 32];
        bytes[0] = 0x42;
        bytes[31] = 1;
        SigningKey::from_slice(&bytes).expect("valid scalar")
    })
}

/// The pinned key as the ALB key endpoint serves it.
pub fn public_pem() -> &'static str {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| {
        signing_key()
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("pem")
    })
}

/// A config trusting [`ALB`] and [`ALB_DR`] with the key pinned (so no network I/O), the
/// verified-token cache off (so one input never depends on another), plus `extra` fields.
pub fn config_json(extra: Value) -> String {
    let mut c = json!({
        "trusted_albs": [ALB, ALB_DR],
        "issuer": ISSUER,
        "client_id": CLIENT,
        "template": "cognito",
        "pinned_keys": { KID: public_pem() },
        "token_cache_size": 0,
    });
    if let (Some(obj), Value::Object(extra)) = (c.as_object_mut(), extra) {
        obj.extend(extra);
    }
    c.to_string()
}

/// base64url of `bytes`, with `=` padding like the ALB or without like RFC 7515.
pub fn b64(bytes: &[u8], padded: bool) -> String {
    if padded {
        base64::engine::general_purpose::URL_SAFE.encode(bytes)
    } else {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }
}

/// The raw 64-byte `r || s` ES256 signature of `msg` by [`signing_key`].
///
/// Signed by aws-lc (C, not instrumented by the fuzzer): signing with instrumented p256 took
/// most of each run of `verify_signed`. The signature is randomised; whether it verifies is
/// not, so inputs still reproduce.
pub fn sign_raw(msg: &[u8]) -> [u8; 64] {
    static PAIR: OnceLock<EcdsaKeyPair> = OnceLock::new();
    let pair = PAIR.get_or_init(|| {
        let key = signing_key();
        let point = key.verifying_key().to_sec1_point(false);
        EcdsaKeyPair::from_private_key_and_public_key(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &key.to_bytes(),
            point.as_bytes(),
        )
        .expect("the same key")
    });
    let sig = pair.sign(&SystemRandom::new(), msg).expect("ES256 sign");
    sig.as_ref().try_into().expect("64-byte fixed signature")
}

/// An ALB-style token over exactly these header and payload bytes; `flip` flips one bit of
/// the signature (byte index, bit) so it no longer verifies.
pub fn token(header: &[u8], payload: &[u8], padded: bool, flip: Option<(u8, u8)>) -> String {
    let input = format!("{}.{}", b64(header, padded), b64(payload, padded));
    let mut sig = sign_raw(input.as_bytes());
    if let Some((byte, bit)) = flip {
        sig[byte as usize % 64] ^= 1 << (bit % 8);
    }
    format!("{input}.{}", b64(&sig, padded))
}
