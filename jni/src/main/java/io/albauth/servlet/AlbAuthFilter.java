package io.albauth.servlet;

import io.albauth.AlbAuth;
import io.albauth.AlbAuthConfigException;
import io.albauth.Decision;
import io.albauth.provision.DirectoryException;
import io.albauth.provision.JdbcUserDirectory;
import io.albauth.provision.PlanApplier;
import io.albauth.provision.ProvisioningException;
import io.albauth.provision.UserDirectory;
import java.io.IOException;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/**
 * Logs users in from the identity headers of an AWS Application Load Balancer. What an
 * Atlassian plugin registers, and generic enough for any servlet application.
 *
 * <p>Per request, in order: refuse a client outside {@code trusted-proxies}; the logout path;
 * requests with their own {@code Authorization: Basic|Bearer} credentials (refused with
 * {@code own-credentials=refuse} on every path); excluded paths (ALB verification skipped,
 * nothing else); the break-glass parameter (login paths only); then verify. An authenticated
 * request is provisioned when {@code provisioning.enabled} (plan, then apply through the
 * {@link UserDirectory}: once per session, and again when the login's provisioning key changes),
 * then continues as the verified user (after the {@link LoginHandler}; a login rotates the
 * session id), an anonymous one continues unchanged unless {@code require-authentication}, and
 * a rejected one gets 401; on a verified path, a session this filter logged in ends when the
 * request has no valid ALB identity ({@code session-follows-alb}). Init parameters:
 * docs/java.md.
 *
 * <p>Register it for the REQUEST and FORWARD dispatches: a request the filter judged on its
 * REQUEST pass is not judged again, except one on an excluded path, whose forward target is
 * judged on its own (an excluded path never lends its exclusion to where it forwards).
 */
public class AlbAuthFilter implements Filter {
    /** The request attribute holding the {@link Decision} of an authenticated request. */
    public static final String DECISION_ATTRIBUTE = "io.albauth.decision";
    /** The session attribute recording whom this filter last logged the session in as. */
    public static final String SESSION_USER_ATTRIBUTE = "io.albauth.username";
    /**
     * The session attribute recording the provisioning key ({@link AlbAuth#provisioningKey}) of
     * the session's last provisioned login: provisioning runs again only when it changes.
     */
    public static final String PROVISIONED_ATTRIBUTE = "io.albauth.provisioned";
    /**
     * The request attribute recording this filter's judgement, for a later dispatch of the same
     * request: {@code "excluded"} (verification skipped because of the path; a forward is judged
     * again) or {@code "judged"} (anything else; a forward passes).
     */
    static final String STATE_ATTRIBUTE = "io.albauth.filter";
    static final String EXCLUDED = "excluded";
    static final String JUDGED = "judged";
    private static final String DATA_HEADER = "x-amzn-oidc-data";

    private static final Logger LOG = Logger.getLogger("io.albauth");

    private FilterSettings settings;
    /** Null while unconfigured (a {@link ConfigSource} with nothing saved yet, or nothing valid). */
    private volatile AlbAuth albAuth;
    /** Set while the source holds a configuration the core refuses and none was ever in force. */
    private volatile boolean configRefused;
    private ConfigSource configSource;
    private LoginHandler handler;
    private UserDirectory directory;
    private volatile PlanApplier applier;
    private final RefusalLog refusals;
    /** Set when built programmatically ({@link Builder}): what replaces the init-parameter lookups. */
    private final Builder built;

    /** A filter configured by its init parameters (docs/java.md), as a container creates it. */
    public AlbAuthFilter() {
        this.built = null;
        this.refusals = new RefusalLog();
    }

    private AlbAuthFilter(Builder b) {
        this.built = b;
        this.refusals = b.refusals == null ? new RefusalLog() : b.refusals;
    }

    /** A filter a host assembles itself (the Jira/Confluence app): see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Assembles a filter in code: its configuration source, login handler, user directory and
     * init parameters are given here instead of being named by init parameters. The container's
     * {@link FilterConfig} still reaches {@link #init}: a parameter given here wins over one of
     * the same name there.
     */
    public static final class Builder {
        private ConfigSource source;
        private LoginHandler handler;
        private UserDirectory directory;
        private final java.util.Map<String, String> parameters = new java.util.HashMap<>();
        private RefusalLog refusals;

        private Builder() {}

