package io.albauth.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.provision.H2;
import io.albauth.provision.JdbcUserDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SyncJob}'s progress: the callback per batch, and {@link SyncJob#running()} for an admin page. */
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
}
