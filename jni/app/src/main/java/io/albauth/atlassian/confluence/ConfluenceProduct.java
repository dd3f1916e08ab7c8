package io.albauth.atlassian.confluence;

import com.atlassian.confluence.event.events.security.LoginEvent;
import com.atlassian.confluence.security.seraph.ConfluenceUserPrincipal;
import com.atlassian.confluence.util.UserChecker;
import com.atlassian.event.api.EventPublisher;
import io.albauth.atlassian.NamedPrincipal;
import io.albauth.atlassian.Product;
import java.security.Principal;
import java.util.List;
import java.util.Objects;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

/**
 * Confluence: seats from its {@link UserChecker}; the session principal is Confluence's own
 * {@link ConfluenceUserPrincipal}; a {@link LoginEvent} is published after each login, as
 * Confluence's authenticator does (audit log, last-login date).
 */
public final class ConfluenceProduct implements Product {
    private final UserChecker users;
    private final EventPublisher events;

    public ConfluenceProduct(UserChecker users, EventPublisher events) {
        this.users = Objects.requireNonNull(users, "users");
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public String name() {
        return "confluence";
    }

    @Override
    public boolean seatsAvailable() {
        return users.isUnlimitedUserLicense() || users.isLicensedToAddMoreUsers();
    }

    @Override
    public Principal principal(String username) {
        return ConfluenceUserPrincipal.of(new NamedPrincipal(username));
    }

    @Override
    public void loggedIn(HttpServletRequest request, String username) {
        HttpSession session = request.getSession(false);
        events.publish(new LoginEvent(this, username, session == null ? null : session.getId(),
                request.getRemoteHost(), request.getRemoteAddr(), LoginEvent.UNKNOWN));
    }

    @Override
    public List<String> loginPaths() {
        return List.of("/login.action", "/dologin.action");
    }
}
