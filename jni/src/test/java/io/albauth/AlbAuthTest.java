package io.albauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.TestKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JNI path for every outcome, with keys and tokens made here and pinned in the config. */
class AlbAuthTest {
    static final long NOW = Fixtures.NOW;
    final TestKey key = new TestKey();
    AlbAuth auth;

    @BeforeEach
    void create() {
        auth = AlbAuth.fromConfigJson(Configs.json(Configs.pinned(key)));
    }

    @AfterEach
    void close() {
        auth.close();
    }

    static Map<String, String> headers(String token) {
        Map<String, String> h = new HashMap<>();
        h.put("x-amzn-oidc-data", token);
        return h;
    }

    @Test
    void validTokenAuthenticatesWithEveryIdentityField() {
        Decision d = auth.verify(headers(new AlbToken(key).sign(key)), NOW);
        assertEquals(Decision.Outcome.AUTHENTICATED, d.outcome());
        assertEquals("alice", d.username());
        assertEquals("Alice Example", d.displayName());
        assertEquals("alice@example.com", d.email());
        assertEquals("sub-alice-0001", d.sub());
        assertEquals(List.of("jira-users", "jira-admins"), d.groups());
        assertTrue(d.claimsJson().contains("\"username\":\"alice\""), d.claimsJson());
        assertNull(d.errorCode());
        assertNull(d.errorDetail());
    }

    @Test
    void tokenFromAnyTrustedAlbAuthenticatesAndAnotherAccountsAlbDoesNot() {
        Map<String, Object> config = Configs.pinned(key);
        config.put("trusted_albs", List.of(Fixtures.ALB, Fixtures.ALB_DR));
        try (AlbAuth both = AlbAuth.fromConfigJson(Configs.json(config))) {
            String dr = new AlbToken(key).header("signer", Fixtures.ALB_DR).sign(key);
            assertEquals("alice", both.verify(headers(dr), NOW).username());
            String other = new AlbToken(key).header("signer", Fixtures.ALB_OTHER).sign(key);
            assertEquals("signer_not_trusted", both.verify(headers(other), NOW).errorCode());
        }
    }

    @Test
    void cacheHitReturnsTheSameIdentity() {
        String token = new AlbToken(key).sign(key);
        Decision first = auth.verify(headers(token), NOW);
        Decision second = auth.verify(headers(token), NOW + 1);
        assertEquals(first.username(), second.username());
        assertEquals(first.claimsJson(), second.claimsJson());
    }

    @Test
    void headerNamesAreMatchedInAnyCase() {
        Map<String, String> h = Map.of("X-Amzn-Oidc-Data", new AlbToken(key).sign(key),
                "X-AMZN-OIDC-IDENTITY", "sub-alice-0001");
        assertEquals("alice", auth.verify(h, NOW).username());
    }

    @Test
    void optionalClaimsMissingAreNullAndGroupsEmpty() {
        AlbToken t = new AlbToken(key);
        t.claims.remove("name");
        t.claims.remove("email");
        t.claims.remove("groups");
        Decision d = auth.verify(headers(t.sign(key)), NOW);
        assertEquals(Decision.Outcome.AUTHENTICATED, d.outcome());
        assertNull(d.displayName());
        assertNull(d.email());
        assertEquals(List.of(), d.groups());
    }

    @Test
    void nonAsciiClaimsCrossIntact() {
        Decision d = auth.verify(headers(new AlbToken(key).claim("name", "Zoë Łukasz 😀").sign(key)), NOW);
        assertEquals("Zoë Łukasz 😀", d.displayName());
    }

    @Test
    void noTokenHeaderIsAnonymous() {
        Decision d = auth.verify(Map.of("Host", "jira.example.com"), NOW);
        assertEquals(Decision.Outcome.ANONYMOUS, d.outcome());
        assertNull(d.username());
        assertNull(d.errorCode());
        assertEquals(List.of(), d.groups());
    }

