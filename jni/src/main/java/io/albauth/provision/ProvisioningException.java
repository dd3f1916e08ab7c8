package io.albauth.provision;

/**
 * A login could not be provisioned: refused by the plan or the licence, or failed in the user
 * directory. {@link #code()} is stable; {@link #action()} is the action that was refused or
 * failed (null when none was under way, e.g. a lookup failed or the plan itself refused). The
 * message names the code, the action and why, never the user.
 */
public final class ProvisioningException extends Exception {
    private static final long serialVersionUID = 1L;

    /** No licence seat left for a new or reactivated user ({@link UserDirectory#seatsAvailable()}). */
    public static final String NO_SEAT_AVAILABLE = "no_seat_available";
    /** The user directory failed; nothing of the plan was applied (when it has transactions). */
    public static final String PROVISIONING_FAILED = "provisioning_failed";

    private final String code;
    private final transient ProvisioningAction action;
    private final boolean refusal;

    private ProvisioningException(String code, String message, ProvisioningAction action, boolean refusal,
            Throwable cause) {
        super(message, cause);
        this.code = code;
        this.action = action;
        this.refusal = refusal;
    }

    /** The plan refused the login (its code and detail). */
    static ProvisioningException refused(ProvisioningPlan plan) {
        return new ProvisioningException(plan.refused(), plan.refused() + ": " + plan.detail(), null, true, null);
    }

    /** No seat for {@code action} (a creation or a reactivation). */
    static ProvisioningException noSeat(ProvisioningAction action) {
        return new ProvisioningException(NO_SEAT_AVAILABLE, NO_SEAT_AVAILABLE + ": " + action.name()
                + " refused: the user directory has no licence seat left", action, true, null);
    }

    /** The directory failed during {@code action} (null: outside any action). */
    static ProvisioningException failed(ProvisioningAction action, DirectoryException cause) {
        String where = action == null ? "looking up the user" : action.toString();
        return new ProvisioningException(PROVISIONING_FAILED, PROVISIONING_FAILED + ": " + where
                + " failed in the user directory: " + cause.getMessage(), action, false, cause);
    }

    /**
     * The stable code: a plan's refusal ({@code user_inactive}, {@code unknown_user},
     * {@code not_allowed}, {@code record_mismatch}), {@value #NO_SEAT_AVAILABLE}, or
     * {@value #PROVISIONING_FAILED}.
     */
    public String code() {
        return code;
    }

    /** The action refused or failed, or null. */
    public ProvisioningAction action() {
        return action;
    }

    /**
     * True when the login is refused by policy (the plan, or no seat): the user cannot get in
     * until an admin acts. False when the directory failed (trying again may work).
     */
    public boolean isRefusal() {
        return refusal;
    }
}
