package io.albauth.atlassian;

import static io.albauth.atlassian.Browser.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.atlassian.host.H2DirectoryManager;
import io.albauth.atlassian.host.TestHost;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signing in to the product through the app, in real Jetty with the host fakes. */
class LoginFlowTest {
    static final Map<String, Object> PROVISIONING = Map.of("enabled", true, "default_groups",
            List.of("jira-software-users"));

    static TestHost provisioningHost() throws Exception {
        return TestHost.start(TestHost.options().testConfig().provisioning(PROVISIONING).systemAdmin("admin"));
    }

    @Test
    void theFirstAlbRequestCreatesTheUserAndLogsThemIn() throws Exception {
        try (TestHost host = provisioningHost()) {
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("bob", line(r, "user"));
            assertNotNull(host.directory.findInAnyDirectory("bob"));
            assertTrue(host.directory.isMember("bob", "jira-software-users"));
        }
    }

    @Test
    void aProvisionedUserLivesInTheAppsOwnDirectoryNotTheProductsInternalOne() throws Exception {
        try (TestHost host = provisioningHost()) {
            new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            long bobs = host.directory.findInAnyDirectory("bob").getDirectoryId();
            assertNotEquals(H2DirectoryManager.INTERNAL, bobs);
            assertEquals(CrowdUserDirectory.DIRECTORY_NAME, host.directory.findDirectoryById(bobs).getName());
            assertEquals(bobs, host.app.configStore().directoryId());
        }
    }

    @Test
    void theSessionCarriesTheSeraphAttributesTheListenerSets() throws Exception {
        try (TestHost host = provisioningHost()) {
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            assertEquals("NamedPrincipal", line(r, "seraph"));
            assertEquals("success", line(r, "authstatus"));
        }
    }

    @Test
    void laterRequestsOfTheSameUserDoNotLogInAgain() throws Exception {
        try (TestHost host = provisioningHost()) {
            Browser b = new Browser(host.base());
            String first = line(b.get("/secure/Dashboard.jspa", host.token("bob")), "session");
            HttpResponse<String> second = b.get("/secure/Dashboard.jspa", host.token("bob"));
            assertEquals(first, line(second, "session"));
            assertEquals("", line(second, "authstatus"));
            assertEquals(1, host.listener.successes());
        }
    }

    @Test
    void aUserSwitchInvalidatesTheOldSessionBeforeTheNewLogin() throws Exception {
        try (TestHost host = provisioningHost()) {
            Browser b = new Browser(host.base());
            String bobs = line(b.get("/secure/Dashboard.jspa", host.token("bob")), "session");
            HttpResponse<String> carol = b.get("/secure/Dashboard.jspa", host.token("carol"));
            assertEquals("carol", line(carol, "user"));
            assertNotEquals(bobs, line(carol, "session"));
            Browser old = new Browser(host.base());
            old.useSession(bobs);
            assertEquals("", line(old.get("/secure/Dashboard.jspa", null), "session"), "bob's session is gone");
        }
    }

    @Test
    void aNativeSessionOfAnotherUserIsEndedBeforeTheAlbLogin() throws Exception {
        try (TestHost host = provisioningHost()) {
            Browser b = new Browser(host.base());
            System.setProperty(NativeLogin.RECOVERY_PROPERTY, "recover-me"); // the admin signs in natively ...
            try {
                b.post("/login.jsp", null, Map.of("os_username", "admin", "os_password", TestHost.PASSWORD));
            } finally {
                System.clearProperty(NativeLogin.RECOVERY_PROPERTY); // ... and recovery mode ends
            }
            String adminSession = b.session();
            HttpResponse<String> r = b.get("/secure/Dashboard.jspa", host.token("bob"));
            assertEquals("bob", line(r, "user"));
            assertNotEquals(adminSession, line(r, "session"));
            Browser old = new Browser(host.base());
            old.useSession(adminSession);
            assertEquals("", line(old.get("/secure/Dashboard.jspa", null), "user"), "the admin's session is gone");
        }
    }

    @Test
    void logoutClearsTheSeraphAttributes() throws Exception {
        try (TestHost host = provisioningHost()) {
            Browser b = new Browser(host.base());
            String session = line(b.get("/secure/Dashboard.jspa", host.token("bob")), "session");
            assertEquals("logged-out", b.get("/logout", host.token("bob")).body().trim());
            Browser old = new Browser(host.base());
            old.useSession(session);
            HttpResponse<String> after = old.get("/secure/Dashboard.jspa", null);
            assertEquals("", line(after, "user"));
            assertEquals("", line(after, "seraph"));
        }
    }

