package com.atlassian.crowd.search.query.membership;

import com.atlassian.crowd.embedded.api.SearchRestriction;
import com.atlassian.crowd.search.EntityDescriptor;

/**
 * Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code GroupMembershipQuery}: with {@code findMembers=false}, the groups the named
 * users or groups are direct members of.
 */
public class GroupMembershipQuery<T> extends MembershipQuery<T> {
    public GroupMembershipQuery(Class<T> returnType, boolean findMembers, EntityDescriptor entityToMatch,
            EntityDescriptor entityToReturn, int startIndex, int maxResults, SearchRestriction searchRestriction,
            String... entityNamesToMatch) {
        super(returnType, findMembers, entityToMatch, entityToReturn, startIndex, maxResults, searchRestriction,
                entityNamesToMatch);
    }
}
