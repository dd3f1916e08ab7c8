package io.albauth.atlassian;

import io.albauth.servlet.AlbAuthFilter;
import java.util.List;
import java.util.logging.Logger;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

/**
 * The ways to the product's own login that the app never stands in, so an admin can always get
 * in (what Atlassian's own SSO honours): {@code ?auth_fallback} or {@code ?native_login} on a
 * login page, then the rest of that browser session; and recovery mode (the JVM runs with
 * {@code -Datlassian.recovery.password=...}), in which the app steps aside on every request.
 *
 * <p>Neither skips the product's password: the request reaches the native login unchanged. The
 * ALB still authenticates at the edge.
 */
final class NativeLogin {
    static final String RECOVERY_PROPERTY = "atlassian.recovery.password";
    /** The session attribute marking a session that chose the native login. */
    static final String SESSION_MARK = "io.albauth.native-login";
    static final List<String> PARAMETERS = List.of("auth_fallback", "native_login");
    private static final Logger LOG = Logger.getLogger("io.albauth");

    private final List<String> loginPaths;
    private volatile boolean recoveryLogged;

    NativeLogin(List<String> loginPaths) {
        this.loginPaths = List.copyOf(loginPaths);
    }

    /** Whether the product is in recovery mode. */
    static boolean recoveryMode() {
        String p = System.getProperty(RECOVERY_PROPERTY);
        return p != null && !p.isEmpty();
    }

    /** Whether {@code request} goes to the product untouched (and marks its session if it starts a native login). */
    boolean passes(HttpServletRequest request, String path) {
        if (recoveryMode()) {
            if (!recoveryLogged) {
                recoveryLogged = true;
                LOG.warning("albauth: recovery mode (" + RECOVERY_PROPERTY + " is set): every request goes to the "
                        + "product untouched; ALB sign-in is off until the product restarts without it");
            }
            return true;
        }
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                if (session.getAttribute(SESSION_MARK) != null) {
                    return true;
                }
            } catch (IllegalStateException invalidated) {
                // no session left to honour
            }
        }
        if (loginPaths.contains(path) && hasParameter(request.getQueryString())) {
            if (session != null) {
                try {
                    if (session.getAttribute(AlbAuthFilter.SESSION_USER_ATTRIBUTE) != null) {
                        session.invalidate(); // an ALB login does not carry over into a native one
                    }
                } catch (IllegalStateException invalidated) {
                    // gone already
                }
            }
            request.getSession(true).setAttribute(SESSION_MARK, Boolean.TRUE);
            LOG.info("albauth: a native login was asked for (auth_fallback or native_login): this browser session "
                    + "goes to the product's own login");
            return true;
        }
        return false;
    }

    private static boolean hasParameter(String query) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (PARAMETERS.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
