package com.atlassian.jira.application;

import com.atlassian.application.api.ApplicationKey;

/** Stub of Jira 9.12 / 10.x {@code ApplicationRoleManager}: the licence seats of each application. */
public interface ApplicationRoleManager {
    boolean hasSeatsAvailable(ApplicationKey key, int seatCount);

    int getRemainingSeats(ApplicationKey key);

    boolean isRoleLimitExceeded(ApplicationKey role);
}
