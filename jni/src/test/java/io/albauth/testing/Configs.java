package io.albauth.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** albauth JSON configs for tests: pinned keys, so no network I/O at all. */
public final class Configs {
    private Configs() {}

    /** trusted_albs [ALB], issuer, client_id, template cognito, username_claim "username",
     * groups_claim "groups", pinned_keys for {@code keys}. */
    public static Map<String, Object> pinned(TestKey... keys) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("trusted_albs", List.of(Fixtures.ALB));
        c.put("issuer", Fixtures.ISSUER);
        c.put("client_id", Fixtures.CLIENT);
        c.put("template", "cognito");
        c.put("username_claim", "username");
        c.put("groups_claim", "groups");
        Map<String, Object> pins = new LinkedHashMap<>();
        for (TestKey k : keys) {
            pins.put(k.kid, k.pem());
        }
        c.put("pinned_keys", pins);
        return c;
    }

    public static String json(Map<String, Object> config) {
        return Json.write(config);
    }
}
