package io.albauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.provision.ProvisioningAction;
import io.albauth.provision.ProvisioningAction.AddToGroup;
import io.albauth.provision.ProvisioningAction.Change;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.ReactivateUser;
import io.albauth.provision.ProvisioningAction.RemoveFromGroup;
import io.albauth.provision.ProvisioningAction.UpdateUser;
import io.albauth.provision.ProvisioningPlan;
import io.albauth.provision.UserRecord;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.TestKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AlbAuth.planLogin, idpIdOf and provisioningKey through JNI: the plan as typed, immutable actions. */
class ProvisioningPlanTest {
    static final long NOW = Fixtures.NOW;
    final TestKey key = new TestKey();

    AlbAuth auth(Map<String, Object> provisioning) {
        Map<String, Object> c = Configs.pinned(key);
        c.put("provisioning", provisioning);
        return AlbAuth.fromConfigJson(Configs.json(c));
    }

    Decision alice(AlbAuth auth) {
        return verify(auth, new AlbToken(key));
    }

    Decision verify(AlbAuth auth, AlbToken token) {
        Decision d = auth.verify(Map.of("x-amzn-oidc-data", token.sign(key)), NOW);
        assertEquals(Decision.Outcome.AUTHENTICATED, d.outcome(), String.valueOf(d));
        return d;
    }

    @Test
    void aNewUserIsCreatedWithTheIdpIdThenAddedToEachGroup() {
        try (AlbAuth auth = auth(Map.of("enabled", true, "default_groups", List.of("jira-software-users")))) {
            ProvisioningPlan plan = auth.planLogin(alice(auth), (String) null);
            assertTrue(plan.isAllowed());
            assertNull(plan.refused());
            List<ProvisioningAction> a = plan.actions();
            assertEquals(4, a.size(), plan.toString());
            CreateUser create = (CreateUser) a.get(0);
            assertEquals("alice", create.username());
            assertEquals("Alice Example", create.displayName());
            assertEquals("alice@example.com", create.email());
            assertEquals("sub-alice-0001", create.idpId());
            assertFalse(create.reason().isEmpty());
            assertEquals(List.of("jira-software-users", "jira-users", "jira-admins"),
                    a.subList(1, 4).stream().map(x -> ((AddToGroup) x).group()).toList());
            assertEquals("add_to_group", a.get(1).name());
        }
    }

