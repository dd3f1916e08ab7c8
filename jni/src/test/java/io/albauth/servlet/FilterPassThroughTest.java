package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * What skips ALB verification (excluded paths, static suffixes, /s/ forwards, break-glass)
 * skips nothing else, through real Jetty over real HTTP.
 */
class FilterPassThroughTest {
    static final String BEARER = "Bearer personal-access-token-123";
    static final String JSON = "application/json";

    static String error(HttpResponse<String> r) {
        return r.body().replaceAll("(?s)^\\{\"error\":\"([a-z_]+)\".*", "$1");
    }

    @Test
    void ownCredentialsAreRefusedOnExcludedPathsToo() throws Exception {
        try (Jetty j = Jetty.start("own-credentials", "refuse")) {
            for (String path : new String[] {"/status", "/s/1/_/download/batch/a/a.js", "/images/a.png"}) {
                HttpResponse<String> r = j.get(path, "Authorization", BEARER, "Accept", JSON);
                assertEquals(401, r.statusCode(), path);
                assertEquals("credentials_refused", error(r), path);
            }
            assertEquals(200, j.get("/status").statusCode(), "without credentials the path stays excluded");
        }
    }

    @Test
    void ownCredentialsAreRefusedOnBreakGlassRequestsToo() throws Exception {
        try (Jetty j = Jetty.start("own-credentials", "refuse", "break-glass", "true")) {
            HttpResponse<String> r = j.get("/login.jsp?albauth_bypass", "Authorization", FilterOptionsTest.BASIC,
                    "Accept", JSON);
            assertEquals(401, r.statusCode());
            assertEquals("credentials_refused", error(r));
        }
    }

    @Test
    void excludedPathIsNotRefusedAsAnonymousSoHealthChecksWork() throws Exception {
        try (Jetty j = Jetty.start("require-authentication", "true")) {
            assertEquals(200, j.get("/status").statusCode());
            assertEquals(401, j.get("/").statusCode());
        }
    }

    @Test
    void suffixRulesDoNotApplyOnDynamicPaths() throws Exception {
        try (Jetty j = Jetty.start()) {
            for (String path : new String[] {"/rest/api/2/issue.js", "/plugins/servlet/export/report.css",
                    "/secure/attachment/10000/photo.png", "/browse/PROJ-1.svg", "/app.js"}) {
                HttpResponse<String> r = j.get(path, "x-amzn-oidc-data", "garbage", "Accept", JSON);
                assertEquals(401, r.statusCode(), path);
                assertEquals("malformed_token", error(r), path);
            }
        }
    }

    @Test
    void suffixRulesApplyUnderStaticPrefixes() throws Exception {
        try (Jetty j = Jetty.start("require-authentication", "true")) {
            HttpResponse<String> r = j.get("/download/resources/com.example:res/app.js", "x-amzn-oidc-data", "garbage");
            assertEquals(200, r.statusCode());
            assertEquals("", Jetty.line(r, "user"));
        }
    }

    @Test
    void staticForwardToADynamicPathIsVerifiedEvenWithoutTheForwardDispatch() throws Exception {
        try (Jetty j = Jetty.start(Jetty.DISPATCH, "REQUEST")) {
            HttpResponse<String> bad = j.get("/s/1/_/rest/api/2/myself", "x-amzn-oidc-data", "garbage", "Accept", JSON);
            assertEquals(401, bad.statusCode());
            assertEquals("malformed_token", error(bad));
            HttpResponse<String> ok = j.get("/s/1/_/rest/api/2/myself", "x-amzn-oidc-data", j.token());
            assertEquals("/rest/api/2/myself", Jetty.line(ok, "path"), "the forward happened");
            assertEquals("alice", Jetty.line(ok, "user"));
        }
    }

    @Test
    void staticForwardToAStaticResourceStaysExcluded() throws Exception {
        try (Jetty j = Jetty.start(Jetty.DISPATCH, "REQUEST", "require-authentication", "true")) {
            HttpResponse<String> r = j.get("/s/1/2/_/download/batch/a/a.js", "x-amzn-oidc-data", "garbage");
            assertEquals(200, r.statusCode());
            assertEquals("/download/batch/a/a.js", Jetty.line(r, "path"));
        }
    }

