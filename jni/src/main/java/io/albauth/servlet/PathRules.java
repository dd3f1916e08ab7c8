package io.albauth.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The paths where the filter skips ALB verification: {@code /exact}, {@code /prefix/*}, and
 * {@code *.suffix} rules that apply only under the static prefixes, matched against the path
 * inside the web application (the context path removed).
 *
 * <p>Two rules keep an exclusion from reaching dynamic content:
 * <ul>
 *   <li>A suffix rule ({@code *.js}) matches only under a static prefix ({@code /s/},
 *       {@code /download/resources/}, ...), and no static prefix may overlap a root an Atlassian
 *       product serves dynamically ({@link #DYNAMIC_ROOTS}): {@code /rest/x.js} is verified.
 *   <li>Jira and Confluence forward {@code /s/<anything>/_/<path>} internally to {@code /<path>}
 *       (Jira's {@code CachingResourceDownloadRewriteRule}, pattern {@code ^/s/(.*)/_/(.*)}), so
 *       such a path is excluded only if what it forwards to is: {@code /s/1/_/download/batch/a.js}
 *       is, {@code /s/1/_/rest/api/2/myself} is not. Every {@code /_/} in it is tried as the
 *       split (the product's greedy pattern takes the last), and all must lead to an exclusion.
 * </ul>
 * A path that is not in canonical form ({@code //}, {@code .} or {@code ..} segments, {@code \},
 * {@code ;}, {@code %}, NUL) is never excluded: the container and the product may read it
 * differently from this class.
 */
final class PathRules {
    /** Health checks (Jira/Confluence {@code /status}, Synchrony), the favicon, static suffixes. */
    static final String DEFAULTS = "/status, /synchrony/heartbeat, /favicon.ico, "
            + "*.css, *.js, *.png, *.gif, *.jpg, *.svg, *.ico, *.woff, *.woff2";

    /** Where Jira and Confluence serve static web resources: the only places suffix rules apply. */
    static final String DEFAULT_STATIC_PREFIXES = "/s/, /download/resources/, /download/batch/, "
            + "/download/contextbatch/, /download/superbatch/, /images/";

    /**
     * Roots that Jira and Confluence serve dynamically (REST, plugin servlets, Jira's actions and
     * attachments under {@code /secure/}, servlets, Confluence's RPC, attachments and pages, Jira's
     * search views and issues). No static prefix may be one of them, inside one, or contain one.
     */
    static final List<String> DYNAMIC_ROOTS = List.of("/rest/", "/plugins/servlet/", "/secure/", "/servlet/",
            "/rpc/", "/download/attachments/", "/download/thumbnails/", "/download/temp/", "/sr/", "/browse/",
            "/pages/", "/display/", "/spaces/", "/admin/");

    private static final Pattern SUFFIX = Pattern.compile("\\*\\.[A-Za-z0-9]+");

    private final List<String> exact = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();
    private final List<String> staticPrefixes = new ArrayList<>();

    /**
     * @param list the excluded-paths rules
     * @param staticPrefixList where suffix rules apply; {@code none} for nowhere
     * @throws IllegalArgumentException naming the bad entry
     */
    static PathRules parse(String list, String staticPrefixList) {
        PathRules r = new PathRules();
        for (String entry : entries(list)) {
            if (entry.startsWith("*")) {
                if (!SUFFIX.matcher(entry).matches()) {
                    throw new IllegalArgumentException("`" + entry + "` is not a *.suffix rule (e.g. *.js)");
                }
                r.suffixes.add(entry.substring(1));
            } else if (!entry.startsWith("/") || (entry.indexOf('*') >= 0 && !entry.endsWith("/*"))
                    || entry.indexOf('*') != entry.lastIndexOf('*')) {
                throw new IllegalArgumentException("`" + entry + "` is neither /exact, /prefix/* nor *.suffix");
            } else if (entry.endsWith("/*")) {
                r.prefixes.add(entry.substring(0, entry.length() - 1));
            } else {
                r.exact.add(entry);
            }
        }
        List<String> statics = entries(staticPrefixList);
        if (!(statics.size() == 1 && statics.get(0).equals("none"))) {
            for (String entry : statics) {
                r.staticPrefixes.add(staticPrefix(entry));
            }
        }
        return r;
    }

    static PathRules defaults() {
        return parse(DEFAULTS, DEFAULT_STATIC_PREFIXES);
    }

    /** A static prefix, with its trailing slash; refused when it overlaps a dynamic root. */
    static String staticPrefix(String entry) {
        String p = entry.endsWith("/") ? entry : entry + "/";
        if (!p.startsWith("/") || p.equals("/") || p.indexOf('*') >= 0 || !canonical(p)) {
            throw new IllegalArgumentException("`" + entry + "` is not a static prefix such as /s/");
        }
        for (String d : DYNAMIC_ROOTS) {
            if (d.startsWith(p) || p.startsWith(d)) {
                throw new IllegalArgumentException("`" + entry + "` overlaps " + d
                        + ", which the product serves dynamically: suffix rules never apply there");
            }
        }
        return p;
    }

    private static List<String> entries(String list) {
        List<String> out = new ArrayList<>();
        for (String e : list.trim().split("[,\\s]+")) {
            if (!e.isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    /** Whether ALB verification is skipped on {@code path}. */
    boolean matches(String path) {
        if (!canonical(path)) {
            return false;
        }
        if (path.startsWith("/s/")) {
            int split = path.indexOf("/_/", 2);
            if (split >= 0) {
                for (; split >= 0; split = path.indexOf("/_/", split + 1)) {
                    if (!matches(path.substring(split + 2))) {
                        return false;
                    }
                }
                return true;
            }
        }
        if (exact.contains(path)) {
            return true;
        }
        for (String p : prefixes) {
            if (path.startsWith(p) || path.equals(p.substring(0, p.length() - 1))) {
                return true;
            }
        }
        for (String s : suffixes) {
            if (path.endsWith(s) && underStaticPrefix(path)) {
                return true;
            }
        }
        return false;
    }

    private boolean underStaticPrefix(String path) {
        for (String p : staticPrefixes) {
            if (path.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** A path as a container normalises it: no empty, {@code .} or {@code ..} segment, no odd character. */
    static boolean canonical(String path) {
        if (!path.startsWith("/") || path.contains("//") || path.contains("/./") || path.contains("/../")
                || path.endsWith("/.") || path.endsWith("/..")) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' || c == ';' || c == '%' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
