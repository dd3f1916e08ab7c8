package com.atlassian.crowd.exception;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code InvalidCredentialException}. */
public class InvalidCredentialException extends CrowdException {
    private static final long serialVersionUID = 1L;

    public InvalidCredentialException(String message) {
        super(message);
    }
}
