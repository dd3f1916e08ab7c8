package io.albauth.atlassian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.sal.api.pluginsettings.PluginSettings;
import com.atlassian.scheduler.JobRunnerResponse;
import com.atlassian.scheduler.config.JobConfig;
import com.atlassian.scheduler.config.RunMode;
import io.albauth.atlassian.host.FakeSchedulerService;
import io.albauth.atlassian.host.MemoryPluginSettingsFactory;
import io.albauth.atlassian.host.TestHost;
import io.albauth.AlbAuthPanicError;
import io.albauth.sync.SyncJob;
import io.albauth.sync.SyncRun;
import io.albauth.testing.Configs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduled sync: the app's job on Atlassian Scheduler, and what each tick does. */
class SyncJobRunnerTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:30Z");

    /** A runner over fresh plugin settings whose sync returns the queued runs (applied by default). */
    private static final class Rig {
        final MemoryPluginSettingsFactory settings = new MemoryPluginSettingsFactory();
        final ConfigStore store = new ConfigStore(settings, null);
        final AtomicInteger runs = new AtomicInteger();
        final Deque<SyncRun> next = new ArrayDeque<>();
        /** Run inside the sync, before it returns (a test's look at the settings mid-run). */
        Runnable during = () -> {};
        /** Thrown by the sync instead of returning, when set. */
        Throwable fail;
        final SyncJobRunner runner = new SyncJobRunner(store, settings, () -> {
            runs.incrementAndGet();
            during.run();
            if (fail instanceof RuntimeException) {
                throw (RuntimeException) fail;
            }
            if (fail instanceof Error) {
                throw (Error) fail;
            }
            SyncRun r = next.poll();
            return r != null ? r : new SyncRun("applied", null, null, "3 applied, 0 failed", Instant.now());
        }, Clock.systemUTC(), ZoneOffset.UTC);

        /** Stores a configuration with (or without) a directory_sync section, as the runner reads it. */
        Rig config(boolean directorySync) {
            String json = directorySync
                    ? "{\"trusted_albs\":[],\"directory_sync\":{\"connector\":{\"type\":\"okta\"}}}"
                    : "{\"trusted_albs\":[]}";
            settings.createGlobalSettings().put(ConfigStore.CONFIG_KEY, json);
            return this;
        }

        Rig schedule(String expr) throws Exception {
            store.saveSyncSchedule(expr);
            return this;
        }

        PluginSettings global() {
            return settings.createGlobalSettings();
        }
    }

    /** A last run an hour ago, as stored: a 15-minute schedule is due. */
    private static String anHourAgo() {
        return Long.toString(Instant.now().minus(Duration.ofHours(1)).toEpochMilli());
    }

    private static String outcome(JobRunnerResponse r) {
        return r.getRunOutcomeName();
    }

    @Test
    void withoutAScheduleNothingRuns() throws Exception {
        Rig rig = new Rig().config(true);
        JobRunnerResponse r = rig.runner.tick(T0);
        assertEquals("SUCCESS", outcome(r));
        assertEquals("not scheduled", r.getMessage());
        assertEquals(0, rig.runs.get());
        assertNull(rig.global().get(SyncJobRunner.LAST_KEY));
    }

    @Test
    void withoutADirectorySyncSectionNothingRuns() throws Exception {
        Rig rig = new Rig().config(false).schedule("every 15m");
        rig.global().put(SyncJobRunner.LAST_KEY, Long.toString(T0.minus(Duration.ofDays(1)).toEpochMilli()));
        rig.global().put(SyncJobRunner.LAST_SCHEDULE_KEY, "every 15m");
        assertEquals("not scheduled", rig.runner.tick(T0).getMessage());
        assertEquals(0, rig.runs.get());
        Rig none = new Rig().schedule("every 15m"); // no configuration at all
        assertEquals("not scheduled", none.runner.tick(T0).getMessage());
        assertEquals(0, none.runs.get());
    }

    @Test
    void aNewScheduleCountsFromItsFirstTickThenRunsWhenDue() throws Exception {
        Rig rig = new Rig().config(true).schedule("every 15m");
        JobRunnerResponse first = rig.runner.tick(T0);
        assertEquals("SUCCESS", outcome(first));
        assertTrue(first.getMessage().startsWith("scheduled: the first run is at 2026-12-01T10:15:30Z"),
                first.getMessage());
        assertEquals(0, rig.runs.get(), "a newly saved schedule does not run at once");
        assertEquals(Long.toString(T0.toEpochMilli()), rig.global().get(SyncJobRunner.LAST_KEY));

        JobRunnerResponse early = rig.runner.tick(T0.plus(Duration.ofMinutes(10)));
        assertEquals("SUCCESS", outcome(early));
        assertTrue(early.getMessage().startsWith("not due until"), early.getMessage());
        assertEquals(0, rig.runs.get(), "a tick not yet due does nothing");

        Instant due = T0.plus(Duration.ofMinutes(15));
        JobRunnerResponse ran = rig.runner.tick(due);
        assertEquals(1, rig.runs.get(), "a due tick runs the sync");
        assertEquals("SUCCESS", outcome(ran));
        assertEquals("3 applied, 0 failed", ran.getMessage());
        assertEquals(Long.toString(due.toEpochMilli()), rig.global().get(SyncJobRunner.LAST_KEY));

        rig.runner.tick(due.plus(Duration.ofMinutes(1)));
        assertEquals(1, rig.runs.get(), "the last run is remembered");
        rig.runner.tick(due.plus(Duration.ofMinutes(15)));
        assertEquals(2, rig.runs.get());
    }

    @Test
    void aCronScheduleRunsAtItsMinute() throws Exception {
        Rig rig = new Rig().config(true).schedule("0 2 * * *");
        rig.runner.tick(Instant.parse("2026-12-01T01:58:10Z"));
        rig.runner.tick(Instant.parse("2026-12-01T01:59:10Z"));
        assertEquals(0, rig.runs.get());
        rig.runner.tick(Instant.parse("2026-12-01T02:00:10Z"));
        assertEquals(1, rig.runs.get());
        rig.runner.tick(Instant.parse("2026-12-01T02:01:10Z"));
        rig.runner.tick(Instant.parse("2026-12-02T01:59:10Z"));
        assertEquals(1, rig.runs.get());
        rig.runner.tick(Instant.parse("2026-12-02T02:00:10Z"));
        assertEquals(2, rig.runs.get());
    }

    @Test
    void aChangedScheduleStartsCountingAgain() throws Exception {
        Rig rig = new Rig().config(true).schedule("every 1d");
        rig.runner.tick(T0);
        rig.schedule("every 15m");
        rig.runner.tick(T0.plus(Duration.ofHours(2)));
        assertEquals(0, rig.runs.get(), "the new schedule counts from the tick that first saw it");
        rig.runner.tick(T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(15)));
        assertEquals(1, rig.runs.get());
    }

    @Test
    void eachRunStatusMapsToTheSchedulersOutcome() throws Exception {
        Rig rig = new Rig().config(true).schedule("every 15m");
        rig.runner.tick(T0);
        Instant t = T0;
        String[][] cases = {
            {"applied", "SUCCESS"}, {"dry_run", "SUCCESS"}, {"refused", "FAILED"}, {"failed", "FAILED"},
        };
        for (String[] c : cases) {
            t = t.plus(Duration.ofMinutes(15));
            rig.next.add(new SyncRun(c[0], null, null, c[0] + ": the message", Instant.now()));
            JobRunnerResponse r = rig.runner.tick(t);
            assertEquals(c[1], outcome(r), c[0]);
            assertEquals(c[0] + ": the message", r.getMessage());
        }
        assertEquals(4, rig.runs.get());
    }

    @Test
    void aSkippedRunIsAbortedAndTriedAgainAtTheNextTick() throws Exception {
        Rig rig = new Rig().config(true).schedule("every 15m");
        rig.runner.tick(T0);
        Instant due = T0.plus(Duration.ofMinutes(15));
        rig.next.add(new SyncRun("skipped", null, null, SyncJob.SKIPPED, Instant.now()));
        JobRunnerResponse r = rig.runner.tick(due);
        assertEquals("ABORTED", outcome(r));
        assertEquals("skipped: the sync is already running (on this node or another)", r.getMessage());
        assertEquals(Long.toString(T0.toEpochMilli()), rig.global().get(SyncJobRunner.LAST_KEY));
        rig.runner.tick(due.plus(Duration.ofMinutes(1)));
        assertEquals(2, rig.runs.get());
        rig.runner.tick(due.plus(Duration.ofMinutes(2)));
        assertEquals(2, rig.runs.get());
    }

    @Test
    void theRunIsClaimedBeforeItStartsSoATickDuringItFindsTheSyncNotDue() throws Exception {
        Rig rig = new Rig().config(true).schedule("every 15m");
        rig.runner.tick(T0);
        Instant due = T0.plus(Duration.ofMinutes(15));
        List<Object> seen = new CopyOnWriteArrayList<>();
        List<String> nested = new CopyOnWriteArrayList<>();
        rig.during = () -> {
            if (!seen.isEmpty()) {
                return; // the nested tick's own run, if it ran one
            }
            seen.add(rig.global().get(SyncJobRunner.LAST_KEY));
            // another node's tick a minute later, while this run is still going
            nested.add(rig.runner.tick(due.plus(Duration.ofMinutes(1))).getMessage());
        };
        rig.runner.tick(due);
        assertEquals(List.of(Long.toString(due.toEpochMilli())), seen, "claimed before the sync ran");
        assertEquals(1, nested.size());
        assertTrue(nested.get(0).startsWith("not due until"), nested.get(0));
        assertEquals(1, rig.runs.get(), "the tick during the run did not run the sync again");
    }

    @Test
    void aSkippedRunPutsThePreviousLastRunBack() throws Exception {
        Rig rig = new Rig().config(true).schedule("every 15m");
        rig.runner.tick(T0);
        Instant due = T0.plus(Duration.ofMinutes(15));
        List<Object> seen = new CopyOnWriteArrayList<>();
        rig.during = () -> seen.add(rig.global().get(SyncJobRunner.LAST_KEY));
        rig.next.add(new SyncRun("skipped", null, null, SyncJob.SKIPPED, Instant.now()));
        assertEquals("ABORTED", outcome(rig.runner.tick(due)));
        assertEquals(List.of(Long.toString(due.toEpochMilli())), seen, "claimed during the run");
        assertEquals(Long.toString(T0.toEpochMilli()), rig.global().get(SyncJobRunner.LAST_KEY), "put back");
        assertEquals("every 15m", rig.global().get(SyncJobRunner.LAST_SCHEDULE_KEY));
    }

    @Test
    void aPanicInTheSyncIsAFailedTickNamingTheClassOnly() throws Exception {
        Rig rig = new Rig().config(true).schedule("every 15m");
        rig.global().put(SyncJobRunner.LAST_KEY, anHourAgo());
        rig.global().put(SyncJobRunner.LAST_SCHEDULE_KEY, "every 15m");
        rig.fail = new AlbAuthPanicError("secret-user@example.com");
        JobRunnerResponse r = rig.runner.runJob(null);
        assertEquals("FAILED", outcome(r));
        assertEquals("the albauth sync tick failed: AlbAuthPanicError", r.getMessage());
        assertEquals(1, rig.runs.get());
        rig.fail = new IllegalArgumentException("secret-user@example.com");
        rig.global().put(SyncJobRunner.LAST_KEY, anHourAgo());
        JobRunnerResponse r2 = rig.runner.runJob(null);
        assertEquals("FAILED", outcome(r2));
        assertEquals("the albauth sync tick failed: IllegalArgumentException", r2.getMessage());
    }

    @Test
    void aVirtualMachineErrorInTheSyncIsThrownOn() throws Exception {
        Rig rig = new Rig().config(true).schedule("every 15m");
        rig.global().put(SyncJobRunner.LAST_KEY, anHourAgo());
        rig.global().put(SyncJobRunner.LAST_SCHEDULE_KEY, "every 15m");
        rig.fail = new StackOverflowError();
        assertThrows(StackOverflowError.class, () -> rig.runner.runJob(null));
    }

    @Test
    void unregisterLeavesTheClusterWideJobScheduled() throws Exception {
        FakeSchedulerService s = new FakeSchedulerService();
        Rig rig = new Rig();
        rig.runner.register(s);
        assertSame(rig.runner, s.runner(SyncJobRunner.RUNNER_KEY));
        SyncJobRunner.unregister(s);
        assertNull(s.runner(SyncJobRunner.RUNNER_KEY), "this node no longer runs it");
        assertNotNull(s.job(SyncJobRunner.JOB_ID), "the other nodes still do");
        assertEquals(0, s.unscheduled(), "never unscheduled");
        rig.runner.register(s); // the next start replaces the job
        assertSame(rig.runner, s.runner(SyncJobRunner.RUNNER_KEY));
        assertNotNull(s.job(SyncJobRunner.JOB_ID));
    }

    /** The app counts cron lines in UTC, as the admin page says, whatever the JVM's time zone. */
    @Test
    void theAppsCronLinesAreInUtc() throws Exception {
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        try (TestHost host = TestHost.start(TestHost.options().testConfig())) {
            Map<String, Object> config = new LinkedHashMap<>(Configs.pinned(host.key));
            config.put("provisioning", LoginFlowTest.PROVISIONING);
            config.put("directory_sync", Map.of("connector", Map.of("type", "okta",
                    "org_url", "http://127.0.0.1:9", "api_token", "SECRET-okta-token")));
            host.app.configStore().save(Configs.json(config));
            host.app.configStore().saveSyncSchedule("0 2 * * *");
            JobRunnerResponse r = host.scheduler.fire(SyncJobRunner.JOB_ID);
            assertTrue(r.getMessage().startsWith("scheduled: the first run is at "), r.getMessage());
            assertTrue(r.getMessage().endsWith("T02:00:00Z"), "02:00 UTC, not New York's: " + r.getMessage());
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void theAppRegistersItsRunnerAndSchedulesTheTickOncePerClusterEveryMinute() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().testConfig())) {
            FakeSchedulerService s = host.scheduler;
            assertSame(host.app.syncRunner(), s.runner("io.albauth.sync"));
            JobConfig job = s.job("io.albauth.sync.tick");
            assertNotNull(job);
            assertEquals("io.albauth.sync", job.getJobRunnerKey().toString());
            assertEquals(RunMode.RUN_ONCE_PER_CLUSTER, job.getRunMode());
            assertEquals(60_000, job.getSchedule().intervalInMillis());
            assertNull(job.getSchedule().firstRunTime());
            assertEquals("not scheduled", s.fire("io.albauth.sync.tick").getMessage());

            host.app.close();
            assertNull(s.runner("io.albauth.sync"), "close unregisters this node's runner");
            assertNotNull(s.job("io.albauth.sync.tick"), "the cluster-wide job stays scheduled");
            assertEquals(0, s.unscheduled());
            host.app.close(); // idempotent
        }
    }

    @Test
    void theSpringContextPassesTheSchedulerAndClosesTheApp() throws Exception {
        for (String product : new String[] {"jira", "confluence"}) {
            String xml = java.nio.file.Files.readString(java.nio.file.Path.of(
                    "src/main/resources/META-INF/spring/albauth-" + product + ".xml"));
            assertTrue(xml.contains("interface=\"com.atlassian.scheduler.SchedulerService\""), product);
            assertTrue(xml.contains("destroy-method=\"close\""), product);
            assertTrue(xml.contains("<constructor-arg index=\"8\" type=\"com.atlassian.scheduler.SchedulerService\" "
                    + "ref=\"schedulerService\"/>"), product);
        }
    }

    /**
     * End to end on the app: a due tick fired by the scheduler runs the real sync job. The
     * configured IdP (Okta, on a loopback server) refuses the token, so the run fails, and the
     * scheduler gets the run's message, which names no secret.
     */
    @Test
    void aDueTickFiredByTheSchedulerRunsTheAppsSync() throws Exception {
        com.sun.net.httpserver.HttpServer okta = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger calls = new AtomicInteger();
        okta.createContext("/", ex -> {
            calls.incrementAndGet();
            byte[] body = "{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\"}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        okta.start();
        try (TestHost host = TestHost.start(TestHost.options().testConfig())) {
            Map<String, Object> config = new LinkedHashMap<>(Configs.pinned(host.key));
            config.put("provisioning", LoginFlowTest.PROVISIONING);
            config.put("directory_sync", Map.of("connector", Map.of("type", "okta",
                    "org_url", "http://127.0.0.1:" + okta.getAddress().getPort(), "api_token", "SECRET-okta-token")));
            host.app.configStore().save(Configs.json(config));
            host.app.configStore().saveSyncSchedule("every 15m");
            PluginSettings s = host.settings.createGlobalSettings();
            s.put(SyncJobRunner.LAST_KEY, Long.toString(Instant.now().minus(Duration.ofHours(1)).toEpochMilli()));
            s.put(SyncJobRunner.LAST_SCHEDULE_KEY, "every 15m");

            JobRunnerResponse r = host.scheduler.fire("io.albauth.sync.tick");
            assertEquals(1, host.app.syncJob().lastRuns().size(), "the tick ran the sync");
            SyncRun run = host.app.syncJob().lastRuns().get(0);
            assertEquals("failed", run.status(), run.message());
            assertEquals("FAILED", outcome(r));
            assertEquals(run.message(), r.getMessage());
            assertFalse(r.getMessage().contains("SECRET"), r.getMessage());
            assertTrue(calls.get() > 0, "the IdP was asked");

            JobRunnerResponse again = host.scheduler.fire("io.albauth.sync.tick");
            assertTrue(again.getMessage().startsWith("not due until"), again.getMessage());
            assertEquals(1, host.app.syncJob().lastRuns().size(), "a failed run counts: not retried every minute");
        } finally {
            okta.stop(0);
        }
    }
}
