//! What an admin page asks of the core (`AlbAuth.checkConfig`, `explain`, `stats`,
//! `templatesJson`): rare calls, never on the per-request path, so they use the `jni` crate's
//! checked API throughout.

use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::jlong;
use jni::{native_method, Env};

use super::policy::ThrowPanicError;
use super::reply::{encode, failure, length, Reply};
use super::{strings, verifier};
use crate::bridge::clock;
use crate::config::{error_field, Config};
use crate::ffi::albauth_status::{self, ALBAUTH_NULL_ARGUMENT, ALBAUTH_OK};
use crate::stats::Stats;
use crate::templates::templates_json;

/// A configuration check's reply: `ok`, a count and that many warnings; or the refusal's
/// status (`config_invalid`), the detail, and the field it names (null when none).
pub(super) fn check_reply(json: &str) -> Vec<u8> {
    match Config::from_json(json) {
        Ok(config) => {
            let warnings = config.warnings();
            let mut r = Reply::new(ALBAUTH_OK, 64 * warnings.len());
            r.int(length(warnings.len()));
            for w in &warnings {
                r.string(Some(w));
            }
            r.finish()
        }
        Err(e) => Reply::new(albauth_status::from_kind(e.kind()), 64 + e.detail().len())
            .string(Some(e.detail()))
            .string(error_field(e.detail()))
            .finish(),
    }
}

/// A stats reply: `ok`, eight counters as longs (authenticated, anonymous, rejected, token cache
/// hits, misses, key fetches, failures, suppressed), then a count and per error code its name
/// and count.
pub(super) fn stats_reply(s: &Stats) -> Vec<u8> {
    let mut r = Reply::new(ALBAUTH_OK, 64 + 32 * s.rejected_by_kind.len());
    for v in [
        s.authenticated,
        s.anonymous,
        s.rejected,
        s.token_cache_hits,
        s.token_cache_misses,
        s.key_fetches,
        s.key_fetch_failures,
        s.key_fetches_suppressed,
    ] {
        r.long(i64::try_from(v).unwrap_or(i64::MAX));
    }
    r.int(length(s.rejected_by_kind.len()));
    for (kind, n) in &s.rejected_by_kind {
        r.string(Some(kind.code()))
            .long(i64::try_from(*n).unwrap_or(i64::MAX));
    }
    r.finish()
}

/// `static native byte[] checkConfig(String json)`: validates a configuration exactly as
/// `create` would, without building a verifier ([`check_reply`]).
const CHECK_CONFIG: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn check_config(json: JString) -> jbyte[],
    error_policy = ThrowPanicError,
};

fn check_config<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    json: JString<'local>,
) -> jni::errors::Result<JByteArray<'local>> {
    let reply = if json.is_null() {
        failure(ALBAUTH_NULL_ARGUMENT, "config JSON is null")
    } else {
        check_reply(&json.try_to_string(env)?)
    };
    env.byte_array_from_slice(&reply)
}

/// `static native byte[] explain(long handle, String[] namesAndValues, long nowUnix)`: every
/// check run (the verified-token cache skipped), as `ok`, the rendered trace (what `albauth
/// check --explain` prints) and the decision's own reply ([`encode`]) as a length-prefixed blob.
const EXPLAIN: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn explain(handle: jlong, names_and_values: JString[], now_unix: jlong) -> jbyte[],
    error_policy = ThrowPanicError,
};

fn explain<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
    names_and_values: JObjectArray<'local, JString<'local>>,
    now_unix: jlong,
) -> jni::errors::Result<JByteArray<'local>> {
    let reply = match (verifier(handle), names_and_values.is_null()) {
        (None, _) => failure(ALBAUTH_NULL_ARGUMENT, "verifier handle is 0"),
        (_, true) => failure(ALBAUTH_NULL_ARGUMENT, "header array is null"),
        (Some(v), false) => match strings(env, &names_and_values)? {
            Err(reply) => reply,
            Ok(list) => {
                let pairs = list.chunks_exact(2).map(|p| (&p[0], &p[1]));
                let (outcome, explanation) = v.verify_explained(pairs, clock(now_unix));
                let decision = encode(&outcome);
                let trace = explanation.render();
                let mut r = Reply::new(ALBAUTH_OK, trace.len() + decision.len() + 8);
                r.string(Some(&trace)).blob(&decision);
                r.finish()
            }
        },
    };
    env.byte_array_from_slice(&reply)
}

/// `static native byte[] stats(long handle)`: the verifier's counters ([`stats_reply`]).
const STATS: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn stats(handle: jlong) -> jbyte[],
    error_policy = ThrowPanicError,
};

fn stats<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jni::errors::Result<JByteArray<'local>> {
    let reply = match verifier(handle) {
        None => failure(ALBAUTH_NULL_ARGUMENT, "verifier handle is 0"),
        Some(v) => stats_reply(&v.stats()),
    };
    env.byte_array_from_slice(&reply)
}

/// `static native byte[] templates()`: `ok` and [`templates_json`].
const TEMPLATES: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn templates() -> jbyte[],
    error_policy = ThrowPanicError,
};

fn templates<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
) -> jni::errors::Result<JByteArray<'local>> {
    let json = templates_json();
    let reply = Reply::new(ALBAUTH_OK, json.len() + 4)
        .string(Some(&json))
        .finish();
    env.byte_array_from_slice(&reply)
}

/// Keeps the exported natives referenced (the JVM finds them by their `Java_` symbol names).
#[allow(dead_code)]
pub(super) const NATIVES: [jni::NativeMethod; 4] = [CHECK_CONFIG, EXPLAIN, STATS, TEMPLATES];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::albauth_status::ALBAUTH_CONFIG_INVALID;

    fn int(r: &[u8], at: usize) -> i32 {
        i32::from_be_bytes(r[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn a_refused_config_replies_with_its_detail_and_field() {
        let r = check_reply(r#"{"trusted_albs": []}"#);
        assert_eq!(int(&r, 1), ALBAUTH_CONFIG_INVALID as i32);
        let detail_len = int(&r, 9) as usize;
        let detail = std::str::from_utf8(&r[13..13 + detail_len]).unwrap();
        assert!(detail.starts_with("`trusted_albs`"), "{detail}");
        let at = 13 + detail_len;
        let field_len = int(&r, at) as usize;
        assert_eq!(&r[at + 4..at + 4 + field_len], b"trusted_albs");
        assert_eq!(r.len(), at + 4 + field_len);
    }

    #[test]
    fn stats_reply_holds_eight_counters_then_each_code() {
        let s = Stats {
            authenticated: 3,
            rejected_by_kind: vec![(crate::ErrorKind::Expired, 2)],
            ..Stats::default()
        };
        let r = stats_reply(&s);
        assert_eq!(int(&r, 1), ALBAUTH_OK as i32);
        assert_eq!(i64::from_be_bytes(r[9..17].try_into().unwrap()), 3);
        assert_eq!(int(&r, 9 + 64), 1);
        let name_len = int(&r, 9 + 68) as usize;
        assert_eq!(&r[9 + 72..9 + 72 + name_len], b"expired");
    }
}
