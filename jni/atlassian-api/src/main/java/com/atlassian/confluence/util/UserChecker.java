package com.atlassian.confluence.util;

/** Stub of Confluence 8.5 / 9.0 {@code UserChecker}: the licensed user count. */
public interface UserChecker {
    int getNumberOfRegisteredUsers();

    boolean hasTooManyUsers();

    boolean isLicensedToAddMoreUsers();

    boolean isUnlimitedUserLicense();

    void incrementRegisteredUserCount();

    void resetResult();
}
