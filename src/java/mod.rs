//! JNI glue for `io.albauth.NativeBridge` (jni/src/main/java): convert, call [`Verifier`], map.
//!
//! The crossing is shaped for a per-request call. Java picks out the `x-amzn-oidc-*` headers and
//! passes the usual three as UTF-8 `byte[]`s (`String.getBytes` is an array copy for ASCII,
//! where `GetStringUTFChars` converts character by character), and the decision comes back
//! [`encode`]d into a `byte[]` that Java allocated (one array copy, no JNI allocation), which
//! Java decodes with the JDK's fast UTF-8 path instead of one `NewStringUTF` per field. There
//! are no class lookups, cached method IDs or global references, so nothing pins a plugin's
//! class loader, and the library loads once per class loader.
//!
//! A verifier is a [`JavaVerifier`] handle (an `Arc<Verifier>`, see [`crate::bridge`]) whose
//! pointer Java holds in a `long`; Java guarantees that `destroy` runs once, after every call
//! using the handle has returned (see `AlbAuth.java`). Every reply, and the status numbers in
//! it, are the one wire format of [`reply`]. No panic crosses into the JVM:
//! [`ThrowPanicError`] turns one into `AlbAuthPanicError`.
//!
//! Provisioning (`planLogin`, `idpIdOf`, `provisioningEnabled`) is in [`provision`]: once per
//! login, not per request.
//!
//! Natives that only tests and benchmarks need are in `test_natives`, compiled only with the
//! cargo feature `test-natives`, so the production library does not export them.

mod admin;
mod arrays;
mod policy;
mod provision;
mod reply;
mod sync;
#[cfg(feature = "test-natives")]
mod test_natives;

use std::sync::Arc;

use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::{jint, jlong};
use jni::{native_method, Env, EnvUnowned};

use crate::bridge::{self, clock, ArcHandle};
use crate::ffi::albauth_status::{self, *};
use crate::templates::{ACCESS_TOKEN_HEADER, DATA_HEADER, IDENTITY_HEADER};
use crate::Verifier;
use arrays::Arrays;
use policy::{ThrowPanicError, PANIC_MESSAGE};
use reply::{encode, failure, status_table};

/// The handle type Java holds as a `long`: one `Arc<Verifier>` ([`ArcHandle`] decides how it
/// is made and released, so no call site pairs `into_raw` and `from_raw` by hand).
pub(crate) struct JavaVerifier {
    _private: [u8; 0],
}

impl ArcHandle for JavaVerifier {
    type Target = Verifier;
}

/// The verifier behind a handle Java passed in; `None` for 0.
fn verifier<'a>(handle: jlong) -> Option<&'a Verifier> {
    // SAFETY: a non-zero handle came from `JavaVerifier::into_raw` in `create`, and Java keeps
    // it unreleased (its in-flight count, AlbAuth.Handle) until this native call returns.
    unsafe { bridge::borrow(handle as *const JavaVerifier) }
}

/// `static native byte[] statusTable()`: every status number, name and class ([`status_table`]).
const STATUS_TABLE: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn status_table_native() -> jbyte[],
    name = "statusTable",
    error_policy = ThrowPanicError,
};

fn status_table_native<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
) -> jni::errors::Result<JByteArray<'local>> {
    env.byte_array_from_slice(&status_table())
}

/// `static native byte[] create(String configJson)`: a reply holding the new handle, or the
/// failure (`config_invalid` with a detail that names the field; `null_argument`).
const CREATE: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn create(config_json: JString) -> jbyte[],
    error_policy = ThrowPanicError,
};

fn create<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    config_json: JString<'local>,
) -> jni::errors::Result<JByteArray<'local>> {
    let reply = if config_json.is_null() {
        failure(ALBAUTH_NULL_ARGUMENT, "config JSON is null")
    } else {
        let json = config_json.mutf8_chars(env)?;
        match Verifier::from_json(&json.to_str()) {
            Ok(v) => reply::handle(JavaVerifier::into_raw(Arc::new(v)) as jlong),
            Err(e) => failure(albauth_status::from_kind(e.kind()), e.detail()),
        }
    };
    env.byte_array_from_slice(&reply)
}

