package com.atlassian.crowd.manager.directory;

import com.atlassian.crowd.exception.PermissionException;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code DirectoryPermissionException}: the directory does not allow the operation. */
public class DirectoryPermissionException extends PermissionException {
    private static final long serialVersionUID = 1L;

    public DirectoryPermissionException(String message) {
        super(message);
    }
}
