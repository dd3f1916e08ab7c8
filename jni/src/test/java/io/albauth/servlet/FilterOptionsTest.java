package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Init parameters, each through real Jetty over real HTTP. */
class FilterOptionsTest {
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("script:secret".getBytes());

    @Test
    void requireAuthenticationRefusesAnonymousRequests() throws Exception {
        try (Jetty j = Jetty.start("require-authentication", "true")) {
            HttpResponse<String> r = j.get("/", "Accept", "application/json");
            assertEquals(401, r.statusCode());
            assertTrue(r.body().startsWith("{\"error\":\"anonymous\""), r.body());
            assertEquals("alice", Jetty.line(j.get("/", "x-amzn-oidc-data", j.token()), "user"));
        }
    }

    @Test
    void defaultExcludedPathsSkipVerification() throws Exception {
        try (Jetty j = Jetty.start("require-authentication", "true")) {
            for (String path : new String[] {"/status", "/synchrony/heartbeat", "/favicon.ico",
                    "/s/abc/_/download/batch/jira.webresources:global-static/jira.webresources:global-static.js",
                    "/s/abc/_/download/resources/com.example:res/app.css", "/images/icons/logo.png"}) {
                HttpResponse<String> r = j.get(path, "x-amzn-oidc-data", "garbage");
                assertEquals(200, r.statusCode(), path);
                assertEquals("", Jetty.line(r, "user"), path);
            }
        }
    }

    @Test
    void configuredExcludedPathsReplaceTheDefaults() throws Exception {
        try (Jetty j = Jetty.start("excluded-paths", "/health, /public/*")) {
            assertEquals(200, j.get("/health", "x-amzn-oidc-data", "garbage").statusCode());
            assertEquals(200, j.get("/public/a/b", "x-amzn-oidc-data", "garbage").statusCode());
            assertEquals(401, j.get("/status", "x-amzn-oidc-data", "garbage").statusCode());
        }
    }

    @Test
    void basicAndBearerCredentialsPassThroughUntouched() throws Exception {
        try (Jetty j = Jetty.start()) {
            for (String auth : new String[] {BASIC, "Bearer personal-access-token-123"}) {
                HttpResponse<String> r = j.get("/rest/api/2/myself", "Authorization", auth, "x-amzn-oidc-data", "garbage");
                assertEquals(200, r.statusCode(), auth);
                assertEquals("", Jetty.line(r, "user"));
            }
        }
    }

    @Test
    void ownCredentialsCanBeRefused() throws Exception {
        try (Jetty j = Jetty.start("own-credentials", "refuse")) {
            HttpResponse<String> r = j.get("/rest/api/2/myself", "Authorization", BASIC, "Accept", "application/json");
            assertEquals(401, r.statusCode());
            assertTrue(r.body().startsWith("{\"error\":\"credentials_refused\""), r.body());
        }
    }

    @Test
    void clientOutsideTrustedProxiesIsRefused() throws Exception {
        try (Jetty j = Jetty.start("trusted-proxies", "10.0.0.0/8, 192.168.0.0/16")) {
            HttpResponse<String> r = j.get("/", "x-amzn-oidc-data", j.token(), "Accept", "application/json");
            assertEquals(403, r.statusCode());
            assertTrue(r.body().startsWith("{\"error\":\"untrusted_proxy\""), r.body());
        }
    }

    @Test
    void clientInsideTrustedProxiesIsServed() throws Exception {
        try (Jetty j = Jetty.start("trusted-proxies", "10.0.0.0/8 127.0.0.0/8")) {
            assertEquals("alice", Jetty.line(j.get("/", "x-amzn-oidc-data", j.token()), "user"));
        }
    }

    @Test
    void breakGlassParameterLetsTheProductLoginPageThroughWhenEnabled() throws Exception {
        try (Jetty j = Jetty.start("break-glass", "true", "require-authentication", "true")) {
            HttpResponse<String> r = j.get("/login.jsp?albauth_bypass=1", "x-amzn-oidc-data", "garbage");
            assertEquals(200, r.statusCode());
            assertEquals("", Jetty.line(r, "user"));
            assertEquals(401, j.get("/login.jsp", "x-amzn-oidc-data", "garbage").statusCode());
        }
    }

    @Test
    void breakGlassParameterIsIgnoredUnlessEnabled() throws Exception {
        try (Jetty j = Jetty.start()) {
            assertEquals(401, j.get("/login.jsp?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
        }
    }

    @Test
    void breakGlassParameterNameIsConfigurable() throws Exception {
        try (Jetty j = Jetty.start("break-glass", "true", "break-glass-parameter", "letmein")) {
            assertEquals(200, j.get("/login.action?a=b&letmein", "x-amzn-oidc-data", "garbage").statusCode());
            assertEquals(401, j.get("/login.action?albauth_bypass", "x-amzn-oidc-data", "garbage").statusCode());
        }
    }

    @Test
    void invalidInitParameterStopsTheFilterFromStarting() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> Jetty.start("require-authentication", "yes").close());
        assertTrue(String.valueOf(e.getMessage()).contains("`require-authentication` must be true or false"),
                String.valueOf(e.getMessage()));
    }
}
