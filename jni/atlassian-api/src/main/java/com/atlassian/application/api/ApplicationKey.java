package com.atlassian.application.api;

/**
 * Stub of atlassian-application-api {@code ApplicationKey} (Jira 7–10): the key of a Jira
 * application such as {@code jira-software}.
 */
public final class ApplicationKey {
    private final String key;

    private ApplicationKey(String key) {
        this.key = key;
    }

    public static ApplicationKey valueOf(String key) {
        if (key == null || !key.matches("[a-z]+(-[a-z]+)*")) {
            throw new IllegalArgumentException("not an application key");
        }
        return new ApplicationKey(key);
    }

    public static boolean isValid(String key) {
        return key != null && key.matches("[a-z]+(-[a-z]+)*");
    }

    public String value() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApplicationKey && ((ApplicationKey) o).key.equals(key);
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
