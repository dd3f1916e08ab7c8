package io.albauth.atlassian.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigFormTest {
    static final String ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188";
    static final String ARN2 = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/jira/50dc6c495c0c9189";
    static final List<IdpTemplate> TEMPLATES = List.of(
            new IdpTemplate("cognito", "Amazon Cognito", "x-amzn-oidc-data", "email",
                    "https://cognito-idp.{region}.amazonaws.com/{userPoolId}", "hint"),
            new IdpTemplate("azure", "Microsoft Entra ID", "x-amzn-oidc-accesstoken", "upn",
                    "https://login.microsoftonline.com/{tenant}/v2.0", "hint"),
            new IdpTemplate("other", "Other", "x-amzn-oidc-data", "email", "", "hint"));

    static final String FULL = "{\"trusted_albs\":[\"" + ARN + "\",\"" + ARN2 + "\"],"
            + "\"issuer\":\"https://idp.example.com\",\"client_id\":[\"c1\",\"c2\"],\"template\":\"cognito\","
            + "\"groups_claim\":\"cognito:groups\",\"username_transforms\":[\"strip_domain\",\"lowercase\"],"
            + "\"allowed_domains\":[\"example.com\"],\"key_url\":\"http://127.0.0.1:1/{kid}\","
            + "\"provisioning\":{\"enabled\":true,\"create_users\":false,\"reactivate_users\":true,"
            + "\"idp_id_claim\":\"oid\",\"default_groups\":[\"jira-software-users\",\"all staff\"],"
            + "\"group_filter\":{\"allow\":[\"Engineering\"],\"regex\":[\"team-.*\"]},"
            + "\"group_mapping\":{\"Engineering\":\"jira-developers\"},\"required_groups_for_login\":[\"Staff\"],"
            + "\"attribute_fallbacks\":{\"display_name\":[\"name\"]}}}";

    static Map<String, Object> config(String json) throws Json.ParseException {
        return Json.parseObject(json);
    }

    /** What the browser posts for a form: every input's value, checkboxes only when checked. */
    static Map<String, String> posted(ConfigForm f) {
        Map<String, String> p = new HashMap<>();
        for (String input : ConfigForm.INPUTS) {
            if (f.isLocked(input) && ConfigForm.CHECKBOXES.contains(input)) {
                continue; // disabled: not sent
            }
            String v = f.value(input);
            if (ConfigForm.CHECKBOXES.contains(input)) {
                if (!v.isEmpty()) {
                    p.put(input, "on");
                }
            } else {
                p.put(input, v);
            }
        }
        return p;
    }

    static Map<String, Object> saveUnchanged(Map<String, Object> base) throws ConfigForm.FormException {
        ConfigForm shown = ConfigForm.fromConfig(base, TEMPLATES);
        Map<String, String> p = posted(shown);
        return ConfigForm.fromParams(p::get, base, TEMPLATES).applyTo(base, TEMPLATES);
    }

    static Map<String, Object> save(Map<String, Object> base, Map<String, String> changes)
            throws ConfigForm.FormException {
        Map<String, String> p = posted(ConfigForm.fromConfig(base, TEMPLATES));
        changes.forEach((k, v) -> {
            if (v == null) {
                p.remove(k);
            } else {
                p.put(k, v);
            }
        });
        return ConfigForm.fromParams(p::get, base, TEMPLATES).applyTo(base, TEMPLATES);
    }

    @Test
    void savingTheFormUnchangedKeepsTheConfigurationExactly() throws Exception {
        Map<String, Object> base = config(FULL);
        assertEquals(Json.write(base), Json.write(saveUnchanged(base)));
    }

    @Test
    void theFormShowsListsOnePerLineOrSeparatedByBlanks() throws Exception {
        ConfigForm f = ConfigForm.fromConfig(config(FULL), TEMPLATES);
        assertEquals(ARN + "\n" + ARN2, f.value(ConfigForm.TRUSTED_ALBS));
        assertEquals("c1 c2", f.value(ConfigForm.CLIENT_ID));
        assertEquals("jira-software-users\nall staff", f.value(ConfigForm.PROV_DEFAULT_GROUPS));
        assertEquals("Engineering = jira-developers", f.value(ConfigForm.PROV_MAPPING));
        assertEquals("on", f.value(ConfigForm.STRIP_DOMAIN));
        assertEquals("", f.value(ConfigForm.PROV_CREATE));
    }

    @Test
    void fieldsTheFormDoesNotShowAreKeptWhenItIsSaved() throws Exception {
        Map<String, Object> out = save(config(FULL), Map.of(ConfigForm.ISSUER, "https://other.example.com"));
        assertEquals("http://127.0.0.1:1/{kid}", out.get("key_url"));
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) out.get("provisioning");
        assertEquals("oid", p.get("idp_id_claim"));
        assertEquals(Map.of("display_name", List.of("name")), p.get("attribute_fallbacks"));
        assertEquals("https://other.example.com", out.get("issuer"));
    }

    @Test
    void aTemplatesDefaultTokenHeaderAndUsernameClaimAreNotWritten() throws Exception {
        ConfigForm f = ConfigForm.fromConfig(new LinkedHashMap<>(), TEMPLATES);
        Map<String, String> p = posted(f);
        p.put(ConfigForm.TEMPLATE, "azure");
        p.put(ConfigForm.TOKEN_HEADER, "x-amzn-oidc-accesstoken");
        p.put(ConfigForm.USERNAME_CLAIM, "upn");
        Map<String, Object> out = ConfigForm.fromParams(p::get, Map.of(), TEMPLATES).applyTo(Map.of(), TEMPLATES);
        assertEquals("azure", out.get("template"));
        assertFalse(out.containsKey("token_header"));
        assertFalse(out.containsKey("username_claim"));
    }

    @Test
    void aUsernameClaimOtherThanTheTemplatesIsWritten() throws Exception {
        Map<String, Object> out = save(config(FULL), Map.of(ConfigForm.USERNAME_CLAIM, "preferred_username"));
        assertEquals("preferred_username", out.get("username_claim"));
    }

    @Test
    void anEmptyInputRemovesItsField() throws Exception {
        Map<String, Object> out = save(config(FULL), Map.of(ConfigForm.ALLOWED_DOMAINS, "  ",
                ConfigForm.GROUPS_CLAIM, ""));
        assertFalse(out.containsKey("allowed_domains"));
        assertFalse(out.containsKey("groups_claim"));
    }

    @Test
    void oneIssuerIsAStringAndSeveralAreAList() throws Exception {
        assertEquals("https://a", save(config(FULL), Map.of(ConfigForm.ISSUER, " https://a ")).get("issuer"));
        assertEquals(List.of("https://a", "https://b"),
                save(config(FULL), Map.of(ConfigForm.ISSUER, "https://a https://b")).get("issuer"));
    }

    @Test
    void arnLinesBecomeTheListWithBlankLinesDropped() throws Exception {
        Map<String, Object> out = save(config(FULL), Map.of(ConfigForm.TRUSTED_ALBS, "\n " + ARN + " \r\n\n"));
        assertEquals(List.of(ARN), out.get("trusted_albs"));
    }

    @Test
    void anExplicitNullIssuerLocksTheInputAndSavingKeepsTheOptOut() throws Exception {
        Map<String, Object> base = config("{\"trusted_albs\":[\"" + ARN + "\"],\"issuer\":null,\"client_id\":\"c\"}");
        assertTrue(ConfigForm.fromConfig(base, TEMPLATES).isLocked(ConfigForm.ISSUER));
        Map<String, Object> out = save(base, Map.of(ConfigForm.ISSUER, "https://typed.anyway"));
        assertTrue(out.containsKey("issuer"));
        assertNull(out.get("issuer"));
    }

    @Test
    void aRegexTransformLocksTheTransformsAndSavingKeepsThem() throws Exception {
        Map<String, Object> base = config("{\"username_transforms\":[{\"regex\":\"^x\",\"replace\":\"\"},\"lowercase\"]}");
        ConfigForm f = ConfigForm.fromConfig(base, TEMPLATES);
        assertTrue(f.isLocked(ConfigForm.STRIP_DOMAIN));
        Map<String, Object> out = save(base, Map.of());
        assertEquals(base.get("username_transforms"), out.get("username_transforms"));
    }

    @Test
    void transformsAreWrittenInTheirFixedOrder() throws Exception {
        Map<String, Object> out = save(new LinkedHashMap<>(), Map.of(ConfigForm.LOWERCASE, "on",
                ConfigForm.STRIP_DOMAIN, "on"));
        assertEquals(List.of("strip_domain", "lowercase"), out.get("username_transforms"));
    }

    @Test
    void provisioningAtItsDefaultsWritesNoProvisioningSection() throws Exception {
        Map<String, Object> out = save(new LinkedHashMap<>(), Map.of());
        assertFalse(out.containsKey("provisioning"), Json.write(out));
    }

    @Test
    void uncheckingCreateUsersWritesFalseAndCheckingItLeavesTheDefault() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) save(new LinkedHashMap<>(),
                Map.of(ConfigForm.PROV_ENABLED, "on")).get("provisioning");
        assertEquals(Map.of("enabled", true), p);
        Map<String, String> off = new HashMap<>();
        off.put(ConfigForm.PROV_CREATE, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> q = (Map<String, Object>) save(new LinkedHashMap<>(), off).get("provisioning");
        assertEquals(Map.of("create_users", false), q);
    }

    @Test
    void aMappingLineWithoutEqualsIsRefusedNextToTheMapping() {
        ConfigForm.FormException e = assertThrows(ConfigForm.FormException.class,
                () -> save(new LinkedHashMap<>(), Map.of(ConfigForm.PROV_MAPPING, "A = b\nEngineering")));
        assertEquals(ConfigForm.PROV_MAPPING, e.input());
        assertTrue(e.getMessage().startsWith("Line 2"), e.getMessage());
    }

    @Test
    void anIssuerStillHoldingTheTemplatePlaceholderIsRefusedNextToTheIssuer() {
        ConfigForm.FormException e = assertThrows(ConfigForm.FormException.class, () -> save(new LinkedHashMap<>(),
                Map.of(ConfigForm.ISSUER, "https://cognito-idp.{region}.amazonaws.com/{userPoolId}")));
        assertEquals(ConfigForm.ISSUER, e.input());
        assertTrue(e.getMessage().contains("{region}"), e.getMessage());
    }

    @Test
    void coreFieldPathsMapToTheInputShowingTheirError() {
        assertEquals(ConfigForm.TRUSTED_ALBS, ConfigForm.inputFor("trusted_albs[1]"));
        assertEquals(ConfigForm.ISSUER, ConfigForm.inputFor("issuer"));
        assertEquals(ConfigForm.TRANSFORMS, ConfigForm.inputFor("username_transforms[0].regex"));
        assertEquals(ConfigForm.PROV_FILTER_REGEX, ConfigForm.inputFor("provisioning.group_filter.regex[0]"));
        assertEquals(ConfigForm.PROV_FILTER_ALLOW, ConfigForm.inputFor("provisioning.group_filter"));
        assertEquals(ConfigForm.PROV_MAPPING, ConfigForm.inputFor("provisioning.group_mapping.Engineering"));
        assertEquals(ConfigForm.PROV_ENABLED, ConfigForm.inputFor("provisioning.idp_id_claim"));
    }

    @Test
    void fieldsTheFormDoesNotShowHaveNoInput() {
        assertNull(ConfigForm.inputFor("key_url"));
        assertNull(ConfigForm.inputFor("trusted_alb"));
        assertNull(ConfigForm.inputFor(null));
    }

    @Test
    void theLineOfAnIndexedFieldIsOneBased() {
        assertEquals(2, ConfigForm.lineOf("trusted_albs[1]"));
        assertEquals(0, ConfigForm.lineOf("issuer"));
    }
}
