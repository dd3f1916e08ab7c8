package io.albauth;

/**
 * The benchmark's view of the Rust API inside this JVM (benchmark sources only; same package so
 * it can reach AlbAuth's package-private baseline hook).
 */
public final class RustBaseline {
    private RustBaseline() {}

    /** ns per Rust-side verify of the same headers; -1 if one did not authenticate. */
    public static double nanosPerVerify(
            AlbAuth auth, String[] data, String[] identity, String[] access, int passes, long nowUnix) {
        return auth.rustNanosPerVerify(data, identity, access, passes, nowUnix);
    }
}
