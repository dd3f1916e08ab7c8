package io.albauth.servlet;

import java.io.IOException;

/**
 * Where {@link AlbAuthFilter} gets its configuration JSON, and learns that it changed: the
 * {@code config-file} (a file watched by modification time) or a host's own store (the
 * Jira/Confluence app keeps it in SAL plugin settings, shared by every cluster node).
 *
 * <p>Request threads call {@link #due()} on every request, so it must be cheap; the filter then
 * calls {@link #changed()} on that one thread. Implementations are thread-safe.
 */
public interface ConfigSource {
    /**
     * The configuration now, or null when none was saved yet: the filter is then
     * <em>unconfigured</em> and passes every request through untouched. A configuration the core
     * refuses, with none in force before it, fails closed instead: every request gets 503
     * {@code config_invalid} until a valid one arrives.
     */
    String read() throws IOException;

    /** Whether this thread should look for a change now (true for one thread per interval). */
    boolean due();

    /** The new configuration if it changed since the last {@link #read} or {@code changed}, else null. */
    String changed() throws IOException;

    /** Names the source in log lines (never its content). */
    String describe();
}
