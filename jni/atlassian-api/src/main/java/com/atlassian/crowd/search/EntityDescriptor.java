package com.atlassian.crowd.search;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code EntityDescriptor}: which kind of entity a query is about. */
public final class EntityDescriptor {
    private static final EntityDescriptor USER = new EntityDescriptor("USER");
    private static final EntityDescriptor GROUP = new EntityDescriptor("GROUP");
    private final String entityType;

    private EntityDescriptor(String entityType) {
        this.entityType = entityType;
    }

    public static EntityDescriptor user() {
        return USER;
    }

    public static EntityDescriptor group() {
        return GROUP;
    }

    /** "USER" or "GROUP" (the real method returns an {@code Entity} enum). */
    @Override
    public String toString() {
        return entityType;
    }
}
