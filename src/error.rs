//! One error type with a stable, machine-readable code.
//!
//! The snake_case codes returned by [`ErrorKind::code`] are a contract shared with the C ABI
//! (`albauth_status_name`) and Java (`Decision.errorCode()`): never rename one. Details are
//! written for an admin and never contain a token, a claim value or other personal data.

use std::borrow::Cow;
use std::fmt;

/// Why a request was rejected or a configuration refused.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The token is not three base64url segments, is not canonical base64, its header is not
    /// the expected JSON, the header is present but empty, or it was sent twice.
    MalformedToken,
    /// `alg` is anything but `ES256` (ALB data token) or `RS256` (access token).
    UnsupportedAlgorithm,
    /// `kid` is missing or not a UUID; it never reaches a URL.
    InvalidKeyId,
    /// `signer` is not one of the configured `trusted_albs`.
    SignerNotTrusted,
    /// `iss` is not one of the configured issuers.
    IssuerMismatch,
    /// `client` is not one of the configured client ids.
    ClientMismatch,
    /// `exp` (header or payload) plus the clock skew is in the past.
    Expired,
    /// The ES256 signature does not verify over the exact bytes received.
    InvalidSignature,
    /// The signing key could not be had: fetch failed, timed out, is backing off, or the
    /// response was not a P-256 public key.
    KeyUnavailable,
    /// `sub` or the username claim is missing, not a string, or empty after transforms.
    ClaimMissing,
    /// An `x-amzn-oidc-*` header is larger than 16 KiB.
    HeaderTooLarge,
    /// `x-amzn-oidc-identity` differs from the verified `sub`.
    IdentityMismatch,
    /// The access token needed for claims is absent or does not verify.
    AccessTokenInvalid,
    /// The configuration is invalid (the detail names the field).
    ConfigInvalid,
    /// The username is refused by policy: the IdP says the e-mail is not verified, its domain
    /// is not in `allowed_domains`, or it holds a non-ASCII character that lowercases to ASCII.
    UsernameNotAllowed,
}

impl ErrorKind {
    /// Every kind, in the order of the stable C status values.
    pub const ALL: [ErrorKind; 15] = [
        ErrorKind::MalformedToken,
        ErrorKind::UnsupportedAlgorithm,
        ErrorKind::InvalidKeyId,
        ErrorKind::SignerNotTrusted,
        ErrorKind::IssuerMismatch,
        ErrorKind::ClientMismatch,
        ErrorKind::Expired,
        ErrorKind::InvalidSignature,
        ErrorKind::KeyUnavailable,
        ErrorKind::ClaimMissing,
        ErrorKind::HeaderTooLarge,
        ErrorKind::IdentityMismatch,
        ErrorKind::AccessTokenInvalid,
        ErrorKind::ConfigInvalid,
        ErrorKind::UsernameNotAllowed,
    ];

    /// The stable snake_case code, e.g. `"signer_not_trusted"`.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::MalformedToken => "malformed_token",
            ErrorKind::UnsupportedAlgorithm => "unsupported_algorithm",
            ErrorKind::InvalidKeyId => "invalid_key_id",
            ErrorKind::SignerNotTrusted => "signer_not_trusted",
            ErrorKind::IssuerMismatch => "issuer_mismatch",
            ErrorKind::ClientMismatch => "client_mismatch",
            ErrorKind::Expired => "expired",
            ErrorKind::InvalidSignature => "invalid_signature",
            ErrorKind::KeyUnavailable => "key_unavailable",
            ErrorKind::ClaimMissing => "claim_missing",
            ErrorKind::HeaderTooLarge => "header_too_large",
            ErrorKind::IdentityMismatch => "identity_mismatch",
            ErrorKind::AccessTokenInvalid => "access_token_invalid",
            ErrorKind::ConfigInvalid => "config_invalid",
            ErrorKind::UsernameNotAllowed => "username_not_allowed",
        }
    }

    /// The kind for a code, the inverse of [`ErrorKind::code`].
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Index into [`ErrorKind::ALL`] (used for counters).
    pub(crate) fn index(self) -> usize {
        // Declaration order is the order of ALL (a test pins it).
        self as usize
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A rejected request or refused configuration: a stable [`ErrorKind`] plus a detail for admins.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {detail}")]
pub struct Error {
    kind: ErrorKind,
    detail: Cow<'static, str>,
}

impl Error {
    /// An error of `kind`. `detail` must never contain a token or personal data.
    pub fn new(kind: ErrorKind, detail: impl Into<Cow<'static, str>>) -> Error {
        Error {
            kind,
            detail: detail.into(),
        }
    }

    /// A configuration error; `detail` names the field.
    pub fn config(detail: impl Into<Cow<'static, str>>) -> Error {
        Error::new(ErrorKind::ConfigInvalid, detail)
    }

    /// The stable kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable snake_case code (same as `self.kind().code()`).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Why, for an admin: never a token, a claim value or other personal data.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_position_in_all_and_codes_round_trip() {
        for (i, k) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(k.index(), i);
            assert_eq!(ErrorKind::from_code(k.code()), Some(*k));
        }
    }
}
