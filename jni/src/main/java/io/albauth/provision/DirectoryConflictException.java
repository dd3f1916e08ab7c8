package io.albauth.provision;

/**
 * Another login changed the same entry at the same moment (a unique constraint: the same new
 * user created on two nodes at once, the same membership added twice). {@link PlanApplier} then
 * re-reads the record, plans again and applies once more, so both logins succeed.
 */
public class DirectoryConflictException extends DirectoryException {
    private static final long serialVersionUID = 1L;

    public DirectoryConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
