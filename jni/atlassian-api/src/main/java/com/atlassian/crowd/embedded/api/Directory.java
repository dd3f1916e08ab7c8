package com.atlassian.crowd.embedded.api;

import java.util.Map;
import java.util.Set;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code Directory}, the getters the app reads. */
public interface Directory {
    Long getId();

    String getName();

    boolean isActive();

    String getDescription();

    DirectoryType getType();

    String getImplementationClass();

    Set<OperationType> getAllowedOperations();

    Map<String, String> getAttributes();
}
