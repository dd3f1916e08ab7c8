package io.albauth;

/**
 * The native status numbers and what each one means in Java: the one place that maps a status
 * to an exception. The numbers and names are not copied here: they are the C ABI's
 * {@code albauth_status}, learned from the native library's table when this class loads
 * ({@code status_table} in {@code src/java/reply.rs}), so Java and C can never disagree.
 *
 * <p>Each status has a class, from the C ABI's ranges: the request was handled ({@code ok},
 * {@code anonymous}), the request or configuration was refused (the verifier's error codes, and
 * {@code config_invalid}), or the call itself failed ({@code null_argument},
 * {@code invalid_argument}, {@code panic}).
 */
final class Status {
    /** Class of {@code ok} and {@code anonymous}: the request was handled. */
    static final int HANDLED = 0;
    /** Class of the verifier's error codes and {@code config_invalid}. */
    static final int REFUSED = 1;
    /** Class of {@code null_argument}, {@code invalid_argument} and {@code panic}. */
    static final int FAILED = 2;

    /** Names and classes indexed by status number; null where there is no status. */
    private static final String[] NAMES;
    private static final int[] CLASSES;
    /** The number of {@code ok}: authenticated, or the call succeeded. */
    static final int OK;
    /** The number of {@code anonymous}: no {@code x-amzn-oidc-data} header. */
    static final int ANONYMOUS;

    static {
        WireReader r = WireReader.reply(NativeBridge.statusTable());
        int n = r.count(12);
        int[] numbers = new int[n];
        String[] names = new String[n];
        int[] classes = new int[n];
        int max = -1;
        for (int i = 0; i < n; i++) {
            numbers[i] = r.int32();
            names[i] = r.string();
            classes[i] = r.int32();
            if (numbers[i] < 0 || numbers[i] > 0xffff || names[i] == null) {
                throw new AlbAuthPanicError("albauth: the native status table is garbled");
            }
            max = Math.max(max, numbers[i]);
        }
        r.end();
        NAMES = new String[max + 1];
        CLASSES = new int[max + 1];
        for (int i = 0; i < n; i++) {
            NAMES[numbers[i]] = names[i];
            CLASSES[numbers[i]] = classes[i];
        }
        OK = number("ok");
        ANONYMOUS = number("anonymous");
        if (r.status() != OK) {
            throw new AlbAuthPanicError("albauth: the native status table is garbled");
        }
    }

    private Status() {}

    /** The C status name of a number (e.g. {@code "expired"}); null for an unknown number. */
    static String name(int status) {
        return status >= 0 && status < NAMES.length ? NAMES[status] : null;
    }

    /** Whether the number is a refusal: a rejected request's error code, or config_invalid. */
    static boolean isRefusal(int status) {
        return name(status) != null && CLASSES[status] == REFUSED;
    }

    /** Every status number the native library knows, in ascending order. */
    static int[] all() {
        return java.util.stream.IntStream.range(0, NAMES.length).filter(i -> NAMES[i] != null).toArray();
    }

    /** The class of a known status ({@link #HANDLED}, {@link #REFUSED}, {@link #FAILED}); -1 if unknown. */
    static int classOf(int status) {
        return name(status) == null ? -1 : CLASSES[status];
    }

    private static int number(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (name.equals(NAMES[i])) {
                return i;
            }
        }
        throw new AlbAuthPanicError("albauth: the native status table has no `" + name + "`");
    }

    /**
     * What a status means as a Java failure, or null for {@code ok} and {@code anonymous}, which
     * are answers. {@code config_invalid} is {@link AlbAuthConfigException};
     * {@code null_argument} and {@code invalid_argument} are {@link AlbAuthArgumentException};
     * another refusal (a verifier code outside a {@link Decision}) is an {@link AlbAuthException}
     * with that code; {@code panic}, any other failure and any unknown number are
     * {@link AlbAuthPanicError}, whose message is fixed (a panic's detail could quote input).
     *
     * @param detail the native's reason (names a field or an argument, never a token)
     */
    static Throwable exception(int status, String detail) {
        String name = name(status);
        if (name == null) {
            return new AlbAuthPanicError("albauth: the native library returned an unknown status " + status);
        }
        String message = detail == null ? name : detail;
        switch (CLASSES[status]) {
            case HANDLED:
                return null;
            case REFUSED:
                return name.equals("config_invalid")
                        ? new AlbAuthConfigException(message)
                        : new AlbAuthException(name, message);
            default:
                if (name.equals("null_argument") || name.equals("invalid_argument")) {
                    return new AlbAuthArgumentException(name, message);
                }
                if (name.equals("directory_failed")) {
                    return new AlbAuthException(name, message); // the IdP's directory, not a bug
                }
                return new AlbAuthPanicError(name.equals("panic")
                        ? "albauth: internal error in the native library; nothing was authenticated"
                        : "albauth: the native call failed (" + name + "); nothing was authenticated");
        }
    }

    /**
     * Throws {@link #exception} when it is an {@link Error}, else returns it for the caller to
     * throw ({@code throw Status.raise(status, detail)}). A status that is not a failure here is
     * a bug in the caller: {@link AlbAuthPanicError}.
     */
    static RuntimeException raise(int status, String detail) {
        Throwable t = exception(status, detail);
        if (t == null) {
            throw new AlbAuthPanicError("albauth: status " + name(status) + " was not expected here");
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return (RuntimeException) t;
    }
}
