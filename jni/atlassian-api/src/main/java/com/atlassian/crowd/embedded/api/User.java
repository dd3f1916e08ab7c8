package com.atlassian.crowd.embedded.api;

import java.security.Principal;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code com.atlassian.crowd.embedded.api.User}. */
public interface User extends Principal {
    long getDirectoryId();

    boolean isActive();

    String getEmailAddress();

    String getDisplayName();
}
