package io.albauth.servlet;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The filter's init parameters, validated: every error names the parameter. Pure parsing, no
 * I/O, so it is tested without a container. See docs/java.md for the table of parameters.
 */
final class FilterSettings {
    /** The ALB's default session cookie name; it is split into shards -0, -1, ... */
    static final String ALB_COOKIE = "AWSELBAuthSessionCookie";
    /** Shards expired on logout even when the request did not carry them (the ALB uses up to 4). */
    static final int MIN_SHARDS = 4;

    /** What to do with requests that carry their own Authorization: Basic or Bearer. */
    enum OwnCredentials {
        PASS,
        REFUSE
    }

    Path configFile;
    String configJson;
    /** Seconds between checks of config-file for changes; 0 checks on every request; -1 never. */
    long configReloadSecs = 10;
    PathRules excludedPaths = PathRules.defaults();
    boolean requireAuthentication;
    /** Whether a session this filter logged in ends when its ALB identity does. */
    boolean sessionFollowsAlb = true;
    List<Cidr> trustedProxies = List.of();
    OwnCredentials ownCredentials = OwnCredentials.PASS;
    String logoutPath;
    String logoutUrl;
    String sessionCookie = ALB_COOKIE;
    List<String> logoutCookies = List.of();
    boolean breakGlass;
    String breakGlassParameter = "albauth_bypass";
    /** The only paths where the break-glass parameter counts: the products' own login pages. */
    List<String> breakGlassPaths = List.of("/login.jsp", "/login.action");
    /** When not empty, the only clients (getRemoteAddr()) that may use break-glass. */
    List<Cidr> breakGlassClients = List.of();
    /** A class name, "none", or null to use ServiceLoader. */
    String loginHandler;
    /**
     * The provisioning directory: a {@code UserDirectory} class name, "none", or null for
     * {@code directory-jdbc-url} (a {@code JdbcUserDirectory}) or else ServiceLoader.
     */
    String userDirectory;
    /** Set: without {@code user-directory}, the directory is a JdbcUserDirectory on this URL. */
    String directoryJdbcUrl;

    static FilterSettings parse(Function<String, String> param) {
        return parse(param, false);
    }

