//! Parsers that are otherwise private, made reachable for the fuzz targets in `fuzz/`.
//!
//! Not an API: hidden from the docs and free to change. Each function is a thin wrapper over
//! the exact code the verifier runs, so fuzzing it fuzzes production parsing.

/// Parses an ALB key endpoint response (a PEM P-256 SubjectPublicKeyInfo), as a fetched or
/// pinned key is parsed. `Ok` when the verifier would accept it as a signing key.
pub fn parse_alb_key_pem(pem: &[u8]) -> Result<(), &'static str> {
    crate::keys::Es256Key::from_pem(pem).map(|_| ())
}

/// Parses an access-token JWKS, as the verifier does after fetching it; the number of RSA
/// signing keys kept.
pub fn parse_jwks(body: &[u8]) -> Result<usize, String> {
    crate::keys::jwks::parse_jwks(body).map(|keys| keys.len())
}
