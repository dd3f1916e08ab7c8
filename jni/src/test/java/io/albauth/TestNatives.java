package io.albauth;

/**
 * Natives that exist only in a library built with the cargo feature {@code test-natives}
 * ({@code src/java/test_natives.rs}; jni/test.sh and jni/bench.sh build it). The production
 * library, bundled in albauth.jar, does not export them: calling one there is an
 * {@link UnsatisfiedLinkError} (NativeLoaderTest proves it).
 */
public final class TestNatives {
    static {
        NativeBridge.ensureLoaded();
    }

    private TestNatives() {}

    /** Panics in Rust, to prove the boundary turns that into {@link AlbAuthPanicError}. */
    static native void panicForTest();

    /**
     * The benchmark's baseline: the Rust API on the same requests in this process, timed in Rust.
     * This thread's CPU ns for {@code passes} rounds over all requests; -1 if one fails.
     */
    static native long rustVerifyLoop(
            long handle, String[] data, String[] identity, String[] access, int passes, long nowUnix);
}