    @Test
    void aChangedRecordIsOneUpdateWithOldAndNewValues() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            UserRecord host = new UserRecord("ALICE", "Alice Old", "alice@example.com", true,
                    List.of("jira-users", "jira-admins"), null);
            ProvisioningPlan plan = auth.planLogin(alice(auth), host);
            assertEquals(1, plan.actions().size(), plan.toString());
            UpdateUser update = (UpdateUser) plan.actions().get(0);
            assertEquals("ALICE", update.username());
            assertEquals(Map.of("display_name", new Change("Alice Old", "Alice Example"),
                    "idp_id", new Change(null, "sub-alice-0001")), update.changes());
            assertFalse(update.changes("username"), "usernames compare case-insensitively");
            assertEquals("Alice Example", update.newValue(UpdateUser.DISPLAY_NAME));
        }
    }

    @Test
    void aRenameInTheIdpUpdatesTheSameAccount() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            UserRecord host = new UserRecord("alice.old", "Alice Example", "alice@example.com", true,
                    List.of("jira-users", "jira-admins"), "sub-alice-0001");
            UpdateUser update = (UpdateUser) auth.planLogin(alice(auth), host).actions().get(0);
            assertEquals("alice.old", update.username());
            assertEquals(new Change("alice.old", "alice"), update.changes().get(UpdateUser.USERNAME));
        }
    }

    @Test
    void aDeactivatedUserIsReactivatedAndAManagedGroupRemoved() {
        try (AlbAuth auth = auth(Map.of("reactivate_users", true,
                "group_filter", Map.of("regex", List.of("jira-.*"))))) {
            UserRecord host = new UserRecord("alice", "Alice Example", "alice@example.com", false,
                    List.of("jira-users", "jira-admins", "jira-leads", "confluence-users"), "sub-alice-0001");
            List<ProvisioningAction> a = auth.planLogin(alice(auth), host).actions();
            assertEquals(2, a.size(), a.toString());
            assertTrue(a.get(0) instanceof ReactivateUser);
            assertEquals(new RemoveFromGroup("alice", "jira-leads", a.get(1).reason()), a.get(1));
        }
    }

    @Test
    void aRefusedPlanCarriesItsCodeAndDetailAndNoActions() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            UserRecord host = new UserRecord("alice", null, null, false, List.of(), "sub-alice-0001");
            ProvisioningPlan plan = auth.planLogin(alice(auth), host);
            assertFalse(plan.isAllowed());
            assertEquals("user_inactive", plan.refused());
            assertTrue(plan.detail().contains("reactivate_users"), plan.detail());
            assertEquals(List.of(), plan.actions());
            assertEquals("ProvisioningPlan[refused user_inactive]", plan.toString());
        }
    }

    @Test
    void aRecordOfAnotherIdpUserIsRecordMismatch() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            UserRecord host = new UserRecord("alice", null, null, true, List.of(), "sub-someone-else");
            assertEquals("record_mismatch", auth.planLogin(alice(auth), host).refused());
        }
    }

    @Test
    void anInvalidRecordIsAnInvalidArgumentNamingTheField() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            AlbAuthArgumentException missing = assertThrows(AlbAuthArgumentException.class,
                    () -> auth.planLogin(alice(auth), "{\"username\":\"alice\"}"));
            assertEquals("invalid_argument", missing.code());
            assertTrue(missing.getMessage().contains("`active`"), missing.getMessage());
            AlbAuthArgumentException wrong = assertThrows(AlbAuthArgumentException.class,
                    () -> auth.planLogin(alice(auth), "{\"username\":\"alice\",\"active\":\"secret-value\"}"));
            assertEquals("invalid_argument", wrong.code());
            assertFalse(wrong.getMessage().contains("secret-value"), wrong.getMessage());
        }
    }

    @Test
    void onlyAnAuthenticatedDecisionIsPlanned() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            Decision anonymous = auth.verify(Map.of(), NOW);
            assertEquals("invalid_argument",
                    assertThrows(AlbAuthArgumentException.class, () -> auth.planLogin(anonymous, (String) null)).code());
            assertEquals("null_argument",
                    assertThrows(AlbAuthArgumentException.class, () -> auth.idpIdOf(null)).code());
        }
    }

    @Test
    void aRecordWithAwkwardCharactersReachesTheCoreExactly() {
        String name = "Ålice \"Q\" \\ O'Brien\t\u0001 \uD83D\uDE00";
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            Decision d = verify(auth, new AlbToken(key).claim("name", name).claim("groups", List.of("g\"1", "g\\2")));
            UserRecord host = new UserRecord("alice", name, "alice@example.com", true, List.of("g\"1", "g\\2"),
                    "sub-alice-0001");
            assertEquals(List.of(), auth.planLogin(d, host).actions(), "equal values plan no change");
        }
    }

    @Test
    void theIdpIdIsSubByDefaultOrTheConfiguredClaim() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            assertEquals("sub-alice-0001", auth.idpIdOf(alice(auth)));
        }
        try (AlbAuth auth = auth(Map.of("idp_id_claim", "oid"))) {
            assertEquals("object-7", auth.idpIdOf(verify(auth, new AlbToken(key).claim("oid", "object-7"))));
            assertNull(auth.idpIdOf(alice(auth)));
        }
    }

    @Test
    void theProvisioningKeyIgnoresANewExpAndFollowsWhatThePlanReads() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            String first = auth.provisioningKey(alice(auth));
            assertEquals(first, auth.provisioningKey(verify(auth, new AlbToken(key).exp(NOW + 300))));
            assertNotEquals(first, auth.provisioningKey(verify(auth, new AlbToken(key).claim("email", "new@example.com"))));
            assertNotEquals(first, auth.provisioningKey(verify(auth, new AlbToken(key).claim("groups", List.of("x")))));
        }
    }

    @Test
    void withProvisioningEnabledTheKeyTravelsInTheDecisionAndEqualsTheComputedOne() {
        try (AlbAuth auth = auth(Map.of("enabled", true, "group_mapping", Map.of("eng", "developers")))) {
            Decision d = verify(auth, new AlbToken(key).claim("groups", List.of("eng")));
            assertNotNull(d.carriedProvisioningKey());
            String computed = PlanDecoder.decodeLoginFacts(auth.withHandle(h -> NativeBridge.loginFacts(h,
                    d.username(), d.displayName(), d.email(), d.sub(), d.claimsJson(),
                    d.groups().toArray(new String[0]))))[1];
            assertEquals(computed, d.carriedProvisioningKey());
            assertEquals(computed, auth.provisioningKey(d));
        }
    }

    @Test
    void withProvisioningOffNoKeyTravelsButOneIsStillComputed() {
        try (AlbAuth auth = auth(Map.of())) {
            Decision d = alice(auth);
            assertNull(d.carriedProvisioningKey());
            assertEquals(64, auth.provisioningKey(d).length());
        }
    }

    @Test
    void provisioningEnabledFollowsTheConfigAndAReload() {
        try (AlbAuth auth = auth(Map.of())) {
            assertFalse(auth.provisioningEnabled());
            Map<String, Object> c = Configs.pinned(key);
            c.put("provisioning", Map.of("enabled", true));
            auth.reload(Configs.json(c));
            assertTrue(auth.provisioningEnabled());
        }
        try (AlbAuth plain = AlbAuth.fromConfigJson(Configs.json(Configs.pinned(key)))) {
            assertFalse(plain.provisioningEnabled());
        }
    }

    @Test
    void thePlanAndItsActionsAreImmutable() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            ProvisioningPlan plan = auth.planLogin(alice(auth), new UserRecord("alice", "Old", null, true,
                    List.of(), "sub-alice-0001"));
            assertThrows(UnsupportedOperationException.class, () -> plan.actions().clear());
            UpdateUser u = (UpdateUser) plan.actions().get(0);
            assertThrows(UnsupportedOperationException.class, () -> u.changes().clear());
        }
    }

    @Test
    void actionsAndRecordsNameNoUserWhenPrinted() {
        try (AlbAuth auth = auth(Map.of("enabled", true))) {
            ProvisioningPlan plan = auth.planLogin(alice(auth), (String) null);
            String printed = plan + " " + new UserRecord("alice", "Alice Example", "alice@example.com", true,
                    List.of("g"), "sub-alice-0001");
            for (String personal : List.of("alice", "Alice", "sub-alice")) {
                assertFalse(printed.contains(personal), printed);
            }
        }
    }

    /** A plan reply as src/java/provision.rs writes it, from items. */
    static byte[] reply(Object... items) {
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        for (Object o : items) {
            if (o instanceof Integer) {
                int v = (Integer) o;
                payload.writeBytes(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
            } else {
                byte[] s = o == null ? null : ((String) o).getBytes(StandardCharsets.UTF_8);
                int n = s == null ? -1 : s.length;
                payload.writeBytes(new byte[] {(byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n});
                if (s != null) {
                    payload.writeBytes(s);
                }
            }
        }
        byte[] p = payload.toByteArray();
        byte[] r = new byte[9 + p.length];
        r[0] = 1;
        r[5] = (byte) (p.length >> 24);
        r[6] = (byte) (p.length >> 16);
        r[7] = (byte) (p.length >> 8);
        r[8] = (byte) p.length;
        System.arraycopy(p, 0, r, 9, p.length);
        return r;
    }

    @Test
    void aWellFormedPlanReplyDecodes() {
        ProvisioningPlan plan = PlanDecoder.decode(reply(null, null, 1, "add_to_group", "u", "why", "g"));
        assertEquals(List.of(new AddToGroup("u", "g", "why")), plan.actions());
    }

    @Test
    void aGarbledPlanReplyIsAPanicErrorNeverAPlan() {
        List<byte[]> garbled = List.of(
                reply(null, null, 1, "delete_everything", "u", "why"),
                reply(null, null, 1, "add_to_group", null, "why", "g"),
                reply(null, null, 1, "add_to_group", "u", "why"),
                reply("user_inactive", "d", 1, "reactivate_user", "u", "why"),
                reply(null, null, 2, "reactivate_user", "u", "why"),
                reply(null, null, 0, "extra"));
        for (byte[] r : garbled) {
            assertThrows(AlbAuthPanicError.class, () -> PlanDecoder.decode(r));
        }
    }
}
