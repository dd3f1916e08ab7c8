//! The C ABI, called from Rust exactly as C calls it: statuses, NULL and UTF-8 handling,
//! ownership, counters, panics.
//!
//! `abi::` needs no signature verification and no network, so it also runs under Miri:
//!     cargo +nightly miri test --no-default-features --features rust-crypto --test ffi abi::
//! (see docs/c-api.md for what cannot run there and why).
mod common;

use std::ffi::{c_char, CStr};
use std::ptr;

use albauth::ffi::*;
use albauth::ErrorKind;
use base64::Engine;
use common::*;
use serde_json::json;

/// A verifier owned by a test (freed on drop).
struct V(*mut albauth_verifier);

// SAFETY: albauth_verifier is documented thread-safe: any number of threads may call
// albauth_verify on it at once; only the owner frees it (on drop, after the threads end).
unsafe impl Send for V {}
// SAFETY: as above.
unsafe impl Sync for V {}

impl Drop for V {
    fn drop(&mut self) {
        // SAFETY: made by albauth_verifier_new / into_raw, freed only here.
        unsafe { albauth_verifier_free(self.0) };
    }
}

/// An identity owned by a test (freed on drop).
struct Id(*mut albauth_identity);

impl Drop for Id {
    fn drop(&mut self) {
        // SAFETY: returned by albauth_verify, freed only here.
        unsafe { albauth_identity_free(self.0) };
    }
}

impl Id {
    fn get(
        &self,
        f: unsafe extern "C" fn(*const albauth_identity) -> albauth_str,
    ) -> Option<String> {
        // SAFETY: self.0 is a live identity; the string is copied before it can be freed.
        unsafe { text(f(self.0)) }
    }
}

/// A borrowed output string as an owned one; `None` for `{NULL, 0}`.
///
/// # Safety
/// `s` must be `{NULL, 0}` or point to `len` live bytes.
unsafe fn text(s: albauth_str) -> Option<String> {
    if s.is_null() {
        assert_eq!(s.len, 0, "a NULL albauth_str has len 0");
        return None;
    }
    // SAFETY: forwarded contract.
    let bytes = unsafe { s.as_bytes() };
    Some(String::from_utf8(bytes.to_vec()).expect("albauth returns UTF-8"))
}

fn name_of(status: albauth_status) -> &'static str {
    // SAFETY: albauth_status_name returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(albauth_status_name(status.into())) }
        .to_str()
        .unwrap()
}

fn verifier(json: &str) -> V {
    let mut out = ptr::null_mut();
    let mut err = albauth_error::new();
    // SAFETY: valid string view, writable out and err.
    let s = unsafe { albauth_verifier_new(albauth_str::new(json), &mut out, &mut err) };
    assert_eq!(s, albauth_status::ALBAUTH_OK, "{}", err.message());
    assert!(!out.is_null());
    V(out)
}

/// The result of one albauth_verify call.
struct Call {
    status: albauth_status,
    id: Option<Id>,
    err: albauth_error,
}

fn header(name: &[u8], value: &[u8]) -> albauth_header {
    albauth_header {
        name: albauth_str::from_bytes(name),
        value: albauth_str::from_bytes(value),
    }
}

fn verify_raw(v: &V, headers: &[albauth_header], now: i64) -> Call {
    let mut out = ptr::dangling_mut::<albauth_identity>(); // not NULL: must be overwritten
    let mut err = albauth_error::new();
    err.status = -1;
    // SAFETY: live verifier; headers and their strings outlive the call; out/err writable.
    let status = unsafe {
        albauth_verify(
            v.0,
            headers.as_ptr(),
            headers.len(),
            now,
            &mut out,
            &mut err,
        )
    };
    assert_eq!(
        err.status, status as i32,
        "err.status is the returned status"
    );
    if status == albauth_status::ALBAUTH_OK {
        assert!(!out.is_null(), "OK sets *out");
    } else {
        assert!(out.is_null(), "{status:?} sets *out to NULL");
    }
    Call {
        status,
        id: (!out.is_null()).then_some(Id(out)),
        err,
    }
}

fn verify(v: &V, headers: &[(&str, &str)], now: i64) -> Call {
    let raw: Vec<albauth_header> = headers
        .iter()
        .map(|(n, val)| header(n.as_bytes(), val.as_bytes()))
        .collect();
    verify_raw(v, &raw, now)
}

fn data(token: &str) -> [(&str, &str); 1] {
    [("x-amzn-oidc-data", token)]
}

/// A token whose signature is 64 junk bytes: enough for every check that comes before the
/// signature, and cheap to make (under Miri too).
fn unsigned(t: &AlbToken) -> String {
    format!("{}.{}", t.signing_input(), B64_PADDED.encode([7u8; 64]))
}

/// The public key of `TestKey::new(1)` (tests/fixtures/README.md), read at compile time so
/// that Miri need not derive it (a P-256 scalar multiplication takes minutes there).
const KEY1_PEM: &str = include_str!("fixtures/alb-key-1.pem");

