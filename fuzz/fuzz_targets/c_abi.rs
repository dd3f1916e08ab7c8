//! The C ABI: `albauth_verify` and `albauth_verify_explained` with arbitrary bytes, invalid
//! UTF-8 included, called exactly as a C caller would.
//!
//! Input: byte 0 picks options (NULL `err`, the explain buffer size); the rest is header
//! names and values separated by NUL bytes (`name\0value\0name\0value`). Checks: a header
//! that is not UTF-8 (or more than ALBAUTH_MAX_HEADERS) gives ALBAUTH_INVALID_ARGUMENT; otherwise the status names the same
//! outcome as the Rust API; `*out` is set exactly on ALBAUTH_OK, and the identity's strings
//! are UTF-8 and freed; `err` and the explain buffer are NUL-terminated UTF-8.
#![no_main]

use std::ffi::{c_char, CStr};
use std::sync::OnceLock;

use albauth::ffi::*;
use albauth::{Outcome, Verifier};
use albauth_fuzz::{config_json, NOW};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

struct Shared(*mut albauth_verifier, Verifier);
// SAFETY: albauth_verifier is documented thread-safe; the pointer is never freed.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

fn verifiers() -> &'static Shared {
    static V: OnceLock<Shared> = OnceLock::new();
    V.get_or_init(|| {
        let config = config_json(json!({}));
        let mut v = std::ptr::null_mut();
        let mut err = albauth_error::new();
        // SAFETY: valid string view, writable out and err.
        let status = unsafe { albauth_verifier_new(albauth_str::new(&config), &mut v, &mut err) };
        assert_eq!(status, albauth_status::ALBAUTH_OK, "{}", err.message());
        Shared(v, Verifier::from_json(&config).expect("config"))
    })
}

fn status_name(s: albauth_status) -> &'static str {
    // SAFETY: albauth_status_name returns a static NUL-terminated string, never NULL.
    unsafe { CStr::from_ptr(albauth_status_name(s.into())) }
        .to_str()
        .expect("status names are ASCII")
}

/// A returned string view as UTF-8 (it must be).
fn text(s: albauth_str) -> &'static str {
    // SAFETY: borrowed from a live identity for the duration of the checks.
    std::str::from_utf8(unsafe { s.as_bytes() }).expect("albauth returns UTF-8")
}

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.split(|b| *b == 0);
    let mut headers = Vec::new();
    let mut all_utf8 = true;
    while let Some(name) = parts.next() {
        let value = parts.next().unwrap_or(b"");
        all_utf8 &= std::str::from_utf8(name).is_ok() && std::str::from_utf8(value).is_ok();
        headers.push(albauth_header {
            name: albauth_str::from_bytes(name),
            value: albauth_str::from_bytes(value),
        });
    }
    let shared = verifiers();

    // A non-NULL sentinel: albauth_verify must overwrite `*out` whatever happens.
    let mut out: *mut albauth_identity = std::ptr::dangling_mut();
    let mut err = albauth_error::new();
    let err_ptr: *mut albauth_error = if options & 1 == 0 {
        &mut err
    } else {
        std::ptr::null_mut()
    };
    // SAFETY: live verifier, `headers` readable for the call, writable out and err (or NULL).
    let status = unsafe {
        albauth_verify(
            shared.0,
            headers.as_ptr(),
            headers.len(),
            NOW,
            &mut out,
            err_ptr,
        )
    };

    if !all_utf8 || headers.len() > ALBAUTH_MAX_HEADERS {
        assert_eq!(status, albauth_status::ALBAUTH_INVALID_ARGUMENT);
    } else {
        let pairs: Vec<(&str, &str)> = rest
            .split(|b| *b == 0)
            .collect::<Vec<_>>()
            .chunks(2)
            .map(|c| {
                let v = c.get(1).copied().unwrap_or(b"");
                (
                    std::str::from_utf8(c[0]).unwrap(),
                    std::str::from_utf8(v).unwrap(),
                )
            })
            .collect();
        let expected = match shared.1.verify(pairs, Some(NOW)) {
            Outcome::Authenticated(_) => "ok",
            Outcome::Anonymous => "anonymous",
            Outcome::Rejected(e) => e.code(),
        };
        assert_eq!(status_name(status), expected);
    }

    if status == albauth_status::ALBAUTH_OK {
        assert!(!out.is_null());
        // SAFETY: `out` is a live identity until freed below.
        unsafe {
            assert!(!text(albauth_identity_username(out)).is_empty());
            let _ = text(albauth_identity_sub(out));
            let _ = text(albauth_identity_email(out));
            let _ = text(albauth_identity_display_name(out));
            let _ = text(albauth_identity_claims_json(out));
            let n = albauth_identity_group_count(out);
            for i in 0..n {
                let _ = text(albauth_identity_group(out, i));
            }
            assert!(albauth_identity_group(out, n).is_null());
            albauth_identity_free(out);
        }
    } else {
        assert!(
            out.is_null(),
            "*out must be NULL on {}",
            status_name(status)
        );
    }
    if !err_ptr.is_null() {
        assert_eq!(err.status, status as i32);
        assert!(
            err.message_bytes().contains(&0),
            "message is NUL-terminated"
        );
        assert!(std::str::from_utf8(
            &err.message_bytes()[..err.message_bytes().iter().position(|b| *b == 0).unwrap()]
        )
        .is_ok());
    }

    // The explain report into a buffer of 0 to 255 bytes: cut at a character boundary.
    let len = usize::from(options >> 1) * 2;
    let mut buf = vec![0x55 as c_char; len];
    let buf_ptr = if len == 0 {
        std::ptr::null_mut()
    } else {
        buf.as_mut_ptr()
    };
    // SAFETY: as above; `buf` writable for `len` bytes (or NULL with 0).
    let explained = unsafe {
        albauth_verify_explained(
            shared.0,
            headers.as_ptr(),
            headers.len(),
            NOW,
            buf_ptr,
            len,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(explained, status);
    if len > 0 {
        // SAFETY: c_char and u8 have the same layout.
        let bytes: &[u8] = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast(), len) };
        let end = bytes
            .iter()
            .position(|b| *b == 0)
            .expect("report is NUL-terminated");
        assert!(
            std::str::from_utf8(&bytes[..end]).is_ok(),
            "report is cut at a character boundary"
        );
    }
});
