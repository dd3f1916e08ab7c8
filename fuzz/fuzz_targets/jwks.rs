//! Access-token JWKS parsing (the IdP's key set), as the verifier parses a fetched body.
//! Any bytes; an accepted set holds between 1 and 64 keys.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(n) = albauth::fuzzing::parse_jwks(data) {
        assert!((1..=64).contains(&n));
    }
});