/// `static native int maxHeaderBytes()`: the largest identity header value accepted.
const MAX_HEADER_BYTES: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn max_header_bytes() -> jint,
    error_policy = ThrowPanicError,
};

fn max_header_bytes<'local>(
    _env: &mut Env<'local>,
    _class: JClass<'local>,
) -> jni::errors::Result<jint> {
    Ok(crate::MAX_HEADER_BYTES as jint)
}

/// `static native boolean readsAccessToken(long handle)`: whether the verifier uses the
/// `x-amzn-oidc-accesstoken` value (else the core only checks its size, and Java need not copy
/// a value that certainly passes that check).
const READS_ACCESS_TOKEN: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn reads_access_token(handle: jlong) -> jboolean,
    error_policy = ThrowPanicError,
};

fn reads_access_token<'local>(
    _env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jni::errors::Result<bool> {
    Ok(verifier(handle).is_none_or(|v| v.config().uses_access_token()))
}

/// `static native void destroy(long handle)`: drops the verifier; 0 is a no-op.
const DESTROY: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn destroy(handle: jlong),
    error_policy = ThrowPanicError,
};

fn destroy<'local>(
    _env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jni::errors::Result<()> {
    // SAFETY: a non-zero `handle` came from `JavaVerifier::into_raw` in `create`, and Java
    // calls `destroy` exactly once, after every call that borrowed it has returned
    // (AlbAuth.Handle); 0 is a no-op.
    unsafe { bridge::release(handle as *const JavaVerifier) };
    Ok(())
}

/// `static native byte[] verify(long handle, byte[] data, byte[] identity, byte[] access,
/// long nowUnix, byte[] out)`: the usual case, each identity header at most once (null when
/// absent), as UTF-8. The [`encode`]d reply goes into `out` (then null is returned) or, when it
/// does not fit, into a new array that is returned.
///
/// This is the per-request path, so it copies the arrays with raw JNI calls ([`Arrays`]) inside
/// its own `catch_unwind`, and builds an `Env` only for a reply that does not fit and for a
/// panic.
const VERIFY: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static raw extern fn verify(
        handle: jlong,
        data: jbyte[],
        identity: jbyte[],
        access: jbyte[],
        now_unix: jlong,
        out: jbyte[],
    ) -> jbyte[],
};

#[allow(clippy::too_many_arguments)] // the Java signature's arguments, one each
fn verify<'local>(
    mut unowned: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    data: JByteArray<'local>,
    identity: JByteArray<'local>,
    access: JByteArray<'local>,
    now_unix: jlong,
    out: JByteArray<'local>,
) -> JByteArray<'local> {
    // SAFETY: the JVM passed this env pointer and these local references to this native
    // method, on this thread, with no exception pending; they live until it returns.
    let arrays = unsafe { Arrays::new(unowned.as_raw()) };
    let headers = [data.as_raw(), identity.as_raw(), access.as_raw()];
    let out_raw = out.as_raw();
    let verified = std::panic::catch_unwind(|| {
        let reply = match verifier(handle) {
            None => failure(ALBAUTH_NULL_ARGUMENT, "verifier handle is 0"),
            // SAFETY: as above; each is null or a byte[].
            Some(verifier) => unsafe {
                arrays.with_bytes(headers, |[d, i, a]| match (utf8(d), utf8(i), utf8(a)) {
                    (Ok(d), Ok(i), Ok(a)) => {
                        let h = [
                            (DATA_HEADER, d),
                            (IDENTITY_HEADER, i),
                            (ACCESS_TOKEN_HEADER, a),
                        ];
                        let present = h.into_iter().filter_map(|(n, v)| Some((n, v?)));
                        encode(&verifier.verify(present, clock(now_unix)))
                    }
                    _ => failure(ALBAUTH_INVALID_ARGUMENT, "a header value is not UTF-8"),
                })
            },
        };
        // SAFETY: as above; `out` is null or a byte[].
        let written = unsafe { arrays.write(out_raw, &reply) };
        (!written).then_some(reply)
    });
    match verified {
        Ok(None) => JByteArray::null(),
        Ok(Some(reply)) => unowned
            .with_env(|env| env.byte_array_from_slice(&reply))
            .resolve::<ThrowPanicError>(),
        Err(payload) => {
            std::mem::forget(payload); // dropping it could panic again, across the boundary
            unowned
                .with_env(|env| -> jni::errors::Result<JByteArray<'local>> {
                    ThrowPanicError::throw(env, PANIC_MESSAGE)?;
                    Ok(JByteArray::null())
                })
                .resolve::<ThrowPanicError>()
        }
    }
}

