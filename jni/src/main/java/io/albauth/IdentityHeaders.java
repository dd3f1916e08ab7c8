package io.albauth;

import java.util.ArrayList;

/**
 * Picks the {@code x-amzn-oidc-*} headers out of a request (names in any case), so that only
 * they cross into native code. The usual request carries each identity header once and goes
 * the fast way, as three strings; anything else (a repeated or unknown {@code x-amzn-oidc-*}
 * header) goes as a name/value list, and the core judges it exactly as the Rust API would.
 */
final class IdentityHeaders {
    static final String PREFIX = "x-amzn-oidc-";
    static final String DATA = "x-amzn-oidc-data";
    static final String IDENTITY = "x-amzn-oidc-identity";
    static final String ACCESS = "x-amzn-oidc-accesstoken";

    String data;
    String identity;
    String access;
    /** Non-null once the request left the usual shape: every x-amzn-oidc-* name and value. */
    ArrayList<String> all;

    static boolean isIdentityHeader(String name) {
        return name != null
                && name.length() >= PREFIX.length()
                && (name.startsWith(PREFIX) || name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()));
    }

    /** Whether {@code name} is {@code known} in any case (the ALB sends lower case: tried first). */
    private static boolean is(String name, String known) {
        return name.equals(known) || name.equalsIgnoreCase(known);
    }

    /** Adds one header; anything but an {@code x-amzn-oidc-*} header is ignored. */
    void add(String name, String value) {
        if (!isIdentityHeader(name)) {
            return;
        }
        if (value == null) {
            throw AlbAuthArgumentException.nullArgument("the value of an x-amzn-oidc-* header is null");
        }
        if (all == null) {
            if (data == null && is(name, DATA)) {
                data = value;
                return;
            }
            if (identity == null && is(name, IDENTITY)) {
                identity = value;
                return;
            }
            if (access == null && is(name, ACCESS)) {
                access = value;
                return;
            }
            all = new ArrayList<>(8);
            addIfSet(DATA, data);
            addIfSet(IDENTITY, identity);
            addIfSet(ACCESS, access);
        }
        all.add(name);
        all.add(value);
    }

    private void addIfSet(String name, String value) {
        if (value != null) {
            all.add(name);
            all.add(value);
        }
    }
}
