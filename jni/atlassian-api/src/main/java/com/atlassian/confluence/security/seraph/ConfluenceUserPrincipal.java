package com.atlassian.confluence.security.seraph;

import com.atlassian.sal.api.user.UserKey;
import java.io.Serializable;
import java.security.Principal;

/**
 * Stub of Confluence 5.3–8.0 {@code ConfluenceUserPrincipal} (docs.atlassian.com/ConfluenceServer/javadoc/8.0.0-m90,
 * 7.19.14): the principal Confluence keeps in
 * the session (a user key, not a stale user object). The stub's {@code of} keeps the name only.
 */
public class ConfluenceUserPrincipal implements Principal, Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final UserKey userKey;

    private ConfluenceUserPrincipal(String name, UserKey userKey) {
        this.name = name;
        this.userKey = userKey;
    }

    public static ConfluenceUserPrincipal of(Principal principal) {
        if (principal instanceof ConfluenceUserPrincipal) {
            return (ConfluenceUserPrincipal) principal;
        }
        return new ConfluenceUserPrincipal(principal.getName(), null);
    }

    @Override
    public String getName() {
        return name;
    }

    public UserKey getUserKey() {
        return userKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfluenceUserPrincipal && ((ConfluenceUserPrincipal) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "ConfluenceUserPrincipal";
    }
}
