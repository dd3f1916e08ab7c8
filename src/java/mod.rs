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
//! A verifier is an `Arc<Verifier>` whose pointer Java holds in a `long`; Java guarantees that
//! `destroy` runs once, after every call using the handle has returned (see `AlbAuth.java`).
//! No panic crosses into the JVM: [`ThrowPanicError`] turns one into `AlbAuthPanicError`.

mod arrays;
mod policy;
mod reply;

use std::sync::Arc;

use jni::objects::{JByteArray, JClass, JObjectArray, JString};
use jni::sys::{jint, jlong};
use jni::{native_method, Env, EnvUnowned};

use crate::templates::{ACCESS_TOKEN_HEADER, DATA_HEADER, IDENTITY_HEADER};
use crate::{Outcome, Verifier};
use arrays::Arrays;
use policy::{ThrowPanicError, PANIC_MESSAGE};
use reply::{encode, failure, status_names, STATUS_INVALID_ARGUMENT, STATUS_NULL_ARGUMENT};

/// `static native String[] statusNames()`.
const STATUS_NAMES: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn status_names_native() -> JString[],
    name = "statusNames",
    error_policy = ThrowPanicError,
};

fn status_names_native<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
) -> jni::errors::Result<JObjectArray<'local, JString<'local>>> {
    let names = status_names();
    let array = JObjectArray::<JString>::new(env, names.len(), JString::null())?;
    for (i, name) in names.iter().enumerate() {
        let s = JString::from_str(env, name)?;
        array.set_element(env, i, &s)?;
    }
    Ok(array)
}

/// `static native long create(String configJson, String[] error)`: a handle, or 0 with the
/// reason (which names the field) in `error[0]`.
const CREATE: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn create(config_json: JString, error: JString[]) -> jlong,
    error_policy = ThrowPanicError,
};

fn create<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    config_json: JString<'local>,
    error: JObjectArray<'local, JString<'local>>,
) -> jni::errors::Result<jlong> {
    let result = if config_json.is_null() {
        Err("config JSON is null".to_string())
    } else {
        let json = config_json.mutf8_chars(env)?;
        Verifier::from_json(&json.to_str()).map_err(|e| e.detail().to_string())
    };
    match result {
        Ok(verifier) => Ok(Arc::into_raw(Arc::new(verifier)) as jlong),
        Err(message) => {
            if !error.is_null() && error.len(env)? > 0 {
                let s = JString::from_str(env, message)?;
                error.set_element(env, 0, &s)?;
            }
            Ok(0)
        }
    }
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
    Ok(borrow(handle).is_none_or(|v| v.config().uses_access_token()))
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
    if handle != 0 {
        // SAFETY: `handle` came from `Arc::into_raw` in `create`, and Java calls `destroy`
        // exactly once, after every call that borrowed it has returned (AlbAuth.Handle).
        drop(unsafe { Arc::from_raw(handle as *const Verifier) });
    }
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
        let reply = match borrow(handle) {
            None => failure(STATUS_NULL_ARGUMENT, "verifier handle is 0"),
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
                    _ => failure(STATUS_INVALID_ARGUMENT, "a header value is not UTF-8"),
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
    let reply = match (borrow(handle), names_and_values.is_null()) {
        (None, _) => failure(STATUS_NULL_ARGUMENT, "verifier handle is 0"),
        (_, true) => failure(STATUS_NULL_ARGUMENT, "header array is null"),
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
        return Ok(Err(failure(STATUS_INVALID_ARGUMENT, why)));
    }
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let s = array.get_element(env, i)?;
        if s.is_null() {
            let why = "a header name or value is null";
            return Ok(Err(failure(STATUS_NULL_ARGUMENT, why)));
        }
        out.push(s.mutf8_chars(env)?.to_str().into_owned());
        env.delete_local_ref(s);
    }
    Ok(Ok(out))
}

/// `static native void panicForTest()`: proves that a panic becomes a Java `Error`, not a
/// crashed JVM. Reachable only from the `io.albauth` package.
const PANIC_FOR_TEST: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn panic_for_test(),
    error_policy = ThrowPanicError,
};

fn panic_for_test<'local>(
    _env: &mut Env<'local>,
    _class: JClass<'local>,
) -> jni::errors::Result<()> {
    panic!("albauth: deliberate panic (NativeBridge.panicForTest)");
}

/// `static native long rustVerifyLoop(long handle, String[] data, String[] identity,
/// String[] access, int passes, long nowUnix)`: the benchmark's baseline, the Rust API on the
/// same requests in the same process, timed in Rust: this thread's CPU nanoseconds for
/// `passes` rounds of `verify` over every request (-1 if one is not authenticated).
const RUST_VERIFY_LOOP: jni::NativeMethod = native_method! {
    java_type = "io.albauth.NativeBridge",
    static extern fn rust_verify_loop(
        handle: jlong,
        data: JString[],
        identity: JString[],
        access: JString[],
        passes: jint,
        now_unix: jlong,
    ) -> jlong,
    error_policy = ThrowPanicError,
};

#[allow(clippy::too_many_arguments)] // the Java signature's arguments, one each
fn rust_verify_loop<'local>(
    env: &mut Env<'local>,
    _class: JClass<'local>,
    handle: jlong,
    data: JObjectArray<'local, JString<'local>>,
    identity: JObjectArray<'local, JString<'local>>,
    access: JObjectArray<'local, JString<'local>>,
    passes: jint,
    now_unix: jlong,
) -> jni::errors::Result<jlong> {
    let Some(verifier) = borrow(handle) else {
        return Ok(-1);
    };
    let mut requests = Vec::new();
    for i in 0..data.len(env)? {
        let mut one = Vec::with_capacity(3);
        for (name, array) in [
            (DATA_HEADER, &data),
            (IDENTITY_HEADER, &identity),
            (ACCESS_TOKEN_HEADER, &access),
        ] {
            let s = array.get_element(env, i)?;
            if !s.is_null() {
                one.push((name, s.mutf8_chars(env)?.to_str().into_owned()));
            }
            env.delete_local_ref(s);
        }
        requests.push(one);
    }
    let start = thread_cpu_ns();
    for _ in 0..passes {
        for r in &requests {
            let o = verifier.verify(r.iter().map(|(n, v)| (*n, v.as_str())), clock(now_unix));
            if !matches!(o, Outcome::Authenticated(_)) {
                return Ok(-1);
            }
            std::hint::black_box(o);
        }
    }
    Ok((thread_cpu_ns() - start) as jlong)
}

/// Nanoseconds this thread has run on a CPU (Linux; 0 elsewhere, which the benchmark reports).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Keeps the exported natives referenced (the JVM finds them by their `Java_` symbol names).
#[allow(dead_code)]
const NATIVES: [jni::NativeMethod; 9] = [
    RUST_VERIFY_LOOP,
    STATUS_NAMES,
    MAX_HEADER_BYTES,
    READS_ACCESS_TOKEN,
    CREATE,
    DESTROY,
    VERIFY,
    VERIFY_HEADERS,
    PANIC_FOR_TEST,
];

fn borrow<'a>(handle: jlong) -> Option<&'a Verifier> {
    // SAFETY: a non-zero handle came from `Arc::into_raw` in `create`, and Java keeps it alive
    // (its in-flight count) until this call returns; the `Verifier` is `Sync`.
    (handle != 0).then(|| unsafe { &*(handle as *const Verifier) })
}

fn clock(now_unix: jlong) -> Option<i64> {
    (now_unix != 0).then_some(now_unix)
}
