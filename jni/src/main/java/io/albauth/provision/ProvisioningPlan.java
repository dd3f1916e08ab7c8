package io.albauth.provision;

import java.util.List;
import java.util.Objects;

/**
 * What a login must change in the host's user directory, or why it is refused: the result of
 * {@link io.albauth.AlbAuth#planLogin}. Immutable. A refused plan has no actions.
 *
 * <p>Actions come in order: {@code create_user}, or {@code reactivate_user} and
 * {@code update_user}; then group additions; then removals. {@code toString()} names the refusal
 * or the actions, never the user.
 */
public final class ProvisioningPlan {
    private final String refused;
    private final String detail;
    private final List<ProvisioningAction> actions;

    /**
     * @param refused null, or the refusal code ({@code user_inactive}, {@code unknown_user},
     *     {@code not_allowed}, {@code record_mismatch})
     * @param detail for a refusal, why, for an admin (configuration names only); may be null
     * @param actions what to change; must be empty for a refused plan
     */
    public ProvisioningPlan(String refused, String detail, List<ProvisioningAction> actions) {
        this.actions = List.copyOf(actions);
        if (refused != null && !this.actions.isEmpty()) {
            throw new IllegalArgumentException("a refused plan has no actions");
        }
        this.refused = refused;
        this.detail = detail;
    }

    /** Whether the login may proceed (nothing refused). */
    public boolean isAllowed() {
        return refused == null;
    }

    /** The refusal code, or null when the login may proceed. */
    public String refused() {
        return refused;
    }

    /** For a refusal, why (names configuration fields, never personal data); else null. */
    public String detail() {
        return detail;
    }

    /** The actions, in order; unmodifiable, empty when nothing changes or the login is refused. */
    public List<ProvisioningAction> actions() {
        return actions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProvisioningPlan
                && Objects.equals(refused, ((ProvisioningPlan) o).refused)
                && Objects.equals(detail, ((ProvisioningPlan) o).detail)
                && actions.equals(((ProvisioningPlan) o).actions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(refused, detail, actions);
    }

    @Override
    public String toString() {
        return refused != null ? "ProvisioningPlan[refused " + refused + "]" : "ProvisioningPlan" + actions;
    }
}
