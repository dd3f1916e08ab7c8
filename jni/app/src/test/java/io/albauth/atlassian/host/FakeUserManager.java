package io.albauth.atlassian.host;

import com.atlassian.crowd.model.user.User;
import com.atlassian.sal.api.user.UserKey;
import com.atlassian.sal.api.user.UserManager;
import com.atlassian.sal.api.user.UserProfile;
import com.atlassian.seraph.auth.DefaultAuthenticator;
import java.net.URI;
import java.security.Principal;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

/**
 * SAL's user manager over the {@link H2DirectoryManager} (every directory, in order, as the
 * product resolves users). The remote user is the principal in the Seraph session attribute
 * {@code seraph_defaultauthenticator_user}, as Seraph reads it; user keys are lower-case usernames.
 * System administrators and administrators are flags set here.
 */
public final class FakeUserManager implements UserManager {
    private final H2DirectoryManager directory;
    private final Set<UserKey> systemAdmins = ConcurrentHashMap.newKeySet();
    private final Set<UserKey> admins = ConcurrentHashMap.newKeySet();

    public FakeUserManager(H2DirectoryManager directory) {
        this.directory = directory;
    }

    /** Seeds {@code username} in the product's internal directory. */
    public UserKey addUser(String username, String fullName, String email) {
        directory.seedUser(username, fullName, email);
        return key(username);
    }

    /** Seeds a system administrator. */
    public UserKey addSystemAdmin(String username) {
        UserKey k = addUser(username, username, username + "@example.com");
        systemAdmins.add(k);
        admins.add(k);
        return k;
    }

    /** Makes {@code username} an administrator (not a system administrator). */
    public void makeAdmin(String username) {
        admins.add(key(username));
    }

    static UserKey key(String username) {
        return new UserKey(username.toLowerCase(Locale.ROOT));
    }

    @Override
    public UserProfile getRemoteUser() {
        return null; // no request bound to the thread in the fake
    }

    @Override
    public UserProfile getRemoteUser(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        try {
            if (session.getAttribute(DefaultAuthenticator.LOGGED_OUT_KEY) != null) {
                return null;
            }
            Object p = session.getAttribute(DefaultAuthenticator.LOGGED_IN_KEY);
            return p instanceof Principal ? getUserProfile(((Principal) p).getName()) : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    @Override
    public UserKey getRemoteUserKey() {
        return null;
    }

    @Override
    public UserKey getRemoteUserKey(HttpServletRequest request) {
        UserProfile p = getRemoteUser(request);
        return p == null ? null : p.getUserKey();
    }

    @Override
    public UserProfile getUserProfile(String username) {
        if (username == null) {
            return null;
        }
        User u = directory.findInAnyDirectory(username);
        return u == null ? null : new Profile(u); // inactive users too: SAL's profile has no active flag
    }

    @Override
    public UserProfile getUserProfile(UserKey userKey) {
        return userKey == null ? null : getUserProfile(userKey.getStringValue());
    }

    @Override
    public boolean isUserInGroup(UserKey userKey, String group) {
        return userKey != null && directory.isMember(userKey.getStringValue(), group);
    }

    @Override
    public boolean isSystemAdmin(UserKey userKey) {
        return userKey != null && systemAdmins.contains(userKey);
    }

    @Override
    public boolean isAdmin(UserKey userKey) {
        return userKey != null && admins.contains(userKey);
    }

    private static final class Profile implements UserProfile {
        private final User user;

        Profile(User user) {
            this.user = user;
        }

        @Override
        public UserKey getUserKey() {
            return key(user.getName());
        }

        @Override
        public String getUsername() {
            return user.getName();
        }

        @Override
        public String getFullName() {
            return user.getDisplayName();
        }

        @Override
        public String getEmail() {
            return user.getEmailAddress();
        }

        @Override
        public URI getProfilePictureUri(int width, int height) {
            return null;
        }

        @Override
        public URI getProfilePictureUri() {
            return null;
        }

        @Override
        public URI getProfilePageUri() {
            return URI.create("/secure/ViewProfile.jspa");
        }
    }
}
