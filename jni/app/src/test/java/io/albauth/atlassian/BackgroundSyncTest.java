package io.albauth.atlassian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.provision.UserDirectory;
import io.albauth.sync.SyncJob;
import io.albauth.sync.SyncLock;
import io.albauth.sync.SyncRun;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The admin page's background Preview / Run now: one run at a time, failures recorded, close. */
class BackgroundSyncTest {
    /** A lock that is always free (the cluster lock has its own tests). */
    private static final SyncLock FREE = name -> () -> {};
    /** Never reached: the config supplier below ends every run before planning. */
    private static final UserDirectory NO_DIRECTORY = (UserDirectory) Proxy.newProxyInstance(
            UserDirectory.class.getClassLoader(), new Class<?>[] {UserDirectory.class}, (p, m, a) -> {
                throw new AssertionError("the directory is not used: " + m.getName());
            });

    /** Generous for a loaded 2-core box: only a hang fails it. */
    private static final long WAIT_SECONDS = 30;

    /** Waits (without a timed assertion on how long it takes) until no run started here is left. */
    private static void awaitIdle(BackgroundSync b) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (b.current().isPresent()) {
            assertTrue(System.nanoTime() < end, "the background run ends");
            Thread.sleep(5);
        }
    }

    @Test
    void aSecondStartIsRefusedWhileTheFirstRunsAndTheResultIsKept() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        SyncJob job = new SyncJob(() -> {
            reads.incrementAndGet();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("no configuration here");
        }, NO_DIRECTORY, FREE, 10);
        BackgroundSync b = new BackgroundSync(job);
        try {
            assertTrue(b.current().isEmpty());
            assertNull(b.lastStarted());
            assertNull(b.lastStartedAction());
            assertTrue(b.start(true));
            assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the run reads the configuration");

            BackgroundSync.Status s = b.current().orElseThrow();
            assertTrue(s.dryRun());
            assertFalse(s.force());
            assertEquals("preview", s.action());
            assertEquals("planning", s.running().phase(), "SyncJob.running() while the config is read");
            assertEquals("planning", s.running().toString());
            assertFalse(b.start(false), "one run at a time");
            assertFalse(b.startForced(5), "one run at a time, forced or not");
            assertNull(b.lastStarted(), "nothing has ended yet");

            release.countDown();
            awaitIdle(b);
            SyncRun run = b.lastStarted();
            assertEquals("failed", run.status(), run.message());
            assertEquals("failed: no configuration here", run.message());
            assertEquals("preview", b.lastStartedAction());
            assertEquals(1, reads.get(), "the refused starts ran nothing");
            assertEquals(run, job.lastRuns().get(0), "the job's last runs have it too");

            assertTrue(b.start(false), "free again");
            awaitIdle(b);
            assertEquals("run", b.lastStartedAction());
            assertEquals(2, reads.get());
        } finally {
            release.countDown();
            b.close();
        }
    }

    @Test
    void aRunnerThatThrowsIsAFailedRunAndTheNextRunStillRuns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BackgroundSync b = new BackgroundSync((dryRun, force, maxRemovals, progress) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalArgumentException("boom");
            }
            progress.progress(1, 1);
            return new SyncRun("applied", null, null, "1 applied, 0 failed", Instant.now());
        }, Optional::empty);
        try {
            assertTrue(b.startForced(5));
            awaitIdle(b);
            assertEquals("failed", b.lastStarted().status());
            assertEquals("failed: IllegalArgumentException", b.lastStarted().message(), "no exception message shown");
            assertEquals("force", b.lastStartedAction());

            assertTrue(b.start(false), "the thread survived");
            awaitIdle(b);
            assertEquals(2, calls.get());
            assertEquals("applied", b.lastStarted().status());
            assertEquals("run", b.lastStartedAction());
        } finally {
            b.close();
        }
    }

    @Test
    void closeLetsTheRunInProgressEndUninterruptedAndTakesNoMore() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        BackgroundSync b = new BackgroundSync((dryRun, force, maxRemovals, progress) -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return new SyncRun("dry_run", null, null, "dry run: 0 actions planned", Instant.now());
        }, Optional::empty);
        assertTrue(b.start(true));
        assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertNull(b.current().orElseThrow().running(), "no SyncJob.running() here");
        b.close();
        b.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> b.start(true));
        assertTrue(b.current().isPresent(), "the run goes on");
        release.countDown();
        awaitIdle(b);
        assertFalse(interrupted.get(), "close() does not interrupt");
        assertEquals("dry_run", b.lastStarted().status());
    }

    @Test
    void anOverrideCarriesTheReviewedRemovalsToTheRunner() throws Exception {
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        BackgroundSync b = new BackgroundSync((dryRun, force, maxRemovals, progress) -> {
            asked.add(dryRun + " " + force + " " + maxRemovals);
            return new SyncRun("applied", null, null, "0 applied, 0 failed", Instant.now());
        }, Optional::empty);
        try {
            assertTrue(b.startForced(3));
            awaitIdle(b);
            assertTrue(b.start(true));
            awaitIdle(b);
            assertEquals(java.util.List.of("false true 3", "true false -1"), asked);
            assertThrows(IllegalArgumentException.class, () -> b.startForced(-1));
        } finally {
            b.close();
        }
    }
}
