package com.atlassian.scheduler;

/** Stub of atlassian-scheduler-api 1.6 / 4.x (Jira 9.12, Confluence 8.5) {@code JobRunnerResponse}: static factories and the message. */
public final class JobRunnerResponse {
    private final String outcome;
    private final String message;

    private JobRunnerResponse(String outcome, String message) {
        this.outcome = outcome;
        this.message = message;
    }

    public static JobRunnerResponse success() {
        return new JobRunnerResponse("SUCCESS", null);
    }

    public static JobRunnerResponse success(String message) {
        return new JobRunnerResponse("SUCCESS", message);
    }

    public static JobRunnerResponse failed(String message) {
        return new JobRunnerResponse("FAILED", message);
    }

    public static JobRunnerResponse failed(Throwable cause) {
        return new JobRunnerResponse("FAILED", String.valueOf(cause));
    }

    public static JobRunnerResponse aborted(String message) {
        return new JobRunnerResponse("ABORTED", message);
    }

    /** In the real API a {@code RunOutcome} enum; here its name. */
    public String getRunOutcomeName() {
        return outcome;
    }

    public String getMessage() {
        return message;
    }
}
