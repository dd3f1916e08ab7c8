package com.atlassian.crowd.embedded.api;

/**
 * Stub of Crowd 2.1–7.0 {@code CrowdService} (docs.atlassian.com/atlassian-crowd/7.0.1): the
 * product's users over all its directories, in directory order. Only the lookup the app makes.
 */
public interface CrowdService {
    /** The user of that name (the first directory holding it), or null. */
    User getUser(String name);
}
