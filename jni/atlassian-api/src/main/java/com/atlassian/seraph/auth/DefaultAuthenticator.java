package com.atlassian.seraph.auth;

/**
 * Stub of Seraph 4.x/5.x {@code DefaultAuthenticator} constants (docs.atlassian.com/atlassian-seraph).
 * Compile-time constants: the app inlines them and never loads this class.
 */
public abstract class DefaultAuthenticator {
    public static final String LOGGED_IN_KEY = "seraph_defaultauthenticator_user";
    public static final String LOGGED_OUT_KEY = "seraph_defaultauthenticator_logged_out_user";

    protected DefaultAuthenticator() {}
}
