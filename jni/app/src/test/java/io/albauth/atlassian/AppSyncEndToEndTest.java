package io.albauth.atlassian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.crowd.embedded.api.User;
import com.atlassian.sal.api.pluginsettings.PluginSettings;
import com.atlassian.scheduler.JobRunnerResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.albauth.atlassian.host.H2DirectoryManager;
import io.albauth.atlassian.host.TestHost;
import io.albauth.atlassian.jira.JiraProduct;
import io.albauth.atlassian.host.FakeApplicationRoleManager;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.UserRecord;
import io.albauth.sync.SyncRun;
import io.albauth.testing.Configs;
import io.albauth.testing.HttpReplies;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The scheduled sync from end to end in the app: a due tick, fired by the (fake) scheduler,
 * lists a loopback Okta, plans through the core against the app's Crowd directory and applies.
 */
class AppSyncEndToEndTest {
    private static final String USERS = "[" + user("u-alice", "alice@example.com", "Alice Example", "ACTIVE") + ","
            + user("u-bob", "bob@example.com", "Bob Example", "ACTIVE") + ","
            + user("u-dave", "dave@example.com", "Dave Example", "ACTIVE") + "]";

    private static String user(String id, String email, String name, String status) {
        return "{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"profile\":{\"login\":\"" + email
                + "\",\"email\":\"" + email + "\",\"displayName\":\"" + name + "\"}}";
    }

