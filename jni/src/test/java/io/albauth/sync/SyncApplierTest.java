package io.albauth.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.provision.H2;
import io.albauth.provision.JdbcUserDirectory;
import io.albauth.provision.DirectoryException;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.UpdateUser;
import io.albauth.provision.UserDirectory;
import io.albauth.provision.UserRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncApplierTest {
    private static String create(String u) {
        return "{\"action\":\"create_user\",\"username\":\"" + u + "\",\"idp_id\":\"id-" + u
                + "\",\"display_name\":\"N " + u + "\",\"email\":\"" + u + "@x\",\"reason\":\"new\"}";
    }

    @Test
    void oneFailingActionIsRecordedAndTheRestApply() throws Exception {
        H2 h2 = new H2();
        JdbcUserDirectory d = new JdbcUserDirectory(h2.url);
        d.createUser(new CreateUser("old", "Old", "old@x", "id-old", "t"));
        d.createUser(new CreateUser("taken", "Taken", "taken@x", "id-taken", "t"));
        String rename = "{\"action\":\"update_user\",\"username\":\"old\",\"idp_id\":\"id-old\","
                + "\"changes\":{\"username\":{\"old\":\"old\",\"new\":\"taken\"}},\"reason\":\"renamed\"}";
        SyncPlan plan = SyncPlan.parse("{\"summary\":{\"create\":4,\"update\":1},\"actions\":[" + create("u1") + ","
                + create("u2") + "," + rename + "," + create("u3") + "," + create("u4") + ","
                + "{\"action\":\"add_to_group\",\"username\":\"u4\",\"idp_id\":\"id-u4\",\"group\":\"g\","
                + "\"reason\":\"r\"},{\"action\":\"deactivate_user\",\"username\":\"taken\",\"idp_id\":null,"
                + "\"reason\":\"gone\"}]}");
        List<Integer> done = new ArrayList<>();
        SyncResult r = new SyncApplier(d).apply(plan, 2, (n, total) -> {
            assertEquals(7, total);
            done.add(n);
        });
        assertEquals(List.of(2, 4, 6, 7), done);
        assertEquals(6, r.applied());
        assertEquals(1, r.failed().size());
        assertEquals(2, r.failed().get(0).index());
        assertEquals("update_user", r.failed().get(0).action());
        assertFalse(r.json().contains("taken"), r.json());
        for (String u : List.of("u1", "u2", "u3", "u4", "old")) {
            assertNotNull(d.findByUsername(u), u);
        }
        assertEquals(List.of("g"), h2.groupsOf("u4"));
        assertFalse(d.findByUsername("taken").active());
    }

    /** A directory without transactions (like Crowd's) that records every call it gets. */
    private static final class Untransacted implements UserDirectory {
        final List<String> calls = new ArrayList<>();

        @Override
        public UserRecord findByUsername(String username) {
            return null;
        }

        @Override
        public UserRecord findByIdpId(String idpId) {
            return null;
        }

        @Override
        public boolean seatsAvailable() {
            return true;
        }

        @Override
        public void createUser(CreateUser user) throws DirectoryException {
            calls.add("create " + user.username());
            if (user.username().equals("bad")) {
                throw new DirectoryException("refused");
            }
        }

        @Override
        public void updateUser(UpdateUser update) {}

        @Override
        public void activateUser(String username) {}

        @Override
        public void addToGroup(String username, String group) {}

        @Override
        public void removeFromGroup(String username, String group) {}

        @Override
        public <T> T inTransaction(Work<T> work) throws DirectoryException {
            return work.run(this);
        }

        @Override
        public boolean transactional() {
            return false;
        }
    }

    @Test
    void aDirectoryWithoutTransactionsGetsEachActionOnceEvenWhenOneFails() throws Exception {
        Untransacted d = new Untransacted();
        SyncPlan plan = SyncPlan.parse("{\"summary\":{},\"actions\":[" + create("a") + "," + create("bad") + ","
                + create("c") + "]}");
        List<Integer> done = new ArrayList<>();
        SyncResult r = new SyncApplier(d).apply(plan, 3, (n, total) -> done.add(n));
        assertEquals(List.of("create a", "create bad", "create c"), d.calls);
        assertEquals(2, r.applied());
        assertEquals(1, r.failed().get(0).index());
        assertEquals(List.of(3), done);
    }

    @Test
    void noSeatFailsThatActionOnly() throws Exception {
        H2 h2 = new H2();
        JdbcUserDirectory d = new JdbcUserDirectory(h2.url, 1, 1);
        SyncPlan plan = SyncPlan.parse("{\"summary\":{},\"actions\":[" + create("a") + "," + create("b") + "]}");
        SyncResult r = new SyncApplier(d).apply(plan, 10, null);
        assertEquals(1, r.applied());
        assertEquals(1, r.failed().get(0).index());
        assertTrue(r.failed().get(0).message().contains("seat"));
    }

    @Test
    void refusedPlanIsNotApplied() throws Exception {
        H2 h2 = new H2();
        SyncPlan plan = SyncPlan.parse("{\"refused\":\"brake\",\"summary\":{},\"actions\":[" + create("a") + "]}");
        assertThrows(IllegalStateException.class,
                () -> new SyncApplier(new JdbcUserDirectory(h2.url)).apply(plan, 10, null));
    }
}