    @Test
    void systemClockIsUsedWhenNowIsZero() {
        long real = System.currentTimeMillis() / 1000;
        Decision fresh = auth.verify(headers(new AlbToken(key).exp(real + 600).sign(key)), 0);
        assertEquals(Decision.Outcome.AUTHENTICATED, fresh.outcome());
        Decision stale = auth.verify(headers(new AlbToken(key).exp(real - 3600).sign(key)), 0);
        assertEquals("expired", stale.errorCode());
    }

    @Test
    void rejectedDecisionCarriesCodeAndDetailButNoUser() {
        Decision d = auth.verify(headers(new AlbToken(key).exp(NOW - 3600).sign(key)), NOW);
        assertEquals(Decision.Outcome.REJECTED, d.outcome());
        assertEquals("expired", d.errorCode());
        assertTrue(d.errorDetail().contains("expired"), d.errorDetail());
        assertNull(d.username());
        assertEquals(List.of(), d.groups());
    }

    @Test
    void toStringNamesOutcomeAndCodeNeverTheUser() {
        Decision ok = auth.verify(headers(new AlbToken(key).sign(key)), NOW);
        assertEquals("Decision[AUTHENTICATED]", ok.toString());
        Decision bad = auth.verify(headers("garbage"), NOW);
        assertEquals("Decision[REJECTED malformed_token]", bad.toString());
    }

    @Test
    void repeatedDataHeaderInTwoSpellingsIsMalformed() {
        String token = new AlbToken(key).sign(key);
        Map<String, String> h = new HashMap<>();
        h.put("x-amzn-oidc-data", token);
        h.put("X-Amzn-Oidc-Data", token);
        assertEquals("malformed_token", auth.verify(h, NOW).errorCode());
    }

    @Test
    void oversizedUnknownIdentityHeaderIsRefused() {
        Map<String, String> h = headers(new AlbToken(key).sign(key));
        h.put("x-amzn-oidc-extra", "a".repeat(17 * 1024));
        assertEquals("header_too_large", auth.verify(h, NOW).errorCode());
    }

    @Test
    void unknownIdentityHeaderOfNormalSizeDoesNotChangeTheDecision() {
        Map<String, String> h = headers(new AlbToken(key).sign(key));
        h.put("x-amzn-oidc-extra", "hello");
        assertEquals("alice", auth.verify(h, NOW).username());
    }

    @Test
    void oversizedAccessTokenIsRefusedEvenWhenTheConfigDoesNotReadIt() {
        Map<String, String> h = headers(new AlbToken(key).sign(key));
        h.put("x-amzn-oidc-accesstoken", "a".repeat(16 * 1024 + 1));
        assertEquals("header_too_large", auth.verify(h, NOW).errorCode());
    }

    @Test
    void unreadAccessTokenOfAnyAcceptedSizeDoesNotChangeTheDecision() {
        for (int size : new int[] {1, 1200, 6000, 16 * 1024}) {
            Map<String, String> h = headers(new AlbToken(key).sign(key));
            h.put("x-amzn-oidc-accesstoken", "a".repeat(size));
            assertEquals("alice", auth.verify(h, NOW).username(), "access token of " + size + " bytes");
        }
    }

    @Test
    void nullHeadersIsANullArgument() {
        AlbAuthArgumentException e = assertThrows(AlbAuthArgumentException.class, () -> auth.verify((Map<String, String>) null, NOW));
        assertEquals("null_argument", e.code());
    }

    @Test
    void nullIdentityHeaderValueIsANullArgument() {
        Map<String, String> h = new HashMap<>();
        h.put("x-amzn-oidc-data", null);
        assertEquals("null_argument", assertThrows(AlbAuthArgumentException.class, () -> auth.verify(h, NOW)).code());
    }

    @Test
    void nullNamesAndOtherHeadersAreIgnored() {
        Map<String, String> h = headers(new AlbToken(key).sign(key));
        h.put(null, "HTTP/1.1 200 OK");
        h.put("Cookie", null);
        assertEquals("alice", auth.verify(h, NOW).username());
    }

