package com.atlassian.crowd.embedded.api;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code OperationType}: what a directory allows. */
public enum OperationType {
    CREATE_USER, CREATE_GROUP, CREATE_ROLE, UPDATE_USER, UPDATE_GROUP, UPDATE_ROLE, DELETE_USER, DELETE_GROUP,
    DELETE_ROLE, UPDATE_USER_ATTRIBUTE, UPDATE_GROUP_ATTRIBUTE, UPDATE_ROLE_ATTRIBUTE
}
