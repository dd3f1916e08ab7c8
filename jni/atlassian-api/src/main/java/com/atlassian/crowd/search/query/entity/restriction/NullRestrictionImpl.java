package com.atlassian.crowd.search.query.entity.restriction;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code NullRestrictionImpl}. */
public final class NullRestrictionImpl implements NullRestriction {
    public static final NullRestriction INSTANCE = new NullRestrictionImpl();

    private NullRestrictionImpl() {}
}
