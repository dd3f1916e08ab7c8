package com.atlassian.crowd.search.query.entity.restriction;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code TermRestriction}: property, match mode, value. */
public class TermRestriction<T> implements PropertyRestriction<T> {
    private final Property<T> property;
    private final MatchMode matchMode;
    private final T value;

    public TermRestriction(Property<T> property, MatchMode matchMode, T value) {
        this.property = property;
        this.matchMode = matchMode;
        this.value = value;
    }

    @Override
    public Property<T> getProperty() {
        return property;
    }

    @Override
    public MatchMode getMatchMode() {
        return matchMode;
    }

    @Override
    public T getValue() {
        return value;
    }
}
