package io.albauth.atlassian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.crowd.embedded.api.User;
import com.atlassian.crowd.exception.OperationFailedException;
import com.atlassian.crowd.manager.directory.DirectoryManager;
import io.albauth.atlassian.host.FakeApplicationRoleManager;
import io.albauth.atlassian.host.FakeClusterLockService;
import io.albauth.atlassian.host.H2DirectoryManager;
import io.albauth.atlassian.host.MemoryPluginSettingsFactory;
import io.albauth.atlassian.jira.JiraProduct;
import io.albauth.provision.DirectoryConflictException;
import io.albauth.provision.DirectoryException;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.UserRecord;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The full directory sync's methods of {@link CrowdUserDirectory}, on the H2 Crowd fake. */
class CrowdSyncDirectoryTest {
    private H2DirectoryManager crowd;
    private CrowdUserDirectory dir;

    @BeforeEach
    void setUp() {
        crowd = new H2DirectoryManager();
        ConfigStore store = new ConfigStore(new MemoryPluginSettingsFactory(), null);
        dir = new CrowdUserDirectory(crowd, crowd, crowd, store,
                new JiraProduct(new FakeApplicationRoleManager(crowd::activeUsers, -1)), new FakeClusterLockService());
    }

    private void create(String username, String idpId, String... groups) throws DirectoryException {
        dir.createUser(new CreateUser(username, username + " Example", username + "@example.com", idpId, "test"));
        for (String g : groups) {
            dir.addToGroup(username, g);
        }
    }

    private List<UserRecord> list(int pageSize) throws DirectoryException {
        List<UserRecord> out = new ArrayList<>();
        dir.listUsers(out::add, pageSize);
        return out;
    }

    private static List<String> names(List<UserRecord> records) {
        List<String> n = new ArrayList<>();
        for (UserRecord r : records) {
            n.add(r.username());
        }
        return n;
    }

    @Test
    void listUsersGivesTheAppsUsersInFullAndOtherDirectoriesUsersByNameInLowercasedOrder() throws Exception {
        crowd.seedUser("admin", "Local Admin", "admin@example.com"); // the product's internal directory
        create("carol", "id-c", "jira-software-users");
        crowd.seedUser("Carol", "Internal Carol", "carol@corp.example"); // added later: the app's carol wins
        create("Alice", "id-a", "jira-software-users", "devs");
        create("bob", null);
        List<UserRecord> users = new ArrayList<>();
        dir.listUsers(users::add);
        assertEquals(List.of("admin", "Alice", "bob", "carol"), names(users));
        UserRecord admin = users.get(0);
        assertEquals(crowd.findDirectoryById(H2DirectoryManager.INTERNAL).getName(), admin.managedBy());
        assertNull(admin.idpId());
        assertTrue(admin.toJson().contains("\"managed_by\":"), admin.toJson());
        UserRecord alice = users.get(1);
        assertNull(alice.managedBy());
        assertEquals("id-a", alice.idpId());
        assertEquals("Alice Example", alice.displayName());
        assertEquals("Alice@example.com", alice.email());
        assertTrue(alice.active());
        assertEquals(List.of("devs", "jira-software-users"), alice.groups());
        assertNull(users.get(2).idpId());
        assertEquals(List.of(), users.get(2).groups());
        assertNull(users.get(3).managedBy());
        assertEquals("id-c", users.get(3).idpId());
    }

    @Test
    void listUsersPagesThroughSearchUsers() throws Exception {
        for (String u : List.of("u5", "u3", "u1", "u4", "u2")) {
            create(u, "id-" + u);
        }
        int before = crowd.userPageSearches();
        assertEquals(List.of("u1", "u2", "u3", "u4", "u5"), names(list(2)));
        // the app's directory: 2 + 2 + 1; the (empty) internal directory: one page
        assertEquals(3 + 1, crowd.userPageSearches() - before);
        before = crowd.userPageSearches();
        assertEquals(5, list(5).size());
        assertEquals(2 + 1, crowd.userPageSearches() - before); // a full page, then an empty one
    }

    @Test
    void anEmptyDirectoryListsOnlyTheOtherDirectoriesUsers() throws Exception {
        crowd.seedUser("admin", "Local Admin", "admin@example.com");
        List<UserRecord> users = list(CrowdUserDirectory.PAGE);
        assertEquals(List.of("admin"), names(users));
        assertNotNull(users.get(0).managedBy());
    }

    @Test
    void deactivateKeepsTheUserAndTheirGroups() throws Exception {
        create("bob", "id-b", "jira-software-users");
        dir.deactivateUser("BOB");
        UserRecord bob = dir.findByUsername("bob");
        assertFalse(bob.active());
        assertEquals(List.of("jira-software-users"), bob.groups());
        assertEquals("id-b", bob.idpId());
    }

    @Test
    void deleteRemovesTheUserTheirMembershipsAndAttributes() throws Exception {
        create("bob", "id-b", "jira-software-users");
        create("carol", "id-c", "jira-software-users");
        dir.deleteUser("bob");
        assertNull(crowd.findInAnyDirectory("bob"));
        assertFalse(crowd.isMember("bob", "jira-software-users"));
        assertNull(dir.findByIdpId("id-b"));
        assertTrue(crowd.isMember("carol", "jira-software-users"));
        assertThrows(DirectoryException.class, () -> dir.deleteUser("bob"));
    }

