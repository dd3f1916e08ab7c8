package io.albauth.provision;

/**
 * A {@link UserDirectory} could not do what was asked. The message is for an admin's log and
 * must not contain personal data (no usernames, e-mails or names: say which operation and why,
 * e.g. an SQLState); the cause may.
 */
public class DirectoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DirectoryException(String message) {
        super(message);
    }

    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