        /** Where the configuration comes from (required); it may have none saved yet. */
        public Builder configSource(ConfigSource source) {
            this.source = source;
            return this;
        }

        /** The login handler (none by default; ServiceLoader is not asked). */
        public Builder loginHandler(LoginHandler handler) {
            this.handler = handler;
            return this;
        }

        /** The provisioning directory (none by default; its {@code init} is not called). */
        public Builder userDirectory(UserDirectory directory) {
            this.directory = directory;
            return this;
        }

        /** An init parameter (docs/java.md), except {@code config-file} and {@code config}. */
        public Builder initParameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        /** Where refusals are recorded (a new log by default). */
        public Builder refusals(RefusalLog refusals) {
            this.refusals = refusals;
            return this;
        }

        public AlbAuthFilter build() {
            if (source == null) {
                throw new IllegalStateException("albauth filter: a configuration source is required");
            }
            return new AlbAuthFilter(this);
        }
    }

    /** The verifier in force, or null while unconfigured (or before {@link #init}). */
    public AlbAuth albAuth() {
        return albAuth;
    }

    /** The provisioning applier, or null without a user directory or while unconfigured. */
    public PlanApplier planApplier() {
        return applier;
    }

    /** The refusals this filter answered on this node. */
    public RefusalLog refusals() {
        return refusals;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        java.util.function.Function<String, String> param = built == null ? config::getInitParameter
                : name -> built.parameters.containsKey(name) ? built.parameters.get(name)
                        : config == null ? null : config.getInitParameter(name);
        try {
            settings = FilterSettings.parse(param, built != null);
        } catch (IllegalArgumentException e) {
            throw new ServletException("albauth filter: " + e.getMessage(), e);
        }
        String json;
        if (built != null) {
            configSource = built.source;
        } else if (settings.configFile != null) {
            configSource = new ConfigFile(settings.configFile, settings.configReloadSecs);
        }
        if (configSource != null) {
            try {
                json = configSource.read();
            } catch (IOException e) {
                throw new ServletException("albauth filter: cannot read " + configSource.describe() + ": " + e, e);
            }
        } else {
            json = settings.configJson;
        }
        AlbAuth auth = null;
        if (json != null) {
            try {
                auth = AlbAuth.fromConfigJson(json);
            } catch (AlbAuthConfigException e) {
                if (built == null) {
                    throw new ServletException("albauth filter: configuration refused: " + e.getMessage(), e);
                }
                configRefused = true;
                LOG.severe(() -> "albauth: the configuration in " + configSource.describe() + " is refused ("
                        + e.code() + "): " + e.getMessage() + "; every request is refused (503 config_invalid) "
                        + "until a valid one is saved");
            }
        }
        if (built != null) {
            handler = built.handler;
            directory = built.directory;
        } else {
            handler = loadHandler(settings.loginHandler, AlbAuthFilter.class.getClassLoader());
        }
        if (handler != null) {
            handler.init(config);
        }
        if (built == null) {
            directory = loadDirectory(settings, AlbAuthFilter.class.getClassLoader());
            if (directory != null) {
                try {
                    directory.init(config::getInitParameter);
                } catch (DirectoryException e) {
                    throw new ServletException("albauth filter: user directory " + directory.getClass().getName()
                            + " did not start: " + e.getMessage(), e);
                }
            }
        }
        if (auth != null) {
            install(auth);
        } else if (!configRefused) {
            LOG.warning(() -> "albauth: no configuration saved yet in " + configSource.describe()
                    + ": every request passes through untouched until an administrator saves one");
        }
        boolean provisioning = auth != null && auth.provisioningEnabled();
        if (provisioning && directory == null && built == null) {
            throw new ServletException("albauth filter: " + NO_DIRECTORY);
        }
        LOG.info(() -> "albauth filter started" + (handler == null ? "" : " with login handler "
                + handler.getClass().getName()) + (directory == null ? "" : "; user directory "
                + directory.getClass().getName() + (provisioning ? " (provisioning enabled)"
                        : " (provisioning.enabled is false: nothing is provisioned)"))
                + (settings.breakGlass ? "; break-glass is ENABLED" : ""));
        for (String w : settings.warnings()) {
            LOG.warning(() -> "albauth: " + w);
        }
    }

    /** Puts a first verifier in force (and its applier, with a directory). */
    private void install(AlbAuth auth) {
        if (directory != null) {
            applier = new PlanApplier(auth, directory);
        }
        albAuth = auth;
    }

