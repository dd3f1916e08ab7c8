package io.albauth.atlassian.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class XsrfTokensTest {
    @Test
    void theSameTokenMatches() {
        String t = XsrfTokens.fresh();
        assertTrue(XsrfTokens.matches(t, new String(t.toCharArray())));
    }

    @Test
    void anotherTokenDoesNotMatch() {
        assertFalse(XsrfTokens.matches(XsrfTokens.fresh(), XsrfTokens.fresh()));
    }

    @Test
    void aMissingOrEmptyTokenNeverMatches() {
        assertFalse(XsrfTokens.matches(XsrfTokens.fresh(), null));
        assertFalse(XsrfTokens.matches(XsrfTokens.fresh(), ""));
        assertFalse(XsrfTokens.matches("", ""));
        assertFalse(XsrfTokens.matches(null, null));
    }

    @Test
    void aPrefixOfTheTokenDoesNotMatch() {
        String t = XsrfTokens.fresh();
        assertFalse(XsrfTokens.matches(t, t.substring(0, t.length() - 1)));
    }

    @Test
    void freshTokensAre256RandomBitsInBase64Url() {
        String t = XsrfTokens.fresh();
        assertEquals(43, t.length());
        assertTrue(t.matches("[A-Za-z0-9_-]+"), t);
        assertNotEquals(t, XsrfTokens.fresh());
    }
}
