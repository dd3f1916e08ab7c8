package com.atlassian.scheduler;

/** Stub of atlassian-scheduler-api 1.6 / 4.x (Jira 9.12, Confluence 8.5) {@code SchedulerServiceException} (checked). */
public class SchedulerServiceException extends Exception {
    private static final long serialVersionUID = 1L;

    public SchedulerServiceException(String message) {
        super(message);
    }

    public SchedulerServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
