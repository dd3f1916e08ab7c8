package com.atlassian.crowd.search.query.membership;

import com.atlassian.crowd.embedded.api.SearchRestriction;
import com.atlassian.crowd.search.EntityDescriptor;
import java.util.List;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code MembershipQuery}: the members or the parents of named entities. */
public abstract class MembershipQuery<T> {
    private final Class<T> returnType;
    private final boolean findChildren;
    private final EntityDescriptor entityToMatch;
    private final EntityDescriptor entityToReturn;
    private final int startIndex;
    private final int maxResults;
    private final SearchRestriction searchRestriction;
    private final List<String> entityNamesToMatch;

    protected MembershipQuery(Class<T> returnType, boolean findChildren, EntityDescriptor entityToMatch,
            EntityDescriptor entityToReturn, int startIndex, int maxResults, SearchRestriction searchRestriction,
            String... entityNamesToMatch) {
        this.returnType = returnType;
        this.findChildren = findChildren;
        this.entityToMatch = entityToMatch;
        this.entityToReturn = entityToReturn;
        this.startIndex = startIndex;
        this.maxResults = maxResults;
        this.searchRestriction = searchRestriction;
        this.entityNamesToMatch = List.of(entityNamesToMatch);
    }

    public Class<T> getReturnType() {
        return returnType;
    }

    public boolean isFindChildren() {
        return findChildren;
    }

    public EntityDescriptor getEntityToMatch() {
        return entityToMatch;
    }

    public EntityDescriptor getEntityToReturn() {
        return entityToReturn;
    }

    public int getStartIndex() {
        return startIndex;
    }

    public int getMaxResults() {
        return maxResults;
    }

    public SearchRestriction getSearchRestriction() {
        return searchRestriction;
    }

    public List<String> getEntityNamesToMatch() {
        return entityNamesToMatch;
    }
}
