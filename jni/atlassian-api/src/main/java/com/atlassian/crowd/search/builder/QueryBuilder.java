package com.atlassian.crowd.search.builder;

import com.atlassian.crowd.embedded.api.SearchRestriction;
import com.atlassian.crowd.search.EntityDescriptor;
import com.atlassian.crowd.search.query.entity.EntityQuery;
import com.atlassian.crowd.search.query.entity.restriction.NullRestrictionImpl;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code QueryBuilder}, the entity-query path the app uses. */
public class QueryBuilder {
    public static <T> PartialEntityQuery<T> queryFor(Class<T> returnType, EntityDescriptor entity) {
        return new PartialEntityQuery<>(returnType, entity);
    }

    public static <T> EntityQuery<T> queryFor(Class<T> returnType, EntityDescriptor entity,
            SearchRestriction searchRestriction, int startIndex, int maxResults) {
        return new EntityQuery<T>(returnType, entity, searchRestriction, startIndex, maxResults) {};
    }

    /** A query with its return type and entity. */
    public static class PartialEntityQuery<T> {
        private final Class<T> returnType;
        private final EntityDescriptor entity;

        public PartialEntityQuery(Class<T> returnType, EntityDescriptor entity) {
            this.returnType = returnType;
            this.entity = entity;
        }

        public PartialEntityQueryWithRestriction<T> with(SearchRestriction restriction) {
            return new PartialEntityQueryWithRestriction<>(returnType, entity, restriction);
        }

        public EntityQuery<T> returningAtMost(int maxResults) {
            return queryFor(returnType, entity, NullRestrictionImpl.INSTANCE, 0, maxResults);
        }
    }

    /** A query with a restriction. */
    public static class PartialEntityQueryWithRestriction<T> {
        private final Class<T> returnType;
        private final EntityDescriptor entity;
        private final SearchRestriction restriction;

        public PartialEntityQueryWithRestriction(Class<T> returnType, EntityDescriptor entity,
                SearchRestriction restriction) {
            this.returnType = returnType;
            this.entity = entity;
            this.restriction = restriction;
        }

        public EntityQuery<T> returningAtMost(int maxResults) {
            return queryFor(returnType, entity, restriction, 0, maxResults);
        }
    }
}
