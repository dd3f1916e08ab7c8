package com.atlassian.crowd.model.directory;

import com.atlassian.crowd.embedded.api.Directory;
import com.atlassian.crowd.embedded.api.DirectoryType;
import com.atlassian.crowd.embedded.api.OperationType;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code DirectoryImpl}: a directory definition for CrowdDirectoryService.addDirectory. */
public class DirectoryImpl implements Directory {
    private Long id;
    private String name;
    private boolean active = true;
    private String description;
    private DirectoryType type;
    private String implementationClass;
    private final Set<OperationType> allowedOperations = EnumSet.noneOf(OperationType.class);
    private final Map<String, String> attributes = new HashMap<>();

    public DirectoryImpl(String name, DirectoryType type, String implementationClass) {
        this.name = name;
        this.type = type;
        this.implementationClass = implementationClass;
    }

    @Override
    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    @Override
    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
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

    @Override
    public DirectoryType getType() {
        return type;
    }

    @Override
    public String getImplementationClass() {
        return implementationClass;
    }

    @Override
    public Set<OperationType> getAllowedOperations() {
        return allowedOperations;
    }

    public void setAllowedOperations(Set<OperationType> operations) {
        allowedOperations.clear();
        allowedOperations.addAll(operations);
    }

    @Override
    public Map<String, String> getAttributes() {
        return attributes;
    }

    public void setAttribute(String key, String value) {
        attributes.put(key, value);
    }
}
