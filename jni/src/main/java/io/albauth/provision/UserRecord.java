package io.albauth.provision;

import java.util.List;
import java.util.Objects;

/**
 * The host's record of one user, as a {@link UserDirectory} finds it: what a login is planned
 * against. Immutable. {@link #toJson()} is the record shape the core reads
 * ({@code {"username", "display_name", "email", "active", "groups", "attributes": {"idp_id"}}}).
 *
 * @param username the host username (compared case-insensitively by the planner)
 * @param displayName full name, or null
 * @param email e-mail, or null
 * @param active false when the host deactivated the account
 * @param groups the host groups the user is in (copied, unmodifiable)
 * @param idpId the IdP's immutable id stored at creation (attribute {@code idp_id}), or null
 * @param managedBy for a full sync's listing: the name of another directory (LDAP, the
 *     product's own) that holds this user, whom the sync then never touches and never creates
 *     a second account for (attribute {@code managed_by}); null for the directory's own users
 */
public record UserRecord(String username, String displayName, String email, boolean active, List<String> groups,
        String idpId, String managedBy) {
    public UserRecord {
        Objects.requireNonNull(username, "username");
        groups = List.copyOf(groups);
    }

    /** A record of the directory's own (no {@code managedBy}). */
    public UserRecord(String username, String displayName, String email, boolean active, List<String> groups,
            String idpId) {
        this(username, displayName, email, active, groups, idpId, null);
    }

    /** A user another directory holds, as a sync's listing names them: the name is all that matters. */
    public static UserRecord managedElsewhere(String username, boolean active, String directory) {
        return new UserRecord(username, null, null, active, List.of(), null, Objects.requireNonNull(directory));
    }

    /** The record as the core's JSON shape. */
    public String toJson() {
        StringBuilder sb = new StringBuilder(96 + 32 * groups.size());
        sb.append("{\"username\":");
        JsonText.quote(sb, username);
        sb.append(",\"display_name\":");
        JsonText.quote(sb, displayName);
        sb.append(",\"email\":");
        JsonText.quote(sb, email);
        sb.append(",\"active\":").append(active).append(",\"groups\":[");
        for (int i = 0; i < groups.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonText.quote(sb, groups.get(i));
        }
        sb.append("],\"attributes\":{");
        if (idpId != null) {
            sb.append("\"idp_id\":");
            JsonText.quote(sb, idpId);
        }
        if (managedBy != null) {
            sb.append(idpId != null ? "," : "").append("\"managed_by\":");
            JsonText.quote(sb, managedBy);
        }
        return sb.append("}}").toString();
    }

    /** Names the record's shape, never its values. */
    @Override
    public String toString() {
        return "UserRecord[" + (active ? "active" : "inactive") + ", " + groups.size() + " groups]";
    }
}
