//! Natives for tests and benchmarks only, declared by `io.albauth.TestNatives` (in the test
//! sources). Compiled only with the cargo feature `test-natives` (jni/test.sh, jni/bench.sh),
//! so the production library does not export them: a deliberate panic and a timing loop have
//! no business in a library that guards a login.

use jni::objects::{JClass, JObjectArray, JString};
use jni::sys::{jint, jlong};
use jni::{native_method, Env};

use super::policy::ThrowPanicError;
use super::verifier;
use crate::bridge::clock;
use crate::templates::{ACCESS_TOKEN_HEADER, DATA_HEADER, IDENTITY_HEADER};
use crate::Outcome;

/// `static native void panicForTest()`: proves that a panic becomes a Java `Error`, not a
/// crashed JVM.
const PANIC_FOR_TEST: jni::NativeMethod = native_method! {
    java_type = "io.albauth.TestNatives",
    static extern fn panic_for_test(),
    error_policy = ThrowPanicError,
};

fn panic_for_test<'local>(
    _env: &mut Env<'local>,
    _class: JClass<'local>,
) -> jni::errors::Result<()> {
    panic!("albauth: deliberate panic (TestNatives.panicForTest)");
}

/// `static native long rustVerifyLoop(long handle, String[] data, String[] identity,
/// String[] access, int passes, long nowUnix)`: the benchmark's baseline, the Rust API on the
/// same requests in the same process, timed in Rust: this thread's CPU nanoseconds for
/// `passes` rounds of `verify` over every request (-1 if one is not authenticated).
const RUST_VERIFY_LOOP: jni::NativeMethod = native_method! {
    java_type = "io.albauth.TestNatives",
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
    let Some(verifier) = verifier(handle) else {
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
const NATIVES: [jni::NativeMethod; 2] = [PANIC_FOR_TEST, RUST_VERIFY_LOOP];
