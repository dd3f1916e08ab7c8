package com.atlassian.crowd.embedded.api;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code SearchRestriction} (a marker). */
public interface SearchRestriction {}
