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

// The shared identities (ALB, ALB_DR, ALB_OTHER, ISSUER, CLIENT, KID, NOW) come from
// tests/fixtures/ids.properties, the one file every test suite reads (build.rs generates them).
include!(concat!(env!("OUT_DIR"), "/test_ids.rs"));

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