    @Test
    void forwardFromAnExcludedPathIsJudgedOnTheForwardDispatch() throws Exception {
        try (Jetty j = Jetty.start("excluded-paths", "/public/*")) {
            HttpResponse<String> bad = j.get("/public/page?forward=/secure/Dashboard.jspa", "x-amzn-oidc-data", "garbage",
                    "Accept", JSON);
            assertEquals(401, bad.statusCode());
            assertEquals("malformed_token", error(bad));
            HttpResponse<String> ok = j.get("/public/page?forward=/secure/Dashboard.jspa", "x-amzn-oidc-data", j.token());
            assertEquals("/secure/Dashboard.jspa", Jetty.line(ok, "path"));
            assertEquals("alice", Jetty.line(ok, "user"));
        }
    }

    @Test
    void forwardOfAVerifiedRequestIsNotJudgedTwice() throws Exception {
        FilterLoginHandlerTest.RecordingHandler.CALLS.clear();
        try (Jetty j = Jetty.start("login-handler", FilterLoginHandlerTest.RecordingHandler.class.getName())) {
            HttpResponse<String> r = j.get("/browse/X-1?forward=/secure/Dashboard.jspa", "x-amzn-oidc-data", j.token());
            assertEquals("/secure/Dashboard.jspa", Jetty.line(r, "path"));
            assertEquals("alice", Jetty.line(r, "user"), "the forward keeps the verified user");
            assertEquals(List.of("alice<-null"), FilterLoginHandlerTest.RecordingHandler.CALLS, "one login");
        }
    }

    @Test
    void breakGlassAppliesOnlyOnTheLoginPaths() throws Exception {
        try (Jetty j = Jetty.start("break-glass", "true")) {
            assertEquals(200, j.get("/login.jsp?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
            assertEquals(200, j.get("/login.action?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
            for (String path : new String[] {"/rest/api/2/issue", "/secure/admin/ViewApplicationProperties.jspa",
                    "/login.jsp/x", "/plugins/servlet/upm"}) {
                HttpResponse<String> r = j.get(path + "?albauth_bypass", "x-amzn-oidc-data", "garbage", "Accept", JSON);
                assertEquals(401, r.statusCode(), path);
            }
        }
    }

    @Test
    void breakGlassPathsAreConfigurable() throws Exception {
        try (Jetty j = Jetty.start("break-glass", "true", "break-glass-paths", "/login")) {
            assertEquals(200, j.get("/login?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
            assertEquals(401, j.get("/login.jsp?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
        }
    }

    @Test
    void breakGlassAppliesOnlyFromBreakGlassClients() throws Exception {
        try (Jetty elsewhere = Jetty.start("break-glass", "true", "break-glass-clients", "10.0.0.0/8, fd00::/8")) {
            assertEquals(401, elsewhere.get("/login.jsp?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
        }
        try (Jetty here = Jetty.start("break-glass", "true", "break-glass-clients", "10.0.0.0/8, 127.0.0.1")) {
            assertEquals(200, here.get("/login.jsp?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
        }
    }

    @Test
    void breakGlassWithRequireAuthenticationStillNeedsTheAlbToken() throws Exception {
        try (Jetty j = Jetty.start("break-glass", "true", "require-authentication", "true")) {
            HttpResponse<String> r = j.get("/login.jsp?albauth_bypass", "Accept", JSON);
            assertEquals(401, r.statusCode());
            assertEquals("anonymous", error(r));
            assertEquals(200, j.get("/login.jsp?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
        }
    }

    @Test
    void ownCredentialsPassingWithAnUnverifiedAlbTokenIsLoggedAtFineWithoutTheToken() throws Exception {
        try (Jetty j = Jetty.start(); LogCapture log = new LogCapture()) {
            String token = j.token();
            assertEquals(200, j.get("/rest/api/2/myself", "Authorization", BEARER, "x-amzn-oidc-data", token).statusCode());
            List<String> fine = log.at(Level.FINE);
            assertEquals(1, fine.size(), fine.toString());
            assertTrue(fine.get(0).contains("Bearer") && fine.get(0).contains("not verified"), fine.get(0));
            FilterVerifyTest.assertNoTokenIn(fine.get(0), token);
            assertFalse(fine.get(0).contains("personal-access-token"), fine.get(0));
        }
    }

    @Test
    void ownCredentialsWithoutAnAlbTokenAreNotLogged() throws Exception {
        try (Jetty j = Jetty.start(); LogCapture log = new LogCapture()) {
            assertEquals(200, j.get("/rest/api/2/myself", "Authorization", BEARER).statusCode());
            assertTrue(log.at(Level.FINE).isEmpty(), log.at(Level.FINE).toString());
        }
    }
}
