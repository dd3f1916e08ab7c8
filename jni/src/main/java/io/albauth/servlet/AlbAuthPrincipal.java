package io.albauth.servlet;

import io.albauth.Decision;
import java.security.Principal;

/** The user a request was authenticated as; {@link #getName()} is the username. */
public final class AlbAuthPrincipal implements Principal {
    private final Decision decision;

    AlbAuthPrincipal(Decision decision) {
        this.decision = decision;
    }

    @Override
    public String getName() {
        return decision.username();
    }

    /** The full decision: display name, e-mail, groups, claims. */
    public Decision decision() {
        return decision;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlbAuthPrincipal && ((AlbAuthPrincipal) o).getName().equals(getName());
    }

    @Override
    public int hashCode() {
        return getName().hashCode();
    }

    @Override
    public String toString() {
        return "AlbAuthPrincipal"; // never the username: toString ends up in logs
    }
}
