package com.atlassian.crowd.model.user;

import java.io.Serializable;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code UserTemplate}: a mutable user for addUser/updateUser. */
public class UserTemplate implements User, Serializable {
    private static final long serialVersionUID = 1L;
    private long directoryId;
    private String name;
    private boolean active;
    private String emailAddress;
    private String firstName;
    private String lastName;
    private String displayName;
    private String externalId;

    public UserTemplate(String username, long directoryId) {
        this.name = username;
        this.directoryId = directoryId;
    }

    public UserTemplate(String username) {
        this(username, -1L);
    }

    /** A copy of {@code user}. */
    public UserTemplate(com.atlassian.crowd.model.user.User user) {
        this(user.getName(), user.getDirectoryId());
        active = user.isActive();
        emailAddress = user.getEmailAddress();
        firstName = user.getFirstName();
        lastName = user.getLastName();
        displayName = user.getDisplayName();
        externalId = user.getExternalId();
    }

    @Override
    public long getDirectoryId() {
        return directoryId;
    }

    public void setDirectoryId(long directoryId) {
        this.directoryId = directoryId;
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
    public String getEmailAddress() {
        return emailAddress;
    }

    public void setEmailAddress(String emailAddress) {
        this.emailAddress = emailAddress;
    }

    @Override
    public String getFirstName() {
        return firstName;
    }

    public void setFirstName(String firstName) {
        this.firstName = firstName;
    }

    @Override
    public String getLastName() {
        return lastName;
    }

    public void setLastName(String lastName) {
        this.lastName = lastName;
    }

    @Override
    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    @Override
    public String getExternalId() {
        return externalId;
    }

    public void setExternalId(String externalId) {
        this.externalId = externalId;
    }
}
