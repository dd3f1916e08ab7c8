package io.albauth.provision;

import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.UpdateUser;
import java.util.function.Function;

/**
 * The host's user directory, as {@link PlanApplier} applies plans to it: the SPI a host
 * implements (the Jira/Confluence app over Crowd's {@code DirectoryManager}; the reference
 * {@link JdbcUserDirectory} over Crowd-shaped tables). The servlet filter finds one through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.albauth.provision.UserDirectory})
 * or by its {@code user-directory} init parameter (a class with a public no-argument
 * constructor), then calls {@link #init} with its init parameters.
 *
 * <p>Usernames are matched case-insensitively. One instance serves all request threads:
 * implementations are thread-safe. Exception messages must not contain personal data.
 */
public interface UserDirectory extends AutoCloseable {
    /**
     * Called once before use by a host that configures the directory from named settings (the
     * filter passes its init parameters). The default does nothing.
     */
    default void init(Function<String, String> settings) throws DirectoryException {}

    /** The user with this username (any case), or null. */
    UserRecord findByUsername(String username) throws DirectoryException;

    /** The user whose stored IdP id (attribute {@code idp_id}) is {@code idpId}, or null. */
    UserRecord findByIdpId(String idpId) throws DirectoryException;

    /**
     * Whether one more active user fits the host's licence. Checked before a creation or a
     * reactivation: without a seat the login is refused ({@code no_seat_available}) before
     * anything is changed.
     */
    boolean seatsAvailable() throws DirectoryException;

    /** Creates an active user with the action's attributes and IdP id, in no group. */
    void createUser(CreateUser user) throws DirectoryException;

    /** Changes exactly the fields the action lists (a rename, display name, e-mail, IdP id). */
    void updateUser(UpdateUser update) throws DirectoryException;

    /** Marks a deactivated user active. */
    void activateUser(String username) throws DirectoryException;

    /** Adds the user to the group, creating the group if the host has none of that name. */
    void addToGroup(String username, String group) throws DirectoryException;

    /** Removes the user from the group (nothing if not a member). */
    void removeFromGroup(String username, String group) throws DirectoryException;

    // Full directory sync (io.albauth.sync.SyncApplier). The defaults fail closed, so a
    // directory that predates the sync keeps compiling and refuses the sync's actions.

    /** Every user of the directory, in the order of their lowercased username, to {@code sink}. */
    default void listUsers(java.util.function.Consumer<UserRecord> sink) throws DirectoryException {
        throw unsupported("listUsers");
    }

    /** Marks the user deactivated (kept, groups kept). */
    default void deactivateUser(String username) throws DirectoryException {
        throw unsupported("deactivateUser");
    }

    /** Deletes the user and their memberships and attributes. */
    default void deleteUser(String username) throws DirectoryException {
        throw unsupported("deleteUser");
    }

    /**
     * Renames the user to {@code pseudonym}, sets display name {@code pseudonym} and e-mail
     * {@code email}, and deactivates; the IdP id is kept.
     */
    default void anonymizeUser(String username, String pseudonym, String email) throws DirectoryException {
        throw unsupported("anonymizeUser");
    }

    private DirectoryException unsupported(String method) {
        return new DirectoryException(getClass().getName() + " does not support full directory sync: " + method);
    }

    /**
     * Runs {@code work} against a view of this directory in which every change commits
     * together, or none does when {@code work} throws. A directory without transactions (such
     * as Crowd's {@code DirectoryManager}) runs {@code work} on itself and says so in its
     * documentation: a failure mid-plan then leaves the actions before it applied.
     */
    <T> T inTransaction(Work<T> work) throws DirectoryException;

    /**
     * Whether {@link #inTransaction} undoes every change when its work throws. A directory
     * without transactions answers false, and {@code SyncApplier} then applies a sync plan
     * action by action instead of in batches it would re-run: a re-run would repeat the
     * actions that had already applied and report them failed. The default is true.
     */
    default boolean transactional() {
        return true;
    }

    /** Releases what the directory holds. The default does nothing. */
    @Override
    default void close() {}

    /** Work run in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(UserDirectory directory) throws DirectoryException;
    }
}
