package io.albauth.atlassian.host;

import com.atlassian.crowd.embedded.api.CrowdDirectoryService;
import com.atlassian.crowd.embedded.api.CrowdService;
import com.atlassian.crowd.embedded.api.Directory;
import com.atlassian.crowd.embedded.api.DirectoryType;
import com.atlassian.crowd.embedded.api.OperationType;
import com.atlassian.crowd.embedded.api.PasswordCredential;
import com.atlassian.crowd.exception.DirectoryNotFoundException;
import com.atlassian.crowd.exception.GroupNotFoundException;
import com.atlassian.crowd.exception.InvalidGroupException;
import com.atlassian.crowd.exception.MembershipAlreadyExistsException;
import com.atlassian.crowd.exception.MembershipNotFoundException;
import com.atlassian.crowd.exception.OperationFailedException;
import com.atlassian.crowd.exception.UserAlreadyExistsException;
import com.atlassian.crowd.exception.UserNotFoundException;
import com.atlassian.crowd.manager.directory.DirectoryManager;
import com.atlassian.crowd.model.directory.DirectoryImpl;
import com.atlassian.crowd.model.group.Group;
import com.atlassian.crowd.model.group.GroupTemplate;
import com.atlassian.crowd.model.user.User;
import com.atlassian.crowd.model.user.UserTemplate;
import com.atlassian.crowd.model.user.UserWithAttributes;
import com.atlassian.crowd.search.EntityDescriptor;
import com.atlassian.crowd.search.query.entity.EntityQuery;
import com.atlassian.crowd.search.query.entity.restriction.MatchMode;
import com.atlassian.crowd.search.query.entity.restriction.NullRestriction;
import com.atlassian.crowd.search.query.entity.restriction.PropertyRestriction;
import com.atlassian.crowd.search.query.membership.MembershipQuery;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A Crowd-like directory manager on an in-memory H2 database, in Crowd's table shapes
 * ({@code cwd_user}, {@code cwd_group}, {@code cwd_membership}, {@code cwd_user_attribute}):
 * names are matched case-insensitively within a directory, as Crowd does, and each call throws
 * the exception the Javadoc names. Also the product's {@link CrowdDirectoryService} (directory 1
 * is the product's internal directory; the app adds its own) and {@link CrowdService} (users over
 * all directories, in order).
 *
 * <p>Supports exactly the queries the app makes: users by an exact custom attribute, every user
 * name of a directory a page at a time ({@code startIndex}/{@code maxResults}, ordered by the
 * lowercased name), and the direct groups of a user.
 */
public final class H2DirectoryManager implements DirectoryManager, CrowdDirectoryService, CrowdService {
    public static final long INTERNAL = 1;
    public final String url = "jdbc:h2:mem:crowd-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final Map<Long, DirectoryImpl> directories = new LinkedHashMap<>();
    private long nextDirectory = 10_000;

