package com.atlassian.crowd.search.query.entity.restriction;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code PropertyUtils}. */
public final class PropertyUtils {
    private PropertyUtils() {}

    public static Property<String> ofTypeString(String name) {
        return new PropertyImpl<>(name, String.class);
    }
}
