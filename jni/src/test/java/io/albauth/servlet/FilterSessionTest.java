package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session this filter logged in follows the ALB identity, and a login rotates the session id;
 * the Echo servlet's {@code session=} line shows the session the application sees.
 */
class FilterSessionTest {
    @BeforeEach
    void clear() {
        FilterLoginHandlerTest.RecordingHandler.CALLS.clear();
    }

    /** Logs alice in with a session; returns its cookie. */
    static String aliceSession(Jetty j) throws Exception {
        HttpResponse<String> r = j.get("/?session=1", "x-amzn-oidc-data", j.token("alice"));
        assertEquals("alice", Jetty.line(r, "user"));
        String cookie = Jetty.sessionCookie(r);
        assertNotNull(cookie, r.headers().toString());
        return cookie;
    }

    static String session(HttpResponse<String> r) {
        return Jetty.line(r, "session");
    }

    @Test
    void anonymousRequestOnAVerifiedPathEndsTheSession() throws Exception {
        try (Jetty j = Jetty.start()) {
            String cookie = aliceSession(j);
            HttpResponse<String> r = j.get("/browse/X-1", "Cookie", cookie);
            assertEquals(200, r.statusCode());
            assertEquals("", session(r));
        }
    }

    @Test
    void rejectedRequestOnAVerifiedPathEndsTheSession() throws Exception {
        try (Jetty j = Jetty.start()) {
            String cookie = aliceSession(j);
            assertEquals(401, j.get("/browse/X-1", "Cookie", cookie, "x-amzn-oidc-data", j.expiredToken()).statusCode());
            assertEquals("", session(j.get("/status", "Cookie", cookie)), "the session is gone");
        }
    }

    @Test
    void excludedPathLeavesTheSessionAlone() throws Exception {
        try (Jetty j = Jetty.start()) {
            String cookie = aliceSession(j);
            String id = session(j.get("/?x=1", "Cookie", cookie, "x-amzn-oidc-data", j.token("alice")));
            assertEquals(id, session(j.get("/status", "Cookie", cookie)));
            assertEquals(id, session(j.get("/status", "Cookie", cookie, "x-amzn-oidc-data", "garbage")));
            assertEquals(id, session(j.get("/", "Cookie", cookie, "x-amzn-oidc-data", j.token("alice"))));
        }
    }

    @Test
    void sessionTheFilterDidNotLogInIsLeftAlone() throws Exception {
        try (Jetty j = Jetty.start()) {
            HttpResponse<String> first = j.get("/?session=1");
            String cookie = Jetty.sessionCookie(first);
            assertEquals(session(first), session(j.get("/browse/X-1", "Cookie", cookie)));
        }
    }

    @Test
    void ownCredentialsOnAVerifiedPathEndTheSession() throws Exception {
        try (Jetty j = Jetty.start()) {
            String cookie = aliceSession(j);
            HttpResponse<String> r = j.get("/rest/api/2/myself", "Cookie", cookie, "Authorization", FilterOptionsTest.BASIC);
            assertEquals("", session(r), "Basic credentials never ride on the ALB user's session");
        }
    }

    @Test
    void optOutKeepsTheSessionAndIsWarnedInTheLog() throws Exception {
        try (LogCapture log = new LogCapture(); Jetty j = Jetty.start("session-follows-alb", "false")) {
            List<String> warnings = log.at(Level.WARNING);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("session-follows-alb=false")), warnings.toString());
            String cookie = aliceSession(j);
            String id = session(j.get("/", "Cookie", cookie, "x-amzn-oidc-data", j.token("alice")));
            assertEquals(id, session(j.get("/browse/X-1", "Cookie", cookie)));
        }
    }

    @Test
    void loginRotatesTheSessionIdOnceWithoutAHandler() throws Exception {
        try (Jetty j = Jetty.start()) {
            HttpResponse<String> anonymous = j.get("/?session=1");
            String cookie = Jetty.sessionCookie(anonymous);
            HttpResponse<String> login = j.get("/", "Cookie", cookie, "x-amzn-oidc-data", j.token("alice"));
            assertEquals("alice", Jetty.line(login, "user"));
            assertNotEquals(session(anonymous), session(login), "a login changes the session id");
            String rotated = Jetty.sessionCookie(login);
            assertNotNull(rotated, "the new id is sent to the browser");
            HttpResponse<String> again = j.get("/", "Cookie", rotated, "x-amzn-oidc-data", j.token("alice"));
            assertEquals(session(login), session(again), "later requests of the same user keep the id");
        }
    }

    @Test
    void loginRotatesTheSessionIdWithAHandler() throws Exception {
        try (Jetty j = Jetty.start("login-handler", FilterLoginHandlerTest.RecordingHandler.class.getName())) {
            HttpResponse<String> anonymous = j.get("/?session=1");
            String cookie = Jetty.sessionCookie(anonymous);
            HttpResponse<String> login = j.get("/", "Cookie", cookie, "x-amzn-oidc-data", j.token("alice"));
            assertEquals(List.of("alice<-null"), FilterLoginHandlerTest.RecordingHandler.CALLS);
            assertNotEquals(session(anonymous), session(login));
            String rotated = Jetty.sessionCookie(login);
            HttpResponse<String> again = j.get("/", "Cookie", rotated, "x-amzn-oidc-data", j.token("alice"));
            assertEquals(session(login), session(again));
        }
    }

    @Test
    void userSwitchWithAHandlerThatKeepsTheSessionRotatesIt() throws Exception {
        try (Jetty j = Jetty.start("login-handler", KeepSessionHandler.class.getName())) {
            String cookie = aliceSession(j);
            String aliceId = session(j.get("/", "Cookie", cookie, "x-amzn-oidc-data", j.token("alice")));
            HttpResponse<String> bob = j.get("/", "Cookie", cookie, "x-amzn-oidc-data", j.token("bob"));
            assertEquals("bob", Jetty.line(bob, "user"));
            assertNotEquals(aliceId, session(bob));
        }
    }

    /** A handler that logs in without touching the session (the filter must still rotate it). */
    public static final class KeepSessionHandler implements LoginHandler {
        @Override
        public boolean login(javax.servlet.http.HttpServletRequest request, javax.servlet.http.HttpServletResponse response,
                io.albauth.Decision decision, String sessionUser) {
            return true;
        }
    }
}
