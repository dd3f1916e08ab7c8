package io.albauth.servlet;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The last {@value #CAPACITY} requests the filter refused on this node, for an admin page: when,
 * the status and error code, the path and the support reference the user was shown. Never a
 * token, a claim or a username: the path is cut at {@value #MAX_PATH} characters, has no query
 * string, and its {@code ~name} segments (Confluence personal spaces, Jira profile paths) are
 * masked. Thread-safe.
 */
public final class RefusalLog {
    /** How many refusals are kept. */
    public static final int CAPACITY = 100;
    /** The longest path kept, in characters. */
    public static final int MAX_PATH = 120;

    /**
     * One refusal.
     *
     * @param time when it was answered
     * @param status the HTTP status (401, 403, 503)
     * @param code the error code the response carried
     * @param path the request's path, masked (see {@link RefusalLog})
     * @param reference the support reference in the response and the server log
     */
    public record Entry(Instant time, int status, String code, String path, String reference) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>(CAPACITY);

    /** Records a refusal; the oldest one goes when the log is full. */
    public void record(int status, String code, String path, String reference) {
        Entry e = new Entry(Instant.now(), status, code, mask(path), reference);
        synchronized (entries) {
            if (entries.size() == CAPACITY) {
                entries.removeLast();
            }
            entries.addFirst(e);
        }
    }

    /** The refusals kept, newest first (a copy). */
    public List<Entry> recent() {
        synchronized (entries) {
            List<Entry> copy = new ArrayList<>(entries.size());
            for (Iterator<Entry> it = entries.iterator(); it.hasNext();) {
                copy.add(it.next());
            }
            return copy;
        }
    }

    /** The path without query string, {@code ~name} segments as {@code ~*}, cut to {@value #MAX_PATH}. */
    static String mask(String path) {
        if (path == null) {
            return "";
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        StringBuilder sb = new StringBuilder(Math.min(path.length(), MAX_PATH + 8));
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            String s = segments[i];
            sb.append(s.startsWith("~") ? "~*" : s);
            if (sb.length() > MAX_PATH) {
                break;
            }
        }
        if (sb.length() > MAX_PATH) {
            sb.setLength(MAX_PATH - 1);
            sb.append('\u2026');
        }
        return sb.toString();
    }
}
