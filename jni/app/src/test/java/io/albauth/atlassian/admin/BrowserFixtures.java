package io.albauth.atlassian.admin;

import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.TestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what the browser tests (jni/app/browser) need into one directory: {@code config.json}
 * (the test host's starting configuration: key 1 pinned), {@code fixtures.json} (the same
 * configuration with key 2 pinned too, and ALB tokens signed now, valid for an hour: the admin
 * "alice" and the non-admin "bob" with key 1, "carol" with key 2, which only the second
 * configuration accepts). Tokens come from the Java test helpers, as in every JUnit test.
 *
 * <p>Usage: {@code java ... io.albauth.atlassian.admin.BrowserFixtures DIR}
 */
public final class BrowserFixtures {
    private BrowserFixtures() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BrowserFixtures DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        TestKey one = new TestKey();
        TestKey two = new TestKey();
        Map<String, Object> first = Configs.pinned(one);
        Map<String, Object> second = Configs.pinned(one, two);
        long exp = System.currentTimeMillis() / 1000 + 3600;
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("alice", token(one, "alice", exp));
        tokens.put("bob", token(one, "bob", exp));
        tokens.put("carol", token(two, "carol", exp));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alb", Fixtures.ALB);
        out.put("config", first);
        out.put("configWithKey2", second);
        out.put("tokens", tokens);
        Files.writeString(dir.resolve("config.json"), Configs.json(first), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("fixtures.json"), Json.pretty(out), StandardCharsets.UTF_8);
    }

    private static String token(TestKey key, String username, long exp) {
        return new AlbToken(key).claim("sub", "sub-" + username).claim("username", username)
                .claim("email", username + "@example.com").claim("name", "Test " + username)
                .claim("groups", List.of("jira-users")).exp(exp).sign(key);
    }
}
