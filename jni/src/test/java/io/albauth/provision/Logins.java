package io.albauth.provision;

import io.albauth.AlbAuth;
import io.albauth.Decision;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.TestKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A verifier with a provisioning section, and verified logins made with its pinned key. */
final class Logins implements AutoCloseable {
    final TestKey key = new TestKey();
    final AlbAuth auth;

    Logins(Object... provisioning) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("enabled", true);
        for (int i = 0; i < provisioning.length; i += 2) {
            p.put((String) provisioning[i], provisioning[i + 1]);
        }
        Map<String, Object> c = Configs.pinned(key);
        c.put("provisioning", p);
        auth = AlbAuth.fromConfigJson(Configs.json(c));
    }

    /** A token for {@code username}: sub "sub-" + username, the default name, e-mail and groups. */
    AlbToken token(String username) {
        return new AlbToken(key).claim("username", username).claim("sub", "sub-" + username);
    }

    Decision login(AlbToken token) {
        Decision d = auth.verify(Map.of("x-amzn-oidc-data", token.sign(key)), Fixtures.NOW);
        if (d.outcome() != Decision.Outcome.AUTHENTICATED) {
            throw new AssertionError("not authenticated: " + d + " " + d.errorDetail());
        }
        return d;
    }

    Decision login(String username, String... groups) {
        return login(token(username).claim("groups", List.of(groups)));
    }

    @Override
    public void close() {
        auth.close();
    }
}
