package io.albauth.sync;

import io.albauth.json.JsonReader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.provision.DirectoryException;
import io.albauth.provision.H2;
import io.albauth.provision.JdbcUserDirectory;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.UserDirectory;
import io.albauth.provision.UserRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcSyncDirectoryTest {
    private static JdbcUserDirectory directory(H2 h2) throws DirectoryException {
        JdbcUserDirectory d = new JdbcUserDirectory(h2.url);
        d.createUser(new CreateUser("Carol", "Carol C", "carol@example.com", "id-c", "test"));
        d.createUser(new CreateUser("alice", "Alice A", "alice@example.com", "id-a", "test"));
        d.createUser(new CreateUser("bob", "Bob B", "bob@example.com", "id-b", "test"));
        d.addToGroup("bob", "devs");
        return d;
    }

    @Test
    void listUsersIsOrderedByLowerUsername() throws Exception {
        H2 h2 = new H2();
        JdbcUserDirectory d = directory(h2);
        List<UserRecord> out = new ArrayList<>();
        d.listUsers(out::add);
        assertEquals(List.of("alice", "bob", "Carol"), out.stream().map(UserRecord::username).toList());
        assertEquals(List.of("devs"), out.get(1).groups());
        assertEquals("id-c", out.get(2).idpId());
    }

    @Test
    void deactivateDeleteAnonymize() throws Exception {
        H2 h2 = new H2();
        JdbcUserDirectory d = directory(h2);
        d.deactivateUser("ALICE");
        assertFalse(d.findByUsername("alice").active());
        d.deleteUser("bob");
        assertNull(d.findByUsername("bob"));
        assertEquals("0", h2.one("SELECT COUNT(*) FROM cwd_membership"));
        d.anonymizeUser("carol", "anon-1", "anon-1@invalid");
        assertNull(d.findByUsername("carol"));
        UserRecord a = d.findByUsername("anon-1");
        assertEquals("anon-1", a.displayName());
        assertEquals("anon-1@invalid", a.email());
        assertFalse(a.active());
        assertEquals("id-c", a.idpId());
        DirectoryException e = assertThrows(DirectoryException.class, () -> d.deleteUser("nobody"));
        assertFalse(e.getMessage().contains("nobody"));
    }

    @Test
    void defaultsFailClosed() {
        UserDirectory bare = new io.albauth.provision.Delegate(null);
        DirectoryException e = assertThrows(DirectoryException.class, () -> bare.listUsers(u -> {}));
        assertTrue(e.getMessage().contains("does not support full directory sync: listUsers"), e.getMessage());
    }

    @Test
    void planParses() {
        SyncPlan p = SyncPlan.parse("{\"summary\":{\"create\":1,\"update\":1},\"actions\":["
                + "{\"action\":\"create_user\",\"username\":\"dave\",\"idp_id\":\"id-d\",\"display_name\":\"Dave\","
                + "\"email\":\"d@x\",\"reason\":\"new\"},"
                + "{\"action\":\"update_user\",\"username\":\"bob\",\"idp_id\":\"id-b\","
                + "\"changes\":{\"email\":{\"old\":\"b@x\",\"new\":null}},\"reason\":\"changed\"}],"
                + "\"pages\":2,\"throttle_waits\":0,\"duration_ms\":5}");
        assertEquals(1, p.count("create"));
        assertEquals(2, p.pages());
        assertNull(p.refused());
        SyncAction u = p.actions().get(1);
        assertEquals("b@x", u.changes().get("email").oldValue());
        assertNull(u.changes().get("email").newValue());
        assertEquals("update_user[email]", u.toString());
        assertFalse(p.actions().get(0).toString().contains("dave"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[".repeat(100)));
    }
}