    @Test
    void negativeTimeIsAnInvalidArgument() {
        assertEquals("invalid_argument",
                assertThrows(AlbAuthArgumentException.class, () -> auth.verify(Map.of(), -1)).code());
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseThrowsIllegalState() {
        auth.close();
        auth.close();
        assertThrows(IllegalStateException.class, () -> auth.verify(Map.of(), NOW));
        assertThrows(IllegalStateException.class, () -> auth.reload(Configs.json(Configs.pinned(key))));
    }

    @Test
    void reloadSwapsTheConfiguration() {
        TestKey next = new TestKey();
        String oldToken = new AlbToken(key).sign(key);
        String newToken = new AlbToken(next).sign(next);
        assertEquals("key_unavailable", auth.verify(headers(newToken), NOW).errorCode());
        auth.reload(Configs.json(Configs.pinned(next)));
        assertEquals("alice", auth.verify(headers(newToken), NOW).username());
        assertEquals("key_unavailable", auth.verify(headers(oldToken), NOW).errorCode());
    }

    @Test
    void refusedReloadKeepsTheOldConfiguration() {
        AlbAuthConfigException e = assertThrows(AlbAuthConfigException.class, () -> auth.reload("{\"trusted_albs\": 5}"));
        assertEquals("config_invalid", e.code());
        assertEquals("alice", auth.verify(headers(new AlbToken(key).sign(key)), NOW).username());
    }

    @Test
    void nativePanicBecomesAnErrorAndTheLibraryKeepsWorking() {
        AlbAuthPanicError e = assertThrows(AlbAuthPanicError.class, TestNatives::panicForTest);
        assertEquals("panic", e.code());
        assertFalse(e.getMessage().contains("deliberate"), "the panic payload must not reach Java: " + e.getMessage());
        assertEquals("alice", auth.verify(headers(new AlbToken(key).sign(key)), NOW).username());
    }

    @Test
    void nativeCallsRefuseAZeroHandleWithoutCrashing() {
        byte[] token = "x".getBytes();
        assertEquals("null_argument", assertThrows(AlbAuthArgumentException.class,
                () -> decode(NativeBridge.verify(0, token, null, null, NOW, null))).code());
        assertEquals("null_argument", assertThrows(AlbAuthArgumentException.class,
                () -> decode(NativeBridge.verifyHeaders(0, new String[0], NOW, null))).code());
        NativeBridge.destroy(0);
    }

    @Test
    void headerArrayOfOddLengthIsAnInvalidArgument() {
        long handle = rawHandle();
        try {
            assertEquals("invalid_argument", assertThrows(AlbAuthArgumentException.class,
                    () -> decode(NativeBridge.verifyHeaders(handle, new String[] {"x-amzn-oidc-data"}, NOW, null))).code());
            assertEquals("null_argument", assertThrows(AlbAuthArgumentException.class,
                    () -> decode(NativeBridge.verifyHeaders(handle, new String[] {"x-amzn-oidc-data", null}, NOW, null))).code());
        } finally {
            NativeBridge.destroy(handle);
        }
    }

    @Test
    void headerBytesThatAreNotUtf8AreAnInvalidArgument() {
        long handle = rawHandle();
        try {
            assertEquals("invalid_argument", assertThrows(AlbAuthArgumentException.class,
                    () -> decode(NativeBridge.verify(handle, new byte[] {(byte) 0xff}, null, null, NOW, null))).code());
        } finally {
            NativeBridge.destroy(handle);
        }
    }

    /** A native verifier handle for {@link #key}, outside any AlbAuth (destroy it). */
    long rawHandle() {
        WireReader r = WireReader.reply(NativeBridge.create(Configs.json(Configs.pinned(key))));
        assertEquals(Status.OK, r.status());
        return r.int64();
    }

    /** Without an {@code out} buffer the reply always comes back in a new array. */
    static Decision decode(byte[] reply) {
        return Decision.decode(reply);
    }

    @Test
    void replyLargerThanTheBufferComesBackInANewArray() {
        AlbToken t = new AlbToken(key).claim("bio", "x".repeat(3 * NativeBridge.REPLY_BYTES));
        Decision d = auth.verify(headers(t.sign(key)), NOW);
        assertEquals("alice", d.username());
        assertTrue(d.claimsJson().contains("x".repeat(3 * NativeBridge.REPLY_BYTES)));
    }
}
