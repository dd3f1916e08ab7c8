package io.albauth.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.AlbAuth;
import io.albauth.provision.DirectoryException;
import io.albauth.provision.H2;
import io.albauth.provision.JdbcUserDirectory;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.UserRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Full directory sync end to end, real components only: {@link AlbAuth#syncPlan} through the
 * native core and its keycloak connector, against a Keycloak-shaped admin API on 127.0.0.1
 * ({@link KeycloakStub}), applied by {@link SyncJob} to a {@link JdbcUserDirectory} in H2.
 *
 * <p>The host: alice (an old display name), bob (gone from the IdP), carol (unchanged) and a
 * local admin without an IdP id. The IdP: alice, carol and a new dave, alice and dave in
 * {@code engineering}. So the plan updates alice, deactivates bob, creates dave and adds two
 * memberships; one removal of three IdP-linked users is 33%, over the default brake (10%).
 */
class SyncEndToEndTest {
    final H2 h2 = new H2();
    final JdbcUserDirectory dir;
    final KeycloakStub idp;

    SyncEndToEndTest() throws Exception {
        dir = new JdbcUserDirectory(h2.url);
        dir.createUser(new CreateUser("alice", "Alice Old", "alice@example.com", "kc-alice", "test"));
        dir.createUser(new CreateUser("bob", "Bob B", "bob@example.com", "kc-bob", "test"));
        dir.createUser(new CreateUser("carol", "Carol C", "carol@example.com", "kc-carol", "test"));
        dir.createUser(new CreateUser("admin", "Local Admin", "admin@example.com", null, "test"));
        idp = new KeycloakStub()
                .add("kc-alice", "alice", "Alice", "New", true, "engineering")
                .add("kc-carol", "carol", "Carol", "C", true)
                .add("kc-dave", "dave", "Dave", "D", true, "engineering");
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    /** The host directory as its snapshot lines, to compare before and after. */
    List<String> snapshot() throws DirectoryException {
        List<String> out = new ArrayList<>();
        dir.listUsers(u -> out.add(u.toJson()));
        return out;
    }

    SyncJob job(Map<String, Object> sync) {
        String config = idp.config(sync);
        return new SyncJob(() -> config, dir, new JdbcSyncLock(h2.url), 2);
    }

    static List<String> names(SyncPlan p) {
        return p.actions().stream().map(a -> a.name() + ":" + a.username()).sorted().toList();
    }

    static final List<String> PLANNED = List.of("add_to_group:alice", "add_to_group:dave", "create_user:dave",
            "deactivate_user:bob", "update_user:alice");

    @Test
    void aDryRunReportsThePlannedActionsAndChangesNothing() throws Exception {
        List<String> before = snapshot();
        SyncRun run = job(Map.of("brake_percent", 50)).runOnce(true, false);
        assertEquals("dry_run", run.status(), run.message());
        assertEquals(PLANNED, names(run.plan()));
        assertEquals(1, run.plan().count("create"));
        assertEquals(1, run.plan().count("update"));
        assertEquals(1, run.plan().count("deactivate"));
        assertEquals(2, run.plan().count("group_add"));
        assertTrue(run.plan().pages() > 0, run.plan().json());
        assertNull(run.result());
        assertEquals(before, snapshot(), "a dry run changes nothing");
    }

    @Test
    void anAppliedRunDoesWhatItPlannedAndTheNextRunPlansNothing() throws Exception {
        SyncJob job = job(Map.of("brake_percent", 50));
        List<String> admin = List.of(dir.findByUsername("admin").toJson());
        SyncRun run = job.runOnce(false, false);
        assertEquals("applied", run.status(), run.message());
        assertEquals(PLANNED, names(run.plan()));
        assertEquals(5, run.result().applied());
        assertEquals(List.of(), run.result().failed());

        UserRecord dave = dir.findByUsername("dave");
        assertNotNull(dave, "created");
        assertTrue(dave.active());
        assertEquals("Dave D", dave.displayName());
        assertEquals("kc-dave", dave.idpId());
        assertEquals(List.of("engineering"), h2.groupsOf("dave"));
        assertEquals("Alice New", dir.findByUsername("alice").displayName(), "updated");
        assertEquals(List.of("engineering"), h2.groupsOf("alice"));
        assertFalse(dir.findByUsername("bob").active(), "deactivated, not deleted");
        assertTrue(dir.findByUsername("carol").active());
        assertEquals(admin, List.of(dir.findByUsername("admin").toJson()), "a local account is never touched");

        SyncRun again = job.runOnce(false, false);
        assertEquals("applied", again.status(), again.message());
        assertEquals(List.of(), again.plan().actions(), again.plan().json());
        assertEquals(List.of(again, run), job.lastRuns());
    }

    @Test
    void theBrakeRefusesAndForceOverrides() throws Exception {
        SyncJob job = job(Map.of()); // brake_percent 10 (default): one removal of three is 33%
        List<String> before = snapshot();
        SyncRun refused = job.runOnce(false, false);
        assertEquals("refused", refused.status(), refused.message());
        assertEquals("brake", refused.plan().refused());
        assertEquals(PLANNED, names(refused.plan()), "a refused plan is reported in full");
        assertNull(refused.result());
        assertEquals(before, snapshot(), "nothing applied past the brake");

        SyncRun forced = job.runOnce(false, true);
        assertEquals("applied", forced.status(), forced.message());
        assertNull(forced.plan().refused());
        assertEquals(5, forced.result().applied());
        assertFalse(dir.findByUsername("bob").active());
        assertNotNull(dir.findByUsername("dave"));
    }

    @Test
    void aListingThatFailsMidwayIsRefusedAsIncompleteAndChangesNothing() throws Exception {
        for (int i = 0; i < 120; i++) { // two pages of users (the connector's page is 100)
            idp.add(String.format("kc-u%03d", i), String.format("u%03d", i), "U", String.valueOf(i), true);
        }
        idp.failUsersFrom = 100; // the second page answers 503, every time
        List<String> before = snapshot();
        SyncRun run = job(Map.of("brake_percent", 100)).runOnce(false, false);
        assertEquals("refused", run.status(), run.message());
        assertEquals("incomplete_listing", run.plan().refused(), run.plan().json());
        assertEquals(List.of(), run.plan().actions(), "nothing is planned from a partial listing");
        assertNull(run.result());
        assertTrue(idp.failures.get() > 1, "the failing page was retried: " + idp.failures.get());
        assertEquals(before, snapshot(), "nothing created, nobody deactivated");
    }

    @Test
    void runForcedAppliesPastTheBrakeWhenThePlanRemovesNoMoreThanReviewed() throws Exception {
        SyncJob job = job(Map.of()); // the brake (10%) refuses runOnce: one removal of three
        assertEquals("refused", job.runOnce(true, false).status());
        List<String> calls = new ArrayList<>();
        SyncRun run = job.runForced(1, (done, total) -> calls.add(done + "/" + total));
        assertEquals("applied", run.status(), run.message());
        assertEquals(PLANNED, names(run.plan()));
        assertEquals(1, SyncJob.removals(run.plan()));
        assertEquals(5, run.result().applied());
        assertEquals(List.of("2/5", "4/5", "5/5"), calls, "progress per batch of 2");
        assertFalse(dir.findByUsername("bob").active());
        assertNotNull(dir.findByUsername("dave"));
        assertEquals(run, job.lastRuns().get(0), "the same history as runOnce");
        assertTrue(job.running().isEmpty());
    }

    @Test
    void runForcedRefusesWhenThePlanNowRemovesMoreThanReviewed() throws Exception {
        SyncJob job = job(Map.of());
        List<String> before = snapshot();
        List<String> calls = new ArrayList<>();
        SyncRun run = job.runForced(0, (done, total) -> calls.add(done + "/" + total));
        assertEquals("refused", run.status(), run.message());
        assertEquals("refused: brake (the plan now removes 1 users, more than the 0 reviewed; preview again)",
                run.message());
        assertNull(run.plan().refused(), "planned with force: the core did not refuse");
        assertEquals(PLANNED, names(run.plan()), "the plan is reported in full");
        assertNull(run.result());
        assertEquals(List.of(), calls);
        assertEquals(before, snapshot(), "nothing applied");
        assertEquals(List.of(run), job.lastRuns());
    }

    @Test
    void runForcedTakesTheSyncLock() throws Exception {
        SyncLock busy = name -> null;
        SyncJob job = new SyncJob(() -> idp.config(Map.of()), dir, busy, 2);
        List<String> before = snapshot();
        SyncRun run = job.runForced(100, null);
        assertEquals("skipped", run.status());
        assertEquals(before, snapshot());
    }

    @Test
    void removalsCountsDeactivationsDeletionsAndAnonymizations() {
        SyncPlan p = SyncPlan.parse("{\"summary\":{\"create\":7,\"update\":5,\"reactivate\":3,\"deactivate\":1,"
                + "\"delete\":2,\"anonymize\":4,\"group_add\":9,\"group_remove\":11},\"actions\":[]}");
        assertEquals(7, SyncJob.removals(p));
        assertEquals(0, SyncJob.removals(SyncPlan.parse("{\"actions\":[]}")));
    }
}
