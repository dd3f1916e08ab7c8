package io.albauth.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.Decision;
import io.albauth.provision.ProvisioningAction.AddToGroup;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.UpdateUser;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plans applied through JdbcUserDirectory to a real H2 database, in Crowd-shaped tables. */
class PlanApplierTest {
    final H2 db = new H2();
    final JdbcUserDirectory directory = new JdbcUserDirectory(db.url);

    @Test
    void aFirstLoginCreatesTheUserWithItsIdpIdAndGroups() throws Exception {
        try (Logins l = new Logins("default_groups", List.of("jira-software-users"))) {
            ProvisioningPlan applied = new PlanApplier(l.auth, directory).provision(l.login("alice", "jira-admins"));
            assertTrue(applied.actions().get(0) instanceof CreateUser);
            assertEquals(List.of("alice|alice|T|Alice Example|alice@example.com|null|1"),
                    db.column("SELECT user_name || '|' || lower_user_name || '|' || active || '|' || display_name"
                            + " || '|' || email_address || '|' || COALESCE(credential, 'null') || '|' || directory_id"
                            + " FROM cwd_user"));
            assertEquals("sub-alice", db.one("SELECT attribute_value FROM cwd_user_attribute WHERE attribute_name = 'idp_id'"));
            assertEquals(List.of("jira-admins", "jira-software-users"), db.groupsOf("alice"));
            assertEquals(List.of("jira-admins", "jira-software-users"),
                    db.column("SELECT group_name FROM cwd_group ORDER BY group_name"));
        }
    }

    @Test
    void aLoginWithChangedClaimsUpdatesWhatChangedAndAnUnchangedOneChangesNothing() throws Exception {
        try (Logins l = new Logins()) {
            PlanApplier applier = new PlanApplier(l.auth, directory);
            applier.provision(l.login("alice", "jira-users"));
            Decision changed = l.login(l.token("alice").claim("email", "alice@new.example").claim("name", "Alice New")
                    .claim("groups", List.of("jira-users", "jira-admins")));
            List<ProvisioningAction> actions = applier.provision(changed).actions();
            assertEquals(List.of("update_user", "add_to_group"), actions.stream().map(ProvisioningAction::name).toList());
            assertEquals("Alice New|alice@new.example|alice@new.example",
                    db.one("SELECT display_name || '|' || email_address || '|' || lower_email_address FROM cwd_user"));
            assertEquals(List.of("jira-admins", "jira-users"), db.groupsOf("alice"));
            assertEquals(List.of(), applier.provision(changed).actions());
        }
    }

    @Test
    void aRenameInTheIdpRenamesTheSameAccountAndItsMemberships() throws Exception {
        try (Logins l = new Logins()) {
            PlanApplier applier = new PlanApplier(l.auth, directory);
            applier.provision(l.login(l.token("alice").claim("groups", List.of("jira-users"))));
            String id = db.one("SELECT id FROM cwd_user");
            // Same IdP user (sub), new username, and a new group in the same login.
            applier.provision(l.login(l.token("alice").claim("username", "alice.smith")
                    .claim("groups", List.of("jira-users", "jira-admins"))));
            assertEquals(List.of(id + "|alice.smith|alice.smith"),
                    db.column("SELECT id || '|' || user_name || '|' || lower_user_name FROM cwd_user"));
            assertEquals(List.of("jira-admins", "jira-users"), db.groupsOf("alice.smith"));
            assertEquals(List.of(), db.groupsOf("alice"));
        }
    }

    @Test
    void aDeactivatedUserIsRefusedAndLeftAsTheAdminLeftThem() throws Exception {
        try (Logins l = new Logins()) {
            PlanApplier applier = new PlanApplier(l.auth, directory);
            applier.provision(l.login("alice", "jira-users"));
            db.update("UPDATE cwd_user SET active = 'F'");
            ProvisioningException e = assertThrows(ProvisioningException.class,
                    () -> applier.provision(l.login("alice", "jira-users", "jira-admins")));
            assertEquals("user_inactive", e.code());
            assertTrue(e.isRefusal());
            assertNull(e.action());
            assertEquals("F", db.one("SELECT active FROM cwd_user"));
            assertEquals(List.of("jira-users"), db.groupsOf("alice"));
        }
    }

