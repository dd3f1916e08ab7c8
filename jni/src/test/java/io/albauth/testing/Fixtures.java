package io.albauth.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The shared test identities, read from {@code tests/fixtures/ids.properties}: the one file
 * that the Rust tests, the fuzz seeds and these Java tests all read. jni/test.sh and
 * jni/bench.sh pass its path as the system property {@value #PROPERTY}.
 */
public final class Fixtures {
    public static final String PROPERTY = "albauth.test.fixtures";

    private static final Properties IDS = load();

    /** A trusted ALB (us-east-1). */
    public static final String ALB = id("alb");
    /** A second trusted ALB in another region (disaster recovery). */
    public static final String ALB_DR = id("alb_dr");
    /** Another account's ALB: signs validly, never trusted. */
    public static final String ALB_OTHER = id("alb_other");
    /** The IdP issuer. */
    public static final String ISSUER = id("issuer");
    /** The OIDC client id. */
    public static final String CLIENT = id("client");
    /** The kid of the deterministic test key 1 (tests/fixtures/alb-key-1.pem). */
    public static final String KID = id("kid");
    /** The fixed clock, in Unix seconds (2026-01-01T00:00:00Z), used as nowUnix. */
    public static final long NOW = Long.parseLong(id("now"));

    private Fixtures() {}

    private static Properties load() {
        String path = System.getProperty(PROPERTY);
        if (path == null || path.isEmpty()) {
            throw new IllegalStateException("the system property " + PROPERTY
                    + " must name tests/fixtures/ids.properties (jni/test.sh passes it)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e, e);
        }
        return p;
    }

    private static String id(String key) {
        String v = IDS.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("tests/fixtures/ids.properties has no `" + key + "`");
        }
        return v.trim();
    }
}
