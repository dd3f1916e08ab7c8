package com.atlassian.scheduler.config;

/** Stub of atlassian-scheduler-api 1.6 / 4.x (Jira 9.12, Confluence 8.5) {@code JobId}. */
public final class JobId {
    private final String key;

    private JobId(String key) {
        this.key = key;
    }

    public static JobId of(String key) {
        return new JobId(java.util.Objects.requireNonNull(key, "key"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobId && ((JobId) o).key.equals(key);
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
