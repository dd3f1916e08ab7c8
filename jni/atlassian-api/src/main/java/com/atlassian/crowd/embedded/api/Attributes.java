package com.atlassian.crowd.embedded.api;

import java.util.Set;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code Attributes}: multi-valued string attributes of a directory entity. */
public interface Attributes {
    Set<String> getValues(String key);

    String getValue(String key);

    Set<String> getKeys();

    boolean isEmpty();
}
