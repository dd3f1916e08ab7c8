package io.albauth.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.provision.H2;
import io.albauth.provision.JdbcUserDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class JdbcSyncLockTest {
    @Test
    void twoNodesAtOnceExactlyOneGetsIt() throws Exception {
        H2 h2 = new H2();
        JdbcSyncLock a = new JdbcSyncLock(h2.url);
        JdbcSyncLock b = new JdbcSyncLock(h2.url);
        a.tryAcquire("warm").close(); // the table exists
        CyclicBarrier go = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<SyncLock.Held>> got = new ArrayList<>();
            for (JdbcSyncLock l : List.of(a, b)) {
                Callable<SyncLock.Held> c = () -> {
                    go.await();
                    return l.tryAcquire("sync");
                };
                got.add(pool.submit(c));
            }
            SyncLock.Held h1 = got.get(0).get();
            SyncLock.Held h2held = got.get(1).get();
            assertTrue((h1 == null) != (h2held == null), "exactly one holds the lock");
            SyncLock.Held held = h1 != null ? h1 : h2held;
            held.close();
            SyncLock.Held again = b.tryAcquire("sync");
            assertNotNull(again, "released on close");
            again.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSecondNodesJobIsSkipped() throws Exception {
        H2 h2 = new H2();
        JdbcSyncLock node1 = new JdbcSyncLock(h2.url);
        try (SyncLock.Held held = node1.tryAcquire(SyncJob.LOCK)) {
            assertNotNull(held);
            SyncJob job = new SyncJob(() -> "{}", new JdbcUserDirectory(h2.url), new JdbcSyncLock(h2.url), 10);
            SyncRun run = job.runOnce(false, false);
            assertEquals("skipped", run.status());
            assertTrue(run.message().contains("the sync is already running (on this node or another)"));
            assertNull(run.plan());
            assertEquals(List.of(run), job.lastRuns());
        }
    }
}
