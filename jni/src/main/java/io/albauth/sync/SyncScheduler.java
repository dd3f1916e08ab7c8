package io.albauth.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@code job.runOnce(false, false)} at each {@link SyncSchedule#next} on one daemon thread,
 * for hosts without a scheduler of their own. The next run is planned after the run, whatever it
 * did, from the later of the previous run's scheduled time and now: a run that outlasted its
 * interval, or a machine that was suspended, is followed by the next scheduled time after now, never
 * by runs back to back to catch up. A job that throws is logged and the schedule goes on.
 * {@link #close()} stops it: no new run starts; a run in progress is not interrupted and ends on
 * its own ({@link #awaitTermination} waits for it). A run is not one transaction: a directory
 * whose {@link io.albauth.provision.UserDirectory#transactional()} is true commits batch by
 * batch, Crowd's applies action by action.
 */
public final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SyncScheduler.class.getName());

    private final Runnable task;
    private final SyncSchedule schedule;
    private final ZoneId zone;
    private final Clock clock;
    private final LongUnaryOperator delay;
    private final ScheduledThreadPoolExecutor exec = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "albauth-sync-scheduler");
        t.setDaemon(true);
        return t;
    });

    public SyncScheduler(SyncJob job, SyncSchedule schedule, ZoneId zone) {
        this(runner(job), schedule, zone, Clock.systemUTC(), LongUnaryOperator.identity());
    }

    /** For tests: {@link #SyncScheduler(Runnable, SyncSchedule, ZoneId, Clock, LongUnaryOperator)} running {@code job}. */
    SyncScheduler(SyncJob job, SyncSchedule schedule, ZoneId zone, Clock clock, LongUnaryOperator delay) {
        this(runner(job), schedule, zone, clock, delay);
    }

    /**
     * For tests: {@code task} instead of a job, {@code clock} for "now", and {@code delay} mapping the
     * milliseconds the schedule asks to wait to the milliseconds actually waited.
     */
    SyncScheduler(Runnable task, SyncSchedule schedule, ZoneId zone, Clock clock, LongUnaryOperator delay) {
        this.task = Objects.requireNonNull(task, "task");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.delay = Objects.requireNonNull(delay, "delay");
        exec.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        exec.setRemoveOnCancelPolicy(true);
        plan(clock.instant());
    }

    private static Runnable runner(SyncJob job) {
        Objects.requireNonNull(job, "job");
        return () -> job.runOnce(false, false);
    }

    /** Schedules the first run after {@code after}; after close(), or if the schedule fails, nothing. */
    void plan(Instant after) {
        Instant at;
        long wait;
        try {
            at = schedule.next(after, zone);
            wait = delay.applyAsLong(Math.max(0, Duration.between(clock.instant(), at).toMillis()));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "albauth sync scheduler: no next run (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); the scheduled sync has stopped");
            return;
        }
        try {
            exec.schedule(() -> run(at), Math.max(0, wait), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // close() came first (possibly while a run was in progress): nothing more to plan.
        }
    }

    private void run(Instant at) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // The class only: a message might carry personal data.
            LOG.warning("albauth sync scheduler: the scheduled sync threw " + e.getClass().getName()
                    + "; the next run is still planned");
        } finally {
            Instant now = clock.instant();
            plan(now.isAfter(at) ? now : at); // after a long run or a suspend: no catching up
        }
    }

    /** Stops planning runs; a run in progress ends on its own (not interrupted). Idempotent. */
    @Override
    public void close() {
        exec.shutdown();
    }

    /** After {@link #close()}: waits up to {@code timeout} for a run in progress; true when none is left. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return exec.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
