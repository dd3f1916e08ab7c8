package com.atlassian.confluence.event.events.security;

import java.util.EventObject;

/**
 * Stub of Confluence's {@code LoginEvent}: published on a successful login (audit log,
 * last-login date). The six-argument constructor and the source constants are in the 5.0–5.7
 * Javadoc (docs.atlassian.com/atlassian-confluence/5.7.1); not checked for 8.x–10 [K]. The real
 * class extends Confluence's {@code SecurityEvent}.
 */
public class LoginEvent extends EventObject {
    private static final long serialVersionUID = 1L;
    public static final String UNKNOWN = "Unknown";
    public static final String DIRECT = "Direct";
    public static final String COOKIE = "Cookie";
    public static final String CROWD = "Crowd";
    private final String username;
    private final String sessionId;
    private final String remoteHost;
    private final String remoteIP;
    private final String loginSource;

    public LoginEvent(Object src, String username, String sessionId, String remoteHost, String remoteIP,
            String loginSource) {
        super(src);
        this.username = username;
        this.sessionId = sessionId;
        this.remoteHost = remoteHost;
        this.remoteIP = remoteIP;
        this.loginSource = loginSource;
    }

    public String getUsername() {
        return username;
    }

    public String getSessionId() {
        return sessionId;
    }

    public String getRemoteHost() {
        return remoteHost;
    }

    public String getRemoteIP() {
        return remoteIP;
    }

    public String getLoginSource() {
        return loginSource;
    }
}
