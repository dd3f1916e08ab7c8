package io.albauth.provision;

import io.albauth.AlbAuth;
import io.albauth.Decision;
import io.albauth.provision.ProvisioningAction.AddToGroup;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.ReactivateUser;
import io.albauth.provision.ProvisioningAction.RemoveFromGroup;
import io.albauth.provision.ProvisioningAction.UpdateUser;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Applies provisioning plans to a {@link UserDirectory}. {@link #provision(Decision)} is the
 * whole login step: look the user up (by stored IdP id first, then by username), plan with the
 * verifier's {@code provisioning} settings, apply; in one transaction of the directory.
 *
 * <p>Before a creation or reactivation, {@link UserDirectory#seatsAvailable()} is asked: with no
 * seat left the login is refused ({@code no_seat_available}) before anything changes. A
 * {@link DirectoryConflictException} (another node created the same user, or added the same
 * membership, at the same moment) rolls the transaction back; the record is read again, planned
 * again and applied once more, so both logins succeed and the user exists once. Every failure is
 * a {@link ProvisioningException} naming the action that failed.
 *
 * <p>Thread-safe: one instance serves all request threads.
 */
public final class PlanApplier {
    /** Attempts of one login: the first, and one more after a conflict. */
    static final int ATTEMPTS = 2;

    private static final Logger LOG = Logger.getLogger("io.albauth");

    private final AlbAuth auth;
    private final UserDirectory directory;

    public PlanApplier(AlbAuth auth, UserDirectory directory) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Provisions the verified user of {@code decision}: returns the plan that was applied (empty
     * when nothing had to change).
     *
     * @throws ProvisioningException if the plan refuses the login, no seat is left, or the
     *     directory fails (twice, for a conflict)
     * @throws io.albauth.AlbAuthArgumentException if {@code decision} is not authenticated
     */
    public ProvisioningPlan provision(Decision decision) throws ProvisioningException {
        String idpId = auth.idpIdOf(decision);
        for (int attempt = 1;; attempt++) {
            Progress progress = new Progress();
            try {
                return directory.inTransaction(d -> {
                    UserRecord current = idpId == null ? null : d.findByIdpId(idpId);
                    if (current == null) {
                        current = d.findByUsername(decision.username());
                    }
                    progress.plan = auth.planLogin(decision, current);
                    applyIn(d, progress.plan, progress);
                    return progress.plan;
                });
            } catch (DirectoryConflictException e) {
                if (attempt == ATTEMPTS) {
                    throw ProvisioningException.failed(progress.action, e);
                }
                LOG.fine(() -> "albauth: provisioning met a concurrent change at " + progress.action
                        + "; read again and planned again");
            } catch (DirectoryException e) {
                throw ProvisioningException.failed(progress.action, e);
            } catch (RefusedSignal r) {
                throw r.refusal;
            }
        }
    }

    /**
     * What {@link #provision} would apply for {@code decision}, changing nothing: the user is looked
     * up the same way (stored IdP id, then username) and the plan returned as it stands, refusals
     * included. For an admin's "test a login" page and the check tool's view of a login.
     *
     * @throws DirectoryException if the directory cannot be read
     * @throws io.albauth.AlbAuthArgumentException if {@code decision} is not authenticated
     */
    public ProvisioningPlan preview(Decision decision) throws DirectoryException {
        String idpId = auth.idpIdOf(decision);
        UserRecord current = idpId == null ? null : directory.findByIdpId(idpId);
        if (current == null) {
            current = directory.findByUsername(decision.username());
        }
        return auth.planLogin(decision, current);
    }

    /**
     * Applies a plan as it is, in one transaction of the directory (no lookup, no re-plan).
     *
     * @throws ProvisioningException if the plan is refused, no seat is left, or an action fails
     */
    public void apply(ProvisioningPlan plan) throws ProvisioningException {
        Progress progress = new Progress();
        try {
            directory.inTransaction(d -> {
                applyIn(d, plan, progress);
                return null;
            });
        } catch (DirectoryException e) {
            throw ProvisioningException.failed(progress.action, e);
        } catch (RefusedSignal r) {
            throw r.refusal;
        }
    }

    /** What is under way, for the report of a failure. */
    private static final class Progress {
        ProvisioningPlan plan;
        ProvisioningAction action;
    }

    /**
     * Carries a refusal out of {@link UserDirectory.Work} (which may throw only
     * {@link DirectoryException}), so that the directory rolls back whatever it holds.
     */
    private static final class RefusedSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ProvisioningException refusal;

        RefusedSignal(ProvisioningException refusal) {
            super(refusal.code(), null, false, false);
            this.refusal = refusal;
        }
    }

    private static void applyIn(UserDirectory d, ProvisioningPlan plan, Progress progress) throws DirectoryException {
        if (!plan.isAllowed()) {
            throw new RefusedSignal(ProvisioningException.refused(plan));
        }
        for (ProvisioningAction a : plan.actions()) {
            if (a instanceof CreateUser || a instanceof ReactivateUser) {
                progress.action = a;
                if (!d.seatsAvailable()) {
                    throw new RefusedSignal(ProvisioningException.noSeat(a));
                }
            }
        }
        for (ProvisioningAction a : plan.actions()) {
            progress.action = a;
            if (a instanceof CreateUser) {
                d.createUser((CreateUser) a);
            } else if (a instanceof UpdateUser) {
                d.updateUser((UpdateUser) a);
            } else if (a instanceof ReactivateUser) {
                d.activateUser(a.username());
            } else if (a instanceof AddToGroup) {
                d.addToGroup(currentName(plan, a), ((AddToGroup) a).group());
            } else if (a instanceof RemoveFromGroup) {
                d.removeFromGroup(currentName(plan, a), ((RemoveFromGroup) a).group());
            }
        }
        progress.action = null;
    }

    /**
     * The username to address after the plan's rename, if any: every action names the host's
     * username before the plan, and an {@link UpdateUser} that renames comes before the group
     * actions.
     */
    private static String currentName(ProvisioningPlan plan, ProvisioningAction a) {
        for (ProvisioningAction earlier : plan.actions()) {
            if (earlier == a) {
                break;
            }
            if (earlier instanceof UpdateUser && ((UpdateUser) earlier).changes(UpdateUser.USERNAME)) {
                return ((UpdateUser) earlier).newValue(UpdateUser.USERNAME);
            }
        }
        return a.username();
    }
}
