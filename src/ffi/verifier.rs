//! The verifier handle: build, verify, warm, count, free.

use std::ffi::c_char;
use std::sync::Arc;

use super::boundary::{fallible, guard, str_arg, Failure};
use super::headers::Headers;
use super::identity::albauth_identity;
use super::status::{albauth_status, albauth_status::*, RawStatus};
use super::types::{albauth_error, albauth_header, albauth_stats, albauth_str};
use crate::bridge::{borrow, clock, release, ArcHandle};
use crate::verify::Outcome;
use crate::Verifier;

/// Most headers one albauth_verify() call accepts; more is ALBAUTH_INVALID_ARGUMENT.
pub const ALBAUTH_MAX_HEADERS: usize = 1024;

/// Most kids one albauth_verifier_prefetch() call accepts.
const MAX_KIDS: usize = 1024;

/// A verifier: one configuration with its key and token caches. Opaque.
///
/// Thread-safe: share one across all request threads (verification takes no global lock).
/// Immutable: to change the configuration, build a new one (see albauth_verifier_new()).
pub struct albauth_verifier {
    _private: [u8; 0],
}

impl ArcHandle for albauth_verifier {
    type Target = Verifier;
}

impl albauth_verifier {
    /// Hands a Rust-built [`Verifier`] (for example one with a custom key fetcher) to C
    /// code. The caller owns the result and frees it with `albauth_verifier_free`.
    pub fn into_raw(verifier: Verifier) -> *mut albauth_verifier {
        <albauth_verifier as ArcHandle>::into_raw(Arc::new(verifier)).cast_mut()
    }
}

/// A verifier argument; `Failure::Null` when NULL.
///
/// # Safety
/// `v` must be NULL or a live verifier for `'a`.
pub(crate) unsafe fn verifier<'a>(v: *const albauth_verifier) -> Result<&'a Verifier, Failure> {
    // SAFETY: forwarded contract.
    unsafe { borrow(v) }.ok_or(Failure::Null("v".into()))
}

/// Builds a verifier from a JSON configuration (the fields are those of albauth's
/// configuration file). Does no network I/O: keys are fetched on first use, or by
/// albauth_verifier_prefetch().
///
/// On ALBAUTH_OK, `*out` holds a new verifier that the caller owns and must release with
/// albauth_verifier_free() exactly once; on anything else `*out` is left untouched.
///
/// Returns ALBAUTH_OK; ALBAUTH_CONFIG_INVALID (the message names the field);
/// ALBAUTH_INVALID_ARGUMENT (config_json is not UTF-8); ALBAUTH_NULL_ARGUMENT (`out` is NULL,
/// or config_json.ptr is NULL with a non-zero len); ALBAUTH_PANIC.
///
/// To reload a configuration, build a new verifier while the old one keeps serving; if the
/// build fails keep the old one (and log err->message); if it succeeds, publish the new
/// pointer and free the old one once no thread is inside a call on it. Identities outlive
/// the verifier that made them.
///
/// Thread-safety: callable from any thread.
///
/// # Safety
/// config_json must be readable as described by albauth_str; `out` must be NULL or
/// writable; `err` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_verifier_new(
    config_json: albauth_str,
    out: *mut *mut albauth_verifier,
    err: *mut albauth_error,
) -> albauth_status {
    let body = || {
        if out.is_null() {
            return Err(Failure::Null("out".into()));
        }
        // SAFETY: config_json is readable for this call (contract).
        let json = unsafe { str_arg(config_json, "config_json") }?;
        let verifier = Verifier::from_json(json).map_err(Failure::Rejected)?;
        // SAFETY: `out` is non-NULL and writable (contract).
        unsafe { out.write(albauth_verifier::into_raw(verifier)) };
        Ok(ALBAUTH_OK)
    };
    // SAFETY: `err` is NULL or writable (this function's contract).
    unsafe { fallible(err, body) }
}

/// Releases a verifier made by albauth_verifier_new(). NULL is a no-op. No thread may be
/// inside a call on it, and it must not be used afterwards. Identities it returned stay
/// valid.
///
/// # Safety
/// `v` must be NULL or a verifier from albauth_verifier_new() not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_verifier_free(v: *mut albauth_verifier) {
    // SAFETY: `v` is NULL or a verifier from albauth_verifier_new(), freed once (contract).
    guard((), || unsafe { release(v.cast_const()) })
}

