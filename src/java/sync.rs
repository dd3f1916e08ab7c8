//! Full directory sync from Java (`AlbAuth.syncPlan`): the same [`sync_report`] as C's
//! `albauth_sync_plan`, once per scheduled run, never per request.

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jint;
use jni::{native_method, Env};

use super::policy::ThrowPanicError;
use super::reply::{failure, Reply};
use crate::ffi::albauth_status::{self, *};
use crate::sync::{sync_report, SyncRequestError};

/// `flags` bit: plan past the brake (C's `ALBAUTH_SYNC_FORCE`).
const FORCE: jint = 1;

/// The reply of one sync plan: `ok` and the report JSON, or a status and its message
/// (`config_invalid` naming the field, `invalid_argument` naming the snapshot line,
/// `directory_failed` naming the call and host; never a secret).
pub(super) fn sync_reply(config_json: &str, snapshot_jsonl: &str, flags: jint) -> Vec<u8> {
    if flags & !FORCE != 0 {
        return failure(ALBAUTH_INVALID_ARGUMENT, "unknown flags");
    }
    match sync_report(config_json, snapshot_jsonl, flags & FORCE != 0) {
        Ok(report) => Reply::new(ALBAUTH_OK, report.len() + 4)
            .string(Some(&report))
            .finish(),
        Err(SyncRequestError::Config(e)) => {
            failure(albauth_status::from_kind(e.kind()), e.detail())
        }
        Err(SyncRequestError::Snapshot(e)) => {
            failure(ALBAUTH_INVALID_ARGUMENT, &format!("snapshot: {e}"))
        }
        Err(SyncRequestError::Directory(why)) => failure(ALBAUTH_DIRECTORY_FAILED, &why),
    }
}

/// `static native byte[] syncPlan(String configJson, String snapshotJsonl, int flags)`:
/// lists the IdP and plans against the snapshot ([`sync_reply`]). Blocking network I/O.
const SYNC_PLAN: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn sync_plan(config_json: JString, snapshot_jsonl: JString, flags: jint) -> jbyte[],
    error_policy = ThrowPanicError,
};

fn sync_plan<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    config_json: JString<'local>,
    snapshot_jsonl: JString<'local>,
    flags: jint,
) -> jni::errors::Result<JByteArray<'local>> {
    let reply = if config_json.is_null() {
        failure(ALBAUTH_NULL_ARGUMENT, "config JSON is null")
    } else if snapshot_jsonl.is_null() {
        failure(ALBAUTH_NULL_ARGUMENT, "snapshot is null")
    } else {
        let config = config_json.try_to_string(env)?;
        let snapshot = snapshot_jsonl.try_to_string(env)?;
        sync_reply(&config, &snapshot, flags)
    };
    env.byte_array_from_slice(&reply)
}

/// Keeps the exported native referenced (the JVM finds it by its `Java_` symbol name).
#[allow(dead_code)]
pub(super) const NATIVES: [jni::NativeMethod; 1] = [SYNC_PLAN];

#[cfg(test)]
mod tests {
    use super::*;

    fn status(r: &[u8]) -> i32 {
        i32::from_be_bytes(r[1..5].try_into().unwrap())
    }

    #[test]
    fn unknown_flags_are_an_invalid_argument() {
        assert_eq!(
            status(&sync_reply("{}", "", 2)),
            ALBAUTH_INVALID_ARGUMENT as i32
        );
    }

    #[test]
    fn a_config_without_a_connector_is_config_invalid() {
        let config = include_str!("../../examples/config/okta.json");
        let reply = sync_reply(config, "", 0);
        assert_eq!(status(&reply), ALBAUTH_CONFIG_INVALID as i32);
        assert!(String::from_utf8_lossy(&reply).contains("`directory_sync`"));
    }
}
