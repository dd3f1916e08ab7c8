//! Inputs the fuzzers found (fuzz/, docs/fuzzing.md), kept as regression tests. Each input is
//! committed under tests/fixtures/fuzz/ byte for byte, named after its fuzz target, and
//! replayed here through the same calls the target makes.
//!
//! They need no network and no signature check, so they also run under Miri:
//!     cargo +nightly miri test --no-default-features --features rust-crypto --test fuzz_regressions
mod common;

use std::ffi::c_char;
use std::ptr;

use albauth::ffi::*;
use common::*;
use serde_json::json;

/// A committed fuzz input, compiled in (no file I/O, so these tests also run under Miri).
macro_rules! input {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/fuzz/", $name)).as_slice()
    };
}

/// The c_abi target's input format: byte 0 holds options, then `name\0value\0name\0value...`.
/// Returns the options and the headers, pointing into `data`.
fn c_abi_headers(data: &[u8]) -> (u8, Vec<albauth_header>) {
    let (&options, rest) = data.split_first().expect("non-empty input");
    let mut parts = rest.split(|b| *b == 0);
    let mut headers = Vec::new();
    while let Some(name) = parts.next() {
        headers.push(albauth_header {
            name: albauth_str::from_bytes(name),
            value: albauth_str::from_bytes(parts.next().unwrap_or(b"")),
        });
    }
    (options, headers)
}

fn c_verifier() -> *mut albauth_verifier {
    let k = TestKey::new(1);
    let config = config(None, &[&k], json!({"token_cache_size": 0}));
    let mut v = ptr::null_mut();
    // SAFETY: a valid string view and a writable out pointer; err may be NULL.
    let status =
        unsafe { albauth_verifier_new(albauth_str::new(&config), &mut v, ptr::null_mut()) };
    assert_eq!(status, albauth_status::ALBAUTH_OK);
    v
}

/// Found by fuzz target c_abi: when a header was not UTF-8, albauth_verify_explained returned
/// ALBAUTH_INVALID_ARGUMENT without writing the buffer, so a C caller printing the report
/// read uninitialised bytes past its end. Now the buffer always holds a terminated report.
#[test]
fn explain_buffer_is_terminated_when_a_header_is_not_utf8() {
    let data = input!("c_abi-explain-invalid-utf8");
    let (options, headers) = c_abi_headers(data);
    assert!(
        std::str::from_utf8(data).is_err(),
        "the input carries invalid UTF-8"
    );
    let len = usize::from(options >> 1) * 2;
    assert!(len > 0);
    let mut buf = vec![0x55 as c_char; len];
    let v = c_verifier();
    // SAFETY: live verifier; headers point into `data`, alive for the call; buf writable.
    let status = unsafe {
        albauth_verify_explained(
            v,
            headers.as_ptr(),
            headers.len(),
            NOW,
            buf.as_mut_ptr(),
            len,
            ptr::null_mut(),
        )
    };
    // SAFETY: made above, freed once.
    unsafe { albauth_verifier_free(v) };
    assert_eq!(status, albauth_status::ALBAUTH_INVALID_ARGUMENT);
    assert_eq!(buf[0], 0, "an empty, terminated report");
}

/// The same guarantee for the other early failures: a NULL verifier.
#[test]
fn explain_buffer_is_terminated_when_the_verifier_is_null() {
    let mut buf = [0x55 as c_char; 16];
    // SAFETY: NULL verifier (refused), no headers, writable buf.
    let status = unsafe {
        albauth_verify_explained(
            ptr::null(),
            ptr::null(),
            0,
            NOW,
            buf.as_mut_ptr(),
            buf.len(),
            ptr::null_mut(),
        )
    };
    assert_eq!(status, albauth_status::ALBAUTH_NULL_ARGUMENT);
    assert_eq!(buf[0], 0);
}
