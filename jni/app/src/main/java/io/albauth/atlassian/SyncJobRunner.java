package io.albauth.atlassian;

import com.atlassian.sal.api.pluginsettings.PluginSettings;
import com.atlassian.sal.api.pluginsettings.PluginSettingsFactory;
import com.atlassian.scheduler.JobRunner;
import com.atlassian.scheduler.JobRunnerRequest;
import com.atlassian.scheduler.JobRunnerResponse;
import com.atlassian.scheduler.SchedulerService;
import com.atlassian.scheduler.SchedulerServiceException;
import com.atlassian.scheduler.config.JobConfig;
import com.atlassian.scheduler.config.JobId;
import com.atlassian.scheduler.config.JobRunnerKey;
import com.atlassian.scheduler.config.RunMode;
import com.atlassian.scheduler.config.Schedule;
import io.albauth.json.JsonReader;
import io.albauth.sync.SyncRun;
import io.albauth.sync.SyncSchedule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The full directory sync on Atlassian Scheduler: one job, {@value #JOB_ID}, of runner
 * {@value #RUNNER_KEY}, {@link RunMode#RUN_ONCE_PER_CLUSTER} every minute (so one node of the
 * cluster runs each tick), whose tick looks at the schedule the admin saved
 * ({@link ConfigStore#syncSchedule()}, {@link SyncSchedule} syntax) and runs the sync when it is
 * due. The scheduler's own schedule stays fixed, so a schedule change applies at the next tick
 * with nothing to reschedule, on whichever node saved it.
 *
 * <p>A tick: without a schedule, or without a {@code directory_sync} section in the stored
 * configuration, nothing runs ({@code success("not scheduled")}). The last run's time is kept in
 * the global plugin settings ({@value #LAST_KEY}, epoch milliseconds, with the schedule it
 * belongs to under {@value #LAST_SCHEDULE_KEY}), so every node agrees on it. A schedule seen for
 * the first time (newly saved or changed) starts counting from that tick: the first run is its
 * next time after it, never an immediate catch-up. When {@code next(lastRun)} is not after now,
 * the sync runs ({@code runOnce(false, false)}: applied, never forced past the brake) and the
 * tick's time becomes the last run, whatever the outcome (a failing IdP is not asked again
 * every minute), except when the run was skipped because the sync lock was held (a run in
 * progress on this node, such as "Run now", or on another): then the previous last run is put
 * back and the next tick tries again. The tick's time is stored before the sync starts, so a
 * tick on another node while it runs finds the sync not due. Times, cron lines included, are
 * in UTC (the app passes {@link java.time.ZoneOffset#UTC}), as the admin page says.
 *
 * <p>The run's status maps to the scheduler's outcome: {@code applied}/{@code dry_run} success,
 * {@code skipped} aborted, {@code refused}/{@code failed} failed, each with the run's message
 * (which never holds a secret or personal data).
 */
final class SyncJobRunner implements JobRunner {
    static final String RUNNER_KEY = "io.albauth.sync";
    static final String JOB_ID = "io.albauth.sync.tick";
    /** The scheduler's interval: how often the saved schedule is looked at. */
    static final long TICK_MILLIS = 60_000;
    /** The last scheduled run's start, epoch milliseconds (a decimal String). */
    static final String LAST_KEY = "io.albauth.sync.last";
    /** The schedule expression {@link #LAST_KEY} was counted for. */
    static final String LAST_SCHEDULE_KEY = "io.albauth.sync.last.schedule";
    private static final Logger LOG = Logger.getLogger("io.albauth");

    private final ConfigStore store;
    private final PluginSettingsFactory settings;
    private final Supplier<SyncRun> sync;
    private final Clock clock;
    private final ZoneId zone;

    /**
     * @param sync runs the sync once (the app's {@code syncJob().runOnce(false, false)})
     */
    SyncJobRunner(ConfigStore store, PluginSettingsFactory settings, Supplier<SyncRun> sync, Clock clock,
            ZoneId zone) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The scheduler's job config: this runner, once per cluster, every {@value #TICK_MILLIS} ms. */
    static JobConfig jobConfig() {
        return JobConfig.forJobRunnerKey(JobRunnerKey.of(RUNNER_KEY))
                .withRunMode(RunMode.RUN_ONCE_PER_CLUSTER)
                .withSchedule(Schedule.forInterval(TICK_MILLIS, null));
    }

    /** Registers this runner and schedules the tick (scheduling the same id again replaces it). */
    void register(SchedulerService scheduler) throws SchedulerServiceException {
        scheduler.registerJobRunner(JobRunnerKey.of(RUNNER_KEY), this);
        try {
            scheduler.scheduleJob(JobId.of(JOB_ID), jobConfig());
        } catch (SchedulerServiceException | RuntimeException e) {
            scheduler.unregisterJobRunner(JobRunnerKey.of(RUNNER_KEY));
            throw e;
        }
    }

    /**
     * Unregisters this node's runner: the plugin is going away on this node (disabled, upgraded,
     * uninstalled, or the node shuts down). The job stays scheduled: it is
     * {@link RunMode#RUN_ONCE_PER_CLUSTER}, so unscheduling it would stop the sync for the whole
     * cluster while other nodes still run the app; the scheduler runs it on a node with the runner
     * registered, and {@link #register} at the next start schedules it again (replacing it).
     */
    static void unregister(SchedulerService scheduler) {
        scheduler.unregisterJobRunner(JobRunnerKey.of(RUNNER_KEY));
    }

    @Override
    public JobRunnerResponse runJob(JobRunnerRequest request) {
        try {
            return tick(clock.instant());
        } catch (RuntimeException e) {
            return tickFailed(e);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) { // AlbAuthPanicError and the like; the class only, a message may carry personal data
            return tickFailed(e);
        }
    }

    private static JobRunnerResponse tickFailed(Throwable e) {
        LOG.log(Level.WARNING, "albauth sync tick failed: " + e.getClass().getSimpleName());
        return JobRunnerResponse.failed("the albauth sync tick failed: " + e.getClass().getSimpleName());
    }

    /** One tick at {@code now}. */
    JobRunnerResponse tick(Instant now) {
        String expr = store.syncSchedule();
        if (expr == null || !hasDirectorySync(store.configJson())) {
            return JobRunnerResponse.success("not scheduled");
        }
        SyncSchedule schedule;
        try {
            schedule = SyncSchedule.parse(expr);
        } catch (IllegalArgumentException e) {
            // saveSyncSchedule stores only what parses; an older app's value may not
            return JobRunnerResponse.failed("the saved sync schedule is invalid: " + e.getMessage());
        }
        PluginSettings s = settings.createGlobalSettings();
        Instant last = lastRun(s, expr);
        if (last == null) {
            remember(s, now, expr);
            return JobRunnerResponse.success("scheduled: the first run is at " + schedule.next(now, zone));
        }
        Instant due = schedule.next(last, zone);
        if (due.isAfter(now)) {
            return JobRunnerResponse.success("not due until " + due);
        }
        // Claimed before the run, so that a tick while it lasts (another node's) finds the sync not
        // due. A sync that throws (SyncJob's never does) leaves the claim: a failure, not retried
        // every minute.
        remember(s, now, expr);
        SyncRun run = sync.get();
        if ("skipped".equals(run.status())) {
            restore(s, now, last, expr);
        }
        return response(run);
    }

    /** The scheduler's outcome for a run. */
    static JobRunnerResponse response(SyncRun run) {
        String m = run.message();
        switch (run.status()) {
            case "applied":
            case "dry_run":
                return JobRunnerResponse.success(m);
            case "skipped":
                return JobRunnerResponse.aborted(m);
            default: // refused, failed
                return JobRunnerResponse.failed(m);
        }
    }

    private static boolean hasDirectorySync(String configJson) {
        if (configJson == null) {
            return false;
        }
        Object parsed = JsonReader.parse(configJson);
        return parsed instanceof Map && ((Map<?, ?>) parsed).get("directory_sync") instanceof Map;
    }

    /** The last run counted for {@code expr}, or null when that schedule was never seen. */
    private static Instant lastRun(PluginSettings s, String expr) {
        if (!expr.equals(s.get(LAST_SCHEDULE_KEY))) {
            return null;
        }
        Object v = s.get(LAST_KEY);
        if (!(v instanceof String)) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(((String) v).trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Puts back the last run {@code previous} that a skipped run's tick had replaced by its claim
     * {@code claimed}, unless the settings changed meanwhile (another claim, or a new schedule).
     */
    private static void restore(PluginSettings s, Instant claimed, Instant previous, String expr) {
        if (expr.equals(s.get(LAST_SCHEDULE_KEY))
                && Long.toString(claimed.toEpochMilli()).equals(s.get(LAST_KEY))) {
            remember(s, previous, expr);
        }
    }

    private static void remember(PluginSettings s, Instant at, String expr) {
        s.put(LAST_KEY, Long.toString(at.toEpochMilli()));
        s.put(LAST_SCHEDULE_KEY, expr);
    }
}
