package com.atlassian.confluence.util;

/** Stub of Confluence 8.2–9.1 {@code UserChecker} (docs.atlassian.com/ConfluenceServer/javadoc/9.0.3): the licensed user count. */
public interface UserChecker {
    int getNumberOfRegisteredUsers();

    boolean hasTooManyUsers();

    boolean isLicensedToAddMoreUsers();

    boolean isUnlimitedUserLicense();

    void incrementRegisteredUserCount();

    void resetResult();
}
