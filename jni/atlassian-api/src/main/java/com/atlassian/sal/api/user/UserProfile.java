package com.atlassian.sal.api.user;

import java.net.URI;

/** Stub of SAL 4.x/5.x {@code UserProfile} (sal-api 4.4, Jira 9.12, Confluence 8.5). */
public interface UserProfile {
    UserKey getUserKey();

    String getUsername();

    String getFullName();

    String getEmail();

    URI getProfilePictureUri(int width, int height);

    URI getProfilePictureUri();

    URI getProfilePageUri();
}
