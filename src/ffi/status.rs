//! Status codes: one stable number per outcome, error code and caller error.

use std::ffi::CStr;

use crate::error::ErrorKind;

/// What a call did. Every fallible function returns one; numbers are stable forever once
/// released (a retired value stays reserved and is never reused). Ranges:
///
/// - 0 to 99, the request was handled: ALBAUTH_OK (authenticated), ALBAUTH_ANONYMOUS (no
///   token header).
/// - 100 to 199, the request or the configuration was refused: one value per albauth error
///   code, in a fixed order; albauth_status_name() returns the code (e.g. "expired").
/// - 200 to 299, the call itself failed: a NULL or invalid argument, or an internal error
///   (ALBAUTH_PANIC, a bug in albauth; the request is not authenticated).
///
/// Fail closed: treat every value but ALBAUTH_OK as "not authenticated", and every value
/// but ALBAUTH_OK and ALBAUTH_ANONYMOUS as "reject the request".
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum albauth_status {
    /// Authenticated: the identity was written to `*out`.
    ALBAUTH_OK = 0,
    /// No x-amzn-oidc-data header: an anonymous request (ALB rule with
    /// OnUnauthenticatedRequest=allow).
    ALBAUTH_ANONYMOUS = 1,
    /// "malformed_token": not three base64url segments, not canonical base64, bad header
    /// JSON, an empty header, or a header sent twice.
    ALBAUTH_MALFORMED_TOKEN = 100,
    /// "unsupported_algorithm": alg is not ES256 (RS256 for the access token).
    ALBAUTH_UNSUPPORTED_ALGORITHM = 101,
    /// "invalid_key_id": kid is missing or not a UUID.
    ALBAUTH_INVALID_KEY_ID = 102,
    /// "signer_not_trusted": signer is not one of trusted_albs.
    ALBAUTH_SIGNER_NOT_TRUSTED = 103,
    /// "issuer_mismatch": iss is not one of the configured issuers.
    ALBAUTH_ISSUER_MISMATCH = 104,
    /// "client_mismatch": client is not one of the configured client ids.
    ALBAUTH_CLIENT_MISMATCH = 105,
    /// "expired": exp plus the clock skew is in the past.
    ALBAUTH_EXPIRED = 106,
    /// "invalid_signature": the ES256 signature does not verify.
    ALBAUTH_INVALID_SIGNATURE = 107,
    /// "key_unavailable": the signing key could not be had (fetch failed, timed out, backing
    /// off, not a P-256 key, or an unknown kid with pinned keys only).
    ALBAUTH_KEY_UNAVAILABLE = 108,
    /// "claim_missing": sub or the username claim is missing or empty.
    ALBAUTH_CLAIM_MISSING = 109,
    /// "header_too_large": an x-amzn-oidc-* header is larger than 16 KiB.
    ALBAUTH_HEADER_TOO_LARGE = 110,
    /// "identity_mismatch": x-amzn-oidc-identity differs from the verified sub.
    ALBAUTH_IDENTITY_MISMATCH = 111,
    /// "access_token_invalid": the access token needed for claims is absent or does not
    /// verify.
    ALBAUTH_ACCESS_TOKEN_INVALID = 112,
    /// "config_invalid": the configuration is invalid; the message names the field.
    ALBAUTH_CONFIG_INVALID = 113,
    /// "username_not_allowed": the username is refused by policy (e-mail not verified, domain
    /// not in allowed_domains, or a look-alike non-ASCII character).
    ALBAUTH_USERNAME_NOT_ALLOWED = 114,
    /// "null_argument": a pointer argument that must not be NULL was NULL.
    ALBAUTH_NULL_ARGUMENT = 200,
    /// "invalid_argument": an argument is out of range, or a string is not valid UTF-8.
    ALBAUTH_INVALID_ARGUMENT = 201,
    /// "panic": an internal error (a bug in albauth, please report it). Nothing was
    /// authenticated; the verifier stays usable.
    ALBAUTH_PANIC = 202,
    /// "directory_failed": the IdP's directory could not be listed: bad credentials, a
    /// missing permission (the message names it), or the service unreachable.
    ALBAUTH_DIRECTORY_FAILED = 203,
}

use albauth_status::*;

/// A status as a C caller passes it in: any integer, since a C enum may hold values that
/// are not enumerators. The header names this type `albauth_status` (cbindgen.toml renames
/// it); taking the Rust enum itself would make an unknown value undefined behaviour.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawStatus(pub u32);

impl From<albauth_status> for RawStatus {
    fn from(s: albauth_status) -> RawStatus {
        RawStatus(s as u32)
    }
}

