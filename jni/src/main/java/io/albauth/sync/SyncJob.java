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
 * {@link SyncApplier} unless a dry run or the plan was refused. Keeps the last 10 runs (repeated
 * {@code skipped} runs count as one, the newest), and shows the run in progress
 * ({@link #running()}) for an admin page's "applying 40 of 120".
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

    /** The message of a run that found the lock held (by this node's run or another node's). */
    public static final String SKIPPED = "skipped: the sync is already running (on this node or another)";

    /** Runs the sync once (or skips it when the lock is held: a run in progress on any node). */
    public SyncRun runOnce(boolean dryRun, boolean force) {
        return runOnce(dryRun, force, null);
    }

    /**
     * {@link #runOnce(boolean, boolean)}, telling {@code progress} (may be null) after each applied
     * batch, as {@link SyncApplier#apply} does; {@link #running()} follows the same counts. An
     * exception thrown by {@code progress} is logged and does not stop the run.
     *
     * <p>Whatever goes wrong is a {@code failed} run, never an exception: an exception, and an
     * {@link Error} such as {@link io.albauth.AlbAuthPanicError} (a bug in the native core), except a
     * {@link VirtualMachineError} (out of memory, stack overflow), which is thrown on. A failed run's
     * message names a {@link io.albauth.provision.DirectoryException}'s or an
     * {@link IllegalStateException}'s message (written without personal data), else the class only.
     */
    public SyncRun runOnce(boolean dryRun, boolean force, SyncProgress progress) {
        return run(dryRun, force, -1, progress);
    }

    /**
     * The admin page's "Run now" after a preview: plans with {@code force} (past the brake, which the
     * admin has reviewed) and applies, as {@code runOnce(false, true, progress)} does, unless the
     * plan now removes ({@link #removals}) more than {@code maxRemovals} users, the removals the
     * admin reviewed: then nothing is applied and the run is {@code refused}, with the message
     * {@code refused: brake (the plan now removes N users, more than the M reviewed; preview again)}.
     * The same lock and history as {@link #runOnce}.
     *
     * @param maxRemovals the removals the admin saw in the preview (0 or more)
     */
    public SyncRun runForced(long maxRemovals, SyncProgress progress) {
        if (maxRemovals < 0) {
            throw new IllegalArgumentException("maxRemovals must be 0 or more");
        }
        return run(false, true, maxRemovals, progress);
    }

    /**
     * The users a plan removes: its {@code deactivate}, {@code delete} and {@code anonymize}
     * counts, as the core's brake counts them.
     */
    public static long removals(SyncPlan p) {
        return p.count("deactivate") + p.count("delete") + p.count("anonymize");
    }

    /** One run; {@code maxRemovals} -1: no limit on the plan's removals. */
    private SyncRun run(boolean dryRun, boolean force, long maxRemovals, SyncProgress progress) {
        SyncRun run;
        try {
            SyncLock.Held held = lock.tryAcquire(LOCK);
            if (held == null) {
                run = new SyncRun("skipped", null, null, SKIPPED, Instant.now());
                LOG.info("albauth sync " + run.message());
            } else {
                try (held) {
                    current = new Running("planning", 0, 0, dryRun, Instant.now());
                    run = locked(dryRun, force, maxRemovals, progress);
                } finally {
                    current = null;
                }
            }
        } catch (Exception e) {
            String why = e instanceof io.albauth.provision.DirectoryException || e instanceof IllegalStateException
                    ? e.getMessage() : e.getClass().getSimpleName();
            run = failed(why);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) { // AlbAuthPanicError and the like: the class only (a message may quote input)
            run = failed(e.getClass().getSimpleName());
        }
        synchronized (runs) {
            if ("skipped".equals(run.status()) && !runs.isEmpty() && "skipped".equals(runs.peekFirst().status())) {
                runs.removeFirst(); // repeated skips are one entry, the newest: they must not push runs out
            }
            runs.addFirst(run);
            while (runs.size() > KEEP) {
                runs.removeLast();
            }
        }
        return run;
    }

    private static SyncRun failed(String why) {
        SyncRun run = new SyncRun("failed", null, null, "failed: " + why, Instant.now());
        LOG.log(Level.WARNING, "albauth sync " + run.message());
        return run;
    }

    private SyncRun locked(boolean dryRun, boolean force, long maxRemovals, SyncProgress progress)
            throws Exception {
        SyncPlan plan = AlbAuth.syncPlan(config.get(), dir, force);
        if (plan.refused() != null) {
            String m = "refused: " + plan.refused();
            LOG.warning("albauth sync " + m);
            return new SyncRun("refused", plan, null, m, Instant.now());
        }
        if (maxRemovals >= 0 && removals(plan) > maxRemovals) {
            String m = "refused: brake (the plan now removes " + removals(plan) + " users, more than the "
                    + maxRemovals + " reviewed; preview again)";
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

    /** The last 10 runs, newest first; a skipped run replaces a skipped newest one. */
    public List<SyncRun> lastRuns() {
        synchronized (runs) {
            return List.copyOf(new ArrayList<>(runs));
        }
    }
}
