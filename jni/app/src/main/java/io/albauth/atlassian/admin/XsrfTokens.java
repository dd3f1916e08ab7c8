package io.albauth.atlassian.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

/**
 * The admin forms' XSRF token: one random value per HTTP session, put in a hidden field of
 * every form and compared in constant time on every POST. A cross-site page can make the
 * browser send the session cookie but cannot read the token out of the page.
 */
public final class XsrfTokens {
    /** The session attribute holding the token. */
    public static final String SESSION_ATTRIBUTE = "io.albauth.admin.xsrf";
    /** The form field carrying it. */
    public static final String FIELD = "xsrf";

    private static final SecureRandom RANDOM = new SecureRandom();

    private XsrfTokens() {}

    /** The session's token, created (with the session) on first use. */
    public static String tokenFor(HttpServletRequest req) {
        HttpSession session = req.getSession(true);
        synchronized (session) {
            Object t = session.getAttribute(SESSION_ATTRIBUTE);
            if (t instanceof String s) {
                return s;
            }
            String fresh = fresh();
            session.setAttribute(SESSION_ATTRIBUTE, fresh);
            return fresh;
        }
    }

    /** Whether the request's form field carries the session's token; false without a session or a field. */
    public static boolean isValid(HttpServletRequest req) {
        HttpSession session = req.getSession(false);
        if (session == null) {
            return false;
        }
        Object expected = session.getAttribute(SESSION_ATTRIBUTE);
        return expected instanceof String e && matches(e, req.getParameter(FIELD));
    }

    /** Constant-time comparison (in the length of the expected token); null or empty never matches. */
    static boolean matches(String expected, String given) {
        if (expected == null || given == null || expected.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** 32 random bytes, base64url without padding. */
    static String fresh() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
