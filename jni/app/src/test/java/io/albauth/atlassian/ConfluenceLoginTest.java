package io.albauth.atlassian;

import static io.albauth.atlassian.Browser.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.confluence.event.events.security.LoginEvent;
import io.albauth.atlassian.host.TestHost;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Confluence's part of a login: its principal type, its login event, its login pages. */
class ConfluenceLoginTest {
    static TestHost confluence() throws Exception {
        return TestHost.start(TestHost.options().product("confluence").testConfig().user("bob"));
    }

    @Test
    void theSessionPrincipalIsConfluencesOwnType() throws Exception {
        try (TestHost host = confluence()) {
            HttpResponse<String> r = new Browser(host.base()).get("/dashboard.action", host.token("bob"));
            assertEquals("bob", line(r, "user"));
            assertEquals("ConfluenceUserPrincipal", line(r, "seraph"));
        }
    }

    @Test
    void aLoginPublishesOneLoginEventForTheUser() throws Exception {
        try (TestHost host = confluence()) {
            Browser b = new Browser(host.base());
            String session = line(b.get("/dashboard.action", host.token("bob")), "session");
            b.get("/dashboard.action", host.token("bob"));
            assertEquals(1, host.confluenceLicence.published().size());
            LoginEvent e = (LoginEvent) host.confluenceLicence.published().get(0);
            assertEquals("bob", e.getUsername());
            assertEquals(session, e.getSessionId());
        }
    }

    @Test
    void authFallbackReachesConfluencesNativeLogin() throws Exception {
        try (TestHost host = confluence()) {
            HttpResponse<String> r = new Browser(host.base()).get("/login.action?auth_fallback", "forged.token.x");
            assertEquals(200, r.statusCode());
            assertTrue(r.body().startsWith("native-login"), r.body());
        }
    }
}