    public H2DirectoryManager() {
        DirectoryImpl internal = new DirectoryImpl("Internal Directory", DirectoryType.INTERNAL,
                "com.atlassian.crowd.directory.InternalDirectory");
        internal.setId(INTERNAL);
        directories.put(INTERNAL, internal);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE cwd_user (id BIGINT AUTO_INCREMENT PRIMARY KEY, directory_id BIGINT NOT NULL, "
                    + "user_name VARCHAR(255) NOT NULL, lower_user_name VARCHAR(255) NOT NULL, active CHAR(1) NOT NULL, "
                    + "display_name VARCHAR(255), email_address VARCHAR(255), first_name VARCHAR(255), "
                    + "last_name VARCHAR(255), external_id VARCHAR(255), credential VARCHAR(255), "
                    + "UNIQUE (directory_id, lower_user_name))");
            s.execute("CREATE TABLE cwd_group (id BIGINT AUTO_INCREMENT PRIMARY KEY, directory_id BIGINT NOT NULL, "
                    + "group_name VARCHAR(255) NOT NULL, lower_group_name VARCHAR(255) NOT NULL, "
                    + "UNIQUE (directory_id, lower_group_name))");
            s.execute("CREATE TABLE cwd_membership (parent_id BIGINT NOT NULL REFERENCES cwd_group(id), "
                    + "child_id BIGINT NOT NULL REFERENCES cwd_user(id) ON DELETE CASCADE, UNIQUE (parent_id, child_id))");
            s.execute("CREATE TABLE cwd_user_attribute (user_id BIGINT NOT NULL REFERENCES cwd_user(id) ON DELETE CASCADE, "
                    + "attribute_name VARCHAR(255) NOT NULL, attribute_value VARCHAR(255) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("H2: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    // CrowdDirectoryService

    @Override
    public synchronized Directory addDirectory(Directory directory) throws OperationFailedException {
        for (DirectoryImpl d : directories.values()) {
            if (d.getName().equalsIgnoreCase(directory.getName())) {
                throw new OperationFailedException("a directory of that name exists");
            }
        }
        DirectoryImpl copy = new DirectoryImpl(directory.getName(), directory.getType(),
                directory.getImplementationClass());
        copy.setId(nextDirectory++);
        copy.setActive(directory.isActive());
        copy.setDescription(directory.getDescription());
        copy.setAllowedOperations(directory.getAllowedOperations().isEmpty() ? Set.of()
                : directory.getAllowedOperations());
        directory.getAttributes().forEach(copy::setAttribute);
        directories.put(copy.getId(), copy);
        return copy;
    }

    @Override
    public synchronized Directory findDirectoryById(long directoryId) {
        return directories.get(directoryId);
    }

    @Override
    public synchronized List<Directory> findAllDirectories() {
        return List.copyOf(directories.values());
    }

    private synchronized DirectoryImpl directory(long id) throws DirectoryNotFoundException {
        DirectoryImpl d = directories.get(id);
        if (d == null) {
            throw new DirectoryNotFoundException("directory " + id);
        }
        return d;
    }

    private void allowed(long id, OperationType op) throws DirectoryNotFoundException, OperationFailedException {
        DirectoryImpl d = directory(id);
        if (d.getId() != INTERNAL && !d.getAllowedOperations().contains(op)) {
            throw new OperationFailedException("the directory does not allow " + op);
        }
    }

    // DirectoryManager

    @Override
    public User findUserByName(long directoryId, String userName)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException {
        return findUserWithAttributesByName(directoryId, userName);
    }

    @Override
    public UserWithAttributes findUserWithAttributesByName(long directoryId, String userName)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException {
        directory(directoryId);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT id, user_name, active, "
                + "display_name, email_address, first_name, last_name, external_id FROM cwd_user "
                + "WHERE directory_id = ? AND lower_user_name = ?")) {
            ps.setLong(1, directoryId);
            ps.setString(2, lower(userName));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new UserNotFoundException("user not found");
                }
                Map<String, Set<String>> attributes = new HashMap<>();
                try (PreparedStatement a = c.prepareStatement(
                        "SELECT attribute_name, attribute_value FROM cwd_user_attribute WHERE user_id = ?")) {
                    a.setLong(1, rs.getLong(1));
                    try (ResultSet ar = a.executeQuery()) {
                        while (ar.next()) {
                            attributes.computeIfAbsent(ar.getString(1), k -> new TreeSet<>()).add(ar.getString(2));
                        }
                    }
                }
                return new StoredUser(directoryId, rs.getString(2), "T".equals(rs.getString(3)), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), attributes);
            }
        } catch (SQLException e) {
            throw new OperationFailedException("H2: " + e.getMessage());
        }
    }

    @Override
    public <T> List<T> searchUsers(long directoryId, EntityQuery<T> query)
            throws DirectoryNotFoundException, OperationFailedException {
        directory(directoryId);
        if (query.getReturnType() == String.class && query.getSearchRestriction() instanceof NullRestriction) {
            return allUserNames(directoryId, query);
        }
        if (query.getReturnType() != String.class || !(query.getSearchRestriction() instanceof PropertyRestriction)) {
            throw new UnsupportedOperationException("the fake answers user-name searches on one attribute only");
        }
        PropertyRestriction<?> r = (PropertyRestriction<?>) query.getSearchRestriction();
        if (r.getMatchMode() != MatchMode.EXACTLY_MATCHES) {
            throw new UnsupportedOperationException("the fake matches attributes exactly only");
        }
        List<T> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT u.user_name FROM cwd_user u "
                + "JOIN cwd_user_attribute a ON a.user_id = u.id WHERE u.directory_id = ? AND a.attribute_name = ? "
                + "AND a.attribute_value = ? ORDER BY u.lower_user_name")) {
            ps.setLong(1, directoryId);
            ps.setString(2, r.getProperty().getPropertyName());
            ps.setString(3, String.valueOf(r.getValue()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && (query.getMaxResults() < 0 || out.size() < query.getMaxResults())) {
                    out.add(query.getReturnType().cast(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new OperationFailedException("H2: " + e.getMessage());
        }
        return out;
    }

    /** Every user name of the directory, a page of them: Crowd orders by the lowercased name. */
    private <T> List<T> allUserNames(long directoryId, EntityQuery<T> query) throws OperationFailedException {
        searches.incrementAndGet();
        List<T> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT user_name FROM cwd_user "
                + "WHERE directory_id = ? ORDER BY lower_user_name LIMIT ? OFFSET ?")) {
            ps.setLong(1, directoryId);
            ps.setLong(2, query.getMaxResults() < 0 ? Long.MAX_VALUE : query.getMaxResults());
            ps.setLong(3, query.getStartIndex());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(query.getReturnType().cast(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new OperationFailedException("H2: " + e.getMessage());
        }
        return out;
    }

    /** How many all-users searches (pages) were answered. */
    public int userPageSearches() {
        return searches.get();
    }

    private final java.util.concurrent.atomic.AtomicInteger searches = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public <T> List<T> searchDirectGroupRelationships(long directoryId, MembershipQuery<T> query)
            throws DirectoryNotFoundException, OperationFailedException {
        directory(directoryId);
        if (query.isFindChildren() || query.getReturnType() != String.class
                || query.getEntityToMatch() != EntityDescriptor.user() || query.getEntityToReturn() != EntityDescriptor.group()
                || !(query.getSearchRestriction() instanceof NullRestriction)) {
            throw new UnsupportedOperationException("the fake answers the group names of users only");
        }
        List<T> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT g.group_name FROM cwd_membership m "
                + "JOIN cwd_group g ON g.id = m.parent_id JOIN cwd_user u ON u.id = m.child_id "
                + "WHERE u.directory_id = ? AND u.lower_user_name = ? ORDER BY g.lower_group_name")) {
            for (String name : query.getEntityNamesToMatch()) {
                ps.setLong(1, directoryId);
                ps.setString(2, lower(name));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(query.getReturnType().cast(rs.getString(1)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new OperationFailedException("H2: " + e.getMessage());
        }
        return out;
    }

    @Override
    public User addUser(long directoryId, UserTemplate user, PasswordCredential credential)
            throws DirectoryNotFoundException, OperationFailedException, UserAlreadyExistsException {
        allowed(directoryId, OperationType.CREATE_USER);
        if (credential == null || credential.getCredential() == null || credential.getCredential().length() < 16) {
            throw new OperationFailedException("the fake wants a real password");
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO cwd_user (directory_id, "
                + "user_name, lower_user_name, active, display_name, email_address, first_name, last_name, external_id, "
                + "credential) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, directoryId);
            ps.setString(2, user.getName());
            ps.setString(3, lower(user.getName()));
            ps.setString(4, user.isActive() ? "T" : "F");
            ps.setString(5, user.getDisplayName());
            ps.setString(6, user.getEmailAddress());
            ps.setString(7, user.getFirstName());
            ps.setString(8, user.getLastName());
            ps.setString(9, user.getExternalId());
            ps.setString(10, "{PKCS5S2}" + Integer.toHexString(credential.getCredential().hashCode()));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() == 23505) {
                throw new UserAlreadyExistsException("user exists");
            }
            throw new OperationFailedException("H2: " + e.getMessage());
        }
        try {
            return findUserByName(directoryId, user.getName());
        } catch (UserNotFoundException e) {
            throw new OperationFailedException("the new user is gone");
        }
    }

    @Override
    public User updateUser(long directoryId, UserTemplate user)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException {
        allowed(directoryId, OperationType.UPDATE_USER);
        int n = update("UPDATE cwd_user SET active = ?, display_name = ?, email_address = ?, first_name = ?, "
                + "last_name = ?, external_id = ? WHERE directory_id = ? AND lower_user_name = ?",
                user.isActive() ? "T" : "F", user.getDisplayName(), user.getEmailAddress(), user.getFirstName(),
                user.getLastName(), user.getExternalId(), directoryId, lower(user.getName()));
        if (n == 0) {
            throw new UserNotFoundException("user not found");
        }
        return findUserByName(directoryId, user.getName());
    }

    @Override
    public User renameUser(long directoryId, String oldUsername, String newUsername)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException,
            UserAlreadyExistsException {
        allowed(directoryId, OperationType.UPDATE_USER);
        int n;
        try {
            n = update("UPDATE cwd_user SET user_name = ?, lower_user_name = ? WHERE directory_id = ? "
                    + "AND lower_user_name = ?", newUsername, lower(newUsername), directoryId, lower(oldUsername));
        } catch (OperationFailedException e) {
            if (String.valueOf(e.getMessage()).contains("23505")) {
                throw new UserAlreadyExistsException("user exists");
            }
            throw e;
        }
        if (n == 0) {
            throw new UserNotFoundException("user not found");
        }
        return findUserByName(directoryId, newUsername);
    }

    @Override
    public void removeUser(long directoryId, String username)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException {
        allowed(directoryId, OperationType.DELETE_USER);
        if (update("DELETE FROM cwd_user WHERE directory_id = ? AND lower_user_name = ?", directoryId,
                lower(username)) == 0) {
            throw new UserNotFoundException("user not found");
        }
    }

    @Override
    public void storeUserAttributes(long directoryId, String username, Map<String, Set<String>> attributes)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException {
        allowed(directoryId, OperationType.UPDATE_USER_ATTRIBUTE);
        long id = userId(directoryId, username);
        for (Map.Entry<String, Set<String>> e : attributes.entrySet()) {
            update("DELETE FROM cwd_user_attribute WHERE user_id = ? AND attribute_name = ?", id, e.getKey());
            for (String v : e.getValue()) {
                update("INSERT INTO cwd_user_attribute (user_id, attribute_name, attribute_value) VALUES (?, ?, ?)",
                        id, e.getKey(), v);
            }
        }
    }

    @Override
    public Group addGroup(long directoryId, GroupTemplate group)
            throws InvalidGroupException, DirectoryNotFoundException, OperationFailedException {
        allowed(directoryId, OperationType.CREATE_GROUP);
        try {
            update("INSERT INTO cwd_group (directory_id, group_name, lower_group_name) VALUES (?, ?, ?)", directoryId,
                    group.getName(), lower(group.getName()));
        } catch (OperationFailedException e) {
            if (String.valueOf(e.getMessage()).contains("23505")) {
                throw new InvalidGroupException("group exists");
            }
            throw e;
        }
        return group;
    }

    @Override
    public void addUserToGroup(long directoryId, String username, String groupName)
            throws DirectoryNotFoundException, UserNotFoundException, GroupNotFoundException, OperationFailedException,
            MembershipAlreadyExistsException {
        allowed(directoryId, OperationType.UPDATE_GROUP);
        long user = userId(directoryId, username);
        long group = groupId(directoryId, groupName);
        try {
            update("INSERT INTO cwd_membership (parent_id, child_id) VALUES (?, ?)", group, user);
        } catch (OperationFailedException e) {
            if (String.valueOf(e.getMessage()).contains("23505")) {
                throw new MembershipAlreadyExistsException("member already");
            }
            throw e;
        }
    }

    @Override
    public void removeUserFromGroup(long directoryId, String username, String groupName)
            throws DirectoryNotFoundException, UserNotFoundException, GroupNotFoundException,
            MembershipNotFoundException, OperationFailedException {
        allowed(directoryId, OperationType.UPDATE_GROUP);
        long user = userId(directoryId, username);
        long group = groupId(directoryId, groupName);
        if (update("DELETE FROM cwd_membership WHERE parent_id = ? AND child_id = ?", group, user) == 0) {
            throw new MembershipNotFoundException("not a member");
        }
    }

    // CrowdService

    @Override
    public User getUser(String name) {
        return findInAnyDirectory(name);
    }

    // For tests and the fakes

    /** The first directory (in order) holding {@code username}, or null. */
    public User findInAnyDirectory(String username) {
        for (Directory d : findAllDirectories()) {
            try {
                return findUserByName(d.getId(), username);
            } catch (UserNotFoundException | DirectoryNotFoundException e) {
                // next directory
            } catch (OperationFailedException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    /** Whether {@code username} is a direct member of {@code group} in any directory. */
    public boolean isMember(String username, String group) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM cwd_membership m "
                + "JOIN cwd_group g ON g.id = m.parent_id JOIN cwd_user u ON u.id = m.child_id "
                + "WHERE u.lower_user_name = ? AND g.lower_group_name = ? AND g.directory_id = u.directory_id")) {
            ps.setString(1, lower(username));
            ps.setString(2, lower(group));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Active users over all directories: what a licence counts. */
    public int activeUsers() {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cwd_user WHERE active = 'T'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a user to the product's internal directory (a seeded account). */
    public void seedUser(String username, String displayName, String email) {
        UserTemplate t = new UserTemplate(username, INTERNAL);
        t.setActive(true);
        t.setDisplayName(displayName);
        t.setEmailAddress(email);
        try {
            addUser(INTERNAL, t, PasswordCredential.unencrypted("seeded-password-" + UUID.randomUUID()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long userId(long directoryId, String username) throws UserNotFoundException, OperationFailedException {
        Long id = id("SELECT id FROM cwd_user WHERE directory_id = ? AND lower_user_name = ?", directoryId, lower(username));
        if (id == null) {
            throw new UserNotFoundException("user not found");
        }
        return id;
    }

    private long groupId(long directoryId, String group) throws GroupNotFoundException, OperationFailedException {
        Long id = id("SELECT id FROM cwd_group WHERE directory_id = ? AND lower_group_name = ?", directoryId, lower(group));
        if (id == null) {
            throw new GroupNotFoundException("group not found");
        }
        return id;
    }

    private Long id(String sql, Object... args) throws OperationFailedException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new OperationFailedException("H2: " + e.getMessage());
        }
    }

    private int update(String sql, Object... args) throws OperationFailedException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new OperationFailedException("H2 " + e.getErrorCode() + ": " + e.getMessage());
        }
    }

    /** A stored user with its attributes. */
    private static final class StoredUser implements UserWithAttributes {
        private final long directoryId;
        private final String name;
        private final boolean active;
        private final String displayName;
        private final String email;
        private final String firstName;
        private final String lastName;
        private final String externalId;
        private final Map<String, Set<String>> attributes;

        StoredUser(long directoryId, String name, boolean active, String displayName, String email, String firstName,
                String lastName, String externalId, Map<String, Set<String>> attributes) {
            this.directoryId = directoryId;
            this.name = name;
            this.active = active;
            this.displayName = displayName;
            this.email = email;
            this.firstName = firstName;
            this.lastName = lastName;
            this.externalId = externalId;
            this.attributes = attributes;
        }

        @Override
        public long getDirectoryId() {
            return directoryId;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public String getEmailAddress() {
            return email;
        }

        @Override
        public String getDisplayName() {
            return displayName;
        }

        @Override
        public String getFirstName() {
            return firstName;
        }

        @Override
        public String getLastName() {
            return lastName;
        }

        @Override
        public String getExternalId() {
            return externalId;
        }

        @Override
        public Set<String> getValues(String key) {
            return attributes.get(key);
        }

        @Override
        public String getValue(String key) {
            Set<String> v = attributes.get(key);
            return v == null || v.isEmpty() ? null : v.iterator().next();
        }

        @Override
        public Set<String> getKeys() {
            return attributes.keySet();
        }

        @Override
        public boolean isEmpty() {
            return attributes.isEmpty();
        }
    }
}
