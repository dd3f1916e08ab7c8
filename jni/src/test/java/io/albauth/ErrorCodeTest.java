package io.albauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.Json;
import io.albauth.testing.TestKey;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every verifier error code reaches Java as a REJECTED decision with that code. */
class ErrorCodeTest {
    static final long NOW = Fixtures.NOW;
    static final TestKey KEY = new TestKey();
    static AlbAuth auth;

    @BeforeAll
    static void create() {
        auth = AlbAuth.fromConfigJson(Configs.json(Configs.pinned(KEY)));
    }

    @AfterAll
    static void close() {
        auth.close();
    }

    static String code(String token) {
        return code(Map.of("x-amzn-oidc-data", token));
    }

    static String code(Map<String, String> headers) {
        Decision d = auth.verify(headers, NOW);
        assertEquals(Decision.Outcome.REJECTED, d.outcome(), d.toString());
        return d.errorCode();
    }

    @Test
    void malformedToken() {
        assertEquals("malformed_token", code("not.a-token"));
    }

    @Test
    void emptyTokenIsMalformed() {
        assertEquals("malformed_token", code(""));
    }

    @Test
    void unsupportedAlgorithm() {
        assertEquals("unsupported_algorithm", code(new AlbToken(KEY).header("alg", "HS256").sign(KEY)));
    }

    @Test
    void invalidKeyId() {
        assertEquals("invalid_key_id", code(new AlbToken(KEY).header("kid", "../../etc/passwd").sign(KEY)));
    }

    @Test
    void signerNotTrusted() {
        assertEquals("signer_not_trusted", code(new AlbToken(KEY).header("signer", Fixtures.ALB_OTHER).sign(KEY)));
    }

    @Test
    void issuerMismatch() {
        AlbToken t = new AlbToken(KEY).header("iss", "https://evil.example.com");
        t.claims.remove("iss");
        assertEquals("issuer_mismatch", code(t.sign(KEY)));
    }

    @Test
    void clientMismatch() {
        assertEquals("client_mismatch", code(new AlbToken(KEY).header("client", "someone-else").sign(KEY)));
    }

    @Test
    void expired() {
        assertEquals("expired", code(new AlbToken(KEY).exp(NOW - 3600).sign(KEY)));
    }

    @Test
    void invalidSignature() {
        assertEquals("invalid_signature", code(new AlbToken(KEY).sign(new TestKey(KEY.kid))));
    }

    @Test
    void keyUnavailableForAKidThatIsNotPinned() {
        TestKey stranger = new TestKey();
        assertEquals("key_unavailable", code(new AlbToken(stranger).sign(stranger)));
    }

    @Test
    void claimMissing() {
        AlbToken t = new AlbToken(KEY);
        t.claims.remove("username");
        assertEquals("claim_missing", code(t.sign(KEY)));
    }

    @Test
    void headerTooLarge() {
        assertEquals("header_too_large", code("a".repeat(16 * 1024 + 1)));
    }

    @Test
    void identityMismatch() {
        Map<String, String> h = new HashMap<>();
        h.put("x-amzn-oidc-data", new AlbToken(KEY).sign(KEY));
        h.put("x-amzn-oidc-identity", "sub-mallory");
        assertEquals("identity_mismatch", code(h));
    }

    @Test
    void configInvalidIsAnExceptionNamingTheField() {
        AlbAuthConfigException e = assertThrows(AlbAuthConfigException.class,
                () -> AlbAuth.fromConfigJson("{\"trusted_albs\": [\"arn:aws:nope\"], \"issuer\": null, \"client_id\": null}"));
        assertEquals("config_invalid", e.code());
        assertTrue(e.getMessage().contains("trusted_albs"), e.getMessage());
    }

    @Test
    void configThatIsNotJsonIsInvalid() {
        assertEquals("config_invalid", assertThrows(AlbAuthConfigException.class, () -> AlbAuth.fromConfigJson("{")).code());
    }

    @Test
    void nullConfigIsANullArgument() {
        assertEquals("null_argument", assertThrows(AlbAuthArgumentException.class, () -> AlbAuth.fromConfigJson(null)).code());
    }

    /** Entra ID: the username comes from the access token, verified against a JWKS on 127.0.0.1. */
    static final class Azure implements AutoCloseable {
        static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        final KeyPair rsa;
        final String rsaKid = "rsa-key-1";
        final HttpServer jwks;
        final AlbAuth auth;

        Azure() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            rsa = g.generateKeyPair();
            RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "RSA");
            jwk.put("use", "sig");
            jwk.put("kid", rsaKid);
            jwk.put("n", b64(pub.getModulus()));
            jwk.put("e", b64(pub.getPublicExponent()));
            byte[] body = Json.write(Map.of("keys", List.of(jwk))).getBytes(StandardCharsets.UTF_8);
            jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            jwks.createContext("/keys", ex -> {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            jwks.start();
            Map<String, Object> c = Configs.pinned(KEY);
            c.remove("username_claim");
            c.put("template", "azure");
            c.put("issuer", "https://login.microsoftonline.com/" + TENANT + "/v2.0");
            c.put("tenant_id", TENANT);
            c.put("access_token_jwks_url", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/keys");
            auth = AlbAuth.fromConfigJson(Json.write(c));
        }

        static String b64(BigInteger n) {
            byte[] b = n.toByteArray();
            if (b[0] == 0) {
                b = java.util.Arrays.copyOfRange(b, 1, b.length);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }

        String dataToken() {
            return new AlbToken(KEY).header("iss", "https://login.microsoftonline.com/" + TENANT + "/v2.0")
                    .claim("iss", "https://login.microsoftonline.com/" + TENANT + "/v2.0").sign(KEY);
        }

        String accessToken(KeyPair signer) throws Exception {
            Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", "https://sts.windows.net/" + TENANT + "/");
            claims.put("tid", TENANT);
            // Bound to this application: issued for Microsoft Graph, to our client id.
            claims.put("aud", "00000003-0000-0000-c000-000000000000");
            claims.put("appid", Fixtures.CLIENT);
            claims.put("exp", NOW + 600);
            claims.put("upn", "alice@contoso.com");
            claims.put("oid", UUID.randomUUID().toString());
            String input = e.encodeToString(Json.write(Map.of("alg", "RS256", "typ", "JWT", "kid", rsaKid)).getBytes(StandardCharsets.UTF_8))
                    + "." + e.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(signer.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + e.encodeToString(s.sign());
        }

        @Override
        public void close() {
            auth.close();
            jwks.stop(0);
        }
    }

    @Test
    void accessTokenVerifiedAgainstTheJwksGivesTheUsername() throws Exception {
        try (Azure az = new Azure()) {
            Decision d = az.auth.verify(Map.of("x-amzn-oidc-data", az.dataToken(),
                    "x-amzn-oidc-accesstoken", az.accessToken(az.rsa)), NOW);
            assertEquals("alice@contoso.com", d.username(), d.toString());
        }
    }

    @Test
    void accessTokenInvalidWhenSignedByAnotherKey() throws Exception {
        try (Azure az = new Azure()) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            Decision d = az.auth.verify(Map.of("x-amzn-oidc-data", az.dataToken(),
                    "x-amzn-oidc-accesstoken", az.accessToken(g.generateKeyPair())), NOW);
            assertEquals("access_token_invalid", d.errorCode());
        }
    }

    @Test
    void accessTokenInvalidWhenMissing() throws Exception {
        try (Azure az = new Azure()) {
            assertEquals("access_token_invalid", az.auth.verify(Map.of("x-amzn-oidc-data", az.dataToken()), NOW).errorCode());
        }
    }
}
