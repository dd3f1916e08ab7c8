package io.albauth;

/**
 * Every native method, in one place (implemented in the crate's {@code src/java/mod.rs}). The
 * crossing is kept small for a per-request call: UTF-8 bytes in, one encoded {@code byte[]} out.
 */
final class NativeBridge {
    private static final String[] STATUS_NAMES;
    /** The largest identity header value the core accepts, in UTF-8 bytes. */
    static final int MAX_HEADER_BYTES;

    static {
        NativeLoader.load();
        STATUS_NAMES = statusNames();
        MAX_HEADER_BYTES = maxHeaderBytes();
    }

    private NativeBridge() {}

    /** The C status name of a status byte; "panic" for anything unknown. */
    static String statusName(int status) {
        return status > 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : "panic";
    }

    /** Status names indexed by value: "panic", "ok", "anonymous", the verifier codes, ... */
    static native String[] statusNames();

    static native int maxHeaderBytes();

    /** Whether the verifier reads x-amzn-oidc-accesstoken (else the core only checks its size). */
    static native boolean readsAccessToken(long handle);

    /** A verifier handle, or 0 with the reason in {@code error[0]}. */
    static native long create(String configJson, String[] error);

    /** Frees a handle; call once, after every call using it has returned. */
    static native void destroy(long handle);

    /** Room for a typical reply; a larger one comes back in a new array. */
    static final int REPLY_BYTES = 1024;

    /**
     * Verifies the usual shape: each identity header at most once, as UTF-8 (null when absent).
     * The decision, encoded as {@link Decision#decode} reads it, is written into {@code out} (and
     * null returned) or, if it does not fit, returned in a new array.
     */
    static native byte[] verify(long handle, byte[] data, byte[] identity, byte[] access, long nowUnix, byte[] out);

    /** Verifies any other shape: name, value, name, value, ... of x-amzn-oidc-* headers. */
    static native byte[] verifyHeaders(long handle, String[] namesAndValues, long nowUnix, byte[] out);

    /**
     * The benchmark's baseline: the Rust API on the same requests in this process, timed in Rust.
     * This thread's CPU ns for {@code passes} rounds over all requests; -1 if one fails.
     */
    static native long rustVerifyLoop(
            long handle, String[] data, String[] identity, String[] access, int passes, long nowUnix);

    /** Panics in Rust, to prove the boundary turns that into {@link AlbAuthPanicError}. */
    static native void panicForTest();
}
