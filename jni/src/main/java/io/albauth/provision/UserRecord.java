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
 */
public record UserRecord(String username, String displayName, String email, boolean active, List<String> groups,
        String idpId) {
    public UserRecord {
        Objects.requireNonNull(username, "username");
        groups = List.copyOf(groups);
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
        return sb.append("}}").toString();
    }

    /** Names the record's shape, never its values. */
    @Override
    public String toString() {
        return "UserRecord[" + (active ? "active" : "inactive") + ", " + groups.size() + " groups]";
    }
}
