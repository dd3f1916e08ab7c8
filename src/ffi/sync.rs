//! Full directory sync from C: list the IdP, plan against the host's snapshot.

use std::ffi::{c_char, CString};

use super::boundary::{fallible, str_arg, Failure};
use super::status::albauth_status::{self, *};
use super::types::{albauth_error, albauth_str};
use crate::sync::{sync_report, SyncRequestError};

/// albauth_sync_plan() flag: plan past the brake (the plan is returned unrefused).
pub const ALBAUTH_SYNC_FORCE: u32 = 1;

/// Plans a full directory sync: lists every user of the IdP through the configuration's
/// `directory_sync.connector` (the whole albauth configuration, `config_json`), and plans
/// against the host's snapshot (`snapshot_jsonl`: one user record a line, `{"username",
/// "display_name", "email", "active", "groups", "attributes": {"idp_id"}}`). Nothing is
/// applied: the host applies the plan. `flags` is 0 or ALBAUTH_SYNC_FORCE.
///
/// On ALBAUTH_OK, `*out_json` is a new NUL-terminated UTF-8 string holding the report,
/// `{"summary": {...}, "actions": [...], "pages", "throttle_waits", "duration_ms"}` with
/// `"refused": "brake"` when the brake refused the plan, or `"refused": "incomplete_listing"`
/// (and no action) when the listing failed after retries or a required group does not exist:
/// read `refused`. The caller releases it with albauth_string_free(); on anything else
/// `*out_json` is left untouched.
///
/// Returns ALBAUTH_CONFIG_INVALID for a refused configuration or one without a connector (the
/// message names the field); ALBAUTH_INVALID_ARGUMENT for a snapshot that is not UTF-8 or not
/// valid (the message names the line and the field, never a value) or unknown flags;
/// ALBAUTH_DIRECTORY_FAILED when the directory cannot be listed (bad credentials, a missing
/// permission, the service unreachable); ALBAUTH_NULL_ARGUMENT when `out_json` is NULL;
/// ALBAUTH_PANIC. No secret is ever in a message.
///
/// Blocking: it does network I/O (with timeouts, retries and a retry budget); call it from a
/// background job, never per request. Thread-safety: callable from any thread.
///
/// # Safety
/// `config_json` and `snapshot_jsonl` readable as described by albauth_str; `out_json` and
/// `err` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_sync_plan(
    config_json: albauth_str,
    snapshot_jsonl: albauth_str,
    flags: u32,
    out_json: *mut *mut c_char,
    err: *mut albauth_error,
) -> albauth_status {
    let body = || {
        if out_json.is_null() {
            return Err(Failure::Null("out_json".into()));
        }
        if flags & !ALBAUTH_SYNC_FORCE != 0 {
            return Err(Failure::Invalid("unknown flags".into()));
        }
        // SAFETY: both strings are readable for this call (contract).
        let json = unsafe { str_arg(config_json, "config_json") }?;
        // SAFETY: as above.
        let snapshot = unsafe { str_arg(snapshot_jsonl, "snapshot_jsonl") }?;
        let report =
            sync_report(json, snapshot, flags & ALBAUTH_SYNC_FORCE != 0).map_err(|e| match e {
                SyncRequestError::Config(e) => Failure::Rejected(e),
                SyncRequestError::Snapshot(e) => Failure::Invalid(format!("snapshot: {e}").into()),
                SyncRequestError::Directory(why) => Failure::Directory(why),
            })?;
        // JSON from serde_json never holds a NUL byte (it escapes U+0000 as \u0000).
        let text = CString::new(report)
            .map_err(|_| Failure::Invalid("report JSON holds a NUL byte".into()))?;
        // SAFETY: `out_json` is non-NULL and writable (contract).
        unsafe { out_json.write(text.into_raw()) };
        Ok(ALBAUTH_OK)
    };
    // SAFETY: `err` is NULL or writable (contract).
    unsafe { fallible(err, body) }
}