    private static final String NO_DIRECTORY = "provisioning.enabled is true but the filter has no user "
            + "directory: set the init parameter `user-directory` (a io.albauth.provision.UserDirectory class) or "
            + "`directory-jdbc-url`, or register one in META-INF/services/io.albauth.provision.UserDirectory";

    /**
     * The provisioning directory: the class named by {@code user-directory}; else, with
     * {@code directory-jdbc-url}, a {@link JdbcUserDirectory}; else the first one ServiceLoader
     * finds; none for {@code user-directory=none}.
     */
    static UserDirectory loadDirectory(FilterSettings settings, ClassLoader loader) throws ServletException {
        String name = settings.userDirectory;
        if ("none".equals(name)) {
            return null;
        }
        if (name != null) {
            try {
                return Class.forName(name, true, loader)
                        .asSubclass(UserDirectory.class)
                        .getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new ServletException("albauth filter: `user-directory` " + name
                        + " is not a UserDirectory with a public no-argument constructor: " + e, e);
            }
        }
        if (settings.directoryJdbcUrl != null) {
            return new JdbcUserDirectory();
        }
        Iterator<UserDirectory> found = ServiceLoader.load(UserDirectory.class, loader).iterator();
        return found.hasNext() ? found.next() : null;
    }

    /** The handler named by {@code login-handler}, else the first one ServiceLoader finds. */
    static LoginHandler loadHandler(String name, ClassLoader loader) throws ServletException {
        if ("none".equals(name)) {
            return null;
        }
        if (name != null) {
            try {
                return Class.forName(name, true, loader)
                        .asSubclass(LoginHandler.class)
                        .getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new ServletException("albauth filter: `login-handler` " + name
                        + " is not a LoginHandler with a public no-argument constructor: " + e, e);
            }
        }
        Iterator<LoginHandler> found = ServiceLoader.load(LoginHandler.class, loader).iterator();
        return found.hasNext() ? found.next() : null;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (JUDGED.equals(request.getAttribute(STATE_ATTRIBUTE))) {
            chain.doFilter(request, response); // a forward of a request judged already
            return;
        }
        if (albAuth == null) { // unconfigured: nothing saved yet, or nothing valid
            if (configSource != null && configSource.due()) {
                reload();
            }
            if (albAuth == null) {
                if (configRefused) { // fail closed: a stored configuration is not a missing one
                    refuse(request, response, 503, "config_invalid", "the stored configuration is refused");
                } else {
                    chain.doFilter(request, response);
                }
                return;
            }
        }

        if (!settings.trustedProxies.isEmpty() && !inAny(settings.trustedProxies, request.getRemoteAddr())) {
            refuse(request, response, 403, "untrusted_proxy", "the client is not in trusted-proxies");
            return;
        }
        String path = pathOf(request);
        if (settings.logoutPath != null && settings.logoutPath.equals(path)) {
            request.setAttribute(STATE_ATTRIBUTE, JUDGED);
            logout(request, response);
            return;
        }
        boolean excluded = settings.excludedPaths.matches(path);
        request.setAttribute(STATE_ATTRIBUTE, excluded ? EXCLUDED : JUDGED);

        String credentials = ownCredentials(request);
        if (credentials != null) {
            if (settings.ownCredentials == FilterSettings.OwnCredentials.REFUSE) {
                refuse(request, response, 401, "credentials_refused",
                        "Authorization " + credentials + " is refused (own-credentials=refuse)");
                return;
            }
            if (request.getHeader(DATA_HEADER) != null && LOG.isLoggable(Level.FINE)) {
                LOG.fine(() -> "albauth: a " + request.getMethod() + " with its own Authorization " + credentials
                        + " passed through (own-credentials=pass) carrying an x-amzn-oidc-data header"
                        + " that was not verified");
            }
            if (!excluded) {
                albIdentityGone(request, "its own Authorization " + credentials);
            }
            chain.doFilter(request, response);
            return;
        }
        if (excluded) {
            chain.doFilter(request, response); // verification skipped; the session is left alone
            return;
        }
        if (settings.breakGlass && hasQueryParameter(request.getQueryString(), settings.breakGlassParameter)) {
            BreakGlass glass = breakGlass(request, path);
            if (glass == BreakGlass.PASS) {
                LOG.warning(() -> "albauth: break-glass parameter used: request passed to the product's own login");
                albIdentityGone(request, "break-glass");
                chain.doFilter(request, response);
                return;
            }
            if (glass == BreakGlass.ANONYMOUS) {
                albIdentityGone(request, "anonymous");
                refuse(request, response, 401, "anonymous",
                        "break-glass without an x-amzn-oidc-data header, and require-authentication is true");
                return;
            }
        }
        if (configSource != null && configSource.due()) {
            reload();
        }

        AlbAuth albAuth = this.albAuth;
        Decision decision = albAuth.verify(request);
        switch (decision.outcome()) {
            case AUTHENTICATED:
                request.setAttribute(DECISION_ATTRIBUTE, decision);
                Provisioning provisioned = provision(request, response, decision);
                if (provisioned.refused) {
                    return;
                }
                if (login(request, response, decision)) {
                    if (provisioned.key != null) {
                        recordProvisioned(request, decision.username(), provisioned.key);
                    }
                    chain.doFilter(new AuthenticatedRequest(request, decision), response);
                    recordSessionUser(request, decision.username()); // a session the app just made
                }
                return;
            case ANONYMOUS:
                albIdentityGone(request, "anonymous");
                if (settings.requireAuthentication) {
                    refuse(request, response, 401, "anonymous",
                            "no x-amzn-oidc-data header and require-authentication is true");
                } else {
                    chain.doFilter(request, response);
                }
                return;
            default:
                albIdentityGone(request, decision.errorCode());
                refuse(request, response, 401, decision.errorCode(), decision.errorDetail());
        }
    }

