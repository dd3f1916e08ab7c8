package io.albauth.atlassian.host;

import com.atlassian.sal.api.auth.AuthenticationListener;
import com.atlassian.sal.api.auth.Authenticator;
import com.atlassian.seraph.auth.DefaultAuthenticator;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/**
 * What SAL's Seraph-backed listener does on success: the principal into the session attribute
 * {@code seraph_defaultauthenticator_user}, the logged-out marker removed, the request attribute
 * {@code os_authstatus=success}. Counts successes, so a test can tell a login from a request.
 */
public final class SeraphAuthenticationListener implements AuthenticationListener {
    public static final String AUTH_STATUS = "os_authstatus";
    private final AtomicInteger successes = new AtomicInteger();

    @Override
    public void authenticationSuccess(Authenticator.Result result, HttpServletRequest request,
            HttpServletResponse response) {
        HttpSession session = request.getSession(true);
        session.setAttribute(DefaultAuthenticator.LOGGED_IN_KEY, result.getPrincipal());
        session.removeAttribute(DefaultAuthenticator.LOGGED_OUT_KEY);
        request.setAttribute(AUTH_STATUS, "success");
        successes.incrementAndGet();
    }

    @Override
    public void authenticationFailure(Authenticator.Result result, HttpServletRequest request,
            HttpServletResponse response) {
        request.setAttribute(AUTH_STATUS, "fail");
    }

    @Override
    public void authenticationError(Authenticator.Result result, HttpServletRequest request,
            HttpServletResponse response) {
        request.setAttribute(AUTH_STATUS, "error");
    }

    @Override
    public void authenticationNotAttempted(HttpServletRequest request, HttpServletResponse response) {}

    /** How many logins the listener established. */
    public int successes() {
        return successes.get();
    }
}
