package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.TestKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** jni/demo.sh as a black box: its own JVM and Jetty, probed over HTTP on 127.0.0.1. */
class DemoScriptTest {
    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(180)
    void demoAnswersWithTheRemoteUserAndLogsRejectionsToStdout() throws Exception {
        String jni = System.getProperty("albauth.test.jni");
        assertNotNull(jni, "test.sh passes -Dalbauth.test.jni");
        TestKey key = new TestKey();
        Path config = dir.resolve("albauth.json");
        Files.writeString(config, Configs.json(Configs.pinned(key)));
        int port = freePort();
        Process p = new ProcessBuilder(jni + "/demo.sh", "--port", String.valueOf(port), "--config", config.toString())
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(lines, "albauth demo: listening on http://127.0.0.1:" + port + "/");
            HttpClient client = HttpClient.newHttpClient();
            long now = System.currentTimeMillis() / 1000;
            String token = new AlbToken(key).exp(now + 600).sign(key);
            assertEquals("user=alice", get(client, port, token).body());
            assertEquals("user=", get(client, port, null).body());
            HttpResponse<String> rejected = get(client, port, new AlbToken(key).exp(now - 3600).sign(key));
            assertEquals(401, rejected.statusCode());
            awaitLine(lines, "expired");
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    @Timeout(180)
    void demoWithDirectoryDbCreatesTheFirstUserThereAndShowsTheirGroups() throws Exception {
        String jni = System.getProperty("albauth.test.jni");
        TestKey key = new TestKey();
        Path config = dir.resolve("albauth.json");
        java.util.Map<String, Object> c = Configs.pinned(key);
        c.put("provisioning", java.util.Map.of("enabled", true, "default_groups", java.util.List.of("jira-software-users")));
        Files.writeString(config, Configs.json(c));
        Path db = dir.resolve("users");
        int port = freePort();
        Process p = new ProcessBuilder(jni + "/demo.sh", "--port", String.valueOf(port), "--config", config.toString(),
                "--directory-db", db.toString())
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(lines, "albauth demo: listening on http://127.0.0.1:" + port + "/");
            HttpClient client = HttpClient.newHttpClient();
            long now = System.currentTimeMillis() / 1000;
            String token = new AlbToken(key).exp(now + 600).sign(key);
            assertEquals("user=alice\ngroups=jira-admins,jira-software-users,jira-users", get(client, port, token).body());
            assertEquals("user=\ngroups=", get(client, port, null).body());
            assertTrue(Files.exists(dir.resolve("users.mv.db")), "the H2 database file");
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static HttpResponse<String> get(HttpClient client, int port, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("x-amzn-oidc-data", token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void awaitLine(BlockingQueue<String> lines, String fragment) throws Exception {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l == null) {
                continue;
            }
            seen.append(l).append('\n');
            if (l.contains(fragment)) {
                return;
            }
        }
        assertTrue(false, "demo.sh never printed `" + fragment + "`; output:\n" + seen);
    }
}
