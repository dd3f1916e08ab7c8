package com.atlassian.crowd.search.query.entity.restriction;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code MatchMode}. */
public enum MatchMode {
    EXACTLY_MATCHES, STARTS_WITH, ENDS_WITH, CONTAINS, LESS_THAN, GREATER_THAN, NULL
}
