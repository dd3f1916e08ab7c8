package com.atlassian.crowd.model.group;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code com.atlassian.crowd.model.group.Group}. */
public interface Group {
    String getName();

    long getDirectoryId();

    boolean isActive();

    String getDescription();
}