fn utf8(bytes: Option<&[u8]>) -> Result<Option<&str>, std::str::Utf8Error> {
    bytes.map(std::str::from_utf8).transpose()
}

/// `static native byte[] verifyHeaders(long handle, String[] namesAndValues, long nowUnix)`:
/// any other shape (a repeated or unknown `x-amzn-oidc-*` header), left to the core to judge
/// exactly as it would any header list. Replies as [`verify`] does.
const VERIFY_HEADERS: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn verify_headers(
        handle: jlong,
        names_and_values: JString[],
        now_unix: jlong,
        out: jbyte[],
    ) -> jbyte[],
    error_policy = ThrowPanicError,
};

fn verify_headers<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
    names_and_values: JObjectArray<'local, JString<'local>>,
    now_unix: jlong,
    out: JByteArray<'local>,
) -> jni::errors::Result<JByteArray<'local>> {
    let reply = match (verifier(handle), names_and_values.is_null()) {
        (None, _) => failure(ALBAUTH_NULL_ARGUMENT, "verifier handle is 0"),
        (_, true) => failure(ALBAUTH_NULL_ARGUMENT, "header array is null"),
        (Some(verifier), false) => match strings(env, &names_and_values)? {
            Err(reply) => reply,
            Ok(list) => {
                let pairs = list.chunks_exact(2).map(|p| (&p[0], &p[1]));
                encode(&verifier.verify(pairs, clock(now_unix)))
            }
        },
    };
    respond(env, &out, &reply)
}

/// Copies `reply` into `out` and returns null, or returns a new array when it does not fit.
fn respond<'local>(
    env: &mut Env<'local>,
    out: &JByteArray<'local>,
    reply: &[u8],
) -> jni::errors::Result<JByteArray<'local>> {
    if !out.is_null() && out.len(env)? >= reply.len() {
        // SAFETY: u8 and i8 have the same size and alignment; only the bit patterns are copied.
        let signed: &[i8] =
            unsafe { std::slice::from_raw_parts(reply.as_ptr().cast(), reply.len()) };
        out.set_region(env, 0, signed)?;
        return Ok(JByteArray::null());
    }
    env.byte_array_from_slice(reply)
}

/// The strings of a name, value, ... array; a failure reply for a null or an odd length.
fn strings(
    env: &mut Env<'_>,
    array: &JObjectArray<'_, JString<'_>>,
) -> jni::errors::Result<Result<Vec<String>, Vec<u8>>> {
    let len = array.len(env)?;
    if len % 2 != 0 {
        let why = "header array must hold name, value pairs";
        return Ok(Err(failure(ALBAUTH_INVALID_ARGUMENT, why)));
    }
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let s = array.get_element(env, i)?;
        if s.is_null() {
            let why = "a header name or value is null";
            return Ok(Err(failure(ALBAUTH_NULL_ARGUMENT, why)));
        }
        out.push(s.mutf8_chars(env)?.to_str().into_owned());
        env.delete_local_ref(s);
    }
    Ok(Ok(out))
}

/// Keeps the exported natives referenced (the JVM finds them by their `Java_` symbol names).
#[allow(dead_code)]
const NATIVES: [jni::NativeMethod; 7] = [
    STATUS_TABLE,
    MAX_HEADER_BYTES,
    READS_ACCESS_TOKEN,
    CREATE,
    DESTROY,
    VERIFY,
    VERIFY_HEADERS,
];
