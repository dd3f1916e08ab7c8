package io.albauth.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.AlbAuthPanicError;
import io.albauth.provision.H2;
import io.albauth.provision.JdbcUserDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncJob}'s progress (the callback per batch, and {@link SyncJob#running()} for an admin
 * page), its failures and its history.
 */
class SyncJobTest {
    final H2 h2 = new H2();
    final KeycloakStub idp;
    /** A lock that is always free (the cluster lock has its own tests). */
    static final SyncLock FREE = name -> () -> {};

    SyncJobTest() throws Exception {
        idp = new KeycloakStub();
        for (int i = 1; i <= 7; i++) {
            idp.add("kc-" + i, "user" + i, "User", String.valueOf(i), true);
        }
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    @Test
    void progressIsToldAfterEachBatchAndRunningShowsTheRunInProgress() throws Exception {
        AtomicReference<SyncJob> self = new AtomicReference<>();
        List<SyncJob.Running> whilePlanning = new ArrayList<>();
        String config = idp.config(Map.of());
        Instant before = Instant.now();
        SyncJob job = new SyncJob(() -> {
            self.get().running().ifPresent(whilePlanning::add); // the config is read while planning
            return config;
        }, new JdbcUserDirectory(h2.url), FREE, 3);
        self.set(job);
        assertTrue(job.running().isEmpty(), "nothing runs yet");

        List<String> calls = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        SyncRun run = job.runOnce(false, false, (done, total) -> {
            calls.add(done + "/" + total);
            SyncJob.Running r = job.running().orElseThrow();
            seen.add(r.toString());
            assertEquals("applying", r.phase());
            assertFalse(r.dryRun());
            assertFalse(r.startedAt().isBefore(before));
        });
        assertEquals("applied", run.status(), run.message());
        assertEquals(7, run.result().applied());
        assertEquals(List.of("3/7", "6/7", "7/7"), calls, "batches of 3");
        assertEquals(List.of("applying 3 of 7", "applying 6 of 7", "applying 7 of 7"), seen);
        assertEquals(1, whilePlanning.size());
        assertEquals("planning", whilePlanning.get(0).phase());
        assertEquals(0, whilePlanning.get(0).total());
        assertTrue(job.running().isEmpty(), "the run is over");
    }

    @Test
    void aDryRunNeverReachesApplyingAndTellsNoProgress() throws Exception {
        List<String> calls = new ArrayList<>();
        SyncJob job = new SyncJob(() -> idp.config(Map.of()), new JdbcUserDirectory(h2.url), FREE, 3);
        SyncRun run = job.runOnce(true, false, (done, total) -> calls.add(done + "/" + total));
        assertEquals("dry_run", run.status());
        assertEquals(7, run.plan().actions().size());
        assertEquals(List.of(), calls);
        assertTrue(job.running().isEmpty());
    }

    @Test
    void aFailingProgressCallbackDoesNotStopTheRun() throws Exception {
        JdbcUserDirectory dir = new JdbcUserDirectory(h2.url);
        SyncJob job = new SyncJob(() -> idp.config(Map.of()), dir, FREE, 2);
        SyncRun run = job.runOnce(false, false, (done, total) -> {
            throw new IllegalStateException("the admin page went away");
        });
        assertEquals("applied", run.status(), run.message());
        assertEquals(7, run.result().applied());
        for (int i = 1; i <= 7; i++) {
            assertNotNull(dir.findByUsername("user" + i));
        }
    }

    @Test
    void theTwoArgumentFormIsTheThreeArgumentOneWithoutProgress() throws Exception {
        SyncJob job = new SyncJob(() -> idp.config(Map.of()), new JdbcUserDirectory(h2.url), FREE, 100);
        SyncRun run = job.runOnce(false, false);
        assertEquals("applied", run.status(), run.message());
        assertEquals(7, run.result().applied());
        assertEquals(List.of(run), job.lastRuns());
    }

    /** A lock whose holder counts releases, so a test can see the lock was given back. */
    static final class CountingLock implements SyncLock {
        final AtomicInteger acquired = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final AtomicBoolean busy = new AtomicBoolean();

        @Override
        public Held tryAcquire(String name) {
            if (busy.get()) {
                return null;
            }
            acquired.incrementAndGet();
            return released::incrementAndGet;
        }
    }

    @Test
    void aPanicInTheCoreIsAFailedRunNamingTheErrorClassOnly() throws Exception {
        CountingLock lock = new CountingLock();
        SyncJob job = new SyncJob(() -> {
            throw new AlbAuthPanicError("secret-user@example.com in the panic");
        }, new JdbcUserDirectory(h2.url), lock, 10);
        SyncRun run = job.runOnce(false, false);
        assertEquals("failed", run.status(), run.message());
        assertEquals("failed: AlbAuthPanicError", run.message());
        assertFalse(run.message().contains("secret-user"));
        assertEquals(List.of(run), job.lastRuns(), "the failed run is in the history");
        assertEquals(1, lock.released.get(), "the lock is released");
        assertTrue(job.running().isEmpty());
    }

    @Test
    void anErrorOtherThanAVirtualMachineErrorIsAFailedRun() throws Exception {
        SyncJob job = new SyncJob(() -> {
            throw new ExceptionInInitializerError("static init of something");
        }, new JdbcUserDirectory(h2.url), FREE, 10);
        SyncRun run = job.runOnce(true, false);
        assertEquals("failed", run.status());
        assertEquals("failed: ExceptionInInitializerError", run.message());
        assertEquals(List.of(run), job.lastRuns());
    }

    @Test
    void aVirtualMachineErrorIsThrownOnAndTheLockIsReleased() throws Exception {
        CountingLock lock = new CountingLock();
        SyncJob job = new SyncJob(() -> {
            throw new StackOverflowError();
        }, new JdbcUserDirectory(h2.url), lock, 10);
        assertThrows(StackOverflowError.class, () -> job.runOnce(false, false));
        assertEquals(1, lock.released.get());
        assertTrue(job.running().isEmpty());
        assertEquals(List.of(), job.lastRuns(), "no run was recorded");
    }

    @Test
    void aSkippedRunSaysTheSyncIsAlreadyRunningOnThisNodeOrAnother() throws Exception {
        CountingLock lock = new CountingLock();
        lock.busy.set(true);
        SyncJob job = new SyncJob(() -> idp.config(Map.of()), new JdbcUserDirectory(h2.url), lock, 10);
        SyncRun run = job.runOnce(false, false);
        assertEquals("skipped", run.status());
        assertEquals("skipped: the sync is already running (on this node or another)", run.message());
        assertEquals(SyncJob.SKIPPED, run.message());
        assertEquals(0, lock.acquired.get());
    }

    @Test
    void repeatedSkippedRunsAreOneHistoryEntryAndPushNoRunOut() throws Exception {
        CountingLock lock = new CountingLock();
        SyncJob job = new SyncJob(() -> idp.config(Map.of()), new JdbcUserDirectory(h2.url), lock, 100);
        SyncRun applied = job.runOnce(false, false);
        assertEquals("applied", applied.status(), applied.message());
        lock.busy.set(true);
        SyncRun skipped = null;
        for (int i = 0; i < 25; i++) {
            skipped = job.runOnce(false, false);
            assertEquals("skipped", skipped.status());
        }
        assertEquals(List.of(skipped, applied), job.lastRuns(), "the newest skip stands for them all");
        lock.busy.set(false);
        SyncRun dry = job.runOnce(true, false);
        lock.busy.set(true);
        SyncRun skippedAgain = job.runOnce(false, false);
        assertEquals(List.of(skippedAgain, dry, skipped, applied), job.lastRuns(),
                "a skip after another run is a new entry");
        lock.busy.set(false);
        for (int i = 0; i < 12; i++) {
            job.runOnce(true, false);
        }
        assertEquals(10, job.lastRuns().size(), "10 runs are kept");
    }
}
