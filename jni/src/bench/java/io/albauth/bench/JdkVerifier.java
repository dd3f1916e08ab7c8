package io.albauth.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The ALB token check a plugin author would otherwise write with the JDK alone: the same checks
 * albauth makes on a miss (alg, signer, kid, ES256 over the received bytes, exp, iss, client,
 * sub, username), with keys parsed once up front.
 */
final class JdkVerifier {
    private static final Base64.Decoder B64 = Base64.getUrlDecoder(); // accepts the ALB's padding

    private final Map<String, PublicKey> keys = new HashMap<>();
    private final String signer;
    private final String issuer;
    private final String client;
    private final String usernameClaim;

    JdkVerifier(Map<String, String> pemByKid, String signer, String issuer, String client, String usernameClaim)
            throws GeneralSecurityException {
        KeyFactory kf = KeyFactory.getInstance("EC");
        for (Map.Entry<String, String> e : pemByKid.entrySet()) {
            String b64 = e.getValue().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            keys.put(e.getKey(), kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64))));
        }
        this.signer = signer;
        this.issuer = issuer;
        this.client = client;
        this.usernameClaim = usernameClaim;
    }

    /** The username, or an exception saying which check failed. */
    String verify(String token, long now) throws GeneralSecurityException {
        int d1 = token.indexOf('.');
        int d2 = token.indexOf('.', d1 + 1);
        if (d1 < 0 || d2 < 0 || token.indexOf('.', d2 + 1) >= 0) {
            throw new GeneralSecurityException("malformed");
        }
        Map<String, Object> header = MiniJson.parseObject(
                new String(B64.decode(token.substring(0, d1)), StandardCharsets.UTF_8));
        if (!"ES256".equals(header.get("alg")) || !signer.equals(header.get("signer"))) {
            throw new GeneralSecurityException("alg or signer");
        }
        PublicKey key = keys.get(header.get("kid"));
        if (key == null) {
            throw new GeneralSecurityException("unknown kid");
        }
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initVerify(key);
        s.update(token.substring(0, d2).getBytes(StandardCharsets.US_ASCII));
        if (!s.verify(B64.decode(token.substring(d2 + 1)))) {
            throw new GeneralSecurityException("signature");
        }
        Map<String, Object> claims = MiniJson.parseObject(
                new String(B64.decode(token.substring(d1 + 1, d2)), StandardCharsets.UTF_8));
        Object exp = header.get("exp");
        if (!(exp instanceof Long) || now > (Long) exp + 30) {
            throw new GeneralSecurityException("expired");
        }
        if (!issuer.equals(header.get("iss")) || !client.equals(header.get("client"))) {
            throw new GeneralSecurityException("iss or client");
        }
        Object sub = claims.get("sub");
        Object username = claims.get(usernameClaim);
        if (!(sub instanceof String) || !(username instanceof String)) {
            throw new GeneralSecurityException("claims");
        }
        return (String) username;
    }
}
