package io.albauth.atlassian.host;

import com.atlassian.beehive.ClusterLock;
import com.atlassian.beehive.ClusterLockService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Beehive cluster locks as JVM locks, one per name (share an instance between two "nodes"). */
public final class FakeClusterLockService implements ClusterLockService {
    private final Map<String, Lock> locks = new ConcurrentHashMap<>();

    @Override
    public ClusterLock getLockForName(String lockName) {
        if (lockName.length() > 255) {
            throw new IllegalArgumentException("Beehive lock names are at most 255 characters");
        }
        return locks.computeIfAbsent(lockName, n -> new Lock());
    }

    /** Names of the locks asked for so far. */
    public java.util.Set<String> names() {
        return java.util.Set.copyOf(locks.keySet());
    }

    private static final class Lock implements ClusterLock {
        private final ReentrantLock lock = new ReentrantLock();

        @Override
        public void lock() {
            lock.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.lockInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return lock.tryLock();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return lock.tryLock(time, unit);
        }

        @Override
        public void unlock() {
            lock.unlock();
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("cluster locks have no conditions");
        }
    }
}
