package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.provision.Delegate;
import io.albauth.provision.DirectoryException;
import io.albauth.provision.H2;
import io.albauth.provision.JdbcUserDirectory;
import io.albauth.provision.UserDirectory;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.TestKey;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Just-in-time provisioning through the filter in a real Jetty, into a real H2 database. */
class FilterProvisioningTest {
    final H2 db = new H2();
    final TestKey key = new TestKey();

    /** A Jetty whose config has {@code provisioning} (enabled, plus {@code extra}) and the H2 directory. */
    Jetty jetty(Map<String, Object> extra, String... params) throws Exception {
        Map<String, Object> provisioning = new LinkedHashMap<>();
        provisioning.put("enabled", true);
        provisioning.put("default_groups", List.of("jira-software-users"));
        provisioning.putAll(extra);
        Map<String, Object> config = Configs.pinned(key);
        config.put("provisioning", provisioning);
        Map<String, String> p = Jetty.pairs(params);
        p.put("config", Configs.json(config));
        p.putIfAbsent("directory-jdbc-url", db.url);
        return new Jetty(key, p);
    }

    AlbToken token(String user) {
        long now = System.currentTimeMillis() / 1000;
        return new AlbToken(key).exp(now + 600).claim("username", user).claim("sub", "sub-" + user);
    }

    static HttpResponse<String> get(Jetty j, AlbToken token, String cookie) throws Exception {
        String data = token.sign(j.key);
        return cookie == null ? j.get("/", "x-amzn-oidc-data", data) : j.get("/", "x-amzn-oidc-data", data, "Cookie", cookie);
    }

    @Test
    void aFirstLoginCreatesTheUserAndALaterLoginWithChangedClaimsUpdatesIt() throws Exception {
        try (Jetty j = jetty(Map.of())) {
            HttpResponse<String> first = get(j, token("alice"), null);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("alice", Jetty.line(first, "user"));
            assertEquals("Alice Example|alice@example.com", db.one("SELECT display_name || '|' || email_address FROM cwd_user"));
            assertEquals(List.of("jira-admins", "jira-software-users", "jira-users"), db.groupsOf("alice"));
            String cookie = Jetty.sessionCookie(first);
            assertNotNull(cookie, "the provisioned login is remembered in a session");

            HttpResponse<String> changed = get(j, token("alice").claim("email", "alice@new.example")
                    .claim("groups", List.of("jira-users", "jira-leads")), cookie);
            assertEquals(200, changed.statusCode(), changed.body());
            assertEquals("alice@new.example", db.one("SELECT email_address FROM cwd_user"));
            assertEquals(List.of("jira-admins", "jira-leads", "jira-software-users", "jira-users"), db.groupsOf("alice"),
                    "without a group_filter no group is removed");
            assertEquals(1, db.users());
        }
    }

    @Test
    void provisioningRunsOncePerSessionNotOnEveryRequest() throws Exception {
        try (Jetty j = jetty(Map.of())) {
            String cookie = Jetty.sessionCookie(get(j, token("alice"), null));
            db.update("DELETE FROM cwd_membership WHERE parent_name = 'jira-admins'"); // an admin's change
            // The same claims in a new token (new exp): nothing re-applied on this session.
            HttpResponse<String> same = get(j, token("alice").exp(System.currentTimeMillis() / 1000 + 900), cookie);
            assertEquals(200, same.statusCode());
            assertEquals(List.of("jira-software-users", "jira-users"), db.groupsOf("alice"));
            // A new session is a new login: provisioned again.
            assertEquals(200, get(j, token("alice"), null).statusCode());
            assertEquals(List.of("jira-admins", "jira-software-users", "jira-users"), db.groupsOf("alice"));
        }
    }

    @Test
    void aUserSwitchOnASessionProvisionsTheNewUser() throws Exception {
        try (Jetty j = jetty(Map.of())) {
            String cookie = Jetty.sessionCookie(get(j, token("alice"), null));
            HttpResponse<String> bob = get(j, token("bob"), cookie);
            assertEquals("bob", Jetty.line(bob, "user"));
            assertEquals(List.of("alice", "bob"), db.column("SELECT user_name FROM cwd_user ORDER BY user_name"));
        }
    }