    /** What the break-glass parameter does to a request. */
    private enum BreakGlass {
        /** Passed to the product's own login without verifying its ALB token. */
        PASS,
        /** Not a break-glass path or client: judged as any other request. */
        IGNORED,
        /** No ALB token, and require-authentication: refused as anonymous. */
        ANONYMOUS
    }

    /**
     * Break-glass applies only on {@code break-glass-paths}, only from {@code break-glass-clients}
     * when set, and with {@code require-authentication} only when the ALB sent a token: it skips
     * this filter's verification of the token, never the ALB's authentication.
     */
    private BreakGlass breakGlass(HttpServletRequest request, String path) {
        if (!settings.breakGlassPaths.contains(path)) {
            LOG.warning(() -> "albauth: break-glass parameter ignored: not one of break-glass-paths");
            return BreakGlass.IGNORED;
        }
        if (!settings.breakGlassClients.isEmpty() && !inAny(settings.breakGlassClients, request.getRemoteAddr())) {
            LOG.warning(() -> "albauth: break-glass parameter ignored: the client is not in break-glass-clients");
            return BreakGlass.IGNORED;
        }
        if (settings.requireAuthentication && request.getHeader(DATA_HEADER) == null) {
            return BreakGlass.ANONYMOUS;
        }
        return BreakGlass.PASS;
    }

    /**
     * A request on a verified path that goes on without a valid ALB identity: with
     * {@code session-follows-alb} (the default), a session this filter logged in ends here, so
     * that the product's login does not outlive the ALB's. Sessions the filter did not log in
     * are left alone.
     */
    private void albIdentityGone(HttpServletRequest request, String why) {
        if (!settings.sessionFollowsAlb) {
            return;
        }
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        try {
            if (session.getAttribute(SESSION_USER_ATTRIBUTE) != null) {
                session.invalidate();
                LOG.fine(() -> "albauth: ended a session this filter logged in: the request had no valid ALB "
                        + "identity (" + why + ")");
            }
        } catch (IllegalStateException invalidated) {
            // invalidated meanwhile: nothing left to end
        }
    }

    /**
     * Asks the configuration source ({@code config-file}, or the host's) for a change and, if
     * there is one, swaps in a verifier for it without failing a request. A refused configuration
     * is logged and the previous one stays (or the filter stays unconfigured).
     *
     * @return true if a new configuration is now in force
     */
    public synchronized boolean reload() {
        if (configSource == null) {
            return false;
        }
        String json;
        try {
            json = configSource.changed();
        } catch (IOException e) {
            LOG.warning(() -> "albauth: cannot read " + configSource.describe() + ": " + e
                    + "; keeping the previous configuration");
            return false;
        }
        if (json == null) {
            return false;
        }
        AlbAuth current = albAuth;
        try {
            if (current == null) {
                install(AlbAuth.fromConfigJson(json));
                configRefused = false;
            } else {
                current.reload(json);
            }
        } catch (AlbAuthConfigException e) {
            if (current == null) {
                configRefused = true;
            }
            LOG.warning(() -> "albauth: " + configSource.describe() + " refused (" + e.code() + "): "
                    + e.getMessage() + "; keeping the previous configuration");
            return false;
        }
        LOG.info(() -> "albauth: configuration " + (current == null ? "loaded" : "reloaded") + " from "
                + configSource.describe());
        if (applier == null && albAuth.provisioningEnabled()) {
            LOG.warning(() -> "albauth: the configuration sets provisioning.enabled, but the filter has no "
                    + "user directory: every login is refused (503 provisioning_failed) until the filter restarts "
                    + "with one");
        }
        return true;
    }

