package com.atlassian.crowd.search.builder;

import com.atlassian.crowd.search.query.entity.restriction.MatchMode;
import com.atlassian.crowd.search.query.entity.restriction.Property;
import com.atlassian.crowd.search.query.entity.restriction.PropertyRestriction;
import com.atlassian.crowd.search.query.entity.restriction.TermRestriction;

/**
 * Stub of Crowd 2.5–6.x {@code Restriction} (docs.atlassian.com/atlassian-crowd/6.1.0): builds
 * property restrictions, e.g. {@code Restriction.on(property).exactlyMatching(value)}.
 */
public class Restriction {
    public static <T> RestrictionWithProperty<T> on(Property<T> property) {
        return new RestrictionWithProperty<>(property);
    }

    /** A restriction waiting for its match mode and value. */
    public static class RestrictionWithProperty<T> {
        private final Property<T> property;

        public RestrictionWithProperty(Property<T> property) {
            this.property = property;
        }

        public PropertyRestriction<T> exactlyMatching(T value) {
            return new TermRestriction<>(property, MatchMode.EXACTLY_MATCHES, value);
        }
    }
}
