package com.atlassian.crowd.search.query.entity.restriction;

import com.atlassian.crowd.embedded.api.SearchRestriction;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code NullRestriction}: no restriction. */
public interface NullRestriction extends SearchRestriction {}
