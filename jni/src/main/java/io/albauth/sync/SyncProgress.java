package io.albauth.sync;

/** Told after each batch {@link SyncApplier} applied (or re-ran action by action). */
@FunctionalInterface
public interface SyncProgress {
    /** {@code done} of {@code total} actions have been attempted. */
    void progress(int done, int total);
}
