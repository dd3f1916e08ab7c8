package com.atlassian.sal.api.websudo;

/** Stub of SAL 4.x/5.x {@code WebSudoSessionException} (sal-api 4.4): no WebSudo session. */
public class WebSudoSessionException extends Exception {
    private static final long serialVersionUID = 1L;

    public WebSudoSessionException(String message) {
        super(message);
    }
}
