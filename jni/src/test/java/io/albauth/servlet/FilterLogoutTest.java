package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The logout path expires the ALB session cookie shards and sends the browser to the IdP. */
class FilterLogoutTest {
    static final String IDP_LOGOUT = "https://idp.example.com/logout?client_id=abc&logout_uri=https%3A%2F%2Fjira.example.com%2F";

    static boolean expires(List<String> setCookies, String name) {
        return setCookies.stream().anyMatch(c -> c.startsWith(name + "=;") && c.contains("Max-Age=0") && c.contains("Path=/"));
    }

    @Test
    void logoutExpiresEveryShardAndRedirectsToTheIdp() throws Exception {
        try (Jetty j = Jetty.start("logout-path", "/albauth/logout", "logout-url", IDP_LOGOUT, "logout-cookies", "JSESSIONID, seraph.rememberme.cookie")) {
            HttpResponse<String> r = j.get("/albauth/logout", "Cookie",
                    "AWSELBAuthSessionCookie-0=aaa; AWSELBAuthSessionCookie-1=bbb; AWSELBAuthSessionCookie-5=ccc");
            assertEquals(302, r.statusCode());
            assertEquals(IDP_LOGOUT, r.headers().firstValue("Location").orElse(""));
            List<String> set = Jetty.setCookies(r);
            for (int i = 0; i <= 5; i++) {
                assertTrue(expires(set, "AWSELBAuthSessionCookie-" + i), i + " in " + set);
            }
            assertTrue(expires(set, "JSESSIONID"), set.toString());
            assertTrue(expires(set, "seraph.rememberme.cookie"), set.toString());
        }
    }

    @Test
    void logoutWithoutCookiesStillExpiresTheFirstFourShards() throws Exception {
        try (Jetty j = Jetty.start("logout-path", "/logout", "logout-url", IDP_LOGOUT)) {
            List<String> set = Jetty.setCookies(j.get("/logout"));
            for (int i = 0; i < 4; i++) {
                assertTrue(expires(set, "AWSELBAuthSessionCookie-" + i), set.toString());
            }
        }
    }

    @Test
    void customAlbCookieNameIsExpired() throws Exception {
        try (Jetty j = Jetty.start("logout-path", "/logout", "logout-url", IDP_LOGOUT, "session-cookie", "JiraAlbSession")) {
            assertTrue(expires(Jetty.setCookies(j.get("/logout")), "JiraAlbSession-0"));
        }
    }

    @Test
    void logoutInvalidatesTheHttpSession() throws Exception {
        try (Jetty j = Jetty.start("logout-path", "/logout", "logout-url", IDP_LOGOUT)) {
            HttpResponse<String> first = j.get("/?session=1", "x-amzn-oidc-data", j.token());
            String session = Jetty.line(first, "session");
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            j.get("/logout", "Cookie", cookie);
            HttpResponse<String> after = j.get("/", "x-amzn-oidc-data", j.token(), "Cookie", cookie);
            assertEquals("", Jetty.line(after, "session"), "session " + session + " survived logout");
        }
    }
}