/// An ALB token for key 1 with AlbToken's defaults, made without deriving the key.
fn token_for_key1() -> AlbToken {
    let exp = NOW + 120;
    let header = json!({"typ": "JWT", "kid": KID, "alg": "ES256", "iss": ISSUER,
                        "client": CLIENT, "signer": ALB, "exp": exp});
    let claims = json!({"sub": "a1b2c3d4-0000-4000-8000-000000000001", "exp": exp, "iss": ISSUER});
    AlbToken {
        header: header.as_object().unwrap().clone(),
        claims: claims.as_object().unwrap().clone(),
        padded: true,
        raw_header: None,
        raw_claims: None,
    }
}

fn stats(v: &V) -> albauth_stats {
    let mut s = albauth_stats::default();
    // SAFETY: live verifier, writable out.
    assert_eq!(
        unsafe { albauth_verifier_stats(v.0, &mut s) },
        albauth_status::ALBAUTH_OK
    );
    s
}

/// No signature verification and no network: runs under Miri.
mod abi {
    use super::*;
    use albauth_status::*;

    /// A verifier with key 1 pinned and no network.
    fn pinned() -> V {
        verifier(&config(None, &[], json!({"pinned_keys": {KID: KEY1_PEM}})))
    }

    #[test]
    fn every_error_kind_has_the_status_named_by_its_code() {
        for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
            let status = albauth_status::from_kind(kind);
            assert_eq!(status as u32, 100 + i as u32, "{kind:?}");
            assert_eq!(name_of(status), kind.code());
        }
    }

    #[test]
    fn status_numbers_are_the_released_ones() {
        let released: Vec<(u32, &str)> = albauth_status::ALL
            .iter()
            .map(|s| (*s as u32, name_of(*s)))
            .collect();
        assert_eq!(
            released,
            [
                (0, "ok"),
                (1, "anonymous"),
                (100, "malformed_token"),
                (101, "unsupported_algorithm"),
                (102, "invalid_key_id"),
                (103, "signer_not_trusted"),
                (104, "issuer_mismatch"),
                (105, "client_mismatch"),
                (106, "expired"),
                (107, "invalid_signature"),
                (108, "key_unavailable"),
                (109, "claim_missing"),
                (110, "header_too_large"),
                (111, "identity_mismatch"),
                (112, "access_token_invalid"),
                (113, "config_invalid"),
                (114, "username_not_allowed"),
                (200, "null_argument"),
                (201, "invalid_argument"),
                (202, "panic"),
                (203, "directory_failed"),
            ]
        );
    }

    #[test]
    fn status_name_of_a_value_outside_the_enum_is_unknown() {
        for raw in [2, 99, 115, 199, 204, 1000, u32::MAX] {
            // SAFETY: static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(albauth_status_name(RawStatus(raw))) };
            assert_eq!(name.to_str().unwrap(), "unknown", "{raw}");
        }
    }

    #[test]
    fn versions_are_the_crates() {
        assert_eq!(albauth_abi_version(), ALBAUTH_ABI_VERSION);
        assert_eq!(ALBAUTH_ABI_VERSION, 1);
        // SAFETY: static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(albauth_version()) };
        assert_eq!(v.to_str().unwrap(), albauth::VERSION);
    }

    #[test]
    fn verifier_new_with_bad_json_is_config_invalid_and_leaves_out_untouched() {
        let sentinel = ptr::dangling_mut::<albauth_verifier>();
        let mut out = sentinel;
        let mut err = albauth_error::new();
        // SAFETY: valid string view, writable out and err.
        let s = unsafe { albauth_verifier_new(albauth_str::new("{not json"), &mut out, &mut err) };
        assert_eq!(s, ALBAUTH_CONFIG_INVALID);
        assert_eq!(err.status, ALBAUTH_CONFIG_INVALID as i32);
        assert!(
            err.message()
                .starts_with("config_invalid: config is not valid JSON"),
            "{}",
            err.message()
        );
        assert_eq!(out, sentinel);
    }

    #[test]
    fn verifier_new_error_names_the_field() {
        let mut out = ptr::null_mut();
        let mut err = albauth_error::new();
        let json = json!({"trusted_albs": [ALB], "issuer": ISSUER}).to_string();
        // SAFETY: valid string view, writable out and err.
        let s = unsafe { albauth_verifier_new(albauth_str::new(&json), &mut out, &mut err) };
        assert_eq!(s, ALBAUTH_CONFIG_INVALID);
        assert!(
            err.message().contains("`client_id` is required"),
            "{}",
            err.message()
        );
        assert!(out.is_null());
    }

    #[test]
    fn verifier_new_with_null_out_is_null_argument() {
        let json = config(None, &[], json!({"key_url": "http://127.0.0.1:9/{kid}"}));
        let mut err = albauth_error::new();
        // SAFETY: valid string view; out NULL is what is tested.
        let s = unsafe { albauth_verifier_new(albauth_str::new(&json), ptr::null_mut(), &mut err) };
        assert_eq!(s, ALBAUTH_NULL_ARGUMENT);
        assert_eq!(err.message(), "null_argument: `out` is NULL");
    }

    #[test]
    fn verifier_new_with_null_config_ptr_and_a_length_is_null_argument() {
        let mut out = ptr::null_mut();
        let bad = albauth_str {
            ptr: ptr::null(),
            len: 5,
        };
        // SAFETY: NULL ptr with a length is what is tested; out writable; err NULL allowed.
        let s = unsafe { albauth_verifier_new(bad, &mut out, ptr::null_mut()) };
        assert_eq!(s, ALBAUTH_NULL_ARGUMENT);
        assert!(out.is_null());
    }

    #[test]
    fn verifier_new_with_empty_config_is_config_invalid() {
        let mut out = ptr::null_mut();
        // SAFETY: {NULL, 0} is the empty string; out writable; err NULL allowed.
        let s = unsafe { albauth_verifier_new(albauth_str::NULL, &mut out, ptr::null_mut()) };
        assert_eq!(s, ALBAUTH_CONFIG_INVALID);
        assert!(out.is_null());
    }

    #[test]
    fn verifier_new_with_invalid_utf8_config_is_invalid_argument() {
        let mut out = ptr::null_mut();
        let mut err = albauth_error::new();
        let bytes = b"{\"trusted_albs\": [\"\xff\"]}";
        // SAFETY: valid byte view, writable out and err.
        let s = unsafe { albauth_verifier_new(albauth_str::from_bytes(bytes), &mut out, &mut err) };
        assert_eq!(s, ALBAUTH_INVALID_ARGUMENT);
        assert_eq!(
            err.message(),
            "invalid_argument: `config_json` is not valid UTF-8"
        );
        assert!(out.is_null());
    }

    #[test]
    fn config_error_message_is_cut_at_a_character_boundary() {
        // The region is echoed in the message; 150 two-byte characters overflow 255 bytes.
        let region = "é".repeat(150);
        let arn =
            format!("arn:aws:elasticloadbalancing:{region}:123456789012:loadbalancer/app/a/1");
        let json = json!({"trusted_albs": [arn], "issuer": null, "client_id": null}).to_string();
        let mut out = ptr::null_mut();
        let mut err = albauth_error::new();
        // SAFETY: valid string view, writable out and err.
        let s = unsafe { albauth_verifier_new(albauth_str::new(&json), &mut out, &mut err) };
        assert_eq!(s, ALBAUTH_CONFIG_INVALID);
        let bytes = err.message_bytes();
        let len = bytes.iter().position(|b| *b == 0).expect("NUL-terminated");
        assert!((254..=255).contains(&len), "filled up to the limit: {len}");
        let msg = std::str::from_utf8(&bytes[..len]).expect("cut at a character boundary");
        assert!(
            msg.starts_with("config_invalid: `trusted_albs[0]` region `éé"),
            "{msg}"
        );
        assert!(msg.ends_with('é'));
    }

    #[test]
    fn freeing_null_handles_is_a_no_op() {
        // SAFETY: NULL is documented as a no-op.
        unsafe {
            albauth_verifier_free(ptr::null_mut());
            albauth_identity_free(ptr::null_mut());
        }
    }

    #[test]
    fn identity_accessors_on_null_return_null_strings_and_zero() {
        // SAFETY: NULL identities are documented to give {NULL, 0} / 0.
        unsafe {
            let null = ptr::null();
            for f in [
                albauth_identity_username,
                albauth_identity_display_name,
                albauth_identity_email,
                albauth_identity_sub,
                albauth_identity_issuer,
                albauth_identity_claims_json,
            ] {
                assert!(f(null).is_null());
            }
            assert_eq!(albauth_identity_group_count(null), 0);
            assert!(albauth_identity_group(null, 0).is_null());
            assert_eq!(albauth_identity_expires_at(null), 0);
        }
    }

    #[test]
    fn request_without_token_header_is_anonymous() {
        let v = pinned();
        let c = verify(
            &v,
            &[("accept", "text/html"), ("X-Amzn-Oidc-Identity", "someone")],
            NOW,
        );
        assert_eq!(c.status, ALBAUTH_ANONYMOUS);
        assert_eq!(c.err.message(), "");
        assert_eq!(stats(&v).anonymous, 1);
    }

    #[test]
    fn null_headers_with_zero_count_is_anonymous() {
        let v = pinned();
        let mut out = ptr::null_mut();
        // SAFETY: NULL headers with 0 is allowed; out writable; err NULL allowed.
        let s = unsafe { albauth_verify(v.0, ptr::null(), 0, NOW, &mut out, ptr::null_mut()) };
        assert_eq!(s, ALBAUTH_ANONYMOUS);
        assert!(out.is_null());
    }

    #[test]
    fn null_headers_with_a_count_is_null_argument() {
        let v = pinned();
        let mut out = ptr::null_mut();
        let mut err = albauth_error::new();
        // SAFETY: NULL headers with n > 0 is what is tested; out and err writable.
        let s = unsafe { albauth_verify(v.0, ptr::null(), 3, NOW, &mut out, &mut err) };
        assert_eq!(s, ALBAUTH_NULL_ARGUMENT);
        assert_eq!(err.message(), "null_argument: `headers` is NULL");
        assert!(out.is_null());
    }

    #[test]
    fn null_verifier_is_null_argument_and_out_is_set_to_null() {
        let mut out = ptr::dangling_mut::<albauth_identity>();
        let mut err = albauth_error::new();
        // SAFETY: NULL verifier is what is tested; out and err writable.
        let s = unsafe { albauth_verify(ptr::null(), ptr::null(), 0, NOW, &mut out, &mut err) };
        assert_eq!(s, ALBAUTH_NULL_ARGUMENT);
        assert_eq!(err.message(), "null_argument: `v` is NULL");
        assert!(out.is_null());
    }

    #[test]
    fn null_out_is_null_argument() {
        let v = pinned();
        let mut err = albauth_error::new();
        // SAFETY: NULL out is what is tested; err writable.
        let s = unsafe { albauth_verify(v.0, ptr::null(), 0, NOW, ptr::null_mut(), &mut err) };
        assert_eq!(s, ALBAUTH_NULL_ARGUMENT);
        assert_eq!(err.message(), "null_argument: `out` is NULL");
        assert_eq!(stats(&v).anonymous, 0, "refused before verifying");
    }

    #[test]
    fn header_string_with_null_ptr_and_a_length_is_null_argument() {
        let v = pinned();
        let h = [albauth_header {
            name: albauth_str::new("x-amzn-oidc-data"),
            value: albauth_str {
                ptr: ptr::null(),
                len: 10,
            },
        }];
        let c = verify_raw(&v, &h, NOW);
        assert_eq!(c.status, ALBAUTH_NULL_ARGUMENT);
        assert_eq!(
            c.err.message(),
            "null_argument: `headers[0].value.ptr` is NULL"
        );
    }

    #[test]
    fn header_string_null_with_zero_length_is_empty() {
        let v = pinned();
        let h = [albauth_header {
            name: albauth_str::new("x-amzn-oidc-data"),
            value: albauth_str::NULL,
        }];
        let c = verify_raw(&v, &h, NOW);
        assert_eq!(
            c.status, ALBAUTH_MALFORMED_TOKEN,
            "an empty token header is malformed"
        );
    }

    #[test]
    fn invalid_utf8_in_any_header_is_invalid_argument_and_not_counted() {
        let v = pinned();
        let token = unsigned(&token_for_key1());
        let cases: [(&[albauth_header], &str); 3] = [
            (
                &[
                    header(b"x-amzn-oidc-data", token.as_bytes()),
                    header(b"user-agent", b"caf\xe9"),
                ],
                "invalid_argument: headers[1].value is not valid UTF-8",
            ),
            (
                &[header(b"x-amzn-oidc-\xff", b"v")],
                "invalid_argument: headers[0].name is not valid UTF-8",
            ),
            (
                &[header(b"x-amzn-oidc-data", b"ab\xc3")],
                "invalid_argument: headers[0].value is not valid UTF-8",
            ),
        ];
        for (h, message) in cases {
            let c = verify_raw(&v, h, NOW);
            assert_eq!(c.status, ALBAUTH_INVALID_ARGUMENT);
            assert_eq!(c.err.message(), message);
        }
        let s = stats(&v);
        assert_eq!((s.authenticated, s.anonymous, s.rejected), (0, 0, 0));
    }

    #[test]
    fn more_than_max_headers_is_invalid_argument() {
        let v = pinned();
        let h = vec![header(b"accept", b"*/*"); ALBAUTH_MAX_HEADERS + 1];
        let c = verify_raw(&v, &h, NOW);
        assert_eq!(c.status, ALBAUTH_INVALID_ARGUMENT);
        assert!(c
            .err
            .message()
            .contains("more than ALBAUTH_MAX_HEADERS (1024)"));
        let h = vec![header(b"accept", b"*/*"); ALBAUTH_MAX_HEADERS];
        assert_eq!(verify_raw(&v, &h, NOW).status, ALBAUTH_ANONYMOUS);
    }

    #[test]
    fn rejections_before_the_signature_have_their_status_and_code() {
        let v = pinned();
        let big = "a".repeat(albauth::MAX_HEADER_BYTES + 1);
        let cases = [
            ("abc".to_string(), ALBAUTH_MALFORMED_TOKEN),
            (
                unsigned(&token_for_key1().header("alg", "HS256")),
                ALBAUTH_UNSUPPORTED_ALGORITHM,
            ),
            (
                unsigned(&token_for_key1().header("kid", "not-a-uuid")),
                ALBAUTH_INVALID_KEY_ID,
            ),
            (
                unsigned(&token_for_key1().header("signer", ALB_OTHER)),
                ALBAUTH_SIGNER_NOT_TRUSTED,
            ),
            (
                unsigned(&token_for_key1().header("kid", kid_for(3))),
                ALBAUTH_KEY_UNAVAILABLE,
            ),
            (big, ALBAUTH_HEADER_TOO_LARGE),
        ];
        for (token, status) in &cases {
            let c = verify(&v, &data(token), NOW);
            assert_eq!(c.status, *status);
            let prefix = format!("{}: ", name_of(*status));
            assert!(c.err.message().starts_with(&prefix), "{}", c.err.message());
        }
        let s = stats(&v);
        assert_eq!(s.rejected, cases.len() as u64);
        for (_, status) in &cases {
            // SAFETY: live verifier.
            assert_eq!(
                unsafe { albauth_verifier_rejections(v.0, (*status).into()) },
                1
            );
        }
    }

    #[test]
    fn duplicate_token_header_in_any_case_is_malformed() {
        let v = pinned();
        let c = verify(
            &v,
            &[("x-amzn-oidc-data", "a.b.c"), ("X-AMZN-OIDC-DATA", "a.b.c")],
            NOW,
        );
        assert_eq!(c.status, ALBAUTH_MALFORMED_TOKEN);
        assert!(c.err.message().contains("more than once"));
    }

    #[test]
    fn missing_err_still_returns_the_status() {
        let v = pinned();
        let h = [header(b"x-amzn-oidc-data", b"abc")];
        let mut out = ptr::null_mut();
        // SAFETY: live verifier and headers; out writable; err NULL allowed.
        let s = unsafe { albauth_verify(v.0, h.as_ptr(), 1, NOW, &mut out, ptr::null_mut()) };
        assert_eq!(s, ALBAUTH_MALFORMED_TOKEN);
        assert!(out.is_null());
    }

    #[test]
    fn err_left_over_from_a_failure_is_cleared_by_the_next_call() {
        let v = pinned();
        let mut err = albauth_error::new();
        let mut out = ptr::null_mut();
        let bad = [header(b"x-amzn-oidc-data", b"abc")];
        // SAFETY: live verifier and headers; out and err writable.
        unsafe {
            albauth_verify(v.0, bad.as_ptr(), 1, NOW, &mut out, &mut err);
            assert_ne!(err.message(), "");
            let s = albauth_verify(v.0, ptr::null(), 0, NOW, &mut out, &mut err);
            assert_eq!(s, ALBAUTH_ANONYMOUS);
        }
        assert_eq!(err.status, ALBAUTH_ANONYMOUS as i32);
        assert_eq!(err.message(), "");
    }

    #[test]
    fn stats_and_rejections_with_null_arguments() {
        let v = pinned();
        let mut s = albauth_stats::default();
        // SAFETY: NULL arguments are what is tested.
        unsafe {
            assert_eq!(
                albauth_verifier_stats(ptr::null(), &mut s),
                ALBAUTH_NULL_ARGUMENT
            );
            assert_eq!(
                albauth_verifier_stats(v.0, ptr::null_mut()),
                ALBAUTH_NULL_ARGUMENT
            );
            assert_eq!(
                albauth_verifier_rejections(ptr::null(), ALBAUTH_EXPIRED.into()),
                0
            );
            assert_eq!(albauth_verifier_rejections(v.0, RawStatus(9999)), 0);
            assert_eq!(albauth_verifier_rejections(v.0, ALBAUTH_OK.into()), 0);
        }
    }

    #[test]
    fn prefetch_of_a_kid_pinned_config_cannot_fetch_is_key_unavailable() {
        let v = pinned();
        let kid = kid_for(3);
        let kids = [albauth_str::new(&kid)];
        let mut available = 77usize;
        let mut err = albauth_error::new();
        // SAFETY: live verifier; kids, available and err valid.
        let s =
            unsafe { albauth_verifier_prefetch(v.0, kids.as_ptr(), 1, &mut available, &mut err) };
        assert_eq!(s, ALBAUTH_KEY_UNAVAILABLE);
        assert!(err.message().starts_with("key_unavailable: "));
        assert_eq!(available, 77, "written only on success");
    }

    #[test]
    fn prefetch_of_a_pinned_kid_counts_it_available() {
        let v = pinned();
        let kids = [albauth_str::new(KID)];
        let mut available = 0usize;
        // SAFETY: live verifier; kids and available valid; err NULL allowed.
        let s = unsafe {
            albauth_verifier_prefetch(v.0, kids.as_ptr(), 1, &mut available, ptr::null_mut())
        };
        assert_eq!(s, ALBAUTH_OK);
        assert_eq!(available, 1);
    }

    #[test]
    fn prefetch_argument_errors() {
        let v = pinned();
        let bad = [albauth_str::from_bytes(b"\xff")];
        // SAFETY: argument errors are what is tested; the pointers given are valid.
        unsafe {
            assert_eq!(
                albauth_verifier_prefetch(v.0, ptr::null(), 0, ptr::null_mut(), ptr::null_mut()),
                ALBAUTH_OK
            );
            assert_eq!(
                albauth_verifier_prefetch(v.0, ptr::null(), 2, ptr::null_mut(), ptr::null_mut()),
                ALBAUTH_NULL_ARGUMENT
            );
            assert_eq!(
                albauth_verifier_prefetch(
                    ptr::null(),
                    ptr::null(),
                    0,
                    ptr::null_mut(),
                    ptr::null_mut()
                ),
                ALBAUTH_NULL_ARGUMENT
            );
            assert_eq!(
                albauth_verifier_prefetch(v.0, bad.as_ptr(), 1, ptr::null_mut(), ptr::null_mut()),
                ALBAUTH_INVALID_ARGUMENT
            );
        }
    }

    #[test]
    fn threads_share_a_verifier_and_its_counters() {
        let v = pinned();
        let untrusted = unsigned(&token_for_key1().header("signer", ALB_OTHER));
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for i in 0..5 {
                        let c = verify(&v, &data(&untrusted), NOW);
                        assert_eq!(c.status, ALBAUTH_SIGNER_NOT_TRUSTED);
                        let c = verify(&v, &[("accept", "*/*")][..i % 2], NOW);
                        assert_eq!(c.status, ALBAUTH_ANONYMOUS);
                    }
                });
            }
        });
        let s = stats(&v);
        assert_eq!((s.rejected, s.anonymous), (20, 20));
    }

    #[test]
    fn explained_rejection_reports_the_failed_check_into_the_buffer() {
        let v = pinned();
        let token = unsigned(&token_for_key1().header("signer", ALB_OTHER));
        let h = [header(b"x-amzn-oidc-data", token.as_bytes())];
        let mut buf = [0 as c_char; 4096];
        let mut err = albauth_error::new();
        // SAFETY: live verifier and headers; buf writable for its length; err writable.
        let s = unsafe {
            albauth_verify_explained(
                v.0,
                h.as_ptr(),
                1,
                NOW,
                buf.as_mut_ptr(),
                buf.len(),
                &mut err,
            )
        };
        assert_eq!(s, ALBAUTH_SIGNER_NOT_TRUSTED);
        // SAFETY: albauth NUL-terminated the buffer.
        let report = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
        assert!(
            report.contains("pass     alg              ES256"),
            "{report}"
        );
        assert!(
            report.contains(&format!(
                "FAIL     signer           signer \"{ALB_OTHER}\" is not one of trusted_albs"
            )),
            "{report}"
        );
        assert!(report.ends_with("outcome  rejected"), "{report}");
        assert!(!report.contains(&token), "the report never holds the token");
    }

    #[test]
    fn explained_report_is_cut_to_the_buffer_and_terminated() {
        let v = pinned();
        let mut buf = [b'#' as c_char; 16];
        // SAFETY: live verifier; NULL headers with 0; buf writable for 10 bytes.
        let s = unsafe {
            albauth_verify_explained(
                v.0,
                ptr::null(),
                0,
                NOW,
                buf.as_mut_ptr(),
                10,
                ptr::null_mut(),
            )
        };
        assert_eq!(s, ALBAUTH_ANONYMOUS);
        assert_eq!(buf[9], 0, "NUL at buf_len - 1");
        assert_eq!(buf[10], b'#' as c_char, "nothing written past buf_len");
        // SAFETY: NULL buf with length 0 writes nothing; NULL with a length is refused.
        unsafe {
            let s = albauth_verify_explained(
                v.0,
                ptr::null(),
                0,
                NOW,
                ptr::null_mut(),
                0,
                ptr::null_mut(),
            );
            assert_eq!(s, ALBAUTH_ANONYMOUS);
            let s = albauth_verify_explained(
                v.0,
                ptr::null(),
                0,
                NOW,
                ptr::null_mut(),
                8,
                ptr::null_mut(),
            );
            assert_eq!(s, ALBAUTH_NULL_ARGUMENT);
        }
    }
}

