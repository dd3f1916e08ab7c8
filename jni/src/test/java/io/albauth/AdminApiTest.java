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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an admin page asks of the core: checkConfig, explain, stats and templatesJson, through JNI. */
class AdminApiTest {
    static final long NOW = Fixtures.NOW;
    final TestKey key = new TestKey();

    String config(Map<String, Object> extra) {
        Map<String, Object> c = Configs.pinned(key);
        c.putAll(extra);
        return Configs.json(c);
    }

    @Test
    void anAcceptedConfigHasNoFieldAndCarriesItsWarnings() {
        Map<String, Object> noClient = new java.util.HashMap<>();
        noClient.put("client_id", null);
        ConfigCheck check = AlbAuth.checkConfig(config(noClient));
        assertTrue(check.ok());
        assertNull(check.field());
        assertNull(check.message());
        assertTrue(check.warnings().stream().anyMatch(w -> w.contains("client check disabled")), check.warnings().toString());
    }

    @Test
    void aRefusedConfigNamesTheFieldItsErrorIsAbout() {
        ConfigCheck check = AlbAuth.checkConfig(config(Map.of("trusted_albs", java.util.List.of("arn:nope"))));
        assertFalse(check.ok());
        assertEquals("trusted_albs[0]", check.field());
        assertTrue(check.message().startsWith("`trusted_albs[0]`"), check.message());
        assertTrue(check.warnings().isEmpty());
    }

    @Test
    void anUnknownFieldIsNamedAsTheField() {
        ConfigCheck check = AlbAuth.checkConfig(config(Map.of("issuer_url", "https://x")));
        assertEquals("issuer_url", check.field());
        assertTrue(check.message().contains("did you mean `issuer`"), check.message());
    }

    @Test
    void brokenJsonIsRefusedWithoutAField() {
        ConfigCheck check = AlbAuth.checkConfig("{");
        assertFalse(check.ok());
        assertNull(check.field());
        assertThrows(AlbAuthArgumentException.class, () -> AlbAuth.checkConfig(null));
    }

    @Test
    void explainTracesEveryCheckOfAGoodTokenAndYieldsItsDecision() {
        try (AlbAuth auth = AlbAuth.fromConfigJson(config(Map.of()))) {
            String token = new AlbToken(key).sign(key);
            Explanation e = auth.explain(Map.of("x-amzn-oidc-data", token), NOW);
            assertEquals(Decision.Outcome.AUTHENTICATED, e.decision().outcome());
            assertTrue(e.trace().contains("pass     signer"), e.trace());
            assertTrue(e.trace().endsWith("outcome  authenticated"), e.trace());
            assertFalse(e.trace().contains(token.substring(0, 40)), "the trace never holds the token");
        }
    }

    @Test
    void explainShowsTheFailedCheckOfAForgedToken() {
        try (AlbAuth auth = AlbAuth.fromConfigJson(config(Map.of()))) {
            String forged = new AlbToken(key).sign(new TestKey());
            Explanation e = auth.explain(Map.of("x-amzn-oidc-data", forged), NOW);
            assertEquals(Decision.Outcome.REJECTED, e.decision().outcome());
            assertTrue(e.trace().lines().anyMatch(l -> l.startsWith("FAIL")), e.trace());
            assertTrue(e.trace().endsWith("outcome  rejected"), e.trace());
        }
    }

    @Test
    void statsCountWhatTheVerifierDecided() {
        try (AlbAuth auth = AlbAuth.fromConfigJson(config(Map.of()))) {
            auth.verify(Map.of("x-amzn-oidc-data", new AlbToken(key).sign(key)), NOW);
            auth.verify(Map.of("x-amzn-oidc-data", new AlbToken(key).exp(NOW - 3600).sign(key)), NOW);
            auth.verify(Map.of(), NOW);
            VerifierStats s = auth.stats();
            assertEquals(1, s.authenticated());
            assertEquals(1, s.anonymous());
            assertEquals(1, s.rejected());
            assertEquals(1L, s.rejectedByCode().get("expired"));
            assertEquals(0L, s.rejectedByCode().get("invalid_signature"));
        }
    }

    @Test
    void templatesListEveryIdpTheConfigTakes() {
        String json = AlbAuth.templatesJson();
        for (String name : new String[] {"cognito", "azure", "okta", "google", "keycloak", "other"}) {
            assertTrue(json.contains("\"name\":\"" + name + "\""), name);
        }
        assertTrue(json.contains("\"token_header\":\"x-amzn-oidc-accesstoken\""), json);
    }
}
