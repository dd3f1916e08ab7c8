package io.albauth.atlassian;

import com.atlassian.crowd.embedded.api.CrowdService;
import com.atlassian.crowd.embedded.api.User;
import com.atlassian.sal.api.auth.AuthenticationListener;
import com.atlassian.sal.api.auth.Authenticator;
import com.atlassian.sal.api.user.UserManager;
import com.atlassian.sal.api.user.UserProfile;
import io.albauth.Decision;
import io.albauth.servlet.AlbAuthFilter;
import io.albauth.servlet.LoginHandler;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/**
 * Logs the verified user into the product the way Atlassian's own SSO does: resolves them
 * through SAL's {@link UserManager} (the product's user, in whichever directory) and hands them
 * to SAL's {@link AuthenticationListener}, whose Seraph-backed implementation sets the session
 * attributes the product reads ({@code seraph_defaultauthenticator_user}, ...).
 *
 * <p>A session that belongs to someone else (another ALB user, or a native login) is invalidated
 * first: Seraph may keep more than the attribute the listener replaces. A user already logged in
 * on this session is left alone, so the listener (and Confluence's login event) runs once per
 * login, not on every request. A user the product does not know is refused
 * ({@code unknown_user}, 403) unless provisioning created them, and so is a deactivated one
 * ({@code user_inactive}, 403: SAL's profile does not say, Crowd's user does).
 */
final class SalLoginHandler implements LoginHandler {
    private final UserManager users;
    private final CrowdService crowd;
    private final AuthenticationListener listener;
    private final Product product;
    private final Supplier<AlbAuthFilter> filter;

    SalLoginHandler(UserManager users, CrowdService crowd, AuthenticationListener listener, Product product,
            Supplier<AlbAuthFilter> filter) {
        this.users = Objects.requireNonNull(users, "users");
        this.crowd = Objects.requireNonNull(crowd, "crowd");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.product = Objects.requireNonNull(product, "product");
        this.filter = filter;
    }

    @Override
    public boolean login(HttpServletRequest request, HttpServletResponse response, Decision decision,
            String sessionUser) throws IOException, ServletException {
        User account = crowd.getUser(decision.username());
        UserProfile profile = account == null ? null : users.getUserProfile(account.getName());
        if (profile == null) {
            filter.get().refuse(request, response, 403, "unknown_user",
                    "the verified user has no account in " + product.name() + " (provisioning is off or skipped them)");
            return false;
        }
        if (!account.isActive()) {
            filter.get().refuse(request, response, 403, "user_inactive",
                    "the verified user's account in " + product.name() + " is deactivated");
            return false;
        }
        String username = profile.getUsername();
        UserProfile current = users.getRemoteUser(request);
        if (current != null && current.getUsername().equals(username)) {
            return true; // logged in on this session already
        }
        HttpSession session = request.getSession(false);
        if (session != null && (current != null || (sessionUser != null && !sessionUser.equals(decision.username())))) {
            try {
                session.invalidate(); // the session belonged to someone else
            } catch (IllegalStateException invalidated) {
                // gone already
            }
        }
        listener.authenticationSuccess(new Authenticator.Result.Success(product.principal(username)), request,
                response);
        product.loggedIn(request, username);
        return true;
    }
}
