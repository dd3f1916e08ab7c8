package io.albauth;

/** The configuration was refused; the message names the field. Code {@code config_invalid}. */
public final class AlbAuthConfigException extends AlbAuthException {
    private static final long serialVersionUID = 1L;

    /** @param message why, naming the offending field */
    public AlbAuthConfigException(String message) {
        super("config_invalid", message);
    }
}