/// Needs ES256 signatures (and, for a few, RS256 or a key server on 127.0.0.1).
mod verification {
    use super::*;
    use albauth_status::*;
    use std::sync::Arc;

    #[test]
    fn abi_shortcuts_are_key_1() {
        let k = TestKey::new(1);
        assert_eq!(KEY1_PEM, k.pem());
        let v = verifier(&config(
            None,
            &[],
            json!({"pinned_keys": {KID: KEY1_PEM}, "username_claim": "sub"}),
        ));
        let c = verify(&v, &data(&token_for_key1().sign(&k)), NOW);
        assert_eq!(c.status, ALBAUTH_OK, "{}", c.err.message());
    }

    #[test]
    fn valid_token_authenticates_and_every_field_is_readable() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({"groups_claim": "groups"})));
        let t = AlbToken::new(&k)
            .claim("groups", json!(["jira-users", "ops"]))
            .sign(&k);
        let c = verify(&v, &data(&t), NOW);
        assert_eq!(c.status, ALBAUTH_OK, "{}", c.err.message());
        assert_eq!(c.err.message(), "");
        let id = c.id.unwrap();
        assert_eq!(
            id.get(albauth_identity_username).as_deref(),
            Some("Jane.Doe@Example.com")
        );
        assert_eq!(
            id.get(albauth_identity_display_name).as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            id.get(albauth_identity_email).as_deref(),
            Some("Jane.Doe@Example.com")
        );
        assert_eq!(
            id.get(albauth_identity_sub).as_deref(),
            Some("a1b2c3d4-0000-4000-8000-000000000001")
        );
        assert_eq!(id.get(albauth_identity_issuer).as_deref(), Some(ISSUER));
        let claims: serde_json::Value =
            serde_json::from_str(&id.get(albauth_identity_claims_json).unwrap()).unwrap();
        assert_eq!(claims["name"], "Jane Doe");
        // SAFETY: live identity.
        unsafe {
            assert_eq!(albauth_identity_expires_at(id.0), NOW + 120);
            assert_eq!(albauth_identity_group_count(id.0), 2);
            assert_eq!(
                text(albauth_identity_group(id.0, 0)).as_deref(),
                Some("jira-users")
            );
            assert_eq!(
                text(albauth_identity_group(id.0, 1)).as_deref(),
                Some("ops")
            );
            assert!(albauth_identity_group(id.0, 2).is_null());
            assert!(albauth_identity_group(id.0, usize::MAX).is_null());
        }
    }

    #[test]
    fn absent_optional_claims_read_as_null() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({"username_claim": "sub"})));
        let t = AlbToken::new(&k)
            .claim("name", serde_json::Value::Null)
            .claim("email", serde_json::Value::Null)
            .sign(&k);
        let c = verify(&v, &data(&t), NOW);
        assert_eq!(c.status, ALBAUTH_OK, "{}", c.err.message());
        let id = c.id.unwrap();
        assert_eq!(id.get(albauth_identity_display_name), None);
        assert_eq!(id.get(albauth_identity_email), None);
        // SAFETY: live identity.
        assert_eq!(unsafe { albauth_identity_group_count(id.0) }, 0);
    }

    #[test]
    fn rejections_after_the_signature_have_their_status_and_code() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({})));
        let valid = AlbToken::new(&k).sign(&k);
        let cases: Vec<(Vec<(&str, String)>, albauth_status)> = vec![
            (
                vec![(
                    "x-amzn-oidc-data",
                    AlbToken::new(&k).exp(NOW - 600).sign(&k),
                )],
                ALBAUTH_EXPIRED,
            ),
            (
                vec![("x-amzn-oidc-data", AlbToken::new(&k).sign(&TestKey::new(2)))],
                ALBAUTH_INVALID_SIGNATURE,
            ),
            (
                vec![(
                    "x-amzn-oidc-data",
                    AlbToken::new(&k)
                        .header("iss", "https://evil")
                        .claim("iss", "https://evil")
                        .sign(&k),
                )],
                ALBAUTH_ISSUER_MISMATCH,
            ),
            (
                vec![(
                    "x-amzn-oidc-data",
                    AlbToken::new(&k).header("client", "other").sign(&k),
                )],
                ALBAUTH_CLIENT_MISMATCH,
            ),
            (
                vec![(
                    "x-amzn-oidc-data",
                    AlbToken::new(&k)
                        .claim("sub", serde_json::Value::Null)
                        .sign(&k),
                )],
                ALBAUTH_CLAIM_MISSING,
            ),
            (
                vec![
                    ("x-amzn-oidc-data", valid.clone()),
                    ("x-amzn-oidc-identity", "someone-else".to_string()),
                ],
                ALBAUTH_IDENTITY_MISMATCH,
            ),
        ];
        for (headers, status) in &cases {
            let h: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let c = verify(&v, &h, NOW);
            assert_eq!(c.status, *status, "{}", c.err.message());
            assert!(c
                .err
                .message()
                .starts_with(&format!("{}: ", name_of(*status))));
            for (_, value) in headers {
                assert!(
                    !c.err.message().contains(value.as_str()),
                    "no header value in the message"
                );
            }
        }
    }

    #[test]
    fn azure_request_without_access_token_is_access_token_invalid() {
        let k = TestKey::new(1);
        let json = config(
            None,
            &[&k],
            json!({"template": "azure", "issuer": AZURE_ISSUER,
                   "access_token_jwks_url": "http://127.0.0.1:9/jwks"}),
        );
        let v = verifier(&json);
        let t = azure_data_token(&k).sign(&k);
        let c = verify(&v, &data(&t), NOW);
        assert_eq!(c.status, ALBAUTH_ACCESS_TOKEN_INVALID);
        assert!(c
            .err
            .message()
            .contains("x-amzn-oidc-accesstoken header is missing"));
    }

    /// A fetcher that panics: the only way to reach the panic path through real calls.
    struct PanickingFetcher;
    impl albauth::keys::Fetcher for PanickingFetcher {
        fn get(&self, _url: &str) -> Result<Vec<u8>, String> {
            panic!("fetcher bug")
        }
    }

    #[test]
    fn panicking_jwks_fetcher_is_contained_and_the_verifier_stays_usable() {
        let k = TestKey::new(1);
        let json = config(
            None,
            &[&k],
            json!({"template": "azure", "issuer": AZURE_ISSUER,
                   "access_token_jwks_url": "http://127.0.0.1:9/jwks"}),
        );
        let cfg = albauth::Config::from_json(&json).unwrap();
        let rust = albauth::Verifier::with_fetcher(cfg, Arc::new(PanickingFetcher)).unwrap();
        let v = V(albauth_verifier::into_raw(rust));
        let t = azure_data_token(&k).sign(&k);
        let access = format!(
            "{}.{}.c2ln",
            B64_NOPAD.encode(r#"{"alg":"RS256","kid":"k1"}"#),
            B64_NOPAD.encode("{}")
        );
        let h = [
            ("x-amzn-oidc-data", t.as_str()),
            ("x-amzn-oidc-accesstoken", access.as_str()),
        ];
        // The JWKS cache catches the fetcher's panic as a failed fetch (backed off), so it
        // never reaches the boundary; the boundary's own panic path is unit-tested in
        // src/ffi/boundary.rs.
        let c = verify(&v, &h, NOW);
        assert_eq!(c.status, ALBAUTH_ACCESS_TOKEN_INVALID);
        assert!(c.err.message().contains("panicked"), "{}", c.err.message());
        // Still serves: the next request is handled normally.
        assert_eq!(verify(&v, &[], NOW).status, ALBAUTH_ANONYMOUS);
    }

    #[test]
    fn identity_outlives_its_verifier() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({})));
        let c = verify(&v, &data(&AlbToken::new(&k).sign(&k)), NOW);
        let id = c.id.unwrap();
        drop(v);
        assert_eq!(
            id.get(albauth_identity_username).as_deref(),
            Some("Jane.Doe@Example.com")
        );
    }

    #[test]
    fn cache_hit_returns_an_independent_identity_and_is_counted() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({})));
        let t = AlbToken::new(&k).sign(&k);
        let first = verify(&v, &data(&t), NOW).id.unwrap();
        let second = verify(&v, &data(&t), NOW).id.unwrap();
        drop(first);
        assert_eq!(
            second.get(albauth_identity_sub).as_deref(),
            Some("a1b2c3d4-0000-4000-8000-000000000001")
        );
        let s = stats(&v);
        assert_eq!(
            (
                s.authenticated,
                s.token_cache_misses,
                s.token_cache_hits,
                s.cached_tokens
            ),
            (2, 1, 1, 1)
        );
    }

    #[test]
    fn header_names_match_in_any_case() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({})));
        let t = AlbToken::new(&k).sign(&k);
        let c = verify(&v, &[("X-Amzn-OIDC-Data", t.as_str())], NOW);
        assert_eq!(c.status, ALBAUTH_OK);
    }

    #[test]
    fn zero_now_means_the_system_clock() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({})));
        let system_now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let fresh = AlbToken::new(&k).exp(system_now + 600).sign(&k);
        let stale = AlbToken::new(&k).exp(system_now - 600).sign(&k);
        assert_eq!(verify(&v, &data(&fresh), 0).status, ALBAUTH_OK);
        assert_eq!(verify(&v, &data(&stale), 0).status, ALBAUTH_EXPIRED);
        // The same stale token at an explicit time before its expiry is fine.
        assert_eq!(
            verify(&v, &data(&stale), system_now - 700).status,
            ALBAUTH_OK
        );
    }

    #[test]
    fn explained_success_lists_every_check_and_the_warnings() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({"client_id": null})));
        let t = AlbToken::new(&k).sign(&k);
        let h = [header(b"x-amzn-oidc-data", t.as_bytes())];
        let mut buf = [0 as c_char; 4096];
        // SAFETY: live verifier and headers; buf writable for its length.
        let s = unsafe {
            albauth_verify_explained(
                v.0,
                h.as_ptr(),
                1,
                NOW,
                buf.as_mut_ptr(),
                buf.len(),
                ptr::null_mut(),
            )
        };
        assert_eq!(s, ALBAUTH_OK);
        // SAFETY: NUL-terminated by albauth.
        let report = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
        for check in [
            "structure",
            "alg",
            "signer",
            "kid",
            "key",
            "signature",
            "exp",
            "iss",
            "client",
            "sub",
            "username",
        ] {
            assert!(
                report.contains(&format!("pass     {check:<16} ")),
                "{check} in {report}"
            );
        }
        assert!(
            report.contains("WARNING  client check disabled"),
            "{report}"
        );
        assert!(report.ends_with("outcome  authenticated"));
        assert!(!report.contains("Jane"), "no personal data in the report");
    }

    #[test]
    fn prefetch_fetches_each_kid_once_from_the_key_server() {
        let (k1, k2) = (TestKey::new(1), TestKey::new(2));
        let server = KeyServer::start(&[&k1, &k2]);
        let v = verifier(&config(Some(&server), &[], json!({})));
        let kids = [albauth_str::new(&k1.kid), albauth_str::new(&k2.kid)];
        let mut available = 0usize;
        let mut err = albauth_error::new();
        // SAFETY: live verifier; kids, available and err valid.
        let s =
            unsafe { albauth_verifier_prefetch(v.0, kids.as_ptr(), 2, &mut available, &mut err) };
        assert_eq!(s, ALBAUTH_OK, "{}", err.message());
        assert_eq!(available, 2);
        assert_eq!(server.requests(), 2);
        let c = verify(&v, &data(&AlbToken::new(&k2).sign(&k2)), NOW);
        assert_eq!(c.status, ALBAUTH_OK);
        assert_eq!(server.requests(), 2, "the request needed no fetch");
        let s = stats(&v);
        assert_eq!(
            (s.key_fetches, s.key_fetch_failures, s.cached_keys),
            (2, 0, 2)
        );
    }

    #[test]
    fn threads_share_one_verifier_with_correct_results() {
        let k = TestKey::new(1);
        let v = verifier(&config(None, &[&k], json!({})));
        let users: Vec<String> = (0..4).map(|i| format!("user{i}@example.com")).collect();
        let tokens: Vec<String> = users
            .iter()
            .map(|u| AlbToken::new(&k).claim("email", u.as_str()).sign(&k))
            .collect();
        let expired = AlbToken::new(&k).exp(NOW - 600).sign(&k);
        std::thread::scope(|s| {
            for t in 0..4usize {
                let (v, users, tokens, expired) = (&v, &users, &tokens, &expired);
                s.spawn(move || {
                    for i in 0..200 {
                        let n = (t + i) % 5;
                        if n == 4 {
                            assert_eq!(verify(v, &data(expired), NOW).status, ALBAUTH_EXPIRED);
                        } else {
                            let c = verify(v, &data(&tokens[n]), NOW);
                            assert_eq!(c.status, ALBAUTH_OK);
                            assert_eq!(
                                c.id.unwrap().get(albauth_identity_username).as_ref(),
                                Some(&users[n])
                            );
                        }
                    }
                });
            }
        });
        let s = stats(&v);
        assert_eq!((s.authenticated, s.rejected), (640, 160));
    }
}
