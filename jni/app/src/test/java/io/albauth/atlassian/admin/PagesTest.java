package io.albauth.atlassian.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.servlet.RefusalLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pages as HTML: values escaped, errors next to their input and announced. */
class PagesTest {
    static final String EVIL = "\"><script>alert(1)</script>";

    static SetupPage.Model setup(ConfigForm form, Map<String, String> errors, String jsonError) {
        return new SetupPage.Model("/plugins/servlet/albauth/admin", "tok", 3, true, ConfigFormTest.TEMPLATES,
                "[]", form, errors, null, "{\"issuer\": \"" + EVIL + "\"}", jsonError, null, null);
    }

    @Test
    void everyStoredValueIsEscapedOnTheSetupPage() throws Exception {
        ConfigForm f = ConfigForm.fromConfig(Json.parseObject("{\"issuer\":\"" + EVIL.replace("\"", "\\\"")
                + "\",\"provisioning\":{\"default_groups\":[\"</textarea><b>x\"]}}"), ConfigFormTest.TEMPLATES);
        String html = SetupPage.render(setup(f, Map.of(), null));
        assertFalse(html.contains("<script>alert"), html);
        assertFalse(html.contains("</textarea><b>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)"), html);
    }

    @Test
    void anErrorSitsInItsInputsSlotWhichTheInputNamesAndWhichIsAnnounced() {
        ConfigForm f = ConfigForm.fromConfig(Map.of(), ConfigFormTest.TEMPLATES);
        String html = SetupPage.render(setup(f, Map.of(ConfigForm.TRUSTED_ALBS, "Line 1: account is not 12 digits"),
                null));
        assertTrue(html.contains("id=\"trusted_albs\" name=\"trusted_albs\" rows=\"3\" spellcheck=\"false\""
                + " aria-describedby=\"hint-trusted_albs err-trusted_albs\" aria-invalid=\"true\""), html);
        assertTrue(html.contains("<p class=\"error\" id=\"err-trusted_albs\" role=\"alert\">Line 1: account is not"
                + " 12 digits</p>"), html);
        assertFalse(html.contains("id=\"issuer\" name=\"issuer\" value=\"\" autocomplete=\"off\" spellcheck=\"false\""
                + " aria-describedby=\"hint-issuer err-issuer\" aria-invalid"), html);
    }

    @Test
    void aJsonErrorOpensTheAdvancedSectionAndMarksTheTextarea() {
        ConfigForm f = ConfigForm.fromConfig(Map.of(), ConfigFormTest.TEMPLATES);
        String html = SetupPage.render(setup(f, Map.of(), "unknown field `trusted_alb`"));
        assertTrue(html.contains("<details id=\"advanced\" open>"), html);
        assertTrue(html.contains("aria-describedby=\"hint-config_json err-config_json\" aria-invalid=\"true\""), html);
        assertTrue(html.contains("role=\"alert\">unknown field &#96;trusted_alb&#96;</p>"), html);
    }

    @Test
    void bothFormsCarryTheXsrfTokenAndTheVersionTheyEdit() {
        String html = SetupPage.render(setup(ConfigForm.fromConfig(Map.of(), ConfigFormTest.TEMPLATES), Map.of(), null));
        assertTrue(html.split("name=\"xsrf\" value=\"tok\"", -1).length == 3, html);
        assertTrue(html.split("name=\"version\" value=\"3\"", -1).length == 3, html);
    }

    @Test
    void refusalPathsAndCodesAreEscaped() {
        String html = RefusalsPage.render(new RefusalsPage.Model(List.of(new RefusalLog.Entry(Instant.EPOCH, 401,
                "expired", "/x/<img src=x onerror=alert(1)>", "ref-1")), null, Map.of()));
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("1970-01-01 00:00:00 UTC"), html);
    }

    @Test
    void theTraceIsATableOfResultCheckAndDetail() {
        TestLoginPage.Model m = new TestLoginPage.Model("/b", List.of("x-amzn-oidc-data"), List.of(), "rejected",
                "signer_not_trusted", List.of(TestLoginPage.TraceLine.parse("FAIL     signer           signer \"a<b\" is not trusted")),
                null, false, false, false, 0, null, null, "No plan: the request is not authenticated.", null);
        String html = TestLoginPage.render(m);
        assertTrue(html.contains("<tr class=\"fail\"><td>FAIL</td><td><code>signer</code></td><td>signer &quot;a&lt;b&quot;"
                + " is not trusted</td></tr>"), html);
    }

    @Test
    void theIdentityShowsOnlyTheUsernameAndWhetherOtherClaimsArePresent() {
        TestLoginPage.Model m = new TestLoginPage.Model("/b", List.of("x-amzn-oidc-data"), List.of(), "authenticated",
                null, List.of(), "jane", true, true, false, 4, null, List.of(new TestLoginPage.PlannedAction(
                        "add_to_group", "default group")), null, null);
        String html = TestLoginPage.render(m);
        assertTrue(html.contains("<dt>Username</dt><dd>jane (the account you are signed in as)</dd>"), html);
        assertTrue(html.contains("<dt>Display name</dt><dd>present</dd>"), html);
        assertTrue(html.contains("<dt>E-mail</dt><dd>absent</dd>"), html);
        assertTrue(html.contains("<dt>IdP groups</dt><dd>4</dd>"), html);
        assertTrue(html.contains("<code>add_to_group</code></td><td>default group"), html);
    }

    @Test
    void aTraceLineOfAnotherShapeIsKeptWhole() {
        TestLoginPage.TraceLine t = TestLoginPage.TraceLine.parse("  {\"outcome\":\"rejected\"} ");
        assertTrue(t.result().isEmpty() && t.detail().equals("{\"outcome\":\"rejected\"}"), t.toString());
    }
}
