package io.albauth.atlassian.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.atlassian.host.TestHost;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin servlet in the Jetty test host, over HTTP: who gets in, and what a save stores.
 * (What a browser does with the page: jni/app/browser.)
 */
class AdminServletTest {
    private TestHost host;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        host = TestHost.start(TestHost.options().testConfig().systemAdmin("alice").user("bob"));
        http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
    }

    private HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(host.base().resolve(path));
        if (user != null) {
            b.header("x-amzn-oidc-data", host.token(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String user, Map<String, String> form) throws Exception {
        return post(TestHost.ADMIN_PATH, user, form);
    }

    private HttpResponse<String> post(String path, String user, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(host.base().resolve(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("x-amzn-oidc-data", host.token(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), name + " in the page");
        return m.group(1);
    }

    /** The setup form's fields as the page shows them, ready to post back. */
    private Map<String, String> setupForm() throws Exception {
        String page = get(TestHost.ADMIN_PATH, "alice").body();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("xsrf", hidden(page, "xsrf"));
        f.put("form", "setup");
        f.put("version", hidden(page, "version"));
        Map<String, Object> stored = Json.parseObject(host.app.configStore().configJson());
        ConfigForm shown = ConfigForm.fromConfig(stored, IdpTemplate.parseAll(io.albauth.AlbAuth.templatesJson()));
        for (String input : ConfigForm.INPUTS) {
            String v = shown.value(input);
            if (!ConfigForm.CHECKBOXES.contains(input)) {
                f.put(input, v);
            } else if (!v.isEmpty()) {
                f.put(input, "on");
            }
        }
        return f;
    }

    @Test
    void anAnonymousRequestIsSentToTheLoginPageAndBack() throws Exception {
        HttpResponse<String> r = get(TestHost.ADMIN_PATH + "/test", null);
        assertEquals(302, r.statusCode());
        String location = r.headers().firstValue("location").orElse("");
        assertTrue(location.contains("/login.jsp?os_destination="), location);
        assertTrue(java.net.URLDecoder.decode(location, StandardCharsets.UTF_8).endsWith(TestHost.ADMIN_PATH + "/test"),
                location);
    }

    @Test
    void aUserWhoIsNotASystemAdminGets403OnEverySubPage() throws Exception {
        for (String sub : new String[] {"", "/test", "/refusals", "/sync"}) {
            HttpResponse<String> r = get(TestHost.ADMIN_PATH + sub, "bob");
            assertEquals(403, r.statusCode(), sub);
            assertFalse(r.body().contains("<form"), sub);
        }
    }

    @Test
    void withoutAWebSudoSessionTheAdminIsAskedToReauthenticate() throws Exception {
        host.webSudo.setActive(false);
        HttpResponse<String> r = get(TestHost.ADMIN_PATH, "alice");
        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("location").orElse("").contains("/authenticate.jsp"));
    }

    @Test
    void aPostWithoutAWebSudoSessionStoresNothing() throws Exception {
        Map<String, String> f = setupForm();
        long version = host.app.configStore().version();
        host.webSudo.setActive(false);
        f.put("issuer", "https://other.example.com");
        HttpResponse<String> r = post("alice", f);
        assertEquals(302, r.statusCode());
        assertEquals(version, host.app.configStore().version());
    }

    @Test
    void aPostWithoutTheSessionsXsrfTokenIsRefusedAndStoresNothing() throws Exception {
        Map<String, String> f = setupForm();
        long version = host.app.configStore().version();
        f.put("allowed_domains", "example.com");
        f.put("xsrf", XsrfTokens.fresh());
        assertEquals(403, post("alice", f).statusCode());
        f.remove("xsrf");
        assertEquals(403, post("alice", f).statusCode());
        assertEquals(version, host.app.configStore().version());
    }

    @Test
    void savingTheFormStoresTheEditedFieldAndKeepsTheFieldsItDoesNotShow() throws Exception {
        Map<String, String> f = setupForm();
        f.put("allowed_domains", "example.com");
        HttpResponse<String> r = post("alice", f);
        assertEquals(303, r.statusCode(), r.body());
        Map<String, Object> stored = Json.parseObject(host.app.configStore().configJson());
        assertEquals(java.util.List.of("example.com"), stored.get("allowed_domains"));
        assertTrue(stored.get("pinned_keys") instanceof Map<?, ?> m && m.containsKey(host.key.kid), "pinned key kept");
    }

    @Test
    void aRefusedSaveShowsTheCoreErrorNextToTheFieldAndStoresNothing() throws Exception {
        Map<String, String> f = setupForm();
        String before = host.app.configStore().configJson();
        f.put("client_id", "");
        HttpResponse<String> r = post("alice", f);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("id=\"err-client_id\" role=\"alert\">&#96;client_id&#96; is required"), r.body());
        assertEquals(before, host.app.configStore().configJson());
    }

    @Test
    void aSaveOverAConfigurationChangedMeanwhileIsRefused() throws Exception {
        Map<String, String> f = setupForm();
        Map<String, Object> other = Json.parseObject(host.app.configStore().configJson());
        other.put("clock_skew_secs", 10);
        host.app.configStore().save(Json.write(other)); // another admin, meanwhile
        long version = host.app.configStore().version();
        f.put("allowed_domains", "example.com");
        HttpResponse<String> r = post("alice", f);
        assertEquals(409, r.statusCode());
        assertEquals(version, host.app.configStore().version());
        assertFalse(host.app.configStore().configJson().contains("allowed_domains"));
    }

    @Test
    void theSavedPageShowsTheCoreWarnings() throws Exception {
        Map<String, String> f = setupForm();
        f.put("transform_strip_domain", "on");
        assertEquals(303, post("alice", f).statusCode());
        HttpResponse<String> r = get(TestHost.ADMIN_PATH + "?saved", "alice");
        assertTrue(r.body().contains("role=\"status\" id=\"saved\""), r.body());
        assertTrue(r.body().contains("strip_domain"), "the strip_domain warning: " + r.body());
    }

    @Test
    void theScriptAndStyleSheetAreServedFromTheJar() throws Exception {
        HttpResponse<String> js = get(TestHost.ADMIN_PATH + "/static/admin.js", null);
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
        assertTrue(js.body().contains("function arnProblem"));
        assertEquals(200, get(TestHost.ADMIN_PATH + "/static/admin.css", null).statusCode());
        assertEquals(404, get(TestHost.ADMIN_PATH + "/static/other.js", null).statusCode());
    }

    @Test
    void theTestLoginPageSaysALoginChangesNothingForAUserOfAnotherDirectory() throws Exception {
        host.close();
        host = TestHost.start(TestHost.options().testConfig().systemAdmin("alice")
                .provisioning(Map.of("enabled", true, "default_groups", java.util.List.of("jira-software-users"))));
        HttpResponse<String> r = get(TestHost.ADMIN_PATH + "/test", "alice");
        assertEquals(200, r.statusCode(), r.body());
        // alice is in the product's internal directory, which albauth never changes: no plan.
        assertTrue(r.body().contains("id=\"plan-note\">This account is in the directory"), r.body());
        assertTrue(r.body().contains("which albauth does not manage"), r.body());
        assertFalse(r.body().contains("id=\"plan\""), "no actions are listed for such a user");
    }

    @Test
    void theTestLoginPageSaysSoWhenProvisioningIsOff() throws Exception {
        HttpResponse<String> r = get(TestHost.ADMIN_PATH + "/test", "alice");
        assertTrue(r.body().contains("id=\"plan-note\">Provisioning is off"), r.body());
        assertFalse(r.body().contains("<td>outcome</td>"), "the outcome line is not a check");
    }

    @Test
    void theFirstSaveConfiguresAnAppThatHadNoConfiguration() throws Exception {
        host.close();
        host = TestHost.start(TestHost.options().systemAdmin("alice"));
        nativeLogin("alice");
        HttpResponse<String> page = get(TestHost.ADMIN_PATH, null);
        assertTrue(page.body().contains("id=\"not-configured\""), page.body());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("xsrf", hidden(page.body(), "xsrf"));
        f.put("form", "setup");
        f.put("version", hidden(page.body(), "version"));
        f.put("template", "cognito");
        f.put("trusted_albs", io.albauth.testing.Fixtures.ALB);
        f.put("issuer", io.albauth.testing.Fixtures.ISSUER);
        f.put("client_id", io.albauth.testing.Fixtures.CLIENT);
        f.put("token_header", "x-amzn-oidc-data");
        f.put("username_claim", "email");
        f.put("prov_create_users", "on");
        HttpResponse<String> r = post(null, f);
        assertEquals(303, r.statusCode(), r.body());
        assertEquals("{\"trusted_albs\":[\"" + io.albauth.testing.Fixtures.ALB + "\"],\"issuer\":\""
                + io.albauth.testing.Fixtures.ISSUER + "\",\"client_id\":\"" + io.albauth.testing.Fixtures.CLIENT
                + "\",\"template\":\"cognito\"}", Json.write(Json.parse(host.app.configStore().configJson())));
        get("/secure/Dashboard.jspa", null); // the next request applies it
        assertTrue(host.app.albAuth() != null, "the app is configured");
    }

    private void nativeLogin(String user) throws Exception {
        String body = "os_username=" + user + "&os_password=" + TestHost.PASSWORD;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(host.base().resolve("/login.jsp"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, r.statusCode(), r.body());
    }

    static final String SYNC_SECRET = "kc-Secret-Never-Shown-42";

    /** The sync settings form with a Keycloak connector on a loopback URL. */
    private Map<String, String> syncForm(String secret) throws Exception {
        String page = get(TestHost.ADMIN_PATH + "/sync", "alice").body();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("xsrf", hidden(page, "xsrf"));
        f.put("version", hidden(page, "version"));
        f.put("action", "save");
        f.put(SyncForm.KIND, "keycloak");
        f.put("ds_keycloak_base_url", "http://127.0.0.1:9");
        f.put("ds_keycloak_realm", "corp");
        f.put("ds_keycloak_client_id", "albauth");
        f.put("ds_keycloak_client_secret", secret);
        return f;
    }

    @Test
    void theSyncSettingsAreStoredAndTheirSecretIsInNoPageNorInTheJsonWhoseSaveKeepsIt() throws Exception {
        HttpResponse<String> r = post(TestHost.ADMIN_PATH + "/sync", "alice", syncForm(SYNC_SECRET));
        assertEquals(303, r.statusCode(), r.body());
        assertTrue(host.app.configStore().configJson().contains(SYNC_SECRET));
        for (String sub : new String[] {"", "/sync", "/test", "/refusals"}) {
            String body = get(TestHost.ADMIN_PATH + sub, "alice").body();
            assertFalse(body.contains(SYNC_SECRET), sub);
        }
        assertTrue(get(TestHost.ADMIN_PATH + "/sync", "alice").body().contains("A value is stored; it is never shown."));
        // a blank secret keeps it while the connector still sends it to the same place
        Map<String, String> f = syncForm("");
        f.put("ds_keycloak_username_attribute", "username");
        f.put(SyncForm.BRAKE_PERCENT, "20");
        assertEquals(303, post(TestHost.ADMIN_PATH + "/sync", "alice", f).statusCode());
        assertTrue(host.app.configStore().configJson().contains(SYNC_SECRET));
        assertTrue(host.app.configStore().configJson().contains("\"brake_percent\": 20"),
                host.app.configStore().configJson());
        // ... but not to another realm or host: the secret must be typed again
        f = syncForm("");
        f.put("ds_keycloak_realm", "other");
        HttpResponse<String> moved = post(TestHost.ADMIN_PATH + "/sync", "alice", f);
        assertEquals(400, moved.statusCode(), moved.body());
        assertTrue(moved.body().contains("id=\"err-ds_keycloak_client_secret\" role=\"alert\">Type the client secret"
                + " again"), moved.body());
        assertFalse(host.app.configStore().configJson().contains("\"other\""));
        // the full configuration as shown, posted back, keeps it too
        String page = get(TestHost.ADMIN_PATH, "alice").body();
        Matcher m = Pattern.compile("<textarea id=\"config_json\"[^>]*>\n?([^<]*)</textarea>").matcher(page);
        assertTrue(m.find(), page);
        String shown = m.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
        assertFalse(shown.contains("client_secret"), shown);
        Map<String, String> json = new LinkedHashMap<>();
        json.put("xsrf", hidden(page, "xsrf"));
        json.put("form", "json");
        json.put("version", hidden(page, "version"));
        json.put(SetupPage.CONFIG_JSON, shown);
        HttpResponse<String> saved = post("alice", json);
        assertEquals(303, saved.statusCode(), saved.body());
        assertTrue(host.app.configStore().configJson().contains(SYNC_SECRET));
        // the JSON posted back pointing the connector elsewhere gets no stored secret
        page = get(TestHost.ADMIN_PATH, "alice").body();
        json.put("xsrf", hidden(page, "xsrf"));
        json.put("version", hidden(page, "version"));
        json.put(SetupPage.CONFIG_JSON, shown.replace("http://127.0.0.1:9", "http://127.0.0.1:10"));
        HttpResponse<String> elsewhere = post("alice", json);
        assertEquals(400, elsewhere.statusCode(), elsewhere.body());
        assertTrue(elsewhere.body().contains("its stored secret is not reused"), elsewhere.body());
        assertFalse(elsewhere.body().contains(SYNC_SECRET));
        assertFalse(host.app.configStore().configJson().contains("127.0.0.1:10"));
        // malformed JSON holding a secret is not shown back
        json.put(SetupPage.CONFIG_JSON, "{\"directory_sync\": {\"connector\": {\"client_secret\": \"typed-in-bad-json\"");
        HttpResponse<String> malformed = post("alice", json);
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertFalse(malformed.body().contains("typed-in-bad-json"), malformed.body());
        // a secret typed into the JSON replaces it; a refused JSON save does not show the typed one again
        page = get(TestHost.ADMIN_PATH, "alice").body();
        json.put("xsrf", hidden(page, "xsrf"));
        json.put("version", hidden(page, "version"));
        String typed = shown.replace("\"client_id\": \"albauth\"", "\"client_id\": \"albauth\", \"client_secret\": \"json-typed\"");
        assertTrue(typed.contains("json-typed"), typed);
        json.put(SetupPage.CONFIG_JSON, typed.replace("\"realm\"", "\"realm_typo\""));
        HttpResponse<String> refused = post("alice", json);
        assertEquals(400, refused.statusCode(), refused.body());
        assertFalse(refused.body().contains("json-typed"), refused.body());
        json.put(SetupPage.CONFIG_JSON, typed);
        assertEquals(303, post("alice", json).statusCode());
        assertTrue(host.app.configStore().configJson().contains("json-typed"));
        assertFalse(host.app.configStore().configJson().contains(SYNC_SECRET));
    }

    @Test
    void aSyncPostWithoutTheXsrfTokenIsRefusedAndAFieldTheCoreRefusesIsShownByName() throws Exception {
        Map<String, String> f = syncForm(SYNC_SECRET);
        long version = host.app.configStore().version();
        f.remove("xsrf");
        assertEquals(403, post(TestHost.ADMIN_PATH + "/sync", "alice", f).statusCode());
        f = syncForm(SYNC_SECRET);
        f.put("ds_keycloak_base_url", "http://idp.example.com");
        HttpResponse<String> r = post(TestHost.ADMIN_PATH + "/sync", "alice", f);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("id=\"err-ds_keycloak_base_url\" role=\"alert\">&#96;directory_sync.connector.base_url&#96;: https"),
                r.body());
        assertFalse(r.body().contains(SYNC_SECRET), "a typed secret is not sent back");
        assertEquals(version, host.app.configStore().version());
        Map<String, String> schedule = Map.of("xsrf", f.get("xsrf"), "action", "schedule", "schedule", "every 7x");
        HttpResponse<String> bad = post(TestHost.ADMIN_PATH + "/sync", "alice", schedule);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("id=\"err-schedule\" role=\"alert\">schedule: "), bad.body());
        assertEquals(null, host.app.configStore().syncSchedule());
    }

    @Test
    void previewRunsInTheBackgroundAndTheStartedPageShowsItsResultOnceItEnds() throws Exception {
        assertEquals(303, post(TestHost.ADMIN_PATH + "/sync", "alice", syncForm(SYNC_SECRET)).statusCode());
        String page = get(TestHost.ADMIN_PATH + "/sync", "alice").body();
        Map<String, String> f = Map.of("xsrf", hidden(page, "xsrf"), "action", "preview");
        HttpResponse<String> r = post(TestHost.ADMIN_PATH + "/sync", "alice", f);
        assertEquals(303, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith(TestHost.ADMIN_PATH + "/sync?started"),
                r.headers().toString());
        // The IdP (127.0.0.1:9) does not answer: the run ends failed or refused, in its own time.
        String shown = null;
        long end = System.nanoTime() + 30_000_000_000L;
        while (shown == null) {
            String body = get(TestHost.ADMIN_PATH + "/sync?started", "alice").body();
            if (body.contains("id=\"sync-result\"")) {
                shown = body;
            } else {
                assertTrue(body.contains("id=\"sync-running\"") && body.contains("http-equiv=\"refresh\""), body);
                assertTrue(body.contains("value=\"preview\" disabled>"), body);
                assertTrue(System.nanoTime() < end, "the preview ends");
                Thread.sleep(20);
            }
        }
        assertTrue(shown.contains("Preview (dry run: nothing was applied)"), shown);
        assertTrue(shown.contains("id=\"result-status\""), shown);
        assertFalse(shown.contains("http-equiv=\"refresh\""), "no more reloading");
        assertFalse(shown.contains("id=\"sync-running\""), shown);
        assertFalse(shown.contains(SYNC_SECRET));
        assertEquals(host.app.backgroundSync().lastStarted(), host.app.syncJob().lastRuns().get(0));
        // Without ?started the page does not show it at the top (the last runs list it).
        assertFalse(get(TestHost.ADMIN_PATH + "/sync", "alice").body().contains("id=\"sync-result\""));
        // The brake override still needs a run the brake refused.
        HttpResponse<String> force = post(TestHost.ADMIN_PATH + "/sync", "alice",
                Map.of("xsrf", f.get("xsrf"), "action", "force", "confirm", "yes"));
        assertEquals(409, force.statusCode());
        assertTrue(force.body().contains("only be overridden right after a run it refused"), force.body());
    }

    @Test
    void anUnknownSubPageIsNotFound() throws Exception {
        assertEquals(404, get(TestHost.ADMIN_PATH + "/nope", "alice").statusCode());
    }

    @Test
    void theTestLoginPageOfARequestWithoutATokenSaysItIsAnonymous() throws Exception {
        nativeLogin("alice"); // the request carries no ALB token
        HttpResponse<String> r = get(TestHost.ADMIN_PATH + "/test", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("Outcome: <strong>anonymous</strong>"), r.body());
        assertTrue(r.body().contains("<code>x-amzn-oidc-data</code>: absent"), r.body());
    }
}