    @Test
    void aDeactivatedUserIsReactivatedWhenReactivateUsersIsSet() throws Exception {
        try (Logins l = new Logins("reactivate_users", true)) {
            PlanApplier applier = new PlanApplier(l.auth, directory);
            applier.provision(l.login("alice", "jira-users"));
            db.update("UPDATE cwd_user SET active = 'F'");
            assertEquals("reactivate_user", applier.provision(l.login("alice", "jira-users")).actions().get(0).name());
            assertEquals("T", db.one("SELECT active FROM cwd_user"));
        }
    }

    @Test
    void managedGroupsFollowTheIdpAndOtherGroupsStay() throws Exception {
        try (Logins l = new Logins("group_filter", java.util.Map.of("regex", List.of("jira-.*")),
                "group_mapping", java.util.Map.of("jira-devs", "developers"))) {
            PlanApplier applier = new PlanApplier(l.auth, directory);
            applier.provision(l.login("alice", "jira-users", "jira-admins", "other-idp-group"));
            directory.addToGroup("alice", "confluence-users"); // an admin's own grant
            assertEquals(List.of("confluence-users", "jira-admins", "jira-users"), db.groupsOf("alice"));
            applier.provision(l.login("alice", "jira-users", "jira-devs"));
            assertEquals(List.of("confluence-users", "developers", "jira-users"), db.groupsOf("alice"));
        }
    }

    @Test
    void aFailureMidPlanLeavesNothingDoneAndNamesTheFailedAction() throws Exception {
        String tooLong = "g".repeat(JdbcUserDirectory.MAX_LENGTH + 1); // wider than Crowd's VARCHAR(255)
        try (Logins l = new Logins()) {
            ProvisioningException e = assertThrows(ProvisioningException.class,
                    () -> new PlanApplier(l.auth, directory).provision(l.login("alice", "jira-users", tooLong)));
            assertEquals(ProvisioningException.PROVISIONING_FAILED, e.code());
            assertFalse(e.isRefusal());
            assertEquals(new AddToGroup("alice", tooLong, e.action().reason()), e.action());
            assertTrue(e.getMessage().contains("add_to_group"), e.getMessage());
            assertFalse(e.getMessage().contains("alice"), e.getMessage());
            assertEquals(0, db.users());
            assertEquals(List.of(), db.column("SELECT group_name FROM cwd_group"));
            assertEquals(List.of(), db.column("SELECT attribute_value FROM cwd_user_attribute"));
        }
    }

    @Test
    void noSeatLeftRefusesTheNewUserBeforeAnythingIsCreated() throws Exception {
        JdbcUserDirectory limited = new JdbcUserDirectory(db.url, 1, 1);
        try (Logins l = new Logins()) {
            PlanApplier applier = new PlanApplier(l.auth, limited);
            applier.provision(l.login("bob", "jira-users"));
            ProvisioningException e = assertThrows(ProvisioningException.class,
                    () -> applier.provision(l.login("alice", "jira-users")));
            assertEquals(ProvisioningException.NO_SEAT_AVAILABLE, e.code());
            assertTrue(e.isRefusal());
            assertTrue(e.action() instanceof CreateUser);
            assertEquals(List.of("bob"), db.column("SELECT user_name FROM cwd_user"));
            assertEquals(List.of(), db.groupsOf("alice"));
            // An existing user needs no new seat.
            assertEquals(List.of(), applier.provision(l.login("bob", "jira-users")).actions());
        }
    }

    @Test
    void aReactivationNeedsASeatToo() throws Exception {
        JdbcUserDirectory limited = new JdbcUserDirectory(db.url, 1, 1);
        try (Logins l = new Logins("reactivate_users", true)) {
            PlanApplier applier = new PlanApplier(l.auth, limited);
            applier.provision(l.login("alice", "jira-users"));
            db.update("UPDATE cwd_user SET active = 'F'");
            applier.provision(l.login("bob", "jira-users"));
            ProvisioningException e = assertThrows(ProvisioningException.class,
                    () -> applier.provision(l.login("alice", "jira-users")));
            assertEquals(ProvisioningException.NO_SEAT_AVAILABLE, e.code());
            assertEquals("reactivate_user", e.action().name());
            assertEquals("F", db.one("SELECT active FROM cwd_user WHERE user_name = 'alice'"));
        }
    }

