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
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(host.base().resolve(TestHost.ADMIN_PATH))
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
        for (String sub : new String[] {"", "/test", "/refusals"}) {
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
