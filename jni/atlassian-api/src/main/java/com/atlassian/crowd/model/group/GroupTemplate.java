package com.atlassian.crowd.model.group;

import java.io.Serializable;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code GroupTemplate}: a group for addGroup. */
public class GroupTemplate implements Group, Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final long directoryId;
    private boolean active = true;
    private String description;

    public GroupTemplate(String name, long directoryId) {
        this.name = name;
        this.directoryId = directoryId;
    }

    public GroupTemplate(String name) {
        this(name, -1L);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public long getDirectoryId() {
        return directoryId;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    public void setActive(boolean active) {
        this.active = active;
    }

    @Override
    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }
}
