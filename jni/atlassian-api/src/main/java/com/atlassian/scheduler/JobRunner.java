package com.atlassian.scheduler;

/** Stub of atlassian-scheduler-api 1.6 / 4.x (Jira 9.12, Confluence 8.5) {@code JobRunner}: the work a scheduled job does. */
public interface JobRunner {
    JobRunnerResponse runJob(JobRunnerRequest request);
}