    @Test
    void authFallbackReachesTheNativeLoginUntouched() throws Exception {
        try (TestHost host = provisioningHost()) {
            HttpResponse<String> r = new Browser(host.base()).get("/login.jsp?auth_fallback", host.token("bob"));
            assertEquals(200, r.statusCode());
            assertEquals("native-login\nuser=\n", r.body());
            assertEquals(0, host.listener.successes());
            assertNull(host.directory.findInAnyDirectory("bob"), "nothing was provisioned");
        }
    }

    @Test
    void nativeLoginReachesTheNativeLoginEvenWithAForgedToken() throws Exception {
        try (TestHost host = provisioningHost()) {
            HttpResponse<String> r = new Browser(host.base()).get("/login.jsp?native_login=true", "forged.token.x");
            assertEquals(200, r.statusCode());
            assertEquals("native-login\nuser=\n", r.body());
        }
    }

    @Test
    void aSessionThatChoseTheNativeLoginSignsInWithThePassword() throws Exception {
        try (TestHost host = provisioningHost()) {
            Browser b = new Browser(host.base());
            b.get("/login.jsp?auth_fallback", null);
            HttpResponse<String> posted = b.post("/login.jsp", null,
                    Map.of("os_username", "admin", "os_password", TestHost.PASSWORD));
            assertEquals(302, posted.statusCode(), posted.body());
            assertEquals("admin", line(b.get("/secure/Dashboard.jspa", host.token("bob")), "user"));
            assertNull(host.directory.findInAnyDirectory("bob"));
        }
    }

    @Test
    void authFallbackCountsOnlyOnTheLoginPage() throws Exception {
        try (TestHost host = provisioningHost()) {
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa?auth_fallback", "forged.token.x");
            assertEquals(401, r.statusCode());
        }
    }

    @Test
    void recoveryModeLetsEveryRequestReachTheProduct() throws Exception {
        try (TestHost host = provisioningHost()) {
            Browser b = new Browser(host.base());
            assertEquals(401, b.get("/secure/Dashboard.jspa", "forged.token.x").statusCode());
            System.setProperty(NativeLogin.RECOVERY_PROPERTY, "recover-me");
            try {
                HttpResponse<String> r = b.get("/secure/Dashboard.jspa", "forged.token.x");
                assertEquals(200, r.statusCode());
                assertEquals("", line(r, "user"));
                assertEquals("native-login\nuser=\n", b.get("/login.jsp", host.token("bob")).body());
            } finally {
                System.clearProperty(NativeLogin.RECOVERY_PROPERTY);
            }
        }
    }

    @Test
    void aForgedTokenIsRefusedAndRecordedWithoutTheToken() throws Exception {
        try (TestHost host = provisioningHost()) {
            String forged = host.tokenBuilder("bob").sign(new io.albauth.testing.TestKey(host.key.kid));
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa?q=secret", forged);
            assertEquals(401, r.statusCode());
            var entry = host.app.refusals().recent().get(0);
            assertEquals(401, entry.status());
            assertEquals("/secure/Dashboard.jspa", entry.path());
            assertTrue(r.body().contains(entry.reference()), r.body());
            assertFalse(entry.toString().contains(forged));
            assertFalse(entry.toString().contains("bob"));
        }
    }

