package com.atlassian.sal.api.auth;

import java.net.URI;

/** Stub of SAL 4.x/5.x {@code LoginUriProvider} (sal-api 4.4, Jira 9.12, Confluence 8.5). */
public interface LoginUriProvider {
    URI getLoginUri(URI returnUri);
}
