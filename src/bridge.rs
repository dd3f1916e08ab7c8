//! What the C ABI (`ffi`) and the JNI glue (`java`) share, written once: how a handle owns
//! its Rust value, what `now == 0` means, and which status an outcome is.
//!
//! The status numbers themselves are [`albauth_status`] (in `ffi`, so cbindgen sees them);
//! the JNI reply carries the same numbers.

use std::sync::Arc;

use crate::ffi::albauth_status;
use crate::verify::Outcome;

/// A foreign handle type: an opaque pointer that owns one `Arc<Self::Target>`.
///
/// Implemented once per handle type, so the pairing of `into_raw` and `from_raw` is decided
/// by the type, never by the call site (after rustls-ffi's `Castable`). A pointer of one
/// handle type cannot be released or borrowed as another's target.
pub(crate) trait ArcHandle: Sized {
    /// The Rust value the handle owns.
    type Target: Send + Sync;

    /// Gives up one reference to `value` as a handle pointer; release it with [`release`].
    fn into_raw(value: Arc<Self::Target>) -> *const Self {
        Arc::into_raw(value).cast()
    }
}

/// Borrows a handle's value; `None` for NULL.
///
/// # Safety
/// `p` must be NULL or a pointer from `H::into_raw` not yet released, and stay unreleased
/// for `'a`.
pub(crate) unsafe fn borrow<'a, H: ArcHandle>(p: *const H) -> Option<&'a H::Target> {
    // SAFETY: a non-NULL `p` came from Arc::into_raw of an `Arc<H::Target>` (contract).
    unsafe { p.cast::<H::Target>().as_ref() }
}

/// Releases a handle's reference; NULL is a no-op.
///
/// # Safety
/// `p` must be NULL or a pointer from `H::into_raw`, released only this once.
pub(crate) unsafe fn release<H: ArcHandle>(p: *const H) {
    if !p.is_null() {
        // SAFETY: `p` came from Arc::into_raw of an `Arc<H::Target>` and is released once.
        drop(unsafe { Arc::from_raw(p.cast::<H::Target>()) });
    }
}

/// The bridges' clock convention: 0 means the system clock, anything else is Unix seconds.
pub(crate) fn clock(now_unix: i64) -> Option<i64> {
    (now_unix != 0).then_some(now_unix)
}

/// The status of an outcome: `ALBAUTH_OK`, `ALBAUTH_ANONYMOUS`, or the rejection's code.
pub(crate) fn status_of(outcome: &Outcome) -> albauth_status {
    match outcome {
        Outcome::Authenticated(_) => albauth_status::ALBAUTH_OK,
        Outcome::Anonymous => albauth_status::ALBAUTH_ANONYMOUS,
        Outcome::Rejected(e) => albauth_status::from_kind(e.kind()),
    }
}