    /** Okta's listing endpoints, one page each; anything else 404. */
    private static HttpServer okta(ConcurrentLinkedQueue<String> asked) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", ex -> {
            String q = ex.getRequestURI().getRawQuery();
            String path = ex.getRequestURI().getPath()
                    + (q == null ? "" : "?" + URLDecoder.decode(q, StandardCharsets.UTF_8));
            asked.add(path);
            if (!"SSWS okta-api-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                HttpReplies.json(ex, 401, "{\"errorCode\":\"E0000011\"}");
            } else if (path.equals("/api/v1/users?limit=200")) {
                HttpReplies.json(ex, 200, USERS);
            } else if (path.startsWith("/api/v1/users?filter=status eq \"DEPROVISIONED\"")) {
                HttpReplies.json(ex, 200, "[]");
            } else if (path.equals("/api/v1/groups?limit=200")) {
                HttpReplies.json(ex, 200, "[{\"id\":\"g-devs\",\"profile\":{\"name\":\"devs\"}}]");
            } else if (path.startsWith("/api/v1/groups/g-devs/users")) {
                HttpReplies.json(ex, 200, "[" + user("u-alice", "alice@example.com", "Alice Example", "ACTIVE") + "]");
            } else {
                HttpReplies.json(ex, 404, "{\"errorCode\":\"E0000007\"}");
            }
        });
        s.start();
        return s;
    }

    @Test
    void aDueTickListsTheIdpAndAppliesThePlanToTheAppsDirectoryOnly() throws Exception {
        ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
        HttpServer okta = okta(asked);
        try (TestHost host = TestHost.start(TestHost.options().systemAdmin("admin").user("dave@example.com"))) {
            Map<String, Object> config = new LinkedHashMap<>(Configs.pinned(host.key));
            config.put("provisioning", LoginFlowTest.PROVISIONING);
            config.put("directory_sync", Map.of("connector", Map.of("type", "okta",
                    "org_url", "http://127.0.0.1:" + okta.getAddress().getPort(), "api_token", "okta-api-token"),
                    "brake_percent", 100));
            host.app.configStore().save(Configs.json(config));
            // carol: provisioned earlier, gone from the IdP since
            CrowdUserDirectory dir = new CrowdUserDirectory(host.directory, host.directory, host.directory,
                    host.app.configStore(), new JiraProduct(new FakeApplicationRoleManager(() -> 0, -1)), host.locks);
            dir.createUser(new CreateUser("carol@example.com", "Carol Example", "carol@example.com", "u-carol", "t"));
            dir.addToGroup("carol@example.com", "jira-software-users");

            host.app.configStore().saveSyncSchedule("every 1d");
            PluginSettings s = host.settings.createGlobalSettings();
            s.put(SyncJobRunner.LAST_KEY, Long.toString(Instant.now().minus(Duration.ofDays(2)).toEpochMilli()));
            s.put(SyncJobRunner.LAST_SCHEDULE_KEY, "every 1d");

            JobRunnerResponse r = host.scheduler.fire(SyncJobRunner.JOB_ID);
            SyncRun run = host.app.syncJob().lastRuns().get(0);
            assertEquals("applied", run.status(), run.message() + " " + asked);
            assertEquals("SUCCESS", r.getRunOutcomeName(), r.getMessage());
            assertEquals(0, run.result().failed().size(), String.valueOf(run.result().failed()));
            assertEquals(run.message(), r.getMessage());

            long own = host.app.configStore().directoryId();
            User alice = host.directory.findInAnyDirectory("alice@example.com");
            assertNotNull(alice);
            assertEquals(own, alice.getDirectoryId());
            assertEquals("Alice Example", alice.getDisplayName());
            assertTrue(host.directory.isMember("alice@example.com", "devs"));
            assertTrue(host.directory.isMember("alice@example.com", "jira-software-users"));
            assertEquals("u-alice", dir.findByUsername("alice@example.com").idpId());
            assertEquals(own, host.directory.findInAnyDirectory("bob@example.com").getDirectoryId());

            User carol = host.directory.findInAnyDirectory("carol@example.com");
            assertFalse(carol.isActive(), "gone from the IdP: deactivated (on_missing)");
            assertTrue(host.directory.isMember("carol@example.com", "jira-software-users"));

            // dave is the product's internal directory's: not copied, not changed
            User dave = host.directory.findInAnyDirectory("dave@example.com");
            assertEquals(H2DirectoryManager.INTERNAL, dave.getDirectoryId());
            assertEquals("dave@example.com", dave.getDisplayName());
            assertFalse(host.directory.isMember("dave@example.com", "jira-software-users"));
            User admin = host.directory.findInAnyDirectory("admin");
            assertEquals(H2DirectoryManager.INTERNAL, admin.getDirectoryId());
            assertTrue(admin.isActive());

            List<String> listed = new java.util.ArrayList<>();
            dir.listUsers(u -> listed.add(u.username()));
            // the app's users in full, the other directories' by name (managed_by), in name order
            assertEquals(List.of("admin", "alice@example.com", "bob@example.com", "carol@example.com",
                    "dave@example.com"), listed);
            List<String> managed = new java.util.ArrayList<>();
            dir.listUsers(u -> managed.add(u.managedBy()));
            assertNull(managed.get(1));
            assertNotNull(managed.get(0));
            assertEquals(managed.get(0), managed.get(4));

            // the next tick is not due; a forced due one plans nothing more
            assertTrue(host.scheduler.fire(SyncJobRunner.JOB_ID).getMessage().startsWith("not due until"));
            s.put(SyncJobRunner.LAST_KEY, Long.toString(Instant.now().minus(Duration.ofDays(2)).toEpochMilli()));
            assertEquals("SUCCESS", host.scheduler.fire(SyncJobRunner.JOB_ID).getRunOutcomeName());
            SyncRun second = host.app.syncJob().lastRuns().get(0);
            List<String> again = new java.util.ArrayList<>();
            second.plan().actions().forEach(a -> again.add(a.name()));
            // dave is the internal directory's: a conflict, never a creation, in every run
            assertEquals(List.of(), again, String.valueOf(second.plan().json()));
            assertEquals(List.of("dave@example.com"), second.plan().conflicts());
            UserRecord stillCarol = dir.findByIdpId("u-carol");
            assertFalse(stillCarol.active());
            assertNull(dir.findByIdpId("u-dave"));
        } finally {
            okta.stop(0);
        }
    }
}
