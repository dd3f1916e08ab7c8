package io.albauth.servlet;

import io.albauth.Decision;
import java.io.IOException;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Where the host establishes its own login for a verified user: an Atlassian plugin creates the
 * Seraph session here. With {@code provisioning.enabled}, the filter has provisioned the user
 * (through its {@link io.albauth.provision.UserDirectory}) before this runs, so the account
 * exists and is up to date. Found through {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/io.albauth.servlet.LoginHandler} file), or named by the filter's
 * {@code login-handler} init parameter (a class with a public no-argument constructor).
 *
 * <p>One instance serves all request threads, so implementations must be thread-safe.
 */
public interface LoginHandler {
    /** Called once when the filter starts, with the filter's configuration. */
    default void init(FilterConfig config) throws ServletException {}

    /**
     * Called for every authenticated request, before the rest of the chain.
     *
     * @param decision the verified identity ({@link Decision#username()} and the claims)
     * @param sessionUser the user this request's HTTP session was last established for by this
     *     filter, or null if it has none. When it differs from {@code decision.username()} the
     *     browser's ALB session now belongs to someone else: switch users (invalidate the old
     *     session first) or refuse.
     * @return true to continue the chain as the verified user; false when the handler has
     *     written the response itself (for example a refusal), which ends the request there
     */
    boolean login(
            HttpServletRequest request,
            HttpServletResponse response,
            Decision decision,
            String sessionUser)
            throws IOException, ServletException;

    /** Called on the logout path, before the filter expires the cookies and redirects. */
    default void logout(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {}

    /** Called once when the filter stops. */
    default void destroy() {}
}
