package io.albauth.provision;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One state change a {@link ProvisioningPlan} asks of the host's user directory, with why. Each
 * names the host {@link #username()} it applies to (for {@link UpdateUser}, the username the host
 * has now, before a rename). Immutable.
 *
 * <p>{@code toString()} names the action (and the group, for group actions), never the user: an
 * action is safe to log.
 */
public sealed interface ProvisioningAction {
    /** The host username the action applies to. */
    String username();

    /** Why it was planned, for an admin (never empty). */
    String reason();

    /** The stable snake_case name: {@code create_user}, {@code update_user}, ... */
    String name();

    /** Create the account; its groups follow as {@link AddToGroup} actions. */
    record CreateUser(String username, String displayName, String email, String idpId, String reason)
            implements ProvisioningAction {
        public CreateUser {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "create_user";
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /**
     * Change exactly the listed fields: {@link #USERNAME} (a rename), {@link #DISPLAY_NAME},
     * {@link #EMAIL}, {@link #IDP_ID}.
     */
    record UpdateUser(String username, Map<String, Change> changes, String reason) implements ProvisioningAction {
        /** The field of a rename. */
        public static final String USERNAME = "username";
        /** The full-name field. */
        public static final String DISPLAY_NAME = "display_name";
        /** The e-mail field. */
        public static final String EMAIL = "email";
        /** The IdP's immutable id, stored as the user attribute {@code idp_id}. */
        public static final String IDP_ID = "idp_id";

        /** The changes, sorted by field name and unmodifiable. */
        public UpdateUser {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(reason, "reason");
            changes = Collections.unmodifiableMap(new TreeMap<>(changes));
        }

        /** Whether {@code field} changes. */
        public boolean changes(String field) {
            return changes.containsKey(field);
        }

        /** The IdP's value of a changed field; null when it does not change (or becomes null). */
        public String newValue(String field) {
            Change c = changes.get(field);
            return c == null ? null : c.newValue();
        }

        @Override
        public String name() {
            return "update_user";
        }

        @Override
        public String toString() {
            return name() + changes.keySet();
        }
    }

    /** One field's change in an {@link UpdateUser}: the host's value and the IdP's (either may be null). */
    record Change(String oldValue, String newValue) {
        @Override
        public String toString() {
            return "Change";
        }
    }

    /** Reactivate an account the host deactivated. */
    record ReactivateUser(String username, String reason) implements ProvisioningAction {
        public ReactivateUser {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "reactivate_user";
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** Add the user to a host group. */
    record AddToGroup(String username, String group, String reason) implements ProvisioningAction {
        public AddToGroup {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "add_to_group";
        }

        @Override
        public String toString() {
            return name() + " " + group;
        }
    }

    /** Remove the user from a host group that albauth manages. */
    record RemoveFromGroup(String username, String group, String reason) implements ProvisioningAction {
        public RemoveFromGroup {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "remove_from_group";
        }

        @Override
        public String toString() {
            return name() + " " + group;
        }
    }
}
