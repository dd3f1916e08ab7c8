package io.albauth.sync;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.albauth.AlbAuth;
import io.albauth.AlbAuthException;
import org.junit.jupiter.api.Test;

class SyncPlanNativeTest {
    @Test
    void anInvalidConfigIsRefusedByTheCore() {
        assertThrows(AlbAuthException.class, () -> AlbAuth.syncPlan("{}", "", false));
        assertThrows(AlbAuthException.class, () -> AlbAuth.syncPlan(null, "", false));
    }
}
