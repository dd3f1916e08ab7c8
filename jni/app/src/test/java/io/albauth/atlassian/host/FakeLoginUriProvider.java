package io.albauth.atlassian.host;

import com.atlassian.sal.api.auth.LoginUriProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The product's login page with the return address, as Jira builds it ({@code /login.jsp?os_destination=...}). */
public final class FakeLoginUriProvider implements LoginUriProvider {
    @Override
    public URI getLoginUri(URI returnUri) {
        return URI.create("/login.jsp?os_destination=" + URLEncoder.encode(String.valueOf(returnUri),
                StandardCharsets.UTF_8));
    }
}