impl albauth_status {
    /// Every status, in numeric order.
    ///
    /// cbindgen:ignore
    pub const ALL: [albauth_status; 21] = [
        ALBAUTH_OK,
        ALBAUTH_ANONYMOUS,
        ALBAUTH_MALFORMED_TOKEN,
        ALBAUTH_UNSUPPORTED_ALGORITHM,
        ALBAUTH_INVALID_KEY_ID,
        ALBAUTH_SIGNER_NOT_TRUSTED,
        ALBAUTH_ISSUER_MISMATCH,
        ALBAUTH_CLIENT_MISMATCH,
        ALBAUTH_EXPIRED,
        ALBAUTH_INVALID_SIGNATURE,
        ALBAUTH_KEY_UNAVAILABLE,
        ALBAUTH_CLAIM_MISSING,
        ALBAUTH_HEADER_TOO_LARGE,
        ALBAUTH_IDENTITY_MISMATCH,
        ALBAUTH_ACCESS_TOKEN_INVALID,
        ALBAUTH_CONFIG_INVALID,
        ALBAUTH_USERNAME_NOT_ALLOWED,
        ALBAUTH_NULL_ARGUMENT,
        ALBAUTH_INVALID_ARGUMENT,
        ALBAUTH_PANIC,
        ALBAUTH_DIRECTORY_FAILED,
    ];

    /// The status for an error kind. Exhaustive on purpose: a new [`ErrorKind`] does not
    /// compile until it has a status here.
    pub const fn from_kind(kind: ErrorKind) -> albauth_status {
        match kind {
            ErrorKind::MalformedToken => ALBAUTH_MALFORMED_TOKEN,
            ErrorKind::UnsupportedAlgorithm => ALBAUTH_UNSUPPORTED_ALGORITHM,
            ErrorKind::InvalidKeyId => ALBAUTH_INVALID_KEY_ID,
            ErrorKind::SignerNotTrusted => ALBAUTH_SIGNER_NOT_TRUSTED,
            ErrorKind::IssuerMismatch => ALBAUTH_ISSUER_MISMATCH,
            ErrorKind::ClientMismatch => ALBAUTH_CLIENT_MISMATCH,
            ErrorKind::Expired => ALBAUTH_EXPIRED,
            ErrorKind::InvalidSignature => ALBAUTH_INVALID_SIGNATURE,
            ErrorKind::KeyUnavailable => ALBAUTH_KEY_UNAVAILABLE,
            ErrorKind::ClaimMissing => ALBAUTH_CLAIM_MISSING,
            ErrorKind::HeaderTooLarge => ALBAUTH_HEADER_TOO_LARGE,
            ErrorKind::IdentityMismatch => ALBAUTH_IDENTITY_MISMATCH,
            ErrorKind::AccessTokenInvalid => ALBAUTH_ACCESS_TOKEN_INVALID,
            ErrorKind::ConfigInvalid => ALBAUTH_CONFIG_INVALID,
            ErrorKind::UsernameNotAllowed => ALBAUTH_USERNAME_NOT_ALLOWED,
        }
    }

    /// The status with this number, if there is one.
    pub fn from_raw(value: u32) -> Option<albauth_status> {
        albauth_status::ALL.into_iter().find(|s| *s as u32 == value)
    }

    /// The stable snake_case name (the error code for the 100 range).
    pub const fn name(self) -> &'static CStr {
        match self {
            ALBAUTH_OK => c"ok",
            ALBAUTH_ANONYMOUS => c"anonymous",
            ALBAUTH_MALFORMED_TOKEN => c"malformed_token",
            ALBAUTH_UNSUPPORTED_ALGORITHM => c"unsupported_algorithm",
            ALBAUTH_INVALID_KEY_ID => c"invalid_key_id",
            ALBAUTH_SIGNER_NOT_TRUSTED => c"signer_not_trusted",
            ALBAUTH_ISSUER_MISMATCH => c"issuer_mismatch",
            ALBAUTH_CLIENT_MISMATCH => c"client_mismatch",
            ALBAUTH_EXPIRED => c"expired",
            ALBAUTH_INVALID_SIGNATURE => c"invalid_signature",
            ALBAUTH_KEY_UNAVAILABLE => c"key_unavailable",
            ALBAUTH_CLAIM_MISSING => c"claim_missing",
            ALBAUTH_HEADER_TOO_LARGE => c"header_too_large",
            ALBAUTH_IDENTITY_MISMATCH => c"identity_mismatch",
            ALBAUTH_ACCESS_TOKEN_INVALID => c"access_token_invalid",
            ALBAUTH_CONFIG_INVALID => c"config_invalid",
            ALBAUTH_USERNAME_NOT_ALLOWED => c"username_not_allowed",
            ALBAUTH_NULL_ARGUMENT => c"null_argument",
            ALBAUTH_INVALID_ARGUMENT => c"invalid_argument",
            ALBAUTH_PANIC => c"panic",
            ALBAUTH_DIRECTORY_FAILED => c"directory_failed",
        }
    }
}
