package io.albauth.sync;

import io.albauth.provision.DirectoryException;

/** A cluster-wide lock, so that one node at a time runs the sync. */
public interface SyncLock {
    /** The lock, or null when another node holds it (never waits long). */
    Held tryAcquire(String name) throws DirectoryException;

    /** A held lock; {@link #close()} releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