    /**
     * @param source true when the filter was given a {@link ConfigSource}: then neither
     *     {@code config-file} nor {@code config} may be set (one configuration, one place)
     */
    static FilterSettings parse(Function<String, String> param, boolean source) {
        FilterSettings s = new FilterSettings();
        String file = trimmed(param, "config-file");
        String json = trimmed(param, "config");
        if (source) {
            if (file != null || json != null) {
                throw new IllegalArgumentException("the filter has a configuration source: init parameters "
                        + "`config-file` and `config` must not be set");
            }
        } else if ((file == null) == (json == null)) {
            throw new IllegalArgumentException(
                    "set exactly one of init parameters `config-file` (a path) and `config` (inline JSON)");
        }
        s.configFile = file == null ? null : Path.of(file);
        s.configJson = json;
        String reload = trimmed(param, "config-reload-secs");
        if (reload != null) {
            s.configReloadSecs = reload.equals("off") ? -1 : number("config-reload-secs", reload);
        }
        String excluded = param.apply("excluded-paths");
        String statics = trimmed(param, "static-prefixes");
        if (statics != null) {
            parsed("static-prefixes", () -> PathRules.parse("", statics));
        }
        String rules = excluded == null ? PathRules.DEFAULTS : excluded;
        s.excludedPaths = parsed("excluded-paths",
                () -> PathRules.parse(rules, statics == null ? PathRules.DEFAULT_STATIC_PREFIXES : statics));
        s.requireAuthentication = bool(param, "require-authentication", false);
        s.sessionFollowsAlb = bool(param, "session-follows-alb", true);
        String proxies = trimmed(param, "trusted-proxies");
        if (proxies != null) {
            s.trustedProxies = parsed("trusted-proxies", () -> Cidr.parseList(proxies));
        }
        String own = trimmed(param, "own-credentials");
        if (own != null) {
            switch (own.toLowerCase(Locale.ROOT)) {
                case "pass":
                    s.ownCredentials = OwnCredentials.PASS;
                    break;
                case "refuse":
                    s.ownCredentials = OwnCredentials.REFUSE;
                    break;
                default:
                    throw new IllegalArgumentException("`own-credentials` must be pass or refuse");
            }
        }
        s.logoutPath = trimmed(param, "logout-path");
        s.logoutUrl = trimmed(param, "logout-url");
        if ((s.logoutPath == null) != (s.logoutUrl == null)) {
            throw new IllegalArgumentException(
                    "set both `logout-path` and `logout-url` (the IdP's logout URL), or neither: "
                            + "without the IdP logout the ALB would log the user straight back in");
        }
        if (s.logoutPath != null && !s.logoutPath.startsWith("/")) {
            throw new IllegalArgumentException("`logout-path` must start with /");
        }
        if (s.logoutUrl != null) {
            String url = s.logoutUrl;
            URI uri = parsed("logout-url", () -> URI.create(url));
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("`logout-url` must be an absolute http(s) URL");
            }
        }
        String cookie = trimmed(param, "session-cookie");
        if (cookie != null) {
            s.sessionCookie = cookie;
        }
        String cookies = trimmed(param, "logout-cookies");
        if (cookies != null) {
            List<String> names = new ArrayList<>();
            for (String c : cookies.split("[,\\s]+")) {
                if (!c.isEmpty()) {
                    names.add(c);
                }
            }
            s.logoutCookies = List.copyOf(names);
        }
        s.breakGlass = bool(param, "break-glass", false);
        String bypass = trimmed(param, "break-glass-parameter");
        if (bypass != null) {
            s.breakGlassParameter = bypass;
        }
        String glassPaths = trimmed(param, "break-glass-paths");
        if (glassPaths != null) {
            List<String> paths = new ArrayList<>();
            for (String p : glassPaths.split("[,\\s]+")) {
                if (p.isEmpty()) {
                    continue;
                }
                if (!p.startsWith("/") || p.indexOf('*') >= 0 || !PathRules.canonical(p)) {
                    throw new IllegalArgumentException("`break-glass-paths`: `" + p
                            + "` is not an exact path such as /login.jsp");
                }
                paths.add(p);
            }
            s.breakGlassPaths = List.copyOf(paths);
        }
        String glassClients = trimmed(param, "break-glass-clients");
        if (glassClients != null) {
            s.breakGlassClients = parsed("break-glass-clients", () -> Cidr.parseList(glassClients));
        }
        s.loginHandler = trimmed(param, "login-handler");
        s.userDirectory = trimmed(param, "user-directory");
        s.directoryJdbcUrl = trimmed(param, "directory-jdbc-url");
        if (s.directoryJdbcUrl != null && !s.directoryJdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("`directory-jdbc-url` must be a JDBC URL (jdbc:...)");
        }
        if ("none".equals(s.userDirectory) && s.directoryJdbcUrl != null) {
            throw new IllegalArgumentException("`user-directory` is none but `directory-jdbc-url` is set: "
                    + "remove one of them");
        }
        return s;
    }

    /**
     * What an admin should know about these settings: every check that is off or widened by an
     * explicit choice. The filter logs each at WARN when it starts.
     */
    List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (!sessionFollowsAlb) {
            out.add("session-follows-alb=false: a session this filter logged in stays logged in after its ALB "
                    + "identity is gone (an anonymous or rejected request on a verified path)");
        }
        if (breakGlass) {
            out.add("break-glass=true: `" + breakGlassParameter + "` on " + String.join(", ", breakGlassPaths)
                    + " skips ALB verification" + (breakGlassClients.isEmpty()
                            ? " from any client (set break-glass-clients to limit it)"
                            : " from break-glass-clients"));
        }
        return out;
    }

    private static String trimmed(Function<String, String> param, String name) {
        String v = param.apply(name);
        if (v == null) {
            return null;
        }
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    private static boolean bool(Function<String, String> param, String name, boolean dflt) {
        String v = trimmed(param, name);
        if (v == null) {
            return dflt;
        }
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new IllegalArgumentException("`" + name + "` must be true or false");
    }

    private static long number(String name, String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= -1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("`" + name + "` must be a number of seconds, 0, or off");
    }

    private static <T> T parsed(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + name + "`: " + e.getMessage(), e);
        }
    }
}
