package io.albauth;

/**
 * A failure reported by albauth, with a stable machine-readable {@link #code()}.
 *
 * <p>The codes are the C ABI status names ({@code config_invalid}, {@code null_argument},
 * {@code invalid_argument}, and the verifier codes such as {@code expired}), so logs and
 * dashboards read the same whichever binding produced them. A rejected request is not an
 * exception: it is a {@link Decision} with an {@link Decision#errorCode()}. Messages never
 * contain a token or personal data.
 */
public class AlbAuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * @param code the stable status name
     * @param message what went wrong, for an admin
     */
    protected AlbAuthException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The stable status name, e.g. {@code "config_invalid"}. */
    public String code() {
        return code;
    }
}