    @Test
    void aKnownUserSignsInWithProvisioningOff() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().testConfig().user("dave"))) {
            assertEquals("dave", line(new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("dave")), "user"));
        }
    }

    @Test
    void anUnknownUserWithProvisioningOffGetsAClearPage() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().testConfig())) {
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("erin"));
            assertEquals(403, r.statusCode());
            assertTrue(r.body().contains("There is no account for you here"), r.body());
            assertTrue(r.body().contains("<code>unknown_user</code>"), r.body());
            assertEquals("unknown_user", host.app.refusals().recent().get(0).code());
        }
    }

    @Test
    void aUserOverTheSeatLimitGetsTheClearPageAndIsNotCreated() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().testConfig().provisioning(PROVISIONING)
                .systemAdmin("admin").seatLimit(1))) {
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            assertEquals(403, r.statusCode());
            assertTrue(r.body().contains("No licence seat is left"), r.body());
            assertFalse(r.body().contains("Exception"), r.body());
            assertNull(host.directory.findInAnyDirectory("bob"));
            assertEquals("no_seat_available", host.app.refusals().recent().get(0).code());
        }
    }

    @Test
    void aUserWithinTheSeatLimitIsCreated() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().testConfig().provisioning(PROVISIONING)
                .systemAdmin("admin").seatLimit(2))) {
            assertEquals("bob", line(new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob")), "user"));
        }
    }

    @Test
    void aChangedDisplayNameIsUpdatedOnTheNextLogin() throws Exception {
        try (TestHost host = provisioningHost()) {
            new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            String renamed = host.tokenBuilder("bob").claim("name", "Robert Example").sign(host.key);
            assertEquals("bob", line(new Browser(host.base()).get("/secure/Dashboard.jspa", renamed), "user"));
            assertEquals("Robert Example", host.directory.findInAnyDirectory("bob").getDisplayName());
        }
    }

    @Test
    void provisioningHoldsAClusterLockNamedForTheLogin() throws Exception {
        try (TestHost host = provisioningHost()) {
            new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            assertTrue(host.locks.names().stream().anyMatch(n -> n.startsWith("albauth.provision.")), host.locks.names()::toString);
        }
    }

    @Test
    void aUserRenamedInTheIdpKeepsTheirAccountUnderTheNewName() throws Exception {
        try (TestHost host = provisioningHost()) {
            new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            String renamed = host.tokenBuilder("robert").claim("sub", "sub-bob").sign(host.key);
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", renamed);
            assertEquals("robert", line(r, "user"), r.body());
            assertNull(host.directory.findInAnyDirectory("bob"));
            assertTrue(host.directory.isMember("robert", "jira-software-users"));
        }
    }

    @Test
    void aDeactivatedUserIsReactivatedWhenTheConfigurationSaysSo() throws Exception {
        Map<String, Object> reactivate = Map.of("enabled", true, "reactivate_users", true, "default_groups",
                List.of("jira-software-users"));
        try (TestHost host = TestHost.start(TestHost.options().testConfig().provisioning(reactivate))) {
            new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            long dir = host.app.configStore().directoryId();
            com.atlassian.crowd.model.user.UserTemplate off = new com.atlassian.crowd.model.user.UserTemplate(
                    host.directory.findUserByName(dir, "bob"));
            off.setActive(false);
            host.directory.updateUser(dir, off);
            assertEquals("bob", line(new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob")), "user"));
            assertTrue(host.directory.findUserByName(dir, "bob").isActive());
        }
    }

    @Test
    void aDeactivatedUserIsRefusedWithAClearPageByDefault() throws Exception {
        try (TestHost host = provisioningHost()) {
            new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            long dir = host.app.configStore().directoryId();
            com.atlassian.crowd.model.user.UserTemplate off = new com.atlassian.crowd.model.user.UserTemplate(
                    host.directory.findUserByName(dir, "bob"));
            off.setActive(false);
            host.directory.updateUser(dir, off);
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            assertEquals(403, r.statusCode());
            assertTrue(r.body().contains("Your account here is deactivated"), r.body());
        }
    }

    @Test
    void aDeactivatedUserIsRefusedWithProvisioningOff() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().testConfig().user("dave"))) {
            com.atlassian.crowd.model.user.UserTemplate off = new com.atlassian.crowd.model.user.UserTemplate(
                    host.directory.findUserByName(H2DirectoryManager.INTERNAL, "dave"));
            off.setActive(false);
            host.directory.updateUser(H2DirectoryManager.INTERNAL, off);
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("dave"));
            assertEquals(403, r.statusCode());
            assertTrue(r.body().contains("Your account here is deactivated"), r.body());
            assertEquals(0, host.listener.successes());
        }
    }

    @Test
    void aUserOfAnotherDirectorySignsInAsThemselvesAndIsNotCopiedOrChanged() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().testConfig().provisioning(PROVISIONING).user("dave"))) {
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("dave"));
            assertEquals("dave", line(r, "user"), r.body());
            assertEquals(H2DirectoryManager.INTERNAL, host.directory.findInAnyDirectory("dave").getDirectoryId());
            long own = host.app.configStore().directoryId();
            assertThrows(com.atlassian.crowd.exception.UserNotFoundException.class,
                    () -> host.directory.findUserByName(own, "dave"));
            assertFalse(host.directory.isMember("dave", "jira-software-users"), "not changed either");
            assertEquals("Internal Directory", host.app.managedElsewhere("dave"));
        }
    }

    @Test
    void anAlbSessionThatAsksForTheNativeLoginIsEndedFirst() throws Exception {
        try (TestHost host = provisioningHost()) {
            Browser b = new Browser(host.base());
            String bobs = line(b.get("/secure/Dashboard.jspa", host.token("bob")), "session");
            assertEquals("native-login\nuser=\n", b.get("/login.jsp?auth_fallback", host.token("bob")).body());
            assertNotEquals(bobs, b.session());
            Browser old = new Browser(host.base());
            old.useSession(bobs);
            assertEquals("", line(old.get("/secure/Dashboard.jspa", null), "user"));
        }
    }
}
