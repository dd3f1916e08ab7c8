package com.atlassian.crowd.search.query.entity.restriction;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code PropertyImpl}. */
public class PropertyImpl<V> implements Property<V> {
    private final String propertyName;
    private final Class<V> propertyType;

    public PropertyImpl(String propertyName, Class<V> propertyType) {
        this.propertyName = propertyName;
        this.propertyType = propertyType;
    }

    @Override
    public String getPropertyName() {
        return propertyName;
    }

    @Override
    public Class<V> getPropertyType() {
        return propertyType;
    }
}
