//! The one boundary every exported function runs in: panics are caught, failures become a
//! status plus a message in the caller's `albauth_error`, and raw arguments are checked
//! before use (NULL, length, UTF-8).

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::status::albauth_status::{self, *};
use super::types::{albauth_error, albauth_str};
use crate::bridge::status_of;
use crate::error::Error;
use crate::verify::Outcome;

/// Why a fallible call did not succeed.
pub(crate) enum Failure {
    /// A pointer argument (named) was NULL.
    Null(Cow<'static, str>),
    /// An argument is out of range or not UTF-8 (the message says which, never its content).
    Invalid(Cow<'static, str>),
    /// The verifier refused the request or the configuration.
    Rejected(Error),
    /// The IdP's directory could not be listed (the message names the call and host).
    Directory(String),
    /// A panic was caught.
    Panic,
}

impl Failure {
    /// An outcome as a call's result: a rejection fails with its code, the rest succeed.
    pub(crate) fn from_outcome(outcome: Outcome) -> Result<albauth_status, Failure> {
        match outcome {
            Outcome::Rejected(e) => Err(Failure::Rejected(e)),
            other => Ok(status_of(&other)),
        }
    }

    fn status(&self) -> albauth_status {
        match self {
            Failure::Null(_) => ALBAUTH_NULL_ARGUMENT,
            Failure::Invalid(_) => ALBAUTH_INVALID_ARGUMENT,
            Failure::Rejected(e) => albauth_status::from_kind(e.kind()),
            Failure::Directory(_) => ALBAUTH_DIRECTORY_FAILED,
            Failure::Panic => ALBAUTH_PANIC,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Null(what) => write!(f, "null_argument: `{what}` is NULL"),
            Failure::Invalid(why) => write!(f, "invalid_argument: {why}"),
            Failure::Rejected(e) => write!(f, "{}: {}", e.code(), e.detail()),
            Failure::Directory(why) => write!(f, "directory_failed: {why}"),
            Failure::Panic => f.write_str(
                "panic: internal error in albauth (a bug, please report it); nothing was authenticated",
            ),
        }
    }
}

/// Runs `f`, returning `fallback` if it panics (functions without a status use it directly).
pub(crate) fn guard<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            // Dropping the payload runs foreign Drop code that could panic again, outside
            // any catch; leaking a few bytes on a bug path is the safe choice.
            std::mem::forget(payload);
            fallback
        }
    }
}

/// Runs a fallible body: catches panics, and writes the status and message to `err`.
///
/// # Safety
/// `err` must be NULL or point to memory writable as an `albauth_error`.
pub(crate) unsafe fn fallible(
    err: *mut albauth_error,
    f: impl FnOnce() -> Result<albauth_status, Failure>,
) -> albauth_status {
    let result = guard(Err(Failure::Panic), f);
    let status = match &result {
        Ok(s) => *s,
        Err(fail) => fail.status(),
    };
    if !err.is_null() {
        // SAFETY: `err` is non-NULL, and the caller vouches that it is writable.
        unsafe { write_error(err, status, result.as_ref().err()) };
    }
    status
}

/// Writes `status` and the failure's message (empty for none) into `*err`. Cannot panic.
///
/// # Safety
/// `err` must point to memory writable as an `albauth_error`.
unsafe fn write_error(err: *mut albauth_error, status: albauth_status, failure: Option<&Failure>) {
    let mut msg = Message::default();
    if let Some(f) = failure {
        // Message::write_str never fails; the result carries nothing.
        let _ = write!(msg, "{f}");
    }
    // SAFETY: `err` is writable (caller); the writes go through raw places, so the C
    // caller's possibly uninitialised struct is never read or referenced; `msg.len` is at
    // most 255, so the copy and the NUL stay inside the 256-byte `message`.
    unsafe {
        (*err).status = status as i32;
        let dst = std::ptr::addr_of_mut!((*err).message).cast::<u8>();
        std::ptr::copy_nonoverlapping(msg.buf.as_ptr(), dst, msg.len);
        dst.add(msg.len).write(0);
    }
}

/// A message being formatted into at most 255 bytes: cut at a UTF-8 boundary and at any
/// NUL, and nothing appended once something had to be cut.
struct Message {
    buf: [u8; 255],
    len: usize,
    full: bool,
}

impl Default for Message {
    fn default() -> Message {
        Message {
            buf: [0; 255],
            len: 0,
            full: false,
        }
    }
}

impl fmt::Write for Message {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.full {
            return Ok(());
        }
        let mut n = s.len().min(self.buf.len() - self.len);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        let part = &s[..n];
        let part = part.split('\0').next().unwrap_or("");
        self.full = part.len() < s.len();
        self.buf[self.len..self.len + part.len()].copy_from_slice(part.as_bytes());
        self.len += part.len();
        Ok(())
    }
}

/// The bytes of an input string; `{NULL, 0}` is the empty string.
///
/// # Safety
/// A non-NULL `s.ptr` must point to `s.len` readable bytes, unchanged for `'a`.
pub(crate) unsafe fn bytes_arg<'a>(
    s: albauth_str,
    name: &'static str,
) -> Result<&'a [u8], Failure> {
    if s.ptr.is_null() {
        return match s.len {
            0 => Ok(&[]),
            _ => Err(Failure::Null(name.into())),
        };
    }
    if s.len > isize::MAX as usize {
        return Err(Failure::Invalid(
            format!("`{name}` is longer than isize::MAX").into(),
        ));
    }
    // SAFETY: non-NULL, at most isize::MAX bytes, and the caller vouches they are readable.
    Ok(unsafe { std::slice::from_raw_parts(s.ptr.cast(), s.len) })
}

/// An input string checked to be UTF-8 (without copying it).
///
/// # Safety
/// As for [`bytes_arg`].
pub(crate) unsafe fn str_arg<'a>(s: albauth_str, name: &'static str) -> Result<&'a str, Failure> {
    // SAFETY: forwarded from this function's own contract.
    let bytes = unsafe { bytes_arg(s, name) }?;
    std::str::from_utf8(bytes)
        .map_err(|_| Failure::Invalid(format!("`{name}` is not valid UTF-8").into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_body_is_the_panic_status_with_a_fixed_message() {
        let mut err = std::mem::MaybeUninit::<albauth_error>::uninit();
        // SAFETY: `err` is writable memory for an albauth_error.
        let s = unsafe {
            fallible(err.as_mut_ptr(), || -> Result<albauth_status, Failure> {
                panic!("secret-token-text")
            })
        };
        assert_eq!(s, ALBAUTH_PANIC);
        // SAFETY: fallible wrote the whole struct.
        let err = unsafe { err.assume_init() };
        assert_eq!(err.status, ALBAUTH_PANIC as i32);
        // SAFETY: write_error NUL-terminates the message.
        let msg = unsafe { std::ffi::CStr::from_ptr(err.message.as_ptr()) };
        let msg = msg.to_str().unwrap();
        assert!(msg.starts_with("panic: internal error in albauth"), "{msg}");
        assert!(!msg.contains("secret"), "the payload is never shown");
    }
}
