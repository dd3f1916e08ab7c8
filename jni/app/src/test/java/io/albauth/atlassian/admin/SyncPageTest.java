package io.albauth.atlassian.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.atlassian.BackgroundSync;
import io.albauth.sync.SyncJob;
import io.albauth.sync.SyncPlan;
import io.albauth.sync.SyncResult;
import io.albauth.sync.SyncRun;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sync page as HTML (IdP values escaped, counts, refusals, secrets never shown) and its form. */
class SyncPageTest {
    static final String EVIL = "<img src=x onerror=alert(1)>";
    static final String SECRET = "kc-Secret-0123456789";
    static final String CONFIG = "{\"trusted_albs\":[],\"directory_sync\":{\"connector\":{\"type\":\"keycloak\","
            + "\"base_url\":\"http://127.0.0.1:9\",\"realm\":\"corp\",\"client_id\":\"albauth\",\"client_secret\":\""
            + SECRET + "\",\"username_attribute\":\"username\"},\"brake_percent\":25,\"extra\":1},\"z\":true}";

    static SyncPlan plan(String refused) {
        String user = EVIL.replace("\"", "\\\"");
        return SyncPlan.parse("{\"summary\":{\"create\":1,\"update\":1,\"reactivate\":0,\"deactivate\":2,\"delete\":0,"
                + "\"anonymize\":0,\"group_add\":1,\"group_remove\":0},\"actions\":["
                + "{\"action\":\"create_user\",\"username\":\"" + user + "\",\"idp_id\":\"1\",\"display_name\":\"<b>D\","
                + "\"email\":\"e@x\",\"reason\":\"new in the IdP <script>\"},"
                + "{\"action\":\"add_to_group\",\"username\":\"" + user + "\",\"group\":\"<i>g\",\"reason\":\"r\"},"
                + "{\"action\":\"update_user\",\"username\":\"bob\",\"changes\":{\"email\":{\"old\":null,\"new\":\"b@x\"}},"
                + "\"reason\":\"changed\"},"
                + "{\"action\":\"deactivate_user\",\"username\":\"carol\",\"reason\":\"gone\"},"
                + "{\"action\":\"deactivate_user\",\"username\":\"dave\",\"reason\":\"gone\"}],"
                + "\"pages\":3,\"throttle_waits\":1,\"duration_ms\":12"
                + (refused == null ? "" : ",\"refused\":\"" + refused + "\",\"detail\":\"2 removals of 4 users (50%)"
                        + " exceed brake_percent 10\"") + "}");
    }

    static SyncPage.Model model(SyncForm form, SyncRun shown, List<SyncRun> runs, Map<String, String> errors) {
        return new SyncPage.Model("/plugins/servlet/albauth/admin", "tok", 7, true, true, form, errors, null, null,
                "every 6h", null, null, null, shown, shown == null ? null : "preview", null, null, runs);
    }

    static SyncForm stored() throws Exception {
        return SyncForm.fromConfig(Json.parseObject(CONFIG));
    }

    static SyncPage.Model running(BackgroundSync.Status status) throws Exception {
        SyncPage.Model m = model(stored(), null, List.of(), Map.of());
        return new SyncPage.Model(m.base(), m.xsrf(), m.version(), m.configured(), m.syncConfigured(), m.form(),
                m.errors(), null, null, m.schedule(), null, null, null, null, null, null, status, m.runs());
    }

    @Test
    void aRunInProgressShowsItsPhaseAndDisablesPreviewAndRunNow() throws Exception {
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        String idle = SyncPage.render(model(stored(), null, List.of(), Map.of()));
        assertFalse(idle.contains("id=\"sync-running\""), idle);
        assertTrue(idle.contains("value=\"preview\">Preview</button>"), idle);

        String queued = SyncPage.render(running(new BackgroundSync.Status(true, false, -1, t, null)));
        assertTrue(queued.contains("<strong>Preview running</strong>: <span id=\"sync-progress\">starting\u2026"),
                queued);
        assertTrue(queued.contains("value=\"preview\" disabled>Preview</button>"), queued);
        assertTrue(queued.contains("value=\"run\" disabled>Run now</button>"), queued);
        assertTrue(queued.contains("Started 2026-12-03 10:00:00 UTC."), queued);

        String planning = SyncPage.render(running(new BackgroundSync.Status(true, false, -1, t,
                new SyncJob.Running("planning", 0, 0, true, t))));
        assertTrue(planning.contains("<strong>Preview running</strong>: <span id=\"sync-progress\">planning \u2014"
                + " listing the directory\u2026</span>"), planning);

        String applying = SyncPage.render(running(new BackgroundSync.Status(false, false, -1, t,
                new SyncJob.Running("applying", 40, 120, false, t))));
        assertTrue(applying.contains("<strong>Run now</strong>: <span id=\"sync-progress\">applying 40 of 120</span>"),
                applying);
        assertTrue(applying.contains("data-phase=\"applying\""), applying);
        String forced = SyncPage.render(running(new BackgroundSync.Status(false, true, 2, t, null)));
        assertTrue(forced.contains("<strong>Run now, past the brake</strong>"), forced);
    }

