package io.albauth.servlet;

import java.util.ArrayList;
import java.util.List;

/**
 * Paths the filter leaves alone: {@code /exact}, {@code /prefix/*} and {@code *.suffix}, matched
 * against the path inside the web application (the context path removed).
 */
final class PathRules {
    /** Health checks (Jira/Confluence {@code /status}, Synchrony) and static resources. */
    static final String DEFAULTS = "/status, /synchrony/heartbeat, /s/*, /images/*, /favicon.ico, "
            + "*.css, *.js, *.png, *.gif, *.jpg, *.svg, *.ico, *.woff, *.woff2";

    private final List<String> exact = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();

    static PathRules parse(String list) {
        PathRules r = new PathRules();
        for (String entry : list.split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.startsWith("*.")) {
                r.suffixes.add(entry.substring(1));
            } else if (!entry.startsWith("/")) {
                throw new IllegalArgumentException(
                        "`" + entry + "` is neither /exact, /prefix/* nor *.suffix");
            } else if (entry.endsWith("/*")) {
                r.prefixes.add(entry.substring(0, entry.length() - 1));
            } else {
                r.exact.add(entry);
            }
        }
        return r;
    }

    boolean matches(String path) {
        if (exact.contains(path)) {
            return true;
        }
        for (String p : prefixes) {
            if (path.startsWith(p) || path.equals(p.substring(0, p.length() - 1))) {
                return true;
            }
        }
        for (String s : suffixes) {
            if (path.endsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
