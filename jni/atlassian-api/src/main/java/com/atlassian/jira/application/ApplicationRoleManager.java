package com.atlassian.jira.application;

import com.atlassian.application.api.ApplicationKey;

/**
 * Stub of Jira 7.1–10.7 {@code ApplicationRoleManager} (docs.atlassian.com/software/jira/docs/api/10.7.0):
 * the licence seats of each application, only the methods the app and its tests call.
 */
public interface ApplicationRoleManager {
    boolean hasSeatsAvailable(ApplicationKey key, int seatCount);

    int getRemainingSeats(ApplicationKey key);

    boolean isRoleLimitExceeded(ApplicationKey role);
}