    @Test
    void theFramedPageReloadsItselfOnlyWhenAsked() {
        String plain = PageLayout.page("/b", PageLayout.Tab.SYNC, "Directory sync", "<p>x</p>");
        assertFalse(plain.contains("http-equiv"), plain);
        String reloading = PageLayout.page("/b", PageLayout.Tab.SYNC, "Directory sync", "<p>x</p>", "/b/sync?started");
        assertTrue(reloading.contains("<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"refresh\" content=\"2;"
                + " url=/b/sync?started\">\n"), reloading);
        assertFalse(reloading.contains("<script>"), "no inline script");
    }

    @Test
    void anIdpUsernameIsShownAsTextInThePlanAndInTheLastRuns() throws Exception {
        SyncRun run = new SyncRun("dry_run", plan(null), null, "dry run: 5 actions planned", Instant.now());
        String html = SyncPage.render(model(stored(), run, List.of(run), Map.of()));
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<i>g") || html.contains("<b>D"), html);
        assertTrue(html.contains("<td class=\"username\">&lt;img src=x onerror=alert(1)&gt;</td>"), html);
        assertTrue(html.contains("group: &lt;i&gt;g"), html);
        assertTrue(html.contains("email: (none) \u2192 b@x"), html);
        assertTrue(html.contains("<details id=\"run-0-report\">"), html);
    }

    @Test
    void usernamesThePlanLeftAloneAreListedAsText() throws Exception {
        SyncPlan p = SyncPlan.parse("{\"summary\":{},\"actions\":[],\"conflicts\":[\"dave@example.com\","
                + "\"<b>x</b>\"]}");
        SyncRun run = new SyncRun("dry_run", p, null, "dry run: 0 actions planned", Instant.now());
        String html = SyncPage.render(model(stored(), run, List.of(), Map.of()));
        assertTrue(html.contains("id=\"result-conflicts\""), html);
        assertTrue(html.contains("Left alone (2 usernames)"), html);
        assertTrue(html.contains("<li>dave@example.com</li>"), html);
        assertTrue(html.contains("&lt;b&gt;x&lt;/b&gt;"), html);
        assertFalse(html.contains("<b>x</b>"), html);
        SyncRun clean = new SyncRun("dry_run", plan(null), null, "dry run", Instant.now());
        assertFalse(SyncPage.render(model(stored(), clean, List.of(), Map.of())).contains("-conflicts"));
    }

    @Test
    void theSummaryCountsEveryAction() throws Exception {
        SyncRun run = new SyncRun("dry_run", plan(null), null, "dry run", Instant.now());
        String html = SyncPage.render(model(stored(), run, List.of(), Map.of()));
        for (var e : Map.of("create", 1, "update", 1, "deactivate", 2, "group_add", 1, "delete", 0).entrySet()) {
            assertTrue(html.contains("<tr data-count=\"" + e.getKey() + "\"><th scope=\"row\">" + e.getKey()
                    + "</th><td>" + e.getValue() + "</td></tr>"), e.getKey() + "\n" + html);
        }
        assertTrue(html.contains("The plan (5 actions)"), html);
        assertTrue(html.contains("3 pages, 1 throttled, 12 ms"), html);
        assertTrue(html.contains("id=\"no-runs\""), html);
    }

