package io.albauth.atlassian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.atlassian.host.FakeClusterLockService;
import io.albauth.atlassian.host.TestHost;
import io.albauth.sync.SyncJob;
import io.albauth.sync.SyncLock;
import io.albauth.sync.SyncRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One full directory sync at a time across the cluster (Beehive's lock, faked by JVM locks). */
class ClusterSyncLockTest {
    private static final long WAIT_SECONDS = 60; // generous: a 2-core box under load

    /**
     * Two nodes (one lock service, two {@link ClusterSyncLock}s) ask at the same moment; each
     * keeps what it got until both have asked, so exactly one holds the lock.
     */
    @Test
    void twoNodesAskingAtOnceGetOneLockAndOneNull() throws Exception {
        FakeClusterLockService beehive = new FakeClusterLockService();
        List<ClusterSyncLock> nodes = List.of(new ClusterSyncLock(beehive), new ClusterSyncLock(beehive));
        CyclicBarrier start = new CyclicBarrier(2);
        CyclicBarrier asked = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> got = new ArrayList<>();
            for (ClusterSyncLock node : nodes) {
                got.add(pool.submit(() -> {
                    start.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    SyncLock.Held held = node.tryAcquire(SyncJob.LOCK);
                    asked.await(WAIT_SECONDS, TimeUnit.SECONDS); // hold until the other one asked too
                    if (held != null) {
                        held.close();
                    }
                    return held != null;
                }));
            }
            boolean first = got.get(0).get(WAIT_SECONDS, TimeUnit.SECONDS);
            boolean second = got.get(1).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotEquals(first, second, "exactly one node gets the lock");
        } finally {
            pool.shutdownNow();
        }
        assertTrue(beehive.names().contains(SyncJob.LOCK));
        // released: the next one gets it
        try (SyncLock.Held again = nodes.get(0).tryAcquire(SyncJob.LOCK)) {
            assertNotNull(again);
        }
    }

    @Test
    void aSyncOnThisNodeDoesNotNestOnOneThreadNorRunTwiceOnTwo() throws Exception {
        ClusterSyncLock node = new ClusterSyncLock(new FakeClusterLockService());
        try (SyncLock.Held held = node.tryAcquire(SyncJob.LOCK)) {
            assertNotNull(held);
            assertNull(node.tryAcquire(SyncJob.LOCK), "Beehive's lock is reentrant; the node's is not asked twice");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                assertNull(pool.submit(() -> node.tryAcquire(SyncJob.LOCK)).get(WAIT_SECONDS, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
        }
        try (SyncLock.Held held = node.tryAcquire(SyncJob.LOCK)) {
            assertNotNull(held);
        }
    }

    @Test
    void withoutBeehiveTheNodesLockStandsIn() throws Exception {
        ClusterSyncLock node = new ClusterSyncLock(null);
        try (SyncLock.Held held = node.tryAcquire(SyncJob.LOCK)) {
            assertNotNull(held);
            assertNull(node.tryAcquire(SyncJob.LOCK));
        }
        try (SyncLock.Held held = node.tryAcquire(SyncJob.LOCK)) {
            assertNotNull(held);
        }
    }

    /**
     * Node 1's sync holds the cluster lock (on a thread of its own, as the scheduler's would);
     * node 2 (a second app on the same database, directory and locks) skips its run and says so.
     */
    @Test
    void aSyncOnASecondNodeSkipsWhileTheFirstHoldsTheLock() throws Exception {
        try (TestHost node1 = TestHost.start(TestHost.options().testConfig());
                TestHost node2 = TestHost.start(TestHost.options().nodeOf(node1))) {
            ClusterSyncLock node1Lock = new ClusterSyncLock(node1.locks);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Boolean> held = pool.submit(() -> {
                    try (SyncLock.Held h = node1Lock.tryAcquire(SyncJob.LOCK)) {
                        holding.countDown();
                        done.await(WAIT_SECONDS, TimeUnit.SECONDS);
                        return h != null;
                    }
                });
                assertTrue(holding.await(WAIT_SECONDS, TimeUnit.SECONDS));
                SyncRun run = node2.app.syncJob().runOnce(false, false);
                assertEquals("skipped", run.status(), run.message());
                assertEquals("skipped: the sync is already running (on this node or another)", run.message());
                assertEquals("skipped", node2.app.syncJob().lastRuns().get(0).status());
                done.countDown();
                assertTrue(held.get(WAIT_SECONDS, TimeUnit.SECONDS));
            } finally {
                done.countDown();
                pool.shutdownNow();
            }
            // the lock is free again: node 2 runs (and fails: this configuration has no directory_sync)
            SyncRun after = node2.app.syncJob().runOnce(false, false);
            assertNotEquals("skipped", after.status(), after.message());
        }
    }
}
