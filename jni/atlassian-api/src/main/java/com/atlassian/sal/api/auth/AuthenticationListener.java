package com.atlassian.sal.api.auth;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Stub of SAL 4.x/5.x {@code AuthenticationListener} (sal-api 4.4, Jira 9.12, Confluence 8.5):
 * the host's Seraph-backed implementation establishes the login session on success.
 */
public interface AuthenticationListener {
    void authenticationSuccess(Authenticator.Result result, HttpServletRequest request, HttpServletResponse response);

    void authenticationFailure(Authenticator.Result result, HttpServletRequest request, HttpServletResponse response);

    void authenticationError(Authenticator.Result result, HttpServletRequest request, HttpServletResponse response);

    void authenticationNotAttempted(HttpServletRequest request, HttpServletResponse response);
}
