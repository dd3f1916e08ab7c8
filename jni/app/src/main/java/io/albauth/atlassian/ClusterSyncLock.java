package io.albauth.atlassian;

import com.atlassian.beehive.ClusterLock;
import com.atlassian.beehive.ClusterLockService;
import io.albauth.sync.SyncLock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link SyncLock} over Beehive's cluster lock: {@code tryLock()} never waits, so a node that
 * finds the sync running elsewhere skips its run (and says so) instead of queueing a second
 * one behind it.
 *
 * <p>A lock of this node is taken first, with {@code tryLock()} too: Beehive's locks are
 * reentrant for the thread holding them, so without it a sync started on a thread already
 * running one (a scheduled tick calling "Run now", say) would nest, and two threads of one node
 * would rely on Beehive alone to tell them apart. Without Beehive (a single node) the node's
 * lock is the only one.
 */
final class ClusterSyncLock implements SyncLock {
    private final ReentrantLock local = new ReentrantLock();
    private final ClusterLockService locks;

    /** @param locks the cluster lock service, or null (a single node) */
    ClusterSyncLock(ClusterLockService locks) {
        this.locks = locks;
    }

    @Override
    public Held tryAcquire(String name) {
        if (local.isHeldByCurrentThread() || !local.tryLock()) {
            return null; // this node runs the sync already (on this thread or another)
        }
        ClusterLock cluster;
        try {
            cluster = locks == null ? null : locks.getLockForName(name);
            if (cluster != null && !cluster.tryLock()) {
                local.unlock();
                return null; // another node runs it
            }
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
        return () -> {
            try {
                if (cluster != null) {
                    cluster.unlock();
                }
            } finally {
                local.unlock();
            }
        };
    }

    /** The Beehive lock itself, for tests. */
    ClusterLock clusterLock(String name) {
        return locks == null ? null : locks.getLockForName(name);
    }
}
