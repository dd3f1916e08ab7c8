package io.albauth.atlassian.jira;

import com.atlassian.application.api.ApplicationKey;
import com.atlassian.jira.application.ApplicationRoleManager;
import io.albauth.atlassian.NamedPrincipal;
import io.albauth.atlassian.Product;
import java.security.Principal;
import java.util.List;
import java.util.Objects;

/**
 * Jira: seats from {@link ApplicationRoleManager} for the application new users get (Jira
 * Software by default: {@code provisioning.default_groups} should hold its users group), login at
 * {@code /login.jsp}.
 */
public final class JiraProduct implements Product {
    /** The application whose seats a new user takes, unless the system property {@value #APPLICATION_PROPERTY} names another. */
    public static final String DEFAULT_APPLICATION = "jira-software";
    public static final String APPLICATION_PROPERTY = "albauth.jira.application";

    private final ApplicationRoleManager roles;

    public JiraProduct(ApplicationRoleManager roles) {
        this.roles = Objects.requireNonNull(roles, "roles");
    }

    @Override
    public String name() {
        return "jira";
    }

    @Override
    public boolean seatsAvailable() {
        return roles.hasSeatsAvailable(ApplicationKey.valueOf(System.getProperty(APPLICATION_PROPERTY,
                DEFAULT_APPLICATION)), 1);
    }

    @Override
    public Principal principal(String username) {
        return new NamedPrincipal(username);
    }

    @Override
    public List<String> loginPaths() {
        return List.of("/login.jsp");
    }
}