    @Test
    void aUsernameOfAnotherIdpUserIsRecordMismatchAndUntouched() throws Exception {
        try (Logins l = new Logins()) {
            directory.createUser(new CreateUser("alice", "Someone Else", null, "sub-someone-else", "test"));
            ProvisioningException e = assertThrows(ProvisioningException.class,
                    () -> new PlanApplier(l.auth, directory).provision(l.login("alice", "jira-users")));
            assertEquals("record_mismatch", e.code());
            assertEquals("Someone Else", db.one("SELECT display_name FROM cwd_user"));
        }
    }

    @Test
    void anAccountWithoutIdpIdFoundByUsernameGetsTheIdStored() throws Exception {
        try (Logins l = new Logins()) {
            directory.createUser(new CreateUser("ALICE", "Alice Example", "alice@example.com", null, "test"));
            List<ProvisioningAction> a = new PlanApplier(l.auth, directory).provision(l.login("alice")).actions();
            assertEquals(List.of(UpdateUser.IDP_ID), List.copyOf(((UpdateUser) a.get(0)).changes().keySet()));
            assertEquals("sub-alice", directory.findByUsername("alice").idpId());
            assertEquals("ALICE", directory.findByIdpId("sub-alice").username());
        }
    }

    @Test
    void theSameUsernameInAnotherCaseCannotBeCreatedTwice() throws Exception {
        directory.createUser(new CreateUser("alice", null, null, "sub-1", "test"));
        assertThrows(DirectoryConflictException.class,
                () -> directory.createUser(new CreateUser("ALICE", null, null, "sub-2", "test")));
        assertThrows(DirectoryConflictException.class,
                () -> directory.createUser(new CreateUser("carol", null, null, "sub-1", "test")),
                "one IdP user, one account");
        assertEquals(1, db.users());
    }

    /**
     * A node's directory that holds every first createUser at a barrier, so that both nodes have
     * looked the user up (and found nobody) before either creates it: the race, every time.
     */
    static final class RacingNode extends Delegate {
        final CyclicBarrier bothPlanned;
        final List<String> outcomes;
        private boolean waited;

        RacingNode(UserDirectory real, CyclicBarrier bothPlanned, List<String> outcomes) {
            super(real);
            this.bothPlanned = bothPlanned;
            this.outcomes = outcomes;
        }

        @Override
        public <T> T inTransaction(Work<T> work) throws DirectoryException {
            return to.inTransaction(tx -> work.run(new Delegate(tx) {
                @Override
                public void createUser(CreateUser user) throws DirectoryException {
                    if (!waited) {
                        waited = true;
                        try {
                            bothPlanned.await(20, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                    try {
                        super.createUser(user);
                        outcomes.add("created");
                    } catch (DirectoryConflictException e) {
                        outcomes.add("conflict");
                        throw e;
                    }
                }
            }));
        }
    }

    @Test
    @Timeout(60)
    void twoNodesCreatingTheSameNewUserAtOnceEndWithOneUserAndNoError() throws Exception {
        CyclicBarrier bothPlanned = new CyclicBarrier(2);
        List<String> outcomes = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Logins node1 = new Logins("default_groups", List.of("jira-software-users"));
                Logins node2 = new Logins("default_groups", List.of("jira-software-users"))) {
            // Two nodes: each its own verifier and its own directory on the one shared database.
            PlanApplier a = new PlanApplier(node1.auth,
                    new RacingNode(new JdbcUserDirectory(db.url), bothPlanned, outcomes));
            PlanApplier b = new PlanApplier(node2.auth,
                    new RacingNode(new JdbcUserDirectory(db.url), bothPlanned, outcomes));
            Decision d1 = node1.login("alice", "jira-users");
            Decision d2 = node2.login("alice", "jira-users");
            List<Future<ProvisioningPlan>> results = pool.invokeAll(List.<Callable<ProvisioningPlan>>of(
                    () -> a.provision(d1), () -> b.provision(d2)));
            for (Future<ProvisioningPlan> f : results) {
                f.get(); // neither login failed
            }
            assertEquals(List.of("conflict", "created"), outcomes.stream().sorted().toList());
            assertEquals(1, db.users());
            assertEquals(List.of("jira-software-users", "jira-users"), db.groupsOf("alice"));
        } finally {
            pool.shutdownNow();
        }
    }
}
