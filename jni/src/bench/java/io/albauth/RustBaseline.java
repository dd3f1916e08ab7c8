package io.albauth;

/**
 * The benchmark's view of the Rust API inside this JVM (benchmark sources only; same package so
 * it can borrow AlbAuth's native handle and call the test-only native loop on it).
 */
public final class RustBaseline {
    private RustBaseline() {}

    /** ns per Rust-side verify of the same headers; -1 if one did not authenticate. */
    public static double nanosPerVerify(
            AlbAuth auth, String[] data, String[] identity, String[] access, int passes, long nowUnix) {
        long ns = auth.withHandle(ptr -> TestNatives.rustVerifyLoop(ptr, data, identity, access, passes, nowUnix));
        return ns < 0 ? -1 : ns / ((double) passes * data.length);
    }
}
