package io.albauth.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.UUID;

/** A P-256 key pair made by the JDK, with a UUID kid: what an ALB signs with. */
public final class TestKey {
    public final KeyPair pair;
    public final String kid;

    public TestKey() {
        this(UUID.randomUUID().toString());
    }

    public TestKey(String kid) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            this.pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        this.kid = kid;
    }

    /** The public key as an X.509 SubjectPublicKeyInfo PEM, as the ALB key endpoint serves it. */
    public String pem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** ES256 over {@code input}: the raw 64-byte r||s (JOSE form). */
    public byte[] sign(byte[] input) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(pair.getPrivate());
            s.update(input);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
