package io.albauth.sync;

import java.time.Instant;

/**
 * One {@link SyncJob#runOnce} outcome.
 *
 * @param status {@code applied}, {@code dry_run}, {@code refused}, {@code skipped} or {@code failed}
 * @param plan the plan, or null (skipped, or failed before planning)
 * @param result what applying did, or null
 * @param message for an admin, without personal data
 * @param at when the run ended
 */
public record SyncRun(String status, SyncPlan plan, SyncResult result, String message, Instant at) {
    @Override
    public String toString() {
        return "SyncRun[" + status + ": " + message + "]";
    }
}
