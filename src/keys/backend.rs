//! The ES256 signature backend: aws-lc-rs by default, p256 (pure Rust) with `rust-crypto`.
//!
//! Keys are parsed once (at fetch time) with p256, which accepts only a P-256
//! SubjectPublicKeyInfo; the hot path then only verifies.

use p256::pkcs8::DecodePublicKey;

/// A P-256 public key ready for ES256 verification.
pub(crate) struct Es256Key {
    #[cfg(feature = "aws-lc")]
    inner: aws_lc_rs::signature::ParsedPublicKey,
    #[cfg(feature = "rust-crypto")]
    inner: p256::ecdsa::VerifyingKey,
}

impl std::fmt::Debug for Es256Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Es256Key")
    }
}

impl Es256Key {
    /// Parses a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) holding a P-256 key; anything else
    /// (RSA, other curves, private keys, garbage) is refused.
    pub(crate) fn from_pem(pem: &[u8]) -> Result<Es256Key, &'static str> {
        let text = std::str::from_utf8(pem).map_err(|_| "key is not PEM text")?;
        let vk = p256::ecdsa::VerifyingKey::from_public_key_pem(text.trim())
            .map_err(|_| "key is not a PEM P-256 public key (SubjectPublicKeyInfo)")?;
        Self::from_verifying_key(vk)
    }

    fn from_verifying_key(vk: p256::ecdsa::VerifyingKey) -> Result<Es256Key, &'static str> {
        #[cfg(feature = "aws-lc")]
        {
            let point = vk.to_sec1_point(false);
            let inner = aws_lc_rs::signature::ParsedPublicKey::new(
                &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
                point.as_bytes(),
            )
            .map_err(|_| "key is not a valid P-256 point")?;
            Ok(Es256Key { inner })
        }
        #[cfg(feature = "rust-crypto")]
        {
            Ok(Es256Key { inner: vk })
        }
    }

    /// Verifies a raw 64-byte `r || s` signature over `msg`.
    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8; 64]) -> bool {
        #[cfg(feature = "aws-lc")]
        {
            self.inner.verify_sig(msg, sig).is_ok()
        }
        #[cfg(feature = "rust-crypto")]
        {
            use p256::ecdsa::signature::Verifier;
            match p256::ecdsa::Signature::from_slice(sig) {
                Ok(s) => self.inner.verify(msg, &s).is_ok(),
                Err(_) => false,
            }
        }
    }
}

/// The backend's name, for `--explain` and benchmarks.
pub(crate) const BACKEND: &str = if cfg!(feature = "rust-crypto") {
    "p256 (rust-crypto)"
} else {
    "aws-lc-rs"
};
