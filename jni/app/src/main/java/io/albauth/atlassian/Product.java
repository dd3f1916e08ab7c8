package io.albauth.atlassian;

import io.albauth.provision.DirectoryException;
import java.security.Principal;
import java.util.List;
import javax.servlet.http.HttpServletRequest;

/**
 * What differs between Jira and Confluence. Each product's jar holds its implementation
 * ({@code io.albauth.atlassian.jira} or {@code io.albauth.atlassian.confluence}); the rest of the
 * app is shared.
 */
public interface Product {
    /** "jira" or "confluence". */
    String name();

    /** Whether one more user fits the product's licence. */
    boolean seatsAvailable() throws DirectoryException;

    /** The principal handed to SAL's {@code AuthenticationListener} for {@code username}. */
    Principal principal(String username);

    /** Called once a login succeeded (Confluence publishes its login event). */
    default void loggedIn(HttpServletRequest request, String username) {}

    /** The product's native login pages: where {@code auth_fallback} and {@code native_login} count. */
    List<String> loginPaths();
}
