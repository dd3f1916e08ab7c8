package com.atlassian.scheduler.config;

/** Stub of atlassian-scheduler-api 1.6 / 4.x (Jira 9.12, Confluence 8.5) {@code RunMode}. */
public enum RunMode {
    RUN_ONCE_PER_CLUSTER,
    RUN_LOCALLY
}
