package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.Decision;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LoginHandler SPI: called first, told when the session belongs to another user. */
class FilterLoginHandlerTest {
    /** Logs users in like Seraph would (a session), refuses "mallory", records what it was told. */
    public static final class RecordingHandler implements LoginHandler {
        static final List<String> CALLS = new CopyOnWriteArrayList<>();

        @Override
        public boolean login(HttpServletRequest request, HttpServletResponse response, Decision decision, String sessionUser)
                throws IOException {
            CALLS.add(decision.username() + "<-" + sessionUser);
            if (decision.username().equals("mallory")) {
                response.sendError(403);
                return false;
            }
            if (sessionUser != null && !sessionUser.equals(decision.username())) {
                request.getSession().invalidate();
            }
            request.getSession(true);
            return true;
        }

        @Override
        public void logout(HttpServletRequest request, HttpServletResponse response) {
            CALLS.add("logout");
        }
    }

    @TempDir
    Path dir;

    @BeforeEach
    void clear() {
        RecordingHandler.CALLS.clear();
    }

    static String sessionCookie(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie: " + r.headers())).split(";")[0];
    }

    @Test
    void handlerIsCalledBeforeTheApplicationAndToldWhoTheSessionBelongsTo() throws Exception {
        try (Jetty j = Jetty.start("login-handler", RecordingHandler.class.getName())) {
            HttpResponse<String> first = j.get("/", "x-amzn-oidc-data", j.token("alice"));
            assertEquals("alice", Jetty.line(first, "user"));
            String cookie = sessionCookie(first);
            j.get("/", "x-amzn-oidc-data", j.token("alice"), "Cookie", cookie);
            HttpResponse<String> switched = j.get("/", "x-amzn-oidc-data", j.token("bob"), "Cookie", cookie);
            assertEquals("bob", Jetty.line(switched, "user"));
            assertEquals(List.of("alice<-null", "alice<-alice", "bob<-alice"), RecordingHandler.CALLS);
        }
    }

    @Test
    void handlerCanRefuseAUser() throws Exception {
        try (Jetty j = Jetty.start("login-handler", RecordingHandler.class.getName())) {
            assertEquals(403, j.get("/", "x-amzn-oidc-data", j.token("mallory")).statusCode());
        }
    }

    @Test
    void handlerIsToldAboutLogout() throws Exception {
        try (Jetty j = Jetty.start("login-handler", RecordingHandler.class.getName(),
                "logout-path", "/logout", "logout-url", "https://idp.example.com/logout")) {
            j.get("/logout");
            assertEquals(List.of("logout"), RecordingHandler.CALLS);
        }
    }

    @Test
    void withoutAHandlerASessionOfAnotherUserIsInvalidated() throws Exception {
        try (Jetty j = Jetty.start()) {
            HttpResponse<String> first = j.get("/?session=1", "x-amzn-oidc-data", j.token("alice"));
            String aliceSession = Jetty.line(first, "session");
            String cookie = sessionCookie(first);
            assertEquals(aliceSession, Jetty.line(j.get("/", "x-amzn-oidc-data", j.token("alice"), "Cookie", cookie), "session"));
            HttpResponse<String> bob = j.get("/", "x-amzn-oidc-data", j.token("bob"), "Cookie", cookie);
            assertEquals("bob", Jetty.line(bob, "user"));
            assertNotEquals(aliceSession, Jetty.line(bob, "session"));
        }
    }

    @Test
    void serviceLoaderFindsAHandler() throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(LoginHandler.class.getName()), RecordingHandler.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            LoginHandler found = AlbAuthFilter.loadHandler(null, loader);
            assertNotNull(found);
            assertTrue(found instanceof RecordingHandler);
            assertNull(AlbAuthFilter.loadHandler("none", loader));
        }
    }
}
