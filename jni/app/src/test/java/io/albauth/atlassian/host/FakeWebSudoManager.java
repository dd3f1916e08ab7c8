package io.albauth.atlassian.host;

import com.atlassian.sal.api.websudo.WebSudoManager;
import com.atlassian.sal.api.websudo.WebSudoSessionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * WebSudo as one flag: a WebSudo session is active (the admin re-entered the password) or not.
 * Enforcing redirects to {@code /authenticate.jsp}, as Jira does.
 */
public final class FakeWebSudoManager implements WebSudoManager {
    private volatile boolean active;

    public FakeWebSudoManager(boolean active) {
        this.active = active;
    }

    public void setActive(boolean active) {
        this.active = active;
    }

    public boolean isActive() {
        return active;
    }

    @Override
    public boolean canExecuteRequest(HttpServletRequest request) {
        return active;
    }

    @Override
    public void enforceWebSudoProtection(HttpServletRequest request, HttpServletResponse response) {
        String target = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        try {
            response.sendRedirect(request.getContextPath() + "/authenticate.jsp?webSudoDestination="
                    + URLEncoder.encode(target, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void willExecuteWebSudoRequest(HttpServletRequest request) throws WebSudoSessionException {
        if (!active) {
            throw new WebSudoSessionException("no WebSudo session");
        }
    }
}
