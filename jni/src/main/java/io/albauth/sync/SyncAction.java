package io.albauth.sync;

import io.albauth.provision.ProvisioningAction.Change;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One action of a {@link SyncPlan}: {@code create_user}, {@code update_user},
 * {@code reactivate_user}, {@code deactivate_user}, {@code delete_user},
 * {@code anonymize_user}, {@code add_to_group}, {@code remove_from_group}. {@code username} is
 * the host's username before the plan (the new one for {@code create_user}).
 *
 * <p>{@code toString()} names the action and the changed fields (and the group), never the user.
 *
 * @param name the action's snake_case name
 * @param username the host username
 * @param idpId the IdP id, or null
 * @param group the group of a group action, or null
 * @param changes field to old/new (update, anonymize, a restoring reactivate), sorted, unmodifiable
 * @param displayName {@code create_user}: the display name, or null
 * @param email {@code create_user}: the e-mail, or null
 * @param reason why
 */
public record SyncAction(String name, String username, String idpId, String group, Map<String, Change> changes,
        String displayName, String email, String reason) {
    public SyncAction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(username, "username");
        changes = changes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(changes));
        reason = reason == null ? "" : reason;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        if (!changes.isEmpty()) {
            sb.append(changes.keySet());
        }
        if (group != null) {
            sb.append(' ').append(group);
        }
        return sb.toString();
    }
}
