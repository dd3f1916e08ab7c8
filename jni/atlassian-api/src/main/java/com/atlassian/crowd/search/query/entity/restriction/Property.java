package com.atlassian.crowd.search.query.entity.restriction;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code Property}: a named, typed entity property or custom attribute. */
public interface Property<V> {
    String getPropertyName();

    Class<V> getPropertyType();
}
