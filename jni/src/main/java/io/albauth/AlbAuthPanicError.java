package io.albauth;

/**
 * An internal failure inside the native library (status {@code panic}): a bug, never a verdict
 * on a request. It is an {@link Error}, not an exception, because nothing a caller does can fix
 * it; the request it happened on was not authenticated and the JVM keeps running. Thrown from
 * native code, hence the public {@code (String)} constructor.
 */
public final class AlbAuthPanicError extends Error {
    private static final long serialVersionUID = 1L;

    /** @param message a fixed description (never the panic payload, which may quote input) */
    public AlbAuthPanicError(String message) {
        super(message);
    }

    /** Always {@code "panic"}, the C ABI status name. */
    public String code() {
        return "panic";
    }
}
