package io.albauth.sync;

import io.albauth.AlbAuth;
import io.albauth.provision.UserDirectory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One full directory sync, run under a {@link SyncLock}: plan through the core
 * ({@link AlbAuth#syncPlan(String, UserDirectory, boolean)}), then apply with
 * {@link SyncApplier} unless a dry run or the plan was refused. Keeps the last 10 runs, and
 * shows the run in progress ({@link #running()}) for an admin page's "applying 40 of 120".
 */
public final class SyncJob {
    /** The lock's name. */
    public static final String LOCK = "albauth-sync";
    private static final Logger LOG = Logger.getLogger(SyncJob.class.getName());
    private static final int KEEP = 10;

    private final Supplier<String> config;
    private final UserDirectory dir;
    private final SyncLock lock;
    private final int batchSize;
    private final Deque<SyncRun> runs = new ArrayDeque<>();
    /** The run in progress on this node, or null. */
    private volatile Running current;

    /**
     * The run in progress on this node ({@link #running()}): an immutable snapshot, replaced
     * after each applied batch.
     *
     * @param phase {@code planning} (listing the IdP and planning; {@code done} and {@code total}
     *     are 0) or {@code applying}
     * @param done actions attempted so far (applied or failed)
     * @param total actions in the plan
     * @param dryRun whether this run is a dry run (which never reaches {@code applying})
     * @param startedAt when the run took the lock
     */
    public record Running(String phase, int done, int total, boolean dryRun, Instant startedAt) {
        /** {@code "planning"} or {@code "applying 40 of 120"}, for an admin page. */
        @Override
        public String toString() {
            return "applying".equals(phase) ? "applying " + done + " of " + total : phase;
        }
    }

    public SyncJob(Supplier<String> configSupplier, UserDirectory directory, SyncLock lock, int batchSize) {
        this.config = Objects.requireNonNull(configSupplier, "configSupplier");
        this.dir = Objects.requireNonNull(directory, "directory");
        this.lock = Objects.requireNonNull(lock, "lock");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be 1 or more");
        }
        this.batchSize = batchSize;
    }

    /** Runs the sync once (or skips it when another node holds the lock). */
    public SyncRun runOnce(boolean dryRun, boolean force) {
        return runOnce(dryRun, force, null);
    }

    /**
     * {@link #runOnce(boolean, boolean)}, telling {@code progress} (may be null) after each applied
     * batch, as {@link SyncApplier#apply} does; {@link #running()} follows the same counts. An
     * exception thrown by {@code progress} is logged and does not stop the run.
     */
    public SyncRun runOnce(boolean dryRun, boolean force, SyncProgress progress) {
        SyncRun run;
        try {
            SyncLock.Held held = lock.tryAcquire(LOCK);
            if (held == null) {
                run = new SyncRun("skipped", null, null, "skipped: another node is running the sync", Instant.now());
                LOG.info("albauth sync " + run.message());
            } else {
                try (held) {
                    current = new Running("planning", 0, 0, dryRun, Instant.now());
                    run = locked(dryRun, force, progress);
                } finally {
                    current = null;
                }
            }
        } catch (Exception e) {
            String why = e instanceof io.albauth.provision.DirectoryException || e instanceof IllegalStateException
                    ? e.getMessage() : e.getClass().getSimpleName();
            run = new SyncRun("failed", null, null, "failed: " + why, Instant.now());
            LOG.log(Level.WARNING, "albauth sync " + run.message());
        }
        synchronized (runs) {
            runs.addFirst(run);
            while (runs.size() > KEEP) {
                runs.removeLast();
            }
        }
        return run;
    }

    private SyncRun locked(boolean dryRun, boolean force, SyncProgress progress) throws Exception {
        SyncPlan plan = AlbAuth.syncPlan(config.get(), dir, force);
        if (plan.refused() != null) {
            String m = "refused: " + plan.refused();
            LOG.warning("albauth sync " + m);
            return new SyncRun("refused", plan, null, m, Instant.now());
        }
        if (dryRun) {
            return new SyncRun("dry_run", plan, null, "dry run: " + plan.actions().size() + " actions planned",
                    Instant.now());
        }
        Instant started = current.startedAt();
        current = new Running("applying", 0, plan.actions().size(), false, started);
        SyncResult r = new SyncApplier(dir).apply(plan, batchSize, (done, total) -> {
            current = new Running("applying", done, total, false, started);
            if (progress != null) {
                try {
                    progress.progress(done, total);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "albauth sync: the progress callback failed (" + e.getClass().getSimpleName()
                            + "); the sync goes on");
                }
            }
        });
        String m = r.applied() + " applied, " + r.failed().size() + " failed";
        LOG.info("albauth sync " + m);
        return new SyncRun("applied", plan, r, m, Instant.now());
    }

    /** The run in progress on this node, if any (another node's run is not seen here). */
    public Optional<Running> running() {
        return Optional.ofNullable(current);
    }

    /** The last 10 runs, newest first. */
    public List<SyncRun> lastRuns() {
        synchronized (runs) {
            return List.copyOf(new ArrayList<>(runs));
        }
    }
}
