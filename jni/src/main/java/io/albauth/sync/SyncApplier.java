package io.albauth.sync;

import io.albauth.provision.DirectoryException;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.UpdateUser;
import io.albauth.provision.UserDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies a {@link SyncPlan} to a {@link UserDirectory}: in batches, each batch one
 * {@link UserDirectory#inTransaction}. A batch that fails is re-run action by action (each its
 * own transaction), so the failing action is recorded and the others still apply; a directory
 * that is not {@link UserDirectory#transactional() transactional} (Crowd) is applied action by
 * action from the start, so nothing is applied twice. A creation or
 * reactivation without a free seat fails (recorded); the rest continue.
 */
public final class SyncApplier {
    private final UserDirectory dir;

    public SyncApplier(UserDirectory dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** Thrown for a seat-less creation or reactivation. */
    private static final class NoSeat extends DirectoryException {
        private static final long serialVersionUID = 1L;

        NoSeat() {
            super("no seat available");
        }
    }

    /**
     * @throws IllegalStateException the plan was refused (brake, incomplete listing)
     */
    public SyncResult apply(SyncPlan plan, int batchSize, SyncProgress progress) {
        Objects.requireNonNull(plan, "plan");
        if (plan.refused() != null) {
            throw new IllegalStateException("the sync plan was refused (" + plan.refused() + "): not applying it");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be 1 or more");
        }
        List<SyncAction> actions = plan.actions();
        int total = actions.size();
        int applied = 0;
        List<SyncResult.Failure> failed = new ArrayList<>();
        for (int from = 0; from < total; from += batchSize) {
            int to = Math.min(total, from + batchSize);
            List<SyncAction> batch = actions.subList(from, to);
            if (!dir.transactional()) {
                applied += oneByOne(actions, from, to, failed);
            } else {
                try {
                    dir.inTransaction(d -> {
                        for (SyncAction a : batch) {
                            one(d, a);
                        }
                        return null;
                    });
                    applied += batch.size();
                } catch (DirectoryException | RuntimeException batchFailed) {
                    applied += oneByOne(actions, from, to, failed); // the batch was rolled back
                }
            }
            if (progress != null) {
                progress.progress(to, total);
            }
        }
        return new SyncResult(plan, applied, failed);
    }

    /** Applies actions {@code from..to} each in its own transaction; returns how many applied. */
    private int oneByOne(List<SyncAction> actions, int from, int to, List<SyncResult.Failure> failed) {
        int applied = 0;
        for (int i = from; i < to; i++) {
            SyncAction a = actions.get(i);
            try {
                dir.inTransaction(d -> {
                    one(d, a);
                    return null;
                });
                applied++;
            } catch (DirectoryException | RuntimeException e) {
                failed.add(new SyncResult.Failure(i, a.name(), message(e)));
            }
        }
        return applied;
    }

    /** A directory's message (written without personal data); other exceptions by class only. */
    private static String message(Exception e) {
        if (e instanceof DirectoryException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName();
    }

    private static void one(UserDirectory d, SyncAction a) throws DirectoryException {
        switch (a.name()) {
            case "create_user":
                if (!d.seatsAvailable()) {
                    throw new NoSeat();
                }
                d.createUser(new CreateUser(a.username(), a.displayName(), a.email(), a.idpId(), a.reason()));
                break;
            case "update_user":
                d.updateUser(new UpdateUser(a.username(), a.changes(), a.reason()));
                break;
            case "reactivate_user": {
                if (!d.seatsAvailable()) {
                    throw new NoSeat();
                }
                String name = a.username();
                if (!a.changes().isEmpty()) {
                    UpdateUser u = new UpdateUser(a.username(), a.changes(), a.reason());
                    d.updateUser(u);
                    if (u.changes(UpdateUser.USERNAME)) {
                        name = u.newValue(UpdateUser.USERNAME);
                    }
                }
                d.activateUser(name);
                break;
            }
            case "deactivate_user":
                d.deactivateUser(a.username());
                break;
            case "delete_user":
                d.deleteUser(a.username());
                break;
            case "anonymize_user": {
                var u = a.changes().get(UpdateUser.USERNAME);
                var e = a.changes().get(UpdateUser.EMAIL);
                var n = a.changes().get(UpdateUser.DISPLAY_NAME);
                String pseudonym = u != null ? u.newValue() : n != null ? n.newValue() : a.username();
                d.anonymizeUser(a.username(), pseudonym, e != null ? e.newValue() : null);
                break;
            }
            case "add_to_group":
                d.addToGroup(a.username(), a.group());
                break;
            case "remove_from_group":
                d.removeFromGroup(a.username(), a.group());
                break;
            default:
                throw new DirectoryException("unknown sync action " + a.name());
        }
    }
}
