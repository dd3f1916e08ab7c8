package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.TestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config-file is re-read on change (or on a call) and swapped in without a failed request. */
class FilterReloadTest {
    @TempDir
    Path dir;

    static String tokenFor(TestKey key) {
        return new AlbToken(key).exp(System.currentTimeMillis() / 1000 + 600).sign(key);
    }

    @Test
    void changedConfigFileIsPickedUpByTheNextRequest() throws Exception {
        TestKey a = new TestKey();
        TestKey b = new TestKey();
        Path file = dir.resolve("albauth.json");
        Files.writeString(file, Configs.json(Configs.pinned(a)));
        try (Jetty j = new Jetty(a, Jetty.pairs("config-file", file.toString(), "config-reload-secs", "0"))) {
            assertEquals(401, j.get("/", "x-amzn-oidc-data", tokenFor(b)).statusCode());
            Files.writeString(file, Configs.json(Configs.pinned(a, b)));
            assertEquals("alice", Jetty.line(j.get("/", "x-amzn-oidc-data", tokenFor(b)), "user"));
            assertEquals("alice", Jetty.line(j.get("/", "x-amzn-oidc-data", tokenFor(a)), "user"));
        }
    }

    @Test
    void reloadOnACallWhenPollingIsOff() throws Exception {
        TestKey a = new TestKey();
        TestKey b = new TestKey();
        Path file = dir.resolve("albauth.json");
        Files.writeString(file, Configs.json(Configs.pinned(a)));
        try (Jetty j = new Jetty(a, Jetty.pairs("config-file", file.toString(), "config-reload-secs", "off"))) {
            Files.writeString(file, Configs.json(Configs.pinned(b)));
            assertEquals(200, j.get("/", "x-amzn-oidc-data", tokenFor(a)).statusCode());
            assertTrue(j.filter().reload());
            assertEquals(401, j.get("/", "x-amzn-oidc-data", tokenFor(a)).statusCode());
            assertEquals("alice", Jetty.line(j.get("/", "x-amzn-oidc-data", tokenFor(b)), "user"));
            assertFalse(j.filter().reload(), "an unchanged file is not reloaded");
        }
    }

    @Test
    void refusedConfigFileKeepsThePreviousConfigurationAndSaysWhy() throws Exception {
        TestKey a = new TestKey();
        Path file = dir.resolve("albauth.json");
        Files.writeString(file, Configs.json(Configs.pinned(a)));
        try (Jetty j = new Jetty(a, Jetty.pairs("config-file", file.toString(), "config-reload-secs", "off"));
                LogCapture log = new LogCapture()) {
            Files.writeString(file, "{\"trusted_albs\": []}");
            assertFalse(j.filter().reload());
            assertEquals("alice", Jetty.line(j.get("/", "x-amzn-oidc-data", tokenFor(a)), "user"));
            assertTrue(log.at(Level.WARNING).stream().anyMatch(w -> w.contains("config_invalid") && w.contains("trusted_albs")),
                    log.at(Level.WARNING).toString());
        }
    }

    @Test
    void missingConfigFileStopsTheFilterFromStarting() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> new Jetty(new TestKey(), Jetty.pairs("config-file", dir.resolve("nope.json").toString())).close());
        assertTrue(String.valueOf(e.getMessage()).contains("cannot read config-file"), e.getMessage());
    }
}
