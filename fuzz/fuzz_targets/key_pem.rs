//! ALB key parsing: a key endpoint response or a pinned key (PEM P-256 SubjectPublicKeyInfo),
//! through the same function the verifier uses. Any bytes, including non-UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = albauth::fuzzing::parse_alb_key_pem(data);
});
