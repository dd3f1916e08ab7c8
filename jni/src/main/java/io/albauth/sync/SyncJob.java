package io.albauth.sync;

import io.albauth.AlbAuth;
import io.albauth.provision.UserDirectory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One full directory sync, run under a {@link SyncLock}: plan through the core
 * ({@link AlbAuth#syncPlan(String, UserDirectory, boolean)}), then apply with
 * {@link SyncApplier} unless a dry run or the plan was refused. Keeps the last 10 runs.
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
        SyncRun run;
        try {
            SyncLock.Held held = lock.tryAcquire(LOCK);
            if (held == null) {
                run = new SyncRun("skipped", null, null, "skipped: another node is running the sync", Instant.now());
                LOG.info("albauth sync " + run.message());
            } else {
                try (held) {
                    run = locked(dryRun, force);
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

    private SyncRun locked(boolean dryRun, boolean force) throws Exception {
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
        SyncResult r = new SyncApplier(dir).apply(plan, batchSize, null);
        String m = r.applied() + " applied, " + r.failed().size() + " failed";
        LOG.info("albauth sync " + m);
        return new SyncRun("applied", plan, r, m, Instant.now());
    }

    /** The last 10 runs, newest first. */
    public List<SyncRun> lastRuns() {
        synchronized (runs) {
            return List.copyOf(new ArrayList<>(runs));
        }
    }
}