/// Verifies one request's identity headers and resolves the user.
///
/// `headers` holds `n_headers` request headers (names in any case). Only the x-amzn-oidc-*
/// ones are used, but every name and value passed must be UTF-8, so pass only those headers
/// (HTTP allows non-UTF-8 bytes in others). `headers` may be NULL when `n_headers` is 0.
/// At most ALBAUTH_MAX_HEADERS headers. `now_unix` is the time to check expiry against, in
/// seconds since 1970; 0 means the system clock.
///
/// Returns ALBAUTH_OK with `*out` set to a new identity, which the caller owns and must
/// release with albauth_identity_free(); ALBAUTH_ANONYMOUS when there is no
/// x-amzn-oidc-data header; a rejection (100 to 199) with `err` saying why;
/// ALBAUTH_NULL_ARGUMENT (`v` or `out` is NULL, `headers` is NULL with `n_headers` > 0, or a
/// string ptr is NULL with a non-zero len); ALBAUTH_INVALID_ARGUMENT (a header is not UTF-8,
/// or too many headers); ALBAUTH_PANIC. On anything but ALBAUTH_OK, `*out` is set to NULL
/// (when `out` is not NULL).
///
/// Thread-safety: call it from any number of threads at once on one verifier. It may block
/// on a key fetch (bounded by key_fetch_timeout_ms) the first time a kid is seen.
///
/// # Safety
/// `v` must be NULL or a live verifier; `headers` must be NULL or point to `n_headers`
/// readable headers whose strings stay unchanged during the call; `out` and `err` must be
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_verify(
    v: *const albauth_verifier,
    headers: *const albauth_header,
    n_headers: usize,
    now_unix: i64,
    out: *mut *mut albauth_identity,
    err: *mut albauth_error,
) -> albauth_status {
    if !out.is_null() {
        // SAFETY: `out` is non-NULL and writable (contract).
        unsafe { out.write(std::ptr::null_mut()) };
    }
    let body = || {
        // SAFETY: `v` is NULL or a live verifier (contract).
        let v = unsafe { verifier(v) }?;
        if out.is_null() {
            return Err(Failure::Null("out".into()));
        }
        // SAFETY: `headers` and its strings are readable during the call (contract).
        let headers = unsafe { Headers::from_raw(headers, n_headers) }?;
        let outcome = v.verify(headers.iter(), clock(now_unix));
        if let Outcome::Authenticated(id) = &outcome {
            let id = <albauth_identity as ArcHandle>::into_raw(id.clone()).cast_mut();
            // SAFETY: `out` is non-NULL and writable (contract).
            unsafe { out.write(id) };
        }
        Failure::from_outcome(outcome)
    };
    // SAFETY: `err` is NULL or writable (contract).
    unsafe { fallible(err, body) }
}

/// Like albauth_verify(), but returns no identity and instead writes a report of every
/// check (pass or FAIL, and why) plus configuration warnings into `buf`, for an admin
/// diagnosing a setup. Skips the verified-token cache, so it costs a full verification.
///
/// `buf` receives at most `buf_len` - 1 bytes of UTF-8 text (cut at a character boundary)
/// and a NUL, even when the call fails (then the report is empty); it may be NULL when
/// `buf_len` is 0. The report never contains a token or personal data. Returns the status
/// albauth_verify() would (not ALBAUTH_OK's identity); ALBAUTH_NULL_ARGUMENT if `buf` is
/// NULL with `buf_len` > 0.
///
/// Thread-safety: as albauth_verify().
///
/// # Safety
/// As albauth_verify(); `buf` must be NULL or writable for `buf_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_verify_explained(
    v: *const albauth_verifier,
    headers: *const albauth_header,
    n_headers: usize,
    now_unix: i64,
    buf: *mut c_char,
    buf_len: usize,
    err: *mut albauth_error,
) -> albauth_status {
    let body = || {
        if buf.is_null() && buf_len > 0 {
            return Err(Failure::Null("buf".into()));
        }
        if buf_len > 0 {
            // An empty report until there is one, so a caller printing `buf` after an
            // argument error never reads past it.
            // SAFETY: `buf` is non-NULL and writable for buf_len >= 1 bytes (contract).
            unsafe { buf.write(0) };
        }
        // SAFETY: `v` is NULL or a live verifier (contract).
        let v = unsafe { verifier(v) }?;
        // SAFETY: `headers` and its strings are readable during the call (contract).
        let headers = unsafe { Headers::from_raw(headers, n_headers) }?;
        let (outcome, explanation) = v.verify_explained(headers.iter(), clock(now_unix));
        let text = explanation.render();
        if buf_len > 0 {
            let mut n = text.len().min(buf_len - 1);
            while !text.is_char_boundary(n) {
                n -= 1;
            }
            // SAFETY: `buf` is non-NULL and writable for buf_len bytes (contract);
            // n + 1 <= buf_len.
            unsafe {
                std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
                buf.add(n).write(0);
            }
        }
        Failure::from_outcome(outcome)
    };
    // SAFETY: `err` is NULL or writable (contract).
    unsafe { fallible(err, body) }
}

