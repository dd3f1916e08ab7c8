//! Just-in-time provisioning from C: plan what a login must change on the host.

use std::ffi::{c_char, CString};

use super::boundary::{fallible, guard, str_arg, Failure};
use super::identity::albauth_identity;
use super::status::albauth_status::{self, *};
use super::types::{albauth_error, albauth_str};
use super::verifier::{albauth_verifier, verifier};
use crate::bridge::borrow;
use crate::provision::UserRecord;

/// Plans what the host must change for the login of `identity` (from albauth_verify() on any
/// verifier), with `v`'s provisioning settings: creating the user, updating attributes,
/// reactivating, adding and removing groups, or refusing the login.
///
/// `current_user_json` is the host's record of the user, one row of a host snapshot:
/// `{"username", "display_name", "email", "active", "groups": [..], "attributes": {"idp_id": ..}}`;
/// `{NULL, 0}` means the host has no record. The host finds it by stored IdP id first, then by
/// username.
///
/// On ALBAUTH_OK, `*out_json` is a new NUL-terminated UTF-8 string holding the plan,
/// `{"actions": [...], "refused": null | "<code>", ...}` (a refused plan is still ALBAUTH_OK:
/// read `refused`), which the caller releases with albauth_string_free(); on anything else
/// `*out_json` is left untouched. Returns ALBAUTH_INVALID_ARGUMENT when current_user_json is
/// not UTF-8 or not a valid record (the message names the field, never a value);
/// ALBAUTH_NULL_ARGUMENT when `v`, `identity` or `out_json` is NULL; ALBAUTH_PANIC.
///
/// Planning is pure computation (no I/O, a few microseconds): call it once per login, not per
/// request. Thread-safety: callable from any thread.
///
/// # Safety
/// `v` must be NULL or a live verifier; `identity` NULL or a live identity;
/// current_user_json readable as described by albauth_str; `out_json` and `err` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_provision_plan(
    v: *const albauth_verifier,
    identity: *const albauth_identity,
    current_user_json: albauth_str,
    out_json: *mut *mut c_char,
    err: *mut albauth_error,
) -> albauth_status {
    let body = || {
        // SAFETY: `v` is NULL or a live verifier (contract).
        let v = unsafe { verifier(v) }?;
        // SAFETY: `identity` is NULL or a live identity (contract).
        let id = unsafe { borrow(identity) }.ok_or(Failure::Null("identity".into()))?;
        if out_json.is_null() {
            return Err(Failure::Null("out_json".into()));
        }
        let current = match current_user_json.is_null() {
            true => None,
            false => {
                // SAFETY: current_user_json is readable for this call (contract).
                let json = unsafe { str_arg(current_user_json, "current_user_json") }?;
                let record = UserRecord::from_json(json)
                    .map_err(|e| Failure::Invalid(e.detail().to_string().into()))?;
                Some(record)
            }
        };
        let plan = v.plan_login(id, current.as_ref());
        // JSON from serde_json never holds a NUL byte (it escapes U+0000 as \u0000).
        let text = CString::new(plan.to_json())
            .map_err(|_| Failure::Invalid("plan JSON holds a NUL byte".into()))?;
        // SAFETY: `out_json` is non-NULL and writable (contract).
        unsafe { out_json.write(text.into_raw()) };
        Ok(ALBAUTH_OK)
    };
    // SAFETY: `err` is NULL or writable (contract).
    unsafe { fallible(err, body) }
}

/// Releases a string albauth returned (such as a plan from albauth_provision_plan()). NULL
/// is a no-op. Each string is released once.
///
/// # Safety
/// `s` must be NULL or a string from albauth not yet released.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_string_free(s: *mut c_char) {
    guard((), || {
        if !s.is_null() {
            // SAFETY: `s` came from CString::into_raw in this crate and is released once.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}