    /** What {@link #provision} did: refused the request (and answered it), or the key to record (null: off). */
    private static final class Provisioning {
        static final Provisioning OFF = new Provisioning(false, null);
        static final Provisioning REFUSED = new Provisioning(true, null);
        final boolean refused;
        final String key;

        Provisioning(boolean refused, String key) {
            this.refused = refused;
            this.key = key;
        }
    }

    /**
     * Just-in-time provisioning, when {@code provisioning.enabled}: on a login (no session, a
     * session of another user) or when the login's provisioning key differs from the one the
     * session recorded, plans and applies through the user directory; otherwise nothing (not on
     * every request). A refused or failed provisioning answers the request (403 for a refusal:
     * the plan's code or {@code no_seat_available}; 503 {@code provisioning_failed} for a
     * directory failure) and ends a session this filter logged in.
     *
     * @return {@link Provisioning#OFF} when provisioning is off, {@link Provisioning#REFUSED} when
     *     the request was answered, else the provisioning key to record once the login succeeded
     */
    private Provisioning provision(HttpServletRequest request, HttpServletResponse response, Decision decision)
            throws IOException {
        AlbAuth albAuth = this.albAuth;
        PlanApplier applier = this.applier;
        if (!albAuth.provisioningEnabled()) {
            return Provisioning.OFF;
        }
        if (applier == null) { // enabled by a reloaded config-file
            endFilterSession(request);
            refuse(request, response, 503, ProvisioningException.PROVISIONING_FAILED, NO_DIRECTORY);
            return Provisioning.REFUSED;
        }
        String key = albAuth.provisioningKey(decision);
        HttpSession session = request.getSession(false);
        if (decision.username().equals(sessionUser(session)) && key.equals(attribute(session, PROVISIONED_ATTRIBUTE))) {
            return new Provisioning(false, key); // provisioned on this session with the same inputs
        }
        try {
            applier.provision(decision);
        } catch (ProvisioningException e) {
            endFilterSession(request);
            // A directory that could not be asked is temporary (503), like a failed one.
            boolean temporary = !e.isRefusal() || "directory_unavailable".equals(e.code());
            refuse(request, response, temporary ? 503 : 403, e.code(), e.getMessage());
            return Provisioning.REFUSED;
        }
        return new Provisioning(false, key);
    }

    /**
     * Records the provisioned key (and the user) on the request's session, creating one if the
     * request has none: provisioning runs once per session.
     */
    private static void recordProvisioned(HttpServletRequest request, String username, String key) {
        try {
            HttpSession session = request.getSession(true);
            session.setAttribute(SESSION_USER_ATTRIBUTE, username);
            session.setAttribute(PROVISIONED_ATTRIBUTE, key);
        } catch (IllegalStateException invalidated) {
            // invalidated meanwhile, or the response is committed: the next request provisions again
        }
    }