    @Test
    void aUserTheAdminDeactivatedIsRefusedWithAClearPageAndTheirSessionEnds() throws Exception {
        try (Jetty j = jetty(Map.of()); LogCapture log = new LogCapture()) {
            HttpResponse<String> first = get(j, token("alice"), null);
            String cookie = Jetty.sessionCookie(first);
            db.update("UPDATE cwd_user SET active = 'F'");
            // The claims change (a new group), so this session's login is provisioned again.
            HttpResponse<String> refused = get(j, token("alice").claim("groups", List.of("jira-users")), cookie);
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("<code>user_inactive</code>"), refused.body());
            assertTrue(refused.body().contains("deactivated"), refused.body());
            assertEquals("F", db.one("SELECT active FROM cwd_user"));
            String warn = String.join("\n", log.at(Level.WARNING));
            assertTrue(warn.contains("403: user_inactive"), warn);
            assertFalse(warn.contains("alice"), warn);
            // The session it had is gone: the same claims as before are planned (and refused) again.
            assertEquals(403, get(j, token("alice"), cookie).statusCode());
        }
    }

    @Test
    void aUserTheAdminDeactivatedIsReactivatedWhenConfigured() throws Exception {
        try (Jetty j = jetty(Map.of("reactivate_users", true))) {
            get(j, token("alice"), null);
            db.update("UPDATE cwd_user SET active = 'F'");
            HttpResponse<String> again = get(j, token("alice"), null);
            assertEquals(200, again.statusCode(), again.body());
            assertEquals("T", db.one("SELECT active FROM cwd_user"));
        }
    }

    @Test
    void noSeatLeftRefusesANewUserWithAClearPageAndCreatesNothing() throws Exception {
        try (Jetty j = jetty(Map.of(), "directory-max-users", "1")) {
            assertEquals(200, get(j, token("bob"), null).statusCode());
            HttpResponse<String> alice = j.get("/", "x-amzn-oidc-data", token("alice").sign(key), "Accept", "application/json");
            assertEquals(403, alice.statusCode());
            assertTrue(alice.body().startsWith("{\"error\":\"no_seat_available\""), alice.body());
            assertEquals(List.of("bob"), db.column("SELECT user_name FROM cwd_user"));
            assertTrue(get(j, token("alice"), null).body().contains("No licence seat is left"));
        }
    }

    @Test
    void aFailingDirectoryIsA503AndTheLoginDoesNotGoThrough() throws Exception {
        String tooLong = "g".repeat(300);
        try (Jetty j = jetty(Map.of())) {
            HttpResponse<String> r = get(j, token("alice").claim("groups", List.of(tooLong)), null);
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("<code>provisioning_failed</code>"), r.body());
            assertEquals(0, db.users());
        }
    }

    @Test
    void withProvisioningDisabledADirectoryIsLeftAlone() throws Exception {
        try (Jetty j = jetty(Map.of("enabled", false))) {
            assertEquals(200, get(j, token("alice"), null).statusCode());
            assertEquals(List.of(), db.column("SELECT user_name FROM cwd_user"));
        }
    }

    @Test
    void provisioningEnabledWithoutADirectoryStopsTheFilterFromStarting() {
        Map<String, Object> config = Configs.pinned(key);
        config.put("provisioning", Map.of("enabled", true));
        Exception e = assertThrows(Exception.class, () -> new Jetty(key, Jetty.pairs("config", Configs.json(config))).close());
        assertTrue(String.valueOf(e.getMessage()).contains("provisioning.enabled is true but the filter has no user directory"),
                String.valueOf(e.getMessage()));
    }

    /** A UserDirectory a host names by class: here the reference one inside, counting its transactions. */
    public static final class NamedDirectory extends Delegate {
        static final AtomicInteger TRANSACTIONS = new AtomicInteger();

        public NamedDirectory() {
            super(new JdbcUserDirectory());
        }

        @Override
        public void init(Function<String, String> settings) throws DirectoryException {
            to.init(settings);
        }

        @Override
        public <T> T inTransaction(Work<T> work) throws DirectoryException {
            TRANSACTIONS.incrementAndGet();
            return super.inTransaction(work);
        }
    }

    @Test
    void theDirectoryNamedByUserDirectoryIsInitialisedWithTheFilterParametersAndUsed() throws Exception {
        NamedDirectory.TRANSACTIONS.set(0);
        try (Jetty j = jetty(Map.of(), "user-directory", NamedDirectory.class.getName())) {
            int atStart = NamedDirectory.TRANSACTIONS.get();
            assertEquals(200, get(j, token("alice"), null).statusCode());
            assertEquals(List.of("alice"), db.column("SELECT user_name FROM cwd_user"));
            assertTrue(NamedDirectory.TRANSACTIONS.get() > atStart);
        }
    }

    @Test
    void serviceLoaderFindsADirectoryWhenNoneIsNamed() throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(UserDirectory.class.getName()), NamedDirectory.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            FilterSettings none = FilterSettings.parse(Jetty.pairs("config", "{}")::get);
            assertTrue(AlbAuthFilter.loadDirectory(none, loader) instanceof NamedDirectory);
            FilterSettings off = FilterSettings.parse(Jetty.pairs("config", "{}", "user-directory", "none")::get);
            assertNull(AlbAuthFilter.loadDirectory(off, loader));
        }
    }

    @TempDir
    Path dir;
}
