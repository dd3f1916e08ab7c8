package com.atlassian.sal.api.user;

import java.io.Serializable;

/** Stub of SAL 4.x/5.x {@code UserKey} (sal-api 4.4, Jira 9.12, Confluence 8.5): a user's immutable key. */
public final class UserKey implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String userKey;

    public UserKey(String userKey) {
        if (userKey == null) {
            throw new NullPointerException("userKey");
        }
        this.userKey = userKey;
    }

    public static UserKey fromLong(long userId) {
        return new UserKey(String.valueOf(userId));
    }

    public String getStringValue() {
        return userKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserKey && ((UserKey) o).userKey.equals(userKey);
    }

    @Override
    public int hashCode() {
        return userKey.hashCode();
    }

    @Override
    public String toString() {
        return userKey;
    }
}
