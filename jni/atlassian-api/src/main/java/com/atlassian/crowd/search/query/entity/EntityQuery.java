package com.atlassian.crowd.search.query.entity;

import com.atlassian.crowd.embedded.api.SearchRestriction;
import com.atlassian.crowd.search.EntityDescriptor;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code EntityQuery}: built through {@code QueryBuilder}. */
public abstract class EntityQuery<T> {
    public static final int ALL_RESULTS = -1;
    private final Class<T> returnType;
    private final EntityDescriptor entityDescriptor;
    private final SearchRestriction searchRestriction;
    private final int startIndex;
    private final int maxResults;

    protected EntityQuery(Class<T> returnType, EntityDescriptor entityDescriptor, SearchRestriction searchRestriction,
            int startIndex, int maxResults) {
        this.returnType = returnType;
        this.entityDescriptor = entityDescriptor;
        this.searchRestriction = searchRestriction;
        this.startIndex = startIndex;
        this.maxResults = maxResults;
    }

    public Class<T> getReturnType() {
        return returnType;
    }

    public EntityDescriptor getEntityDescriptor() {
        return entityDescriptor;
    }

    public SearchRestriction getSearchRestriction() {
        return searchRestriction;
    }

    public int getStartIndex() {
        return startIndex;
    }

    public int getMaxResults() {
        return maxResults;
    }
}
