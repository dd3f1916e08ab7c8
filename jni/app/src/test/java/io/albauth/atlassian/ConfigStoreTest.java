package io.albauth.atlassian;

import static io.albauth.atlassian.Browser.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.albauth.AlbAuthConfigException;
import io.albauth.atlassian.host.MemoryPluginSettingsFactory;
import io.albauth.atlassian.host.TestHost;
import io.albauth.testing.Configs;
import io.albauth.testing.TestKey;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The configuration in SAL plugin settings: validated, versioned, applied without a restart. */
class ConfigStoreTest {
    @Test
    void nothingIsStoredBeforeTheFirstSave() {
        ConfigStore store = new ConfigStore(new MemoryPluginSettingsFactory(), null);
        assertNull(store.configJson());
        assertEquals(0, store.version());
    }

    @Test
    void aSaveStoresTheJsonAndBumpsTheVersion() throws Exception {
        MemoryPluginSettingsFactory settings = new MemoryPluginSettingsFactory();
        ConfigStore store = new ConfigStore(settings, null);
        String json = Configs.json(Configs.pinned(new TestKey()));
        store.save(json);
        store.save(json);
        assertEquals(json, settings.createGlobalSettings().get(ConfigStore.CONFIG_KEY));
        assertEquals("2", settings.createGlobalSettings().get(ConfigStore.VERSION_KEY));
        assertEquals(2, store.version());
    }

    @Test
    void anInvalidConfigurationIsRefusedAndNothingIsStored() throws Exception {
        ConfigStore store = new ConfigStore(new MemoryPluginSettingsFactory(), null);
        store.save(Configs.json(Configs.pinned(new TestKey())));
        String before = store.configJson();
        assertThrows(AlbAuthConfigException.class, () -> store.save("{\"trusted_albs\": [\"not an arn\"]}"));
        assertThrows(AlbAuthConfigException.class, () -> store.save("{\"unknown_field\": 1}"));
        assertEquals(before, store.configJson());
        assertEquals(1, store.version());
    }

    @Test
    void anUnconfiguredAppPassesEveryRequestThroughUntouched() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().user("bob"))) {
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", "forged.token.x");
            assertEquals(200, r.statusCode());
            assertEquals("", line(r, "user"));
            assertNull(host.app.albAuth());
        }
    }

    @Test
    void aConfigurationSavedThroughTheStoreAppliesToTheNextRequest() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().user("bob").pollMillis(3_600_000))) {
            Browser b = new Browser(host.base());
            assertEquals("", line(b.get("/secure/Dashboard.jspa", host.token("bob")), "user"));
            host.app.configStore().save(Configs.json(Configs.pinned(host.key)));
            assertEquals("bob", line(b.get("/secure/Dashboard.jspa", host.token("bob")), "user"));
        }
    }

    @Test
    void aChangedConfigurationAppliesToTheNextRequestOfTheSavingNode() throws Exception {
        try (TestHost host = TestHost.start(TestHost.options().testConfig().user("bob").pollMillis(3_600_000))) {
            Browser b = new Browser(host.base());
            assertEquals("bob", line(b.get("/secure/Dashboard.jspa", host.token("bob")), "user"));
            TestKey other = new TestKey();
            host.app.configStore().save(Configs.json(Configs.pinned(other)));
            assertEquals(401, new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob")).statusCode());
        }
    }

    @Test
    void aSaveOnOneNodeAppliesOnAnotherAtItsNextPoll() throws Exception {
        try (TestHost one = TestHost.start(TestHost.options().user("bob").pollMillis(0));
                TestHost two = TestHost.start(TestHost.options().nodeOf(one).pollMillis(0))) {
            Browser b = new Browser(two.base());
            assertEquals("", line(b.get("/secure/Dashboard.jspa", two.token("bob")), "user"));
            one.app.configStore().save(Configs.json(Configs.pinned(one.key)));
            assertEquals("bob", line(b.get("/secure/Dashboard.jspa", two.token("bob")), "user"));
        }
    }

    @Test
    void anotherNodeDoesNotReadTheJsonBeforeItsPollIsDue() throws Exception {
        try (TestHost one = TestHost.start(TestHost.options().user("bob").pollMillis(0));
                TestHost two = TestHost.start(TestHost.options().nodeOf(one).pollMillis(3_600_000))) {
            one.app.configStore().save(Configs.json(Configs.pinned(one.key)));
            assertEquals("", line(new Browser(two.base()).get("/secure/Dashboard.jspa", two.token("bob")), "user"));
        }
    }

    @Test
    void theDirectoryChoiceIsStoredForEveryNode() {
        MemoryPluginSettingsFactory settings = new MemoryPluginSettingsFactory();
        new ConfigStore(settings, null).useDirectory(10_042);
        assertEquals(10_042L, new ConfigStore(settings, null).directoryId());
    }

    @Test
    void aStoredConfigurationTheCoreRefusesFailsClosed() throws Exception {
        MemoryPluginSettingsFactory settings = new MemoryPluginSettingsFactory();
        settings.createGlobalSettings().put(ConfigStore.CONFIG_KEY, "{\"trusted_albs\": [\"not an arn\"]}");
        settings.createGlobalSettings().put(ConfigStore.VERSION_KEY, "7");
        try (TestHost host = TestHost.start(TestHost.options().settings(settings).user("bob"))) {
            HttpResponse<String> r = new Browser(host.base()).get("/secure/Dashboard.jspa", host.token("bob"));
            assertEquals(503, r.statusCode());
            assertEquals("config_invalid", host.app.refusals().recent().get(0).code());
            assertEquals("native-login\nuser=\n", new Browser(host.base()).get("/login.jsp?auth_fallback", null).body());
        }
    }
}
