//! Versions: of the ABI (checked by callers at start-up) and of the library.

use std::ffi::{c_char, CStr};

use super::boundary::guard;
use super::status::{albauth_status, RawStatus};

/// The ABI version this header describes. It changes only when a released function, type or
/// status value changes incompatibly; compare it with albauth_abi_version() at start-up to
/// catch a header/library mismatch.
pub const ALBAUTH_ABI_VERSION: u32 = 1;

const VERSION_C: &CStr = match CStr::from_bytes_with_nul(
    concat!("albauth ", env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
) {
    Ok(v) => v,
    Err(_) => panic!("the version string has no interior NUL"),
};

/// The ABI version of the loaded library (ALBAUTH_ABI_VERSION when it was built).
///
/// Thread-safety: callable from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn albauth_abi_version() -> u32 {
    guard(0, || ALBAUTH_ABI_VERSION)
}

/// The library version, e.g. "albauth 0.1.0": a static NUL-terminated string, never NULL,
/// never to be freed.
///
/// Thread-safety: callable from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn albauth_version() -> *const c_char {
    guard(VERSION_C.as_ptr(), || VERSION_C.as_ptr())
}

/// The stable snake_case name of a status: "ok", "anonymous", an error code such as
/// "signer_not_trusted" or "expired", "null_argument", "invalid_argument", "panic"; "unknown"
/// for a value that is not an albauth_status. A static NUL-terminated string, never NULL,
/// never to be freed.
///
/// Thread-safety: callable from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn albauth_status_name(status: RawStatus) -> *const c_char {
    guard(c"unknown".as_ptr(), || {
        albauth_status::from_raw(status.0)
            .map_or(c"unknown", albauth_status::name)
            .as_ptr()
    })
}
