package io.albauth.atlassian;

import java.io.Serializable;
import java.security.Principal;
import java.util.Objects;

/** A principal that is just the product username: what Seraph resolves to its own user type. */
public final class NamedPrincipal implements Principal, Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;

    public NamedPrincipal(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedPrincipal && ((NamedPrincipal) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** Never the username (log lines print principals). */
    @Override
    public String toString() {
        return "NamedPrincipal";
    }
}
