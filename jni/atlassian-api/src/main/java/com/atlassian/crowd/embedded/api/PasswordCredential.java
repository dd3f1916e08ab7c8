package com.atlassian.crowd.embedded.api;

import java.io.Serializable;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code PasswordCredential}. */
public class PasswordCredential implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String credential;
    private final boolean encryptedCredential;

    public PasswordCredential(String credential, boolean encryptedCredential) {
        this.credential = credential;
        this.encryptedCredential = encryptedCredential;
    }

    public static PasswordCredential unencrypted(String password) {
        return new PasswordCredential(password, false);
    }

    public String getCredential() {
        return credential;
    }

    public boolean isEncryptedCredential() {
        return encryptedCredential;
    }

    /** Never the credential. */
    @Override
    public String toString() {
        return "PasswordCredential";
    }
}
