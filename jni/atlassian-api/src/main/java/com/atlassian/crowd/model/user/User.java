package com.atlassian.crowd.model.user;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code com.atlassian.crowd.model.user.User}. */
public interface User extends com.atlassian.crowd.embedded.api.User {
    String getFirstName();

    String getLastName();

    String getExternalId();
}