    /** Ends the request's session if this filter logged it in: a refused login keeps no session. */
    private static void endFilterSession(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null && attribute(session, SESSION_USER_ATTRIBUTE) != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException invalidated) {
                // already ended
            }
        }
    }

    private static Object attribute(HttpSession session, String name) {
        if (session == null) {
            return null;
        }
        try {
            return session.getAttribute(name);
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /**
     * Runs the login handler; records the session's user. False if the handler answered.
     *
     * <p>A login is the first authenticated request for a user on a session, or a switch to
     * another user. A session that exists at a login gets a new id ({@code changeSessionId},
     * against session fixation) once the login succeeded, unless the handler replaced it
     * already; without a handler, a session of another user is invalidated instead (never run
     * on the old user's session). Later requests of the same user do not rotate.
     */
    private boolean login(HttpServletRequest request, HttpServletResponse response, Decision decision)
            throws IOException, ServletException {
        HttpSession session = request.getSession(false);
        String sessionUser = sessionUser(session);
        String user = decision.username();
        boolean newLogin = !user.equals(sessionUser);
        String before = newLogin ? idOf(session) : null;
        if (handler != null) {
            if (!handler.login(request, response, decision, sessionUser)) {
                return false;
            }
        } else if (sessionUser != null && newLogin) {
            session.invalidate(); // the ALB session now belongs to another user
            before = null;
        }
        if (before != null && before.equals(idOf(request.getSession(false)))) {
            try {
                request.changeSessionId();
            } catch (IllegalStateException invalidated) {
                // invalidated meanwhile: the next session is new anyway
            }
        }
        recordSessionUser(request, user);
        return true;
    }

    private static String sessionUser(HttpSession session) {
        if (session == null) {
            return null;
        }
        try {
            Object recorded = session.getAttribute(SESSION_USER_ATTRIBUTE);
            return recorded instanceof String ? (String) recorded : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    private static String idOf(HttpSession session) {
        if (session == null) {
            return null;
        }
        try {
            session.getCreationTime(); // throws once invalidated
            return session.getId();
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /** Remembers whom the request's session (if any) belongs to, for the next request. */
    private static void recordSessionUser(HttpServletRequest request, String username) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        try {
            if (!username.equals(session.getAttribute(SESSION_USER_ATTRIBUTE))) {
                session.setAttribute(SESSION_USER_ATTRIBUTE, username);
            }
        } catch (IllegalStateException invalidated) {
            // invalidated meanwhile: the next request records the new session
        }
    }

    private void logout(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (handler != null) {
            handler.logout(request, response);
        }
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        int shards = FilterSettings.MIN_SHARDS;
        String prefix = settings.sessionCookie + "-";
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                String n = c.getName();
                if (n.startsWith(prefix)) {
                    try {
                        shards = Math.max(shards, Math.min(Integer.parseInt(n.substring(prefix.length())) + 1, 64));
                    } catch (NumberFormatException ignored) {
                        // not a shard
                    }
                }
            }
        }
        for (int i = 0; i < shards; i++) {
            expire(response, prefix + i);
        }
        for (String name : settings.logoutCookies) {
            expire(response, name);
        }
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(settings.logoutUrl);
    }

    private static void expire(HttpServletResponse response, String name) {
        Cookie c = new Cookie(name, "");
        c.setPath("/");
        c.setMaxAge(0);
        c.setHttpOnly(true);
        response.addCookie(c);
    }

    /**
     * Answers a refused request as the filter does: the short page (or JSON) with the code and a
     * support reference, the detail in the server log only, and an entry in {@link #refusals()}.
     * For a {@link LoginHandler} that refuses a login itself.
     *
     * @param detail for the log: never a token, a claim value or personal data
     */
    public void refuse(HttpServletRequest request, HttpServletResponse response, int status, String code,
            String detail) throws IOException {
        String reference = Responses.newReference();
        refusals.record(status, code, pathOf(request), reference);
        LOG.log(Level.WARNING, "albauth: refused {0} {1}: {2} ({3}) [ref {4}]",
                new Object[] {request.getMethod(), status, code, detail, reference});
        Responses.refuse(request, response, status, code, reference);
    }

    private static boolean inAny(java.util.List<Cidr> networks, String remote) {
        for (Cidr c : networks) {
            if (c.contains(remote)) {
                return true;
            }
        }
        return false;
    }

    /** The path inside the web application, as the container decoded and normalised it. */
    public static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String info = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (info == null ? "" : info);
        return path.isEmpty() ? "/" : path;
    }

    /** Whether the raw query string names {@code name} (never reads a POST body). */
    static boolean hasQueryParameter(String query, String name) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if ((eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** "Basic" or "Bearer" when the request carries such Authorization credentials, else null. */
    static String ownCredentials(HttpServletRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth == null) {
            return null;
        }
        if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "Basic";
        }
        return auth.regionMatches(true, 0, "Bearer ", 0, 7) ? "Bearer" : null;
    }

    @Override
    public void destroy() {
        if (handler != null) {
            handler.destroy();
        }
        if (directory != null) {
            directory.close();
        }
        if (albAuth != null) {
            albAuth.close();
        }
    }
}
