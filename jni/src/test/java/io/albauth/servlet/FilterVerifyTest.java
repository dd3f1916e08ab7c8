package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter in real Jetty over real HTTP: authenticated, anonymous, rejected. */
class FilterVerifyTest {
    static Jetty jetty;

    @BeforeAll
    static void start() throws Exception {
        jetty = Jetty.start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @Test
    void validTokenMakesTheRequestTheVerifiedUser() throws Exception {
        HttpResponse<String> r = jetty.get("/browse/PROJ-1", "x-amzn-oidc-data", jetty.token());
        assertEquals(200, r.statusCode());
        assertEquals("alice", Jetty.line(r, "user"));
        assertEquals("alice", Jetty.line(r, "principal"));
    }

    @Test
    void decisionIsARequestAttributeAndGroupsAreRoles() throws Exception {
        HttpResponse<String> r = jetty.get("/", "x-amzn-oidc-data", jetty.token());
        assertEquals("Decision[AUTHENTICATED]", Jetty.line(r, "decision"));
        assertEquals("true", Jetty.line(r, "admin"));
    }

    @Test
    void noTokenPassesThroughAnonymous() throws Exception {
        HttpResponse<String> r = jetty.get("/");
        assertEquals(200, r.statusCode());
        assertEquals("", Jetty.line(r, "user"));
        assertEquals("", Jetty.line(r, "decision"));
    }

    @Test
    void rejectedTokenGets401WithAnHtmlPageNamingTheCode() throws Exception {
        String token = jetty.expiredToken();
        HttpResponse<String> r = jetty.get("/", "x-amzn-oidc-data", token, "Accept", "text/html");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(r.body().contains("<code>expired</code>"), r.body());
        assertTrue(r.body().matches("(?s).*Support reference: <code>[0-9a-f]{16}</code>.*"), r.body());
        assertNoTokenIn(r.body(), token);
    }

    @Test
    void rejectedJsonRequestGets401WithAJsonBody() throws Exception {
        String token = jetty.expiredToken();
        HttpResponse<String> r = jetty.get("/rest/api/2/myself", "x-amzn-oidc-data", token, "Accept", "application/json");
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(r.body().matches("\\{\"error\":\"expired\",\"reference\":\"[0-9a-f]{16}\"}"), r.body());
        assertNoTokenIn(r.body(), token);
    }

    @Test
    void rejectedXhrRequestGetsJson() throws Exception {
        HttpResponse<String> r = jetty.get("/", "x-amzn-oidc-data", "garbage", "X-Requested-With", "XMLHttpRequest");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().startsWith("{\"error\":\"malformed_token\""), r.body());
    }

    @Test
    void smuggledSecondTokenHeaderIsRejected() throws Exception {
        HttpResponse<String> r = jetty.get("/", "x-amzn-oidc-data", jetty.token(), "X-Amzn-Oidc-Data", jetty.token("mallory"),
                "Accept", "application/json");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("\"malformed_token\""), r.body());
    }

    @Test
    void identityHeaderThatDisagreesIsRejected() throws Exception {
        HttpResponse<String> r = jetty.get("/", "x-amzn-oidc-data", jetty.token(), "x-amzn-oidc-identity", "sub-mallory",
                "Accept", "application/json");
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("\"identity_mismatch\""), r.body());
    }

    @Test
    void rejectionIsLoggedAtWarnWithCodeAndReferenceButNoTokenOrUser() throws Exception {
        String token = jetty.expiredToken();
        try (LogCapture log = new LogCapture()) {
            HttpResponse<String> r = jetty.get("/", "x-amzn-oidc-data", token, "Accept", "application/json");
            String reference = r.body().replaceAll(".*\"reference\":\"([0-9a-f]+)\".*", "$1");
            List<String> warnings = log.at(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            String w = warnings.get(0);
            assertTrue(w.contains("expired") && w.contains(reference), w);
            assertNoTokenIn(w, token);
            assertFalse(w.contains("alice"), w);
        }
    }

    static void assertNoTokenIn(String text, String token) {
        for (String segment : token.split("\\.")) {
            assertFalse(text.contains(segment.replace("=", "")), "token segment leaked: " + text);
        }
    }
}
