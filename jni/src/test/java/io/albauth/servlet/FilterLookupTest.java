package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.albauth.provision.H2;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.HttpReplies;
import io.albauth.testing.TestKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lookup at login ({@code provisioning.source: directory}) end to end: the filter in a real Jetty,
 * the IdP's directory a Keycloak-shaped admin API on 127.0.0.1 (a real HTTP server), the users in a
 * real H2 database. The directory decides: its groups reach the host, and a user it reports
 * disabled is refused although their ALB token is valid.
 */
class FilterLookupTest {
    final H2 db = new H2();
    final TestKey key = new TestKey();
    final AtomicInteger lookups = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicBoolean aliceEnabled = new java.util.concurrent.atomic.AtomicBoolean(true);
    final HttpServer idp;

    FilterLookupTest() throws IOException {
        idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        idp.createContext("/realms/corp/protocol/openid-connect/token",
                x -> reply(x, "{\"access_token\":\"kc-token\",\"expires_in\":300,\"token_type\":\"Bearer\"}"));
        idp.createContext("/admin/realms/corp/users", this::users);
        idp.start();
    }

    @AfterEach
    void stop() {
        idp.stop(0);
    }

    /** alice is enabled and in kc-engineering; bob is disabled; nobody else exists. */
    void users(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if (!"Bearer kc-token".equals(x.getRequestHeaders().getFirst("Authorization"))) {
            x.sendResponseHeaders(401, -1);
            x.close();
            return;
        }
        if (path.endsWith("/groups")) {
            reply(x, "[{\"id\":\"g1\",\"name\":\"kc-engineering\",\"path\":\"/kc-engineering\"}]");
            return;
        }
        String query = URLDecoder.decode(String.valueOf(x.getRequestURI().getRawQuery()), StandardCharsets.UTF_8);
        if (query.contains("first=") && !query.contains("first=0")) {
            reply(x, "[]");
            return;
        }
        lookups.incrementAndGet();
        if (query.contains("email=alice@example.com")) {
            reply(x, "[{\"id\":\"kc-alice\",\"username\":\"alice\",\"email\":\"alice@example.com\","
                    + "\"firstName\":\"Alice\",\"lastName\":\"Directory\",\"enabled\":" + aliceEnabled.get() + "}]");
        } else if (query.contains("email=bob@example.com")) {
            reply(x, "[{\"id\":\"kc-bob\",\"username\":\"bob\",\"email\":\"bob@example.com\",\"enabled\":false}]");
        } else {
            reply(x, "[]");
        }
    }

    static void reply(HttpExchange x, String json) throws IOException {
        HttpReplies.json(x, 200, json);
    }

    Jetty jetty() throws Exception {
        return jetty(300);
    }

    Jetty jetty(int lookupCacheSecs) throws Exception {
        Map<String, Object> provisioning = new LinkedHashMap<>();
        provisioning.put("lookup_cache_secs", lookupCacheSecs);
        provisioning.put("enabled", true);
        provisioning.put("source", "directory");
        provisioning.put("default_groups", List.of("jira-software-users"));
        Map<String, Object> config = Configs.pinned(key);
        config.put("provisioning", provisioning);
        config.put("directory_sync", Map.of("connector", Map.of("type", "keycloak",
                "base_url", "http://127.0.0.1:" + idp.getAddress().getPort(), "realm", "corp",
                "client_id", "albauth", "client_secret", "kc-secret")));
        Map<String, String> p = new LinkedHashMap<>();
        p.put("config", Configs.json(config));
        p.put("directory-jdbc-url", db.url);
        return new Jetty(key, p);
    }

    HttpResponse<String> login(Jetty j, String user) throws Exception {
        return request(j, user, null, 0);
    }

    /** A request of {@code user} on the session of {@code cookie} (null: none), its token made unique by {@code n}. */
    HttpResponse<String> request(Jetty j, String user, String cookie, int n) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        AlbToken t = new AlbToken(key).exp(now + 600 + n).claim("username", user).claim("sub", "sub-" + user)
                .claim("email", user + "@example.com").claim("groups", List.of("token-group"));
        return cookie == null ? j.get("/", "x-amzn-oidc-data", t.sign(key))
                : j.get("/", "x-amzn-oidc-data", t.sign(key), "Cookie", cookie);
    }

    @Test
    void theDirectorysAttributesAndGroupsReachTheHostNotTheTokens() throws Exception {
        try (Jetty j = jetty()) {
            HttpResponse<String> r = login(j, "alice");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("alice", Jetty.line(r, "user"));
            assertEquals("Alice Directory", db.one("SELECT display_name FROM cwd_user"));
            assertEquals(List.of("jira-software-users", "kc-engineering"), db.groupsOf("alice"));
            assertEquals("kc-alice", db.one("SELECT attribute_value FROM cwd_user_attribute WHERE attribute_name = 'idp_id'"),
                    "the directory's id is the one stored, as a full sync stores it");
        }
    }

    @Test
    void aUserTheDirectoryReportsDisabledIsRefusedAlthoughTheirTokenIsValid() throws Exception {
        try (Jetty j = jetty()) {
            HttpResponse<String> r = login(j, "bob");
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("<code>not_allowed</code>"), r.body());
            assertEquals(0, db.users(), "nothing is created for a disabled user");
        }
    }

    @Test
    void aUserTheDirectoryDoesNotKnowIsRefused() throws Exception {
        try (Jetty j = jetty()) {
            assertEquals(403, login(j, "carol").statusCode());
            assertEquals(0, db.users());
        }
    }

    @Test
    void aBurstOfOneUsersLoginsAsksTheDirectoryOnce() throws Exception {
        try (Jetty j = jetty()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, login(j, "alice").statusCode()); // a new session each time: a login
            }
            assertEquals(1, lookups.get(), "lookup_cache_secs (300) holds the answer");
        }
    }

    @Test
    void aSessionIsCheckedAgainOnceTheLookupIsStaleSoALeaverIsStopped() throws Exception {
        try (Jetty j = jetty(1)) {
            HttpResponse<String> first = login(j, "alice");
            assertEquals(200, first.statusCode(), first.body());
            String cookie = Jetty.sessionCookie(first);
            aliceEnabled.set(false); // she leaves; her ALB session lives on
            Thread.sleep(2200); // past lookup_cache_secs: the next request's login is checked again
            HttpResponse<String> later = request(j, "alice", cookie, 1);
            assertEquals(403, later.statusCode(), later.body());
            assertTrue(later.body().contains("<code>not_allowed</code>"), later.body());
        }
    }
}
