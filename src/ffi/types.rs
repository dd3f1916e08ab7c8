//! The plain C structs: strings, headers, the error detail and the counters.

use std::ffi::c_char;

/// A UTF-8 string as pointer and length, NOT NUL-terminated.
///
/// Passed in: `ptr` may be NULL only when `len` is 0 (the empty string); the bytes must stay
/// valid and unchanged during the call. Returned: borrowed from the handle it came from and
/// valid as long as that handle; `{NULL, 0}` means absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct albauth_str {
    /// The first byte (NULL for an absent or empty string).
    pub ptr: *const c_char,
    /// The length in bytes.
    pub len: usize,
}

impl albauth_str {
    /// `{NULL, 0}`: absent.
    pub const NULL: albauth_str = albauth_str {
        ptr: std::ptr::null(),
        len: 0,
    };

    /// A view of `s` (Rust callers and tests; the view must not outlive `s`).
    pub const fn new(s: &str) -> albauth_str {
        albauth_str::from_bytes(s.as_bytes())
    }

    /// A view of raw bytes, which need not be UTF-8 (the callee checks).
    pub const fn from_bytes(s: &[u8]) -> albauth_str {
        albauth_str {
            ptr: s.as_ptr().cast(),
            len: s.len(),
        }
    }

    /// `{NULL, 0}` for `None`.
    pub(crate) fn from_opt(s: Option<&str>) -> albauth_str {
        s.map_or(albauth_str::NULL, albauth_str::new)
    }

    /// Whether this is `{NULL, 0}`.
    pub fn is_null(&self) -> bool {
        self.ptr.is_null()
    }

    /// The bytes (empty when `ptr` is NULL).
    ///
    /// # Safety
    /// `ptr` must be NULL or point to `len` readable bytes that outlive `'a` unchanged.
    pub unsafe fn as_bytes<'a>(&self) -> &'a [u8] {
        if self.ptr.is_null() {
            return &[];
        }
        // SAFETY: non-NULL, and the caller vouches for `len` bytes living for 'a.
        unsafe { std::slice::from_raw_parts(self.ptr.cast(), self.len) }
    }
}

/// One HTTP request header: a name (any case) and a value.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct albauth_header {
    /// The header name, e.g. "x-amzn-oidc-data" (compared case-insensitively).
    pub name: albauth_str,
    /// The header value, exactly as received.
    pub value: albauth_str,
}

/// Why a call failed, for logs: written by every call that takes one (it may be NULL).
/// Nothing to free. The message never contains a token or personal data.
#[repr(C)]
pub struct albauth_error {
    /// The albauth_status the call returned.
    pub status: i32,
    /// "code: detail", e.g. "expired: token expired 42 s ago (...)"; empty for ALBAUTH_OK
    /// and ALBAUTH_ANONYMOUS. NUL-terminated UTF-8, truncated at a character boundary.
    pub message: [c_char; 256],
}

impl albauth_error {
    /// A cleared error (status 0, empty message).
    pub const fn new() -> albauth_error {
        albauth_error {
            status: 0,
            message: [0; 256],
        }
    }

    /// The message up to its NUL ("" if it is not UTF-8, which albauth never writes).
    pub fn message(&self) -> &str {
        let bytes = self.message_bytes();
        let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
        std::str::from_utf8(&bytes[..end]).unwrap_or("")
    }

    /// The whole message buffer as bytes.
    pub fn message_bytes(&self) -> &[u8; 256] {
        // SAFETY: c_char is i8 or u8: same size and alignment as u8, every bit pattern valid.
        unsafe { &*(&self.message as *const [c_char; 256]).cast::<[u8; 256]>() }
    }
}

impl Default for albauth_error {
    fn default() -> albauth_error {
        albauth_error::new()
    }
}

/// A snapshot of a verifier's counters since it was built, for metrics.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct albauth_stats {
    /// Requests that authenticated (ALBAUTH_OK).
    pub authenticated: u64,
    /// Requests without a token header (ALBAUTH_ANONYMOUS).
    pub anonymous: u64,
    /// Requests rejected, all codes (albauth_verifier_rejections() gives one code's count).
    pub rejected: u64,
    /// Verified-token cache hits.
    pub token_cache_hits: u64,
    /// Verified-token cache misses (full verifications).
    pub token_cache_misses: u64,
    /// Outbound key fetches attempted (ALB keys and access-token JWKS).
    pub key_fetches: u64,
    /// Key fetches that failed.
    pub key_fetch_failures: u64,
    /// Key lookups refused without a fetch (backoff after a failure, or the rate limit).
    pub key_fetches_suppressed: u64,
    /// ALB keys now in the key cache (pinned keys not counted).
    pub cached_keys: u64,
    /// Tokens now in the verified-token cache.
    pub cached_tokens: u64,
}
