package com.atlassian.crowd.exception;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code UserNotFoundException}. */
public class UserNotFoundException extends ObjectNotFoundException {
    private static final long serialVersionUID = 1L;

    public UserNotFoundException(String message) {
        super(message);
    }
}