    @Test
    void aBrakeRefusalSaysWhatToDoAndOffersTheConfirmedOverride() throws Exception {
        SyncRun run = new SyncRun("refused", plan("brake"), null, "refused: brake", Instant.now());
        String html = SyncPage.render(model(stored(), run, List.of(run), Map.of()));
        assertTrue(html.contains("id=\"result-refused\">refused: brake. 2 removals of 4 users (50%) exceed"
                + " brake_percent 10. Nothing was applied."), html);
        assertTrue(html.contains("override the brake"), html);
        assertTrue(html.contains("id=\"sync-force\""), html);
        assertTrue(html.contains("id=\"force_confirm\" name=\"confirm\" value=\"yes\" required"), html);

        SyncRun incomplete = new SyncRun("refused", SyncPlan.parse("{\"summary\":{},\"actions\":[],\"refused\":"
                + "\"incomplete_listing\"}"), null, "refused: incomplete_listing", Instant.now());
        html = SyncPage.render(model(stored(), incomplete, List.of(), Map.of()));
        assertTrue(html.contains("refused: incomplete_listing. The IdP's listing was incomplete"), html);
        assertFalse(html.contains("id=\"sync-force\""), html);
    }

    @Test
    void anAppliedRunShowsItsFailedActionsWithTheirReasons() throws Exception {
        SyncPlan p = plan(null);
        SyncResult r = new SyncResult(p, 4, List.of(new SyncResult.Failure(3, "deactivate_user", "no <such> user")));
        SyncRun run = new SyncRun("applied", p, r, "4 applied, 1 failed", Instant.now());
        String html = SyncPage.render(model(stored(), run, List.of(run), Map.of()));
        assertTrue(html.contains("id=\"result-applied\">Applied: <strong>4</strong> actions; failed: <strong>1"
                + "</strong>"), html);
        assertTrue(html.contains("<tr class=\"fail\"><td>4</td><td><code>deactivate_user</code></td><td>carol</td>"
                + "<td>no &lt;such&gt; user</td></tr>"), html);
    }

    @Test
    void aStoredSecretIsNeverRendered() throws Exception {
        SyncForm f = stored();
        String html = SyncPage.render(model(f, null, List.of(), Map.of()));
        assertFalse(html.contains(SECRET), html);
        assertTrue(f.secretStored("ds_keycloak_client_secret"));
        assertTrue(html.contains("A value is stored; it is never shown."), html);
        assertTrue(html.contains("type=\"password\" id=\"ds_keycloak_client_secret\" name=\"ds_keycloak_client_secret\""
                + " value=\"\""), html);
        assertTrue(html.contains("value=\"http://127.0.0.1:9\""), html);
        // nor in the JSON the setup page shows
        String shown = Json.pretty(SyncForm.redacted(Json.parseObject(CONFIG)));
        assertFalse(shown.contains(SECRET), shown);
        assertFalse(shown.contains("client_secret"), shown);
    }

    @Test
    void aBlankSecretKeepsTheStoredOneATypedOneReplacesItAndOtherFieldsAreKept() throws Exception {
        Map<String, Object> config = Json.parseObject(CONFIG);
        Map<String, String> p = new HashMap<>(Map.of(SyncForm.KIND, "keycloak", "ds_keycloak_base_url",
                "http://127.0.0.1:9", "ds_keycloak_realm", "corp", "ds_keycloak_client_id", "albauth",
                "ds_keycloak_client_secret", "", SyncForm.BRAKE_PERCENT, "25", SyncForm.REQUIRED_GROUPS, "g1\n\n g2 ",
                SyncForm.ON_MISSING, "deactivate"));
        Map<String, Object> out = SyncForm.applyTo(config, p::get);
        assertEquals("{\"trusted_albs\":[],\"directory_sync\":{\"connector\":{\"type\":\"keycloak\",\"base_url\":"
                + "\"http://127.0.0.1:9\",\"realm\":\"corp\",\"client_id\":\"albauth\",\"client_secret\":\"" + SECRET
                + "\"},\"brake_percent\":25,\"extra\":1,\"required_groups\":[\"g1\",\"g2\"]},\"z\":true}",
                Json.write(out));
        p.put("ds_keycloak_client_secret", "new-secret");
        p.put(SyncForm.REMOVE_GROUPS, "on");
        p.put(SyncForm.BRAKE_COUNT, "5");
        out = SyncForm.applyTo(config, p::get);
        assertTrue(Json.write(out).contains("\"client_secret\":\"new-secret\""), Json.write(out));
        assertTrue(Json.write(out).contains("\"remove_groups_on_cleanup\":true,\"brake_count\":5"), Json.write(out));

        // another kind starts a fresh connector: the Keycloak secret does not follow
        Map<String, String> okta = Map.of(SyncForm.KIND, "okta", "ds_okta_org_url", "https://x.okta.com");
        String w = Json.write(SyncForm.applyTo(config, okta::get));
        assertTrue(w.contains("\"connector\":{\"type\":\"okta\",\"org_url\":\"https://x.okta.com\"}"), w);

        Map<String, String> none = Map.of(SyncForm.KIND, SyncForm.NONE);
        assertNull(SyncForm.applyTo(config, none::get).get("directory_sync"));

        Map<String, String> bad = new HashMap<>(p);
        bad.put(SyncForm.BRAKE_COUNT, "many");
        ConfigForm.FormException e = assertThrows(ConfigForm.FormException.class, () -> SyncForm.applyTo(config, bad::get));
        assertEquals(SyncForm.BRAKE_COUNT, e.input());
    }

