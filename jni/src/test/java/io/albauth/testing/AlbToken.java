package io.albauth.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds ALB-style tokens: base64url WITH {@code =} padding, header fields typ, kid, alg, iss,
 * client, signer, exp; signed ES256 over the exact segments sent. The ALB, issuer, client and
 * clock are the shared {@link Fixtures}.
 */
public final class AlbToken {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder(); // with padding, as the ALB

    public final Map<String, Object> header = new LinkedHashMap<>();
    public final Map<String, Object> claims = new LinkedHashMap<>();

    /** A token for {@code key} from {@link Fixtures#ALB}, for user "alice", valid until NOW + 600. */
    public AlbToken(TestKey key) {
        header.put("typ", "JWT");
        header.put("kid", key.kid);
        header.put("alg", "ES256");
        header.put("iss", Fixtures.ISSUER);
        header.put("client", Fixtures.CLIENT);
        header.put("signer", Fixtures.ALB);
        header.put("exp", Fixtures.NOW + 600);
        claims.put("sub", "sub-alice-0001");
        claims.put("email", "alice@example.com");
        claims.put("name", "Alice Example");
        claims.put("username", "alice");
        claims.put("groups", java.util.List.of("jira-users", "jira-admins"));
        claims.put("exp", Fixtures.NOW + 600);
        claims.put("iss", Fixtures.ISSUER);
    }

    public AlbToken header(String k, Object v) {
        header.put(k, v);
        return this;
    }

    public AlbToken claim(String k, Object v) {
        claims.put(k, v);
        return this;
    }

    public AlbToken exp(long exp) {
        header.put("exp", exp);
        claims.put("exp", exp);
        return this;
    }

    /** Signs with {@code key} (which may differ from the kid's key, for bad signatures). */
    public String sign(TestKey key) {
        String input = segment(Json.write(header)) + "." + segment(Json.write(claims));
        byte[] sig = key.sign(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(sig);
    }

    static String segment(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
