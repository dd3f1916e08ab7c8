//! The caller's header array as `(&str, &str)` pairs, without copying a byte.
//!
//! Every name and value is checked to be UTF-8 before the verifier sees any of them, so a
//! bad byte anywhere gives `ALBAUTH_INVALID_ARGUMENT` and touches no counter. Cost: one pass
//! over everything passed (`is_ascii` first, about 25 ns per KiB, then `from_utf8` if needed),
//! which is why callers are told to pass only the `x-amzn-oidc-*` headers: albauth ignores
//! the rest anyway, and a legal non-UTF-8 byte in an unrelated header (HTTP allows obs-text)
//! would otherwise refuse the request.

use super::boundary::Failure;
use super::types::{albauth_header, albauth_str};
use super::verifier::ALBAUTH_MAX_HEADERS as MAX_HEADERS;

/// A header array whose every name and value is known to be UTF-8.
pub(crate) struct Headers<'a>(&'a [albauth_header]);

impl<'a> Headers<'a> {
    /// Checks the array: NULL only with `n` 0, at most [`MAX_HEADERS`] entries, every string
    /// non-NULL (or empty) and UTF-8.
    ///
    /// # Safety
    /// A non-NULL `ptr` must point to `n` readable headers whose strings are readable and
    /// unchanged for `'a`.
    pub(crate) unsafe fn from_raw(
        ptr: *const albauth_header,
        n: usize,
    ) -> Result<Headers<'a>, Failure> {
        if n == 0 {
            return Ok(Headers(&[]));
        }
        if ptr.is_null() {
            return Err(Failure::Null("headers".into()));
        }
        if n > MAX_HEADERS {
            return Err(Failure::Invalid(
                format!("n_headers is {n}, more than ALBAUTH_MAX_HEADERS ({MAX_HEADERS})").into(),
            ));
        }
        // SAFETY: non-NULL, n <= MAX_HEADERS so the size is far below isize::MAX, and the
        // caller vouches for n readable headers living for 'a.
        let headers = unsafe { std::slice::from_raw_parts(ptr, n) };
        for (i, h) in headers.iter().enumerate() {
            for (s, part) in [(h.name, "name"), (h.value, "value")] {
                // SAFETY: the caller vouches for each string (this function's contract).
                let bytes = unsafe { super::boundary::bytes_arg(s, "header string") }.map_err(
                    |e| match e {
                        Failure::Null(_) => {
                            Failure::Null(format!("headers[{i}].{part}.ptr").into())
                        }
                        other => other,
                    },
                )?;
                if !is_utf8(bytes) {
                    return Err(Failure::Invalid(
                        format!("headers[{i}].{part} is not valid UTF-8").into(),
                    ));
                }
            }
        }
        Ok(Headers(headers))
    }

    /// The pairs, for `Verifier::verify`.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.0.iter().map(|h| {
            // SAFETY: `from_raw` checked both strings: readable for 'a, and UTF-8.
            unsafe { (valid_str(h.name), valid_str(h.value)) }
        })
    }
}

/// Whether `b` is UTF-8. Headers are ASCII in practice, and `is_ascii` checks a 1 KiB token
/// in about half the time `from_utf8` takes, so it goes first.
fn is_utf8(b: &[u8]) -> bool {
    b.is_ascii() || std::str::from_utf8(b).is_ok()
}

/// # Safety
/// `s` must have passed the checks of [`Headers::from_raw`] and live for `'a`.
unsafe fn valid_str<'a>(s: albauth_str) -> &'a str {
    // SAFETY: `s` is readable for 'a (caller) ...
    let bytes = unsafe { s.as_bytes() };
    // SAFETY: ... and was checked to be UTF-8 by `from_raw` (caller).
    unsafe { std::str::from_utf8_unchecked(bytes) }
}