    @Test
    void aStoredSecretIsNotKeptWhenTheConnectorWouldSendItElsewhere() throws Exception {
        Map<String, Object> config = Json.parseObject(CONFIG);
        for (String[] change : new String[][] {{"ds_keycloak_base_url", "https://attacker.example"},
                {"ds_keycloak_realm", "other"}, {"ds_keycloak_client_id", "someone-else"}}) {
            Map<String, String> p = new HashMap<>(Map.of(SyncForm.KIND, "keycloak", "ds_keycloak_base_url",
                    "http://127.0.0.1:9", "ds_keycloak_realm", "corp", "ds_keycloak_client_id", "albauth",
                    "ds_keycloak_client_secret", ""));
            p.put(change[0], change[1]);
            ConfigForm.FormException e = assertThrows(ConfigForm.FormException.class,
                    () -> SyncForm.applyTo(config, p::get), change[0]);
            assertEquals("ds_keycloak_client_secret", e.input());
            assertTrue(e.getMessage().contains("again"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            // typed again, it is saved with the new settings
            p.put("ds_keycloak_client_secret", "typed-again");
            assertTrue(Json.write(SyncForm.applyTo(config, p::get)).contains("\"client_secret\":\"typed-again\""));
        }
        // the username attribute only picks a field of the answer: the secret is kept
        Map<String, String> p = Map.of(SyncForm.KIND, "keycloak", "ds_keycloak_base_url", "http://127.0.0.1:9",
                "ds_keycloak_realm", "corp", "ds_keycloak_client_id", "albauth", "ds_keycloak_client_secret", "",
                "ds_keycloak_username_attribute", "email");
        assertTrue(Json.write(SyncForm.applyTo(config, p::get)).contains(SECRET));
    }

    @Test
    void theJsonPostedBackWithAnotherDestinationGetsNoStoredSecret() throws Exception {
        Map<String, Object> stored = Json.parseObject(CONFIG);
        Map<String, Object> posted = SyncForm.redacted(stored);
        @SuppressWarnings("unchecked")
        Map<String, Object> conn = (Map<String, Object>) ((Map<String, Object>) posted.get("directory_sync")).get("connector");
        conn.put("base_url", "https://attacker.example");
        assertFalse(SyncForm.restoreSecrets(posted, stored));
        assertFalse(Json.write(posted).contains(SECRET), Json.write(posted));
    }

    @Test
    void theJsonWithoutSecretsKeepsTheStoredOnesWhenPostedBack() throws Exception {
        Map<String, Object> stored = Json.parseObject(CONFIG);
        Map<String, Object> posted = SyncForm.redacted(stored);
        assertTrue(SyncForm.restoreSecrets(posted, stored));
        assertEquals(stored, posted); // the secret back (after the fields shown: key order aside, the same)
        Map<String, Object> other = Json.parseObject("{\"directory_sync\":{\"connector\":{\"type\":\"okta\"}}}");
        SyncForm.restoreSecrets(other, stored);
        assertEquals("{\"directory_sync\":{\"connector\":{\"type\":\"okta\"}}}", Json.write(other));
    }

    @Test
    void theCoresFieldNamesMapToTheirInputs() {
        assertEquals("ds_keycloak_base_url", SyncForm.inputFor("directory_sync.connector.base_url", "keycloak"));
        assertEquals(SyncForm.KIND, SyncForm.inputFor("directory_sync.connector", "keycloak"));
        assertEquals(SyncForm.REQUIRED_GROUPS, SyncForm.inputFor("directory_sync.required_groups[1]", "graph"));
        assertEquals(SyncForm.BRAKE_PERCENT, SyncForm.inputFor("directory_sync.brake_percent", "graph"));
        assertNull(SyncForm.inputFor("trusted_albs[0]", "graph"));
    }
}
