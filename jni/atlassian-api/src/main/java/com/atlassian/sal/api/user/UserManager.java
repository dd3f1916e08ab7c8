package com.atlassian.sal.api.user;

import javax.servlet.http.HttpServletRequest;

/**
 * Stub of SAL 4.x/5.x {@code UserManager} (sal-api 4.4, Jira 9.12, Confluence 8.5), only the
 * methods the app calls. Jira 11 / Confluence 10 take {@code jakarta.servlet} requests (the
 * jakarta build rewrites the import).
 */
public interface UserManager {
    UserProfile getRemoteUser();

    UserProfile getRemoteUser(HttpServletRequest request);

    UserKey getRemoteUserKey();

    UserKey getRemoteUserKey(HttpServletRequest request);

    UserProfile getUserProfile(String username);

    UserProfile getUserProfile(UserKey userKey);

    boolean isUserInGroup(UserKey userKey, String group);

    boolean isSystemAdmin(UserKey userKey);

    boolean isAdmin(UserKey userKey);
}
