package com.atlassian.scheduler.config;

/** Stub of atlassian-scheduler-api 1.6 / 4.x (Jira 9.12, Confluence 8.5) {@code JobRunnerKey}. */
public final class JobRunnerKey {
    private final String key;

    private JobRunnerKey(String key) {
        this.key = key;
    }

    public static JobRunnerKey of(String key) {
        return new JobRunnerKey(java.util.Objects.requireNonNull(key, "key"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobRunnerKey && ((JobRunnerKey) o).key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key;
    }
}
