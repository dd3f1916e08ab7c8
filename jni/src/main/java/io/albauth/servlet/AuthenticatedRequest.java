package io.albauth.servlet;

import io.albauth.Decision;
import java.security.Principal;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;

/** The request as the verified user: remote user, principal, and roles from the groups claim. */
final class AuthenticatedRequest extends HttpServletRequestWrapper {
    private final AlbAuthPrincipal principal;

    AuthenticatedRequest(HttpServletRequest request, Decision decision) {
        super(request);
        this.principal = new AlbAuthPrincipal(decision);
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
        return role != null && principal.decision().groups().contains(role);
    }

    @Override
    public String getAuthType() {
        return "ALB_OIDC";
    }
}
