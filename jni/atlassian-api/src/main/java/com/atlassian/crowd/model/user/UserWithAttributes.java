package com.atlassian.crowd.model.user;

import com.atlassian.crowd.embedded.api.Attributes;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code com.atlassian.crowd.model.user.UserWithAttributes}. */
public interface UserWithAttributes extends User, Attributes {}
