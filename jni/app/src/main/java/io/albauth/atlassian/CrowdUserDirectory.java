package io.albauth.atlassian;

import com.atlassian.beehive.ClusterLock;
import com.atlassian.beehive.ClusterLockService;
import com.atlassian.crowd.embedded.api.CrowdDirectoryService;
import com.atlassian.crowd.embedded.api.CrowdService;
import com.atlassian.crowd.embedded.api.Directory;
import com.atlassian.crowd.embedded.api.DirectoryType;
import com.atlassian.crowd.embedded.api.OperationType;
import com.atlassian.crowd.embedded.api.PasswordCredential;
import com.atlassian.crowd.exception.CrowdException;
import com.atlassian.crowd.exception.GroupNotFoundException;
import com.atlassian.crowd.exception.InvalidGroupException;
import com.atlassian.crowd.exception.MembershipAlreadyExistsException;
import com.atlassian.crowd.exception.MembershipNotFoundException;
import com.atlassian.crowd.exception.UserAlreadyExistsException;
import com.atlassian.crowd.exception.UserNotFoundException;
import com.atlassian.crowd.manager.directory.DirectoryManager;
import com.atlassian.crowd.model.directory.DirectoryImpl;
import com.atlassian.crowd.model.group.GroupTemplate;
import com.atlassian.crowd.model.user.UserTemplate;
import com.atlassian.crowd.model.user.UserWithAttributes;
import com.atlassian.crowd.search.EntityDescriptor;
import com.atlassian.crowd.search.builder.QueryBuilder;
import com.atlassian.crowd.search.builder.Restriction;
import com.atlassian.crowd.search.query.entity.EntityQuery;
import com.atlassian.crowd.search.query.entity.restriction.NullRestrictionImpl;
import com.atlassian.crowd.search.query.entity.restriction.PropertyUtils;
import com.atlassian.crowd.search.query.membership.GroupMembershipQuery;
import io.albauth.provision.DirectoryConflictException;
import io.albauth.provision.DirectoryException;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.UpdateUser;
import io.albauth.provision.UserDirectory;
import io.albauth.provision.UserRecord;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Provisioning into the product through Crowd's {@link DirectoryManager}, always in one dedicated
 * internal directory (the one the admin named, else the one this app created, named
 * {@value #DIRECTORY_NAME}): never LDAP, never the product's own internal directory. A user
 * another directory holds is planned against as they are there (so the plan's refusals apply)
 * but never created again here nor changed: a same-named user in two directories is one the
 * product resolves by directory order. The mapping
 * is jni/README.md's table. New users get a random 32-byte password nobody knows: they sign in
 * through the ALB only.
 *
 * <p>Crowd's calls are not one transaction, so {@link #inTransaction} runs the plan under a
 * cluster lock for the user (nodes never interleave one user's plan); a failure mid-plan leaves
 * the earlier actions applied and the next login plans the rest.
 *
 * <p>Full directory sync ({@code io.albauth.sync}): {@link #listUsers} is the snapshot: the app's
 * directory's users in full, and the other active directories' users (LDAP, the product's
 * internal directory) by name only, as {@link UserRecord#managedElsewhere}, so the planner never
 * acts on them nor plans a second account of their name (it reports the IdP user as a conflict).
 * {@link #deactivateUser}, {@link #deleteUser} (Crowd's {@code removeUser}) and
 * {@link #anonymizeUser} act on the app's directory by id, so a user of another directory is
 * never touched, not even one of the same name; should a plan still ask to create a user another
 * directory holds (one added there since the listing), {@link #createUser} skips (logged without
 * the name, no exception), and the group actions that follow for them skip too, as at login.
 * Crowd has no transactions: {@link #transactional()} is false, so {@code SyncApplier} applies a
 * sync plan action by action (a failed action is reported and the next one runs), never a batch
 * it would re-run.
 */
final class CrowdUserDirectory implements UserDirectory {
    static final String DIRECTORY_NAME = "albauth (ALB sign-in)";
    static final String IDP_ID = "idp_id";
    private static final Logger LOG = Logger.getLogger("io.albauth");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DirectoryManager directories;
    private final CrowdDirectoryService directoryService;
    private final CrowdService crowd;
    private final ConfigStore store;
    private final Product product;
    private final ClusterLockService locks;
    private volatile Long directoryId;

    /** @param locks the cluster lock service, or null (a single node) */
    CrowdUserDirectory(DirectoryManager directories, CrowdDirectoryService directoryService, CrowdService crowd,
            ConfigStore store, Product product, ClusterLockService locks) {
        this.directories = Objects.requireNonNull(directories, "directories");
        this.directoryService = Objects.requireNonNull(directoryService, "directoryService");
        this.crowd = Objects.requireNonNull(crowd, "crowd");
        this.store = Objects.requireNonNull(store, "store");
        this.product = Objects.requireNonNull(product, "product");
        this.locks = locks;
    }

    /**
     * The dedicated directory's id: the stored one if it still exists, else a directory named
     * {@value #DIRECTORY_NAME}, else a new internal directory of that name (stored for every node).
     */
    long dir() throws DirectoryException {
        Long id = directoryId;
        if (id != null) {
            return id;
        }
        synchronized (this) {
            if (directoryId != null) {
                return directoryId;
            }
            Long stored = store.directoryId();
            if (stored != null && directoryService.findDirectoryById(stored) != null) {
                directoryId = stored;
                return stored;
            }
            ClusterLock lock = locks == null ? null : locks.getLockForName("io.albauth.directory");
            if (lock != null) {
                lock.lock();
            }
            try {
                for (Directory d : directoryService.findAllDirectories()) {
                    if (DIRECTORY_NAME.equals(d.getName())) {
                        return remember(d.getId());
                    }
                }
                DirectoryImpl d = new DirectoryImpl(DIRECTORY_NAME, DirectoryType.INTERNAL,
                        "com.atlassian.crowd.directory.InternalDirectory");
                d.setDescription("Users signed in through the AWS ALB (albauth app); managed by the app");
                d.setActive(true);
                d.setAllowedOperations(EnumSet.of(OperationType.CREATE_USER, OperationType.UPDATE_USER,
                        OperationType.UPDATE_USER_ATTRIBUTE, OperationType.CREATE_GROUP, OperationType.UPDATE_GROUP,
                        OperationType.DELETE_USER));
                d.setAttribute("user_encryption_method", "atlassian-security");
                Directory added = directoryService.addDirectory(d);
                LOG.info("albauth: created the internal directory \"" + DIRECTORY_NAME + "\" for ALB users");
                return remember(added.getId());
            } catch (CrowdException e) {
                throw new DirectoryException("cannot create the albauth directory: " + e.getClass().getSimpleName(), e);
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
            }
        }
    }

    private long remember(long id) {
        store.useDirectory(id);
        directoryId = id;
        return id;
    }

    @Override
    public UserRecord findByUsername(String username) throws DirectoryException {
        long dir = dir();
        lockFor("user", username);
        try {
            return record(dir, directories.findUserWithAttributesByName(dir, username));
        } catch (UserNotFoundException e) {
            long other = otherDirectory(dir, username);
            if (other < 0) {
                return null;
            }
            try {
                return record(other, directories.findUserWithAttributesByName(other, username));
            } catch (UserNotFoundException gone) {
                return null;
            } catch (CrowdException failed) {
                throw failed("find user", failed);
            }
        } catch (CrowdException e) {
            throw failed("find user", e);
        }
    }

    /**
     * The id of the other directory (LDAP, the product's internal one) that holds
     * {@code username}, or -1. Such a user is planned against as they are, but never changed:
     * the app manages its own directory only, and a same-named user here would hide behind
     * theirs (or hide it).
     */
    private long otherDirectory(long dir, String username) {
        com.atlassian.crowd.embedded.api.User other = crowd.getUser(username);
        return other == null || other.getDirectoryId() == dir ? -1 : other.getDirectoryId();
    }

    /**
     * The name of the other directory that holds {@code username} (whose user provisioning
     * plans against but never changes), or null when the user is in the app's directory or
     * nowhere yet.
     */
    String otherDirectoryName(String username) throws DirectoryException {
        long other = otherDirectory(dir(), username);
        if (other < 0) {
            return null;
        }
        Directory d = directoryService.findDirectoryById(other);
        return d == null ? "#" + other : d.getName();
    }

    /** Whether a change to {@code username} is skipped: the user lives in another directory. */
    private boolean elsewhere(long dir, String username, String change) {
        long other = otherDirectory(dir, username);
        if (other < 0) {
            return false;
        }
        LOG.fine(() -> "albauth: provisioning skipped a change (" + change + ") to a user of directory " + other
                + ", which the app does not manage");
        return true;
    }

    @Override
    public UserRecord findByIdpId(String idpId) throws DirectoryException {
        long dir = dir();
        lockFor("idp", idpId);
        try {
            EntityQuery<String> query = QueryBuilder.queryFor(String.class, EntityDescriptor.user())
                    .with(Restriction.on(PropertyUtils.ofTypeString(IDP_ID)).exactlyMatching(idpId))
                    .returningAtMost(2);
            List<String> names = directories.searchUsers(dir, query);
            if (names.isEmpty()) {
                return null;
            }
            if (names.size() > 1) {
                throw new DirectoryException("two users in the albauth directory carry the same idp_id");
            }
            return record(dir, directories.findUserWithAttributesByName(dir, names.get(0)));
        } catch (UserNotFoundException e) {
            return null; // renamed or removed meanwhile
        } catch (CrowdException e) {
            throw failed("find user by idp_id", e);
        }
    }

    private UserRecord record(long dir, UserWithAttributes user) throws CrowdException {
        List<String> groups = directories.searchDirectGroupRelationships(dir, new GroupMembershipQuery<>(String.class,
                false, EntityDescriptor.user(), EntityDescriptor.group(), 0, EntityQuery.ALL_RESULTS,
                NullRestrictionImpl.INSTANCE, user.getName()));
        return new UserRecord(user.getName(), user.getDisplayName(), user.getEmailAddress(), user.isActive(), groups,
                user.getValue(IDP_ID));
    }

    @Override
    public boolean seatsAvailable() throws DirectoryException {
        return product.seatsAvailable();
    }

    @Override
    public void createUser(CreateUser user) throws DirectoryException {
        long dir = dir();
        long other = otherDirectory(dir, user.username());
        if (other >= 0) {
            // A full sync lists only this directory, so it plans a creation for an IdP user whom
            // LDAP or the product's internal directory holds: they stay theirs, nothing is copied.
            LOG.info(() -> "albauth: a user was not created in the albauth directory: directory " + other
                    + ", which the app does not manage, holds that username");
            return;
        }
        UserTemplate t = new UserTemplate(user.username(), dir);
        t.setActive(true);
        t.setDisplayName(user.displayName() == null ? user.username() : user.displayName());
        t.setEmailAddress(user.email() == null ? "" : user.email());
        t.setFirstName("");
        t.setLastName(t.getDisplayName());
        try {
            directories.addUser(dir, t, PasswordCredential.unencrypted(randomPassword()));
            if (user.idpId() != null) {
                directories.storeUserAttributes(dir, user.username(), Map.of(IDP_ID, Set.of(user.idpId())));
            }
        } catch (UserAlreadyExistsException e) {
            throw new DirectoryConflictException("the user was created meanwhile", e);
        } catch (CrowdException e) {
            throw failed("create user", e);
        }
    }

    @Override
    public void updateUser(UpdateUser update) throws DirectoryException {
        long dir = dir();
        String name = update.username();
        if (elsewhere(dir, name, "update")) {
            return;
        }
        try {
            if (update.changes(UpdateUser.USERNAME)) {
                String to = update.newValue(UpdateUser.USERNAME);
                directories.renameUser(dir, name, to);
                name = to;
            }
            if (update.changes(UpdateUser.DISPLAY_NAME) || update.changes(UpdateUser.EMAIL)) {
                UserTemplate t = new UserTemplate(directories.findUserByName(dir, name));
                if (update.changes(UpdateUser.DISPLAY_NAME)) {
                    String display = update.newValue(UpdateUser.DISPLAY_NAME);
                    t.setDisplayName(display == null ? name : display);
                }
                if (update.changes(UpdateUser.EMAIL)) {
                    String email = update.newValue(UpdateUser.EMAIL);
                    t.setEmailAddress(email == null ? "" : email);
                }
                directories.updateUser(dir, t);
            }
            if (update.changes(UpdateUser.IDP_ID)) {
                String id = update.newValue(UpdateUser.IDP_ID);
                if (id != null) {
                    directories.storeUserAttributes(dir, name, Map.of(IDP_ID, Set.of(id)));
                }
            }
        } catch (UserAlreadyExistsException e) {
            throw new DirectoryConflictException("the new username is taken", e);
        } catch (CrowdException e) {
            throw failed("update user", e);
        }
    }

    @Override
    public void activateUser(String username) throws DirectoryException {
        long dir = dir();
        if (elsewhere(dir, username, "reactivate")) {
            return; // still inactive there: the login handler refuses it
        }
        try {
            UserTemplate t = new UserTemplate(directories.findUserByName(dir, username));
            t.setActive(true);
            directories.updateUser(dir, t);
        } catch (CrowdException e) {
            throw failed("reactivate user", e);
        }
    }

    @Override
    public void addToGroup(String username, String group) throws DirectoryException {
        long dir = dir();
        if (elsewhere(dir, username, "add to group")) {
            return;
        }
        try {
            try {
                directories.addUserToGroup(dir, username, group);
            } catch (GroupNotFoundException missing) {
                try {
                    directories.addGroup(dir, new GroupTemplate(group, dir));
                } catch (InvalidGroupException exists) {
                    throw new DirectoryConflictException("the group was created meanwhile", exists);
                }
                directories.addUserToGroup(dir, username, group);
            }
        } catch (MembershipAlreadyExistsException e) {
            throw new DirectoryConflictException("the membership was added meanwhile", e);
        } catch (CrowdException e) {
            throw failed("add to group", e);
        }
    }

    @Override
    public void removeFromGroup(String username, String group) throws DirectoryException {
        long dir = dir();
        if (elsewhere(dir, username, "remove from group")) {
            return;
        }
        try {
            directories.removeUserFromGroup(dir, username, group);
        } catch (MembershipNotFoundException | GroupNotFoundException e) {
            // not a member: nothing to do
        } catch (CrowdException e) {
            throw failed("remove from group", e);
        }
    }

    // Full directory sync. Every method that changes a user works on the app's own directory by
    // its id, so a user of another directory (LDAP, the product's internal one) is never touched,
    // even one of the same name; listUsers names them, as managed elsewhere.

    /**
     * Every user of the app's directory, each with its {@code idp_id} and direct groups, and by
     * name only ({@link UserRecord#managedElsewhere}) every user of the other active directories
     * whose name the app's directory does not hold; ordered by lowercased username. The names come
     * a page of {@value #PAGE} at a time
     * ({@code searchUsers} with a start index), then each user is read on its own
     * ({@code findUserWithAttributesByName}, {@code searchDirectGroupRelationships}), so
     * only the names of a large directory are ever held at once. A name seen twice (a creation
     * between two pages shifts them) is listed once; a user removed meanwhile is left out.
     */
    @Override
    public void listUsers(Consumer<UserRecord> sink) throws DirectoryException {
        listUsers(sink, PAGE);
    }

    /**
     * {@link #listUsers(Consumer)} asking Crowd for {@code pageSize} names at a time. The app's
     * own users come with attributes and groups; then every user of the other active
     * directories (LDAP, the product's internal one) whose name the app's directory does not
     * hold, as {@link UserRecord#managedElsewhere}: the planner never touches them and never
     * plans a second account of their name (it reports the IdP user as a conflict instead of
     * proposing a creation this class would skip, run after run). Only names are held in
     * memory, sorted by lowercased name.
     */
    void listUsers(Consumer<UserRecord> sink, int pageSize) throws DirectoryException {
        long dir = dir();
        TreeMap<String, String> names = new TreeMap<>();
        Map<String, String> elsewhere = new java.util.HashMap<>(); // lowercased name -> directory name
        try {
            names(dir, pageSize, n -> names.putIfAbsent(n.toLowerCase(Locale.ROOT), n));
            for (Directory other : directoryService.findAllDirectories()) {
                if (other.getId() == null || other.getId() == dir || !other.isActive()) {
                    continue;
                }
                String dirName = other.getName() == null ? "#" + other.getId() : other.getName();
                names(other.getId(), pageSize, n -> {
                    String key = n.toLowerCase(Locale.ROOT);
                    if (names.putIfAbsent(key, n) == null) {
                        elsewhere.put(key, dirName);
                    }
                });
            }
            for (Map.Entry<String, String> e : names.entrySet()) {
                String other = elsewhere.get(e.getKey());
                if (other != null) {
                    sink.accept(UserRecord.managedElsewhere(e.getValue(), true, other));
                    continue;
                }
                UserWithAttributes user;
                try {
                    user = directories.findUserWithAttributesByName(dir, e.getValue());
                } catch (UserNotFoundException gone) {
                    continue; // removed since the listing: not in the snapshot
                }
                sink.accept(record(dir, user));
            }
        } catch (CrowdException e) {
            throw failed("list users", e);
        }
    }

    /** Every user name of directory {@code id}, {@code pageSize} at a time. */
    private void names(long id, int pageSize, Consumer<String> sink) throws CrowdException {
        for (int start = 0;; start += pageSize) {
            List<String> page = directories.searchUsers(id, QueryBuilder.queryFor(String.class,
                    EntityDescriptor.user(), NullRestrictionImpl.INSTANCE, start, pageSize));
            page.forEach(sink);
            if (page.size() < pageSize) {
                return;
            }
        }
    }

    /** Users a page of {@link #listUsers} asks Crowd for. */
    static final int PAGE = 1000;

    @Override
    public void deactivateUser(String username) throws DirectoryException {
        long dir = dir();
        try {
            UserTemplate t = new UserTemplate(directories.findUserByName(dir, username));
            t.setActive(false);
            directories.updateUser(dir, t);
        } catch (UserNotFoundException e) {
            throw new DirectoryException("deactivate user: no such user in the albauth directory", e);
        } catch (CrowdException e) {
            throw failed("deactivate user", e);
        }
    }

    /** Crowd's {@code removeUser}: the user, their memberships and attributes go. */
    @Override
    public void deleteUser(String username) throws DirectoryException {
        long dir = dir();
        try {
            directories.removeUser(dir, username);
        } catch (UserNotFoundException e) {
            throw new DirectoryException("delete user: no such user in the albauth directory", e);
        } catch (CrowdException e) {
            throw failed("delete user", e);
        }
    }

    /**
     * Deactivates the user first, then renames them to {@code pseudonym} (Crowd's
     * {@code renameUser}: the user keeps their key, so their issues and pages stay theirs), then
     * sets display name and last name {@code pseudonym}, an empty first name and e-mail
     * {@code email}. Crowd's calls are not one transaction: a failure midway leaves the account
     * deactivated (renamed or not), never an active pseudonymised one. A pseudonym
     * another user of the directory holds is a conflict found before any change. The
     * {@code idp_id} attribute is kept, so a returning person is matched again.
     */
    @Override
    public void anonymizeUser(String username, String pseudonym, String email) throws DirectoryException {
        if (pseudonym == null || pseudonym.isEmpty()) {
            throw new DirectoryException("anonymize user: a pseudonym is required");
        }
        long dir = dir();
        try {
            com.atlassian.crowd.model.user.User user = directories.findUserByName(dir, username);
            String name = user.getName();
            boolean rename = !name.toLowerCase(Locale.ROOT).equals(pseudonym.toLowerCase(Locale.ROOT));
            if (rename && exists(dir, pseudonym)) {
                throw new DirectoryConflictException("anonymize user: the pseudonym is taken", null);
            }
            if (user.isActive()) {
                UserTemplate off = new UserTemplate(user);
                off.setActive(false);
                directories.updateUser(dir, off);
            }
            if (rename) {
                name = directories.renameUser(dir, name, pseudonym).getName();
            }
            UserTemplate t = new UserTemplate(directories.findUserByName(dir, name));
            t.setDisplayName(pseudonym);
            t.setFirstName("");
            t.setLastName(pseudonym);
            t.setEmailAddress(email == null ? "" : email);
            t.setActive(false);
            directories.updateUser(dir, t);
        } catch (UserNotFoundException e) {
            throw new DirectoryException("anonymize user: no such user in the albauth directory", e);
        } catch (UserAlreadyExistsException e) {
            throw new DirectoryConflictException("anonymize user: the pseudonym is taken", e);
        } catch (CrowdException e) {
            throw failed("anonymize user", e);
        }
    }

    /** Whether directory {@code dir} holds a user named {@code username}. */
    private boolean exists(long dir, String username) throws CrowdException {
        try {
            directories.findUserByName(dir, username);
            return true;
        } catch (UserNotFoundException e) {
            return false;
        }
    }

    /** Crowd has no transactions: a full sync applies its plan action by action. */
    @Override
    public boolean transactional() {
        return false;
    }

    /**
     * Runs the plan on this directory (Crowd has no transaction to offer) holding a cluster lock
     * named for the login's first lookup (its IdP id, else its username): two nodes planning the
     * same login wait for each other instead of interleaving.
     */
    @Override
    public <T> T inTransaction(Work<T> work) throws DirectoryException {
        if (held.get() != null) {
            return work.run(this); // nested: the outer call holds the lock
        }
        Held h = new Held();
        held.set(h);
        try {
            return work.run(this);
        } finally {
            held.remove();
            if (h.lock != null) {
                h.lock.unlock();
            }
        }
    }

    /** The lock of the running plan, taken at its first lookup. */
    private static final class Held {
        ClusterLock lock;
    }

    private final ThreadLocal<Held> held = new ThreadLocal<>();

    private void lockFor(String kind, String key) {
        Held h = held.get();
        if (h == null || h.lock != null || locks == null) {
            return;
        }
        String name = key.toLowerCase(Locale.ROOT);
        if (name.length() > 200) { // Beehive lock names are at most 255 characters
            name = sha256(name);
        }
        ClusterLock lock = locks.getLockForName("albauth.provision." + kind + "." + name);
        lock.lock();
        h.lock = lock;
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** A failure naming the operation and the exception type, never the user. */
    private static DirectoryException failed(String what, CrowdException e) {
        return new DirectoryException("Crowd " + what + " failed: " + e.getClass().getSimpleName(), e);
    }
}
