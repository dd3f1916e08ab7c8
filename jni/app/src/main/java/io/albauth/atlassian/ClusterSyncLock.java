package io.albauth.atlassian;

import com.atlassian.beehive.ClusterLock;
import com.atlassian.beehive.ClusterLockService;
import io.albauth.sync.SyncLock;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link SyncLock} over Beehive's cluster lock: {@code tryLock()} never waits, so a node that
 * finds the sync running elsewhere skips its run (and says so) instead of queueing a second
 * one behind it. Without Beehive (a single node) a lock of this JVM stands in.
 */
final class ClusterSyncLock implements SyncLock {
    private static final Lock LOCAL = new ReentrantLock();
    private final ClusterLockService locks;

    /** @param locks the cluster lock service, or null (a single node) */
    ClusterSyncLock(ClusterLockService locks) {
        this.locks = locks;
    }

    @Override
    public Held tryAcquire(String name) {
        Lock lock = locks == null ? LOCAL : locks.getLockForName(name);
        if (lock instanceof ReentrantLock && ((ReentrantLock) lock).isHeldByCurrentThread()) {
            return null; // a run already in progress on this thread: never nest two syncs
        }
        if (!lock.tryLock()) {
            return null;
        }
        return lock::unlock;
    }

    /** The Beehive lock itself, for tests. */
    ClusterLock clusterLock(String name) {
        return locks == null ? null : locks.getLockForName(name);
    }
}