/// Fetches the keys for `kids` (UUIDs) from every trusted ALB's key endpoint now, so that
/// the first requests do not wait for a fetch (start-up warming). Blocks for the fetches.
///
/// On ALBAUTH_OK, `*available` (if not NULL) is the number of (kid, endpoint) keys now
/// held; OK means at least one key is available, or `n_kids` is 0. If none is, returns
/// the first failure (ALBAUTH_KEY_UNAVAILABLE, ALBAUTH_INVALID_KEY_ID, ...) with `err`
/// saying why. ALBAUTH_NULL_ARGUMENT if `v` is NULL or `kids` is NULL with `n_kids` > 0;
/// ALBAUTH_INVALID_ARGUMENT if a kid is not UTF-8 or `n_kids` > 1024; ALBAUTH_PANIC.
///
/// Thread-safety: callable while other threads verify on the same verifier.
///
/// # Safety
/// `v` must be NULL or a live verifier; `kids` must be NULL or point to `n_kids` readable
/// strings; `available` and `err` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_verifier_prefetch(
    v: *const albauth_verifier,
    kids: *const albauth_str,
    n_kids: usize,
    available: *mut usize,
    err: *mut albauth_error,
) -> albauth_status {
    let body = || {
        // SAFETY: `v` is NULL or a live verifier (contract).
        let v = unsafe { verifier(v) }?;
        let mut list: Vec<&str> = Vec::new();
        if n_kids > 0 {
            if kids.is_null() {
                return Err(Failure::Null("kids".into()));
            }
            if n_kids > MAX_KIDS {
                return Err(Failure::Invalid(
                    format!("n_kids is {n_kids}, more than {MAX_KIDS}").into(),
                ));
            }
            // SAFETY: non-NULL, at most MAX_KIDS entries, readable (contract).
            let raw = unsafe { std::slice::from_raw_parts(kids, n_kids) };
            for k in raw {
                // SAFETY: each string is readable during the call (contract).
                list.push(unsafe { str_arg(*k, "kids[]") }?);
            }
        }
        let n = match list.is_empty() {
            true => 0,
            false => v.prefetch(&list).map_err(Failure::Rejected)?,
        };
        if !available.is_null() {
            // SAFETY: non-NULL and writable (contract).
            unsafe { available.write(n) };
        }
        Ok(ALBAUTH_OK)
    };
    // SAFETY: `err` is NULL or writable (contract).
    unsafe { fallible(err, body) }
}

/// Reads the verifier's counters (since it was built) into `*out`, for metrics. Cheap
/// enough to call every few seconds; counting itself costs requests nothing measurable.
///
/// Returns ALBAUTH_OK; ALBAUTH_NULL_ARGUMENT if `v` or `out` is NULL (then `*out` is
/// untouched); ALBAUTH_PANIC.
///
/// Thread-safety: callable while other threads verify on the same verifier.
///
/// # Safety
/// `v` must be NULL or a live verifier; `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_verifier_stats(
    v: *const albauth_verifier,
    out: *mut albauth_stats,
) -> albauth_status {
    let body = || {
        // SAFETY: `v` is NULL or a live verifier (contract).
        let v = unsafe { verifier(v) }?;
        if out.is_null() {
            return Err(Failure::Null("out".into()));
        }
        let s = v.stats();
        let stats = albauth_stats {
            authenticated: s.authenticated,
            anonymous: s.anonymous,
            rejected: s.rejected,
            token_cache_hits: s.token_cache_hits,
            token_cache_misses: s.token_cache_misses,
            key_fetches: s.key_fetches,
            key_fetch_failures: s.key_fetch_failures,
            key_fetches_suppressed: s.key_fetches_suppressed,
            cached_keys: v.cached_keys() as u64,
            cached_tokens: v.cached_tokens() as u64,
        };
        // SAFETY: non-NULL and writable (contract).
        unsafe { out.write(stats) };
        Ok(ALBAUTH_OK)
    };
    // SAFETY: no `err` to write.
    unsafe { fallible(std::ptr::null_mut(), body) }
}

/// How many requests this verifier rejected with `status` (one of 100 to 199); 0 for any
/// other value, or if `v` is NULL.
///
/// Thread-safety: callable while other threads verify on the same verifier.
///
/// # Safety
/// `v` must be NULL or a live verifier.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_verifier_rejections(
    v: *const albauth_verifier,
    status: RawStatus,
) -> u64 {
    guard(0, || {
        // SAFETY: `v` is NULL or a live verifier (contract).
        let Ok(v) = (unsafe { verifier(v) }) else {
            return 0;
        };
        let Some(wanted) = albauth_status::from_raw(status.0) else {
            return 0;
        };
        v.stats()
            .rejected_by_kind
            .iter()
            .find(|(kind, _)| albauth_status::from_kind(*kind) == wanted)
            .map_or(0, |(_, n)| *n)
    })
}
