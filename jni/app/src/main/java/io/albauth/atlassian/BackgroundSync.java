package io.albauth.atlassian;

import io.albauth.sync.SyncJob;
import io.albauth.sync.SyncProgress;
import io.albauth.sync.SyncRun;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin page's Preview and Run now, off the HTTP request: a large IdP takes minutes to list,
 * longer than the load balancer keeps an idle request open (the ALB's idle timeout is 60 s by
 * default). One daemon thread per app runs {@link SyncJob#runOnce(boolean, boolean, SyncProgress)};
 * one run started here at a time ({@link #start} says no while one is queued or running); the
 * page polls {@link #current()} and then shows {@link #lastStarted()}. Across nodes the job's
 * cluster lock still decides (a node that finds it held records a skipped run).
 */
public final class BackgroundSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BackgroundSync.class.getName());

    /**
     * What runs a sync: {@link SyncJob#runOnce(boolean, boolean, SyncProgress)}, or with
     * {@code force} {@link SyncJob#runForced(long, SyncProgress)} with its ceiling.
     */
    @FunctionalInterface
    interface Runner {
        SyncRun run(boolean dryRun, boolean force, long maxRemovals, SyncProgress progress);
    }

    /**
     * The run started here that is queued or running.
     *
     * @param dryRun Preview (a dry run) rather than Run now
     * @param force Run now past the brake
     * @param maxRemovals with {@code force}: the most removals the admin reviewed (the refused
     *     plan's); a plan now removing more is refused again. -1 without {@code force}
     * @param queuedAt when {@link #start} accepted it
     * @param running what {@link SyncJob#running()} says now (the phase, "applying 40 of 120"), or
     *     null while the run waits for the thread or the lock (or has just taken it)
     */
    public record Status(boolean dryRun, boolean force, long maxRemovals, Instant queuedAt, SyncJob.Running running) {
        /** {@code preview}, {@code run} or {@code force}: the admin page's action. */
        public String action() {
            return dryRun ? "preview" : force ? "force" : "run";
        }
    }

    private final Runner runner;
    private final Supplier<Optional<SyncJob.Running>> running;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "albauth-sync-admin");
        t.setDaemon(true);
        return t;
    });
    /** The run started here, queued or running, or null. */
    private Status pending; // guarded by this
    private SyncRun lastRun; // guarded by this
    private String lastAction; // guarded by this
    private boolean closed; // guarded by this

    /** Runs {@code job} in the background. */
    public BackgroundSync(SyncJob job) {
        this((dryRun, force, max, progress) -> force ? job.runForced(max, progress)
                : job.runOnce(dryRun, false, progress), Objects.requireNonNull(job, "job")::running);
    }

    /** For tests: any runner, and what it says is running. */
    BackgroundSync(Runner runner, Supplier<Optional<SyncJob.Running>> running) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.running = Objects.requireNonNull(running, "running");
    }

    /**
     * Starts Preview ({@code dryRun}) or Run now in the background: false (nothing started)
     * while a run started here is still queued or running.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public boolean start(boolean dryRun) {
        return start(dryRun, false, -1);
    }

    /**
     * Starts Run now past the brake, applying only a plan that removes at most
     * {@code maxRemovals} users (what the admin reviewed); as {@link #start(boolean)} otherwise.
     */
    public boolean startForced(long maxRemovals) {
        if (maxRemovals < 0) {
            throw new IllegalArgumentException("maxRemovals must be 0 or more");
        }
        return start(false, true, maxRemovals);
    }

    private synchronized boolean start(boolean dryRun, boolean force, long maxRemovals) {
        if (closed) {
            throw new IllegalStateException("albauth: the background sync is closed");
        }
        if (pending != null) {
            return false;
        }
        Status s = new Status(dryRun, force, maxRemovals, Instant.now(), null);
        try {
            executor.execute(() -> run(s));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("albauth: the background sync is closed", e);
        }
        pending = s;
        return true;
    }

    private void run(Status s) {
        SyncRun run = null;
        try {
            run = runner.run(s.dryRun(), s.force(), s.maxRemovals(), (done, total) -> LOG.fine("albauth sync (from the admin page): "
                    + done + " of " + total));
        } catch (RuntimeException e) {
            // SyncJob reports its own failures as a failed run; anything else must not end the thread.
            LOG.log(Level.WARNING, "albauth: the sync started from the admin page failed unexpectedly: "
                    + e.getClass().getName());
            run = new SyncRun("failed", null, null, "failed: " + e.getClass().getSimpleName(), Instant.now());
        } finally {
            synchronized (this) {
                lastRun = run != null ? run
                        : new SyncRun("failed", null, null, "failed: an error stopped the run", Instant.now());
                lastAction = s.action();
                pending = null;
            }
        }
    }

    /** The run started here that is queued or running, with its progress; empty when none is. */
    public Optional<Status> current() {
        Status s;
        synchronized (this) {
            s = pending;
        }
        if (s == null) {
            return Optional.empty();
        }
        SyncJob.Running r = running.get().orElse(null);
        return Optional.of(new Status(s.dryRun(), s.force(), s.maxRemovals(), s.queuedAt(), r));
    }

    /** The result of the last run started here (once it ended), or null. */
    public synchronized SyncRun lastStarted() {
        return lastRun;
    }

    /** The action of {@link #lastStarted()}: {@code preview}, {@code run} or {@code force}; or null. */
    public synchronized String lastStartedAction() {
        return lastAction;
    }

    /**
     * Stops taking runs; a run in progress is not interrupted (it ends on its own daemon thread,
     * releasing the lock as usual). Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        executor.shutdown();
    }
}
