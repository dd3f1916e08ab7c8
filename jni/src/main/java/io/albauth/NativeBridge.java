package io.albauth;

/**
 * Every production native method, in one place (implemented in the crate's
 * {@code src/java/mod.rs}). The crossing is kept small for a per-request call: UTF-8 bytes in,
 * one reply {@code byte[]} out, in the one wire format that {@link WireReader} reads, with the
 * C ABI's status numbers ({@link Status}).
 */
final class NativeBridge {
    /** The largest identity header value the core accepts, in UTF-8 bytes. */
    static final int MAX_HEADER_BYTES;

    static {
        NativeLoader.load();
        MAX_HEADER_BYTES = maxHeaderBytes();
    }

    private NativeBridge() {}

    /**
     * Loads the native library (this class's initialiser does), for classes that declare natives
     * of their own in this package.
     */
    static void ensureLoaded() {}

    /** Every status: a count, then number, C status name and class of each (see {@link Status}). */
    static native byte[] statusTable();

    static native int maxHeaderBytes();

    /** Whether the verifier reads x-amzn-oidc-accesstoken (else the core only checks its size). */
    static native boolean readsAccessToken(long handle);

    /**
     * A new verifier: a reply holding its handle as a long ({@code ok}), or the failure
     * ({@code config_invalid}, whose detail names the field; {@code null_argument}).
     */
    static native byte[] create(String configJson);

    /** Frees a handle; call once, after every call using it has returned. 0 is a no-op. */
    static native void destroy(long handle);

    /** Room for a typical reply; a larger one comes back in a new array. */
    static final int REPLY_BYTES = 1024;

    /**
     * Verifies the usual shape: each identity header at most once, as UTF-8 (null when absent).
     * The decision, as {@link Decision#decode} reads it, is written into {@code out} (and null
     * returned) or, if it does not fit, returned in a new array.
     */
    static native byte[] verify(long handle, byte[] data, byte[] identity, byte[] access, long nowUnix, byte[] out);

    /** Verifies any other shape: name, value, name, value, ... of x-amzn-oidc-* headers. */
    static native byte[] verifyHeaders(long handle, String[] namesAndValues, long nowUnix, byte[] out);

    /** Whether the verifier's config sets {@code provisioning.enabled}. */
    static native boolean provisioningEnabled(long handle);

    /**
     * Plans a login of the identity given by a {@link Decision}'s fields against the host's record
     * ({@code currentUserJson}, null when it has none): the plan, as {@link PlanDecoder} reads it,
     * or {@code invalid_argument} for a record that is not valid.
     */
    static native byte[] planLogin(long handle, String username, String displayName, String email, String sub,
            String claimsJson, String[] groups, String currentUserJson);

    /**
     * Validates a configuration as {@link #create} would, building nothing: {@code ok} with a count
     * and the warnings, or {@code config_invalid} with the detail and the field it names (null when
     * none). For an admin page; not per request.
     */
    static native byte[] checkConfig(String configJson);

    /**
     * Verifies with every check recorded (the verified-token cache skipped): {@code ok}, the trace as
     * {@code albauth check --explain} renders it, and the decision's own reply as a blob.
     */
    static native byte[] explain(long handle, String[] namesAndValues, long nowUnix);

    /** The verifier's counters: eight longs, then a count and per error code its name and count. */
    static native byte[] stats(long handle);

    /** {@code ok} and the IdP templates as a JSON array (see {@link AlbAuth#templatesJson}). */
    static native byte[] templates();

    /**
     * Two strings about a {@link Decision}'s login: its IdP id ({@code provisioning.idp_id_claim};
     * null when absent) and its provisioning key (a digest of what its plan reads).
     */
    static native byte[] loginFacts(long handle, String username, String displayName, String email, String sub,
            String claimsJson, String[] groups);

    /**
     * Lists the IdP through the configuration's {@code directory_sync.connector} and plans a full
     * sync against the host snapshot (JSON lines): {@code ok} and the report JSON, or a status
     * and its message. {@code flags}: 1 plans past the brake. Blocking network I/O.
     */
    static native byte[] syncPlan(String configJson, String snapshotJsonl, int flags);
}
