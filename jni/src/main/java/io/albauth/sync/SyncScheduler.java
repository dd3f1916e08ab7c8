package io.albauth.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code job.runOnce(false, false)} at each {@link SyncSchedule#next} on one daemon thread,
 * for hosts without a scheduler of their own. {@link #close()} stops it.
 */
public final class SyncScheduler implements AutoCloseable {
    private final SyncJob job;
    private final SyncSchedule schedule;
    private final ZoneId zone;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "albauth-sync-scheduler");
        t.setDaemon(true);
        return t;
    });

    public SyncScheduler(SyncJob job, SyncSchedule schedule, ZoneId zone) {
        this.job = Objects.requireNonNull(job, "job");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.zone = Objects.requireNonNull(zone, "zone");
        plan(Instant.now());
    }

    private void plan(Instant after) {
        Instant at = schedule.next(after, zone);
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        if (!exec.isShutdown()) {
            exec.schedule(() -> {
                try {
                    job.runOnce(false, false);
                } finally {
                    plan(at);
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}