    @Test
    void anonymizeRenamesBlanksAndDeactivatesKeepingTheIdpId() throws Exception {
        create("bob", "id-b", "jira-software-users");
        dir.anonymizeUser("bob", "user-0123456789ab", "user-0123456789ab@anonymized.invalid");
        assertNull(crowd.findInAnyDirectory("bob"));
        UserRecord anon = dir.findByIdpId("id-b");
        assertNotNull(anon);
        assertEquals("user-0123456789ab", anon.username());
        assertEquals("user-0123456789ab", anon.displayName());
        assertEquals("user-0123456789ab@anonymized.invalid", anon.email());
        assertFalse(anon.active());
        assertEquals(List.of("jira-software-users"), anon.groups());
        // again (a batch re-run): already anonymized, nothing to rename
        dir.anonymizeUser("user-0123456789ab", "user-0123456789ab", "user-0123456789ab@anonymized.invalid");
        assertEquals("user-0123456789ab", dir.findByIdpId("id-b").username());
    }

    @Test
    void anonymizeOntoATakenNameIsAConflict() throws Exception {
        create("bob", "id-b");
        create("user-0123456789ab", "id-x");
        assertThrows(DirectoryConflictException.class,
                () -> dir.anonymizeUser("bob", "user-0123456789ab", "user-0123456789ab@anonymized.invalid"));
        assertTrue(dir.findByUsername("bob").active());
    }

    @Test
    void usersOfOtherDirectoriesAreNeverTouched() throws Exception {
        crowd.seedUser("admin", "Local Admin", "admin@example.com");
        assertThrows(DirectoryException.class, () -> dir.deactivateUser("admin"));
        assertThrows(DirectoryException.class, () -> dir.deleteUser("admin"));
        assertThrows(DirectoryException.class,
                () -> dir.anonymizeUser("admin", "user-0123456789ab", "user-0123456789ab@anonymized.invalid"));
        User admin = crowd.findInAnyDirectory("admin");
        assertEquals(H2DirectoryManager.INTERNAL, admin.getDirectoryId());
        assertTrue(admin.isActive());
        assertEquals("Local Admin", admin.getDisplayName());
    }

    @Test
    void aCreationOfAUsernameAnotherDirectoryHoldsIsSkipped() throws Exception {
        crowd.seedUser("admin", "Local Admin", "admin@example.com");
        dir.createUser(new CreateUser("ADMIN", "Someone Else", "else@example.com", "id-e", "sync"));
        dir.addToGroup("admin", "jira-software-users"); // the plan's next action for them
        User admin = crowd.findInAnyDirectory("admin");
        assertEquals(H2DirectoryManager.INTERNAL, admin.getDirectoryId());
        assertEquals("Local Admin", admin.getDisplayName());
        assertFalse(crowd.isMember("admin", "jira-software-users"));
        List<UserRecord> listed = list(CrowdUserDirectory.PAGE);
        assertEquals(List.of("admin"), names(listed)); // theirs, by name only
        assertNotNull(listed.get(0).managedBy());
        assertNull(listed.get(0).idpId());
    }

    /**
     * The fake's {@link DirectoryManager} whose {@code failing} method throws (Crowd's
     * {@link OperationFailedException}) once {@code after} has been called, or at once when
     * {@code after} is null.
     */
    private DirectoryManager failing(String failing, String after) {
        boolean[] armed = {after == null};
        return (DirectoryManager) Proxy.newProxyInstance(DirectoryManager.class.getClassLoader(),
                new Class<?>[] {DirectoryManager.class}, (proxy, m, args) -> {
                    if (m.getName().equals(failing) && armed[0]) {
                        throw new OperationFailedException("the database went away");
                    }
                    if (m.getName().equals(after)) {
                        armed[0] = true;
                    }
                    try {
                        return m.invoke(crowd, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private CrowdUserDirectory over(DirectoryManager manager) throws DirectoryException {
        ConfigStore store = new ConfigStore(new MemoryPluginSettingsFactory(), null);
        CrowdUserDirectory d = new CrowdUserDirectory(manager, crowd, crowd, store,
                new JiraProduct(new FakeApplicationRoleManager(crowd::activeUsers, -1)), new FakeClusterLockService());
        d.dir(); // the same albauth directory as dir's (found by name)
        return d;
    }

    @Test
    void anonymizeDeactivatesFirstSoAFailureAfterTheRenameLeavesNoActivePseudonymisedAccount() throws Exception {
        create("bob", "id-b", "jira-software-users");
        CrowdUserDirectory broken = over(failing("updateUser", "renameUser"));
        assertThrows(DirectoryException.class,
                () -> broken.anonymizeUser("bob", "user-0123456789ab", "user-0123456789ab@anonymized.invalid"));
        UserRecord half = dir.findByIdpId("id-b");
        assertEquals("user-0123456789ab", half.username(), "renamed before the update failed");
        assertFalse(half.active(), "a pseudonymised account is never left active");
        // anonymizing again (the same pseudonym: no rename) finishes it
        dir.anonymizeUser("user-0123456789ab", "user-0123456789ab", "user-0123456789ab@anonymized.invalid");
        assertEquals("user-0123456789ab@anonymized.invalid", dir.findByIdpId("id-b").email());
    }

    @Test
    void anonymizeWhoseRenameFailsLeavesTheUserDeactivated() throws Exception {
        create("bob", "id-b");
        CrowdUserDirectory broken = over(failing("renameUser", null));
        assertThrows(DirectoryException.class,
                () -> broken.anonymizeUser("bob", "user-0123456789ab", "user-0123456789ab@anonymized.invalid"));
        UserRecord bob = dir.findByUsername("bob");
        assertFalse(bob.active(), "deactivated before the rename");
        assertEquals("bob Example", bob.displayName(), "nothing else changed");
    }
}
