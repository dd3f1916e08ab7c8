package com.atlassian.crowd.exception;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code CrowdException}: the base of the checked directory exceptions. */
public abstract class CrowdException extends Exception {
    private static final long serialVersionUID = 1L;

    protected CrowdException(String message) {
        super(message);
    }
}
