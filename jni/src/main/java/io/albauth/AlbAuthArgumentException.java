package io.albauth;

/**
 * A caller passed something albauth cannot use: code {@code null_argument} (a required argument
 * or a header value is null) or {@code invalid_argument} (e.g. a negative time).
 */
public final class AlbAuthArgumentException extends AlbAuthException {
    private static final long serialVersionUID = 1L;

    AlbAuthArgumentException(String code, String message) {
        super(code, message);
    }

    static AlbAuthArgumentException nullArgument(String message) {
        return new AlbAuthArgumentException("null_argument", message);
    }

    static AlbAuthArgumentException invalidArgument(String message) {
        return new AlbAuthArgumentException("invalid_argument", message);
    }
}
