package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Init parameters are validated, and every error names the parameter. */
class FilterSettingsTest {
    static FilterSettings parse(String... kv) {
        return FilterSettings.parse(Jetty.pairs(kv)::get);
    }

    static String error(String... kv) {
        return assertThrows(IllegalArgumentException.class, () -> parse(kv)).getMessage();
    }

    @Test
    void defaultsArePassThroughAndNoLogout() {
        FilterSettings s = parse("config", "{}");
        assertFalse(s.requireAuthentication);
        assertEquals(FilterSettings.OwnCredentials.PASS, s.ownCredentials);
        assertTrue(s.trustedProxies.isEmpty());
        assertEquals(null, s.logoutPath);
        assertFalse(s.breakGlass);
        assertEquals("albauth_bypass", s.breakGlassParameter);
        assertEquals("AWSELBAuthSessionCookie", s.sessionCookie);
    }

    @Test
    void exactlyOneConfigSourceIsRequired() {
        assertTrue(error().contains("config-file"));
        assertTrue(error("config", "{}", "config-file", "/x.json").contains("exactly one"));
    }

    @Test
    void badValuesNameTheirParameter() {
        assertTrue(error("config", "{}", "require-authentication", "yes").contains("require-authentication"));
        assertTrue(error("config", "{}", "trusted-proxies", "10.0.0.0/33").contains("trusted-proxies"));
        assertTrue(error("config", "{}", "trusted-proxies", "jira.example.com").contains("trusted-proxies"));
        assertTrue(error("config", "{}", "own-credentials", "maybe").contains("own-credentials"));
        assertTrue(error("config", "{}", "excluded-paths", "status").contains("excluded-paths"));
        assertTrue(error("config", "{}", "config-reload-secs", "soon").contains("config-reload-secs"));
        assertTrue(error("config", "{}", "logout-url", "javascript:alert(1)", "logout-path", "/logout").contains("logout-url"));
    }

    @Test
    void logoutNeedsBothPathAndIdpUrl() {
        assertTrue(error("config", "{}", "logout-path", "/logout").contains("logout-url"));
        assertTrue(error("config", "{}", "logout-url", "https://idp/logout").contains("logout-path"));
    }

    @Test
    void excludedPathRulesMatchExactPrefixAndSuffix() {
        PathRules r = PathRules.parse("/status, /public/*, *.css", "/static/");
        assertTrue(r.matches("/status"));
        assertFalse(r.matches("/status/more"));
        assertTrue(r.matches("/public/x/y.js"));
        assertTrue(r.matches("/public"));
        assertFalse(r.matches("/secure/Dashboard.jspa"));
        assertTrue(r.matches("/static/b.css"));
    }

    @Test
    void suffixRulesApplyOnlyUnderStaticPrefixes() {
        PathRules r = PathRules.defaults();
        assertTrue(r.matches("/download/resources/com.example:r/app.js"));
        assertTrue(r.matches("/images/icons/a.png"));
        for (String dynamic : new String[] {"/rest/api/2/x.js", "/plugins/servlet/x/app.css", "/secure/a.png",
                "/download/attachments/123/secret.png", "/browse/PROJ-1.js", "/app.js", "/x/app.css"}) {
            assertFalse(r.matches(dynamic), dynamic);
        }
    }

    @Test
    void staticPrefixForwardsAreJudgedByTheirTarget() {
        PathRules r = PathRules.defaults();
        assertTrue(r.matches("/s/abc/1/_/download/batch/x/x.js"));
        assertTrue(r.matches("/s/abc/_/status"));
        assertFalse(r.matches("/s/abc/_/rest/api/2/myself"));
        assertFalse(r.matches("/s/abc/_/rest/api/2/x.js"));
        assertFalse(r.matches("/s/abc/_/secure/attachment/1/a.png"));
        // Jira's greedy pattern splits at the last /_/, so every split must lead to an exclusion
        assertFalse(r.matches("/s/abc/_/download/batch/_/rest/x.js"));
        assertFalse(r.matches("/s/abc/_/s/d/_/rest/x.js"));
        // explicitly excluding /s/* does not lend the exclusion to the forward target either
        assertFalse(PathRules.parse("/s/*", "none").matches("/s/abc/_/rest/api/2/myself"));
    }

    @Test
    void nonCanonicalPathsAreNeverExcluded() {
        PathRules r = PathRules.parse("/status, /public/*, *.js", "/s/");
        for (String odd : new String[] {"/public//x", "/public/./x", "/public/../rest/x", "/public/x;y",
                "/s/a/..", "/s/%2e%2e/x.js", "/public\\x", "/status/."}) {
            assertFalse(r.matches(odd), odd);
        }
    }

    @Test
    void staticPrefixesThatOverlapDynamicRootsAreRefused() {
        for (String bad : new String[] {"/rest/", "/rest/static", "/plugins/", "/secure/static/", "/",
                "/download/", "/download/attachments/"}) {
            String e = error("config", "{}", "static-prefixes", bad);
            assertTrue(e.contains("static-prefixes"), e);
        }
        assertEquals(true, parse("config", "{}", "static-prefixes", "/assets, /s/").excludedPaths.matches("/assets/a.js"));
    }

    @Test
    void breakGlassPathsAreExactPathsAndClientsAreCidrs() {
        FilterSettings s = parse("config", "{}");
        assertEquals(java.util.List.of("/login.jsp", "/login.action"), s.breakGlassPaths);
        assertTrue(s.breakGlassClients.isEmpty());
        assertEquals(java.util.List.of("/login"), parse("config", "{}", "break-glass-paths", "/login").breakGlassPaths);
        assertTrue(error("config", "{}", "break-glass-paths", "/rest/*").contains("break-glass-paths"));
        assertTrue(error("config", "{}", "break-glass-paths", "login.jsp").contains("break-glass-paths"));
        assertTrue(error("config", "{}", "break-glass-clients", "admins").contains("break-glass-clients"));
    }

    @Test
    void sessionFollowsAlbByDefaultAndTheOptOutIsAWarning() {
        assertTrue(parse("config", "{}").sessionFollowsAlb);
        assertTrue(parse("config", "{}").warnings().isEmpty());
        FilterSettings off = parse("config", "{}", "session-follows-alb", "false");
        assertFalse(off.sessionFollowsAlb);
        assertTrue(off.warnings().get(0).startsWith("session-follows-alb=false"), off.warnings().toString());
        assertTrue(error("config", "{}", "session-follows-alb", "no").contains("session-follows-alb"));
    }

    @Test
    void cidrsMatchIpv4Ipv6AndMappedAddresses() {
        assertTrue(Cidr.parse("10.0.0.0/8").contains("10.1.2.3"));
        assertFalse(Cidr.parse("10.0.0.0/8").contains("11.1.2.3"));
        assertTrue(Cidr.parse("172.16.0.0/12").contains("172.31.255.255"));
        assertFalse(Cidr.parse("172.16.0.0/12").contains("172.32.0.0"));
        assertTrue(Cidr.parse("127.0.0.1").contains("127.0.0.1"));
        assertFalse(Cidr.parse("127.0.0.1").contains("127.0.0.2"));
        assertTrue(Cidr.parse("::1/128").contains("0:0:0:0:0:0:0:1"));
        assertTrue(Cidr.parse("fd00::/8").contains("fd12::3"));
        assertTrue(Cidr.parse("10.0.0.0/8").contains("::ffff:10.0.0.1"));
        assertTrue(Cidr.parse("0.0.0.0/0").contains("8.8.8.8"));
    }

    @Test
    void hostNamesAreNeverResolvedForTheRemoteAddress() {
        assertFalse(Cidr.parse("0.0.0.0/0").contains("localhost"));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(""));
    }

    @Test
    void breakGlassLooksOnlyAtTheQueryStringName() {
        assertTrue(AlbAuthFilter.hasQueryParameter("albauth_bypass", "albauth_bypass"));
        assertTrue(AlbAuthFilter.hasQueryParameter("a=1&albauth_bypass=true", "albauth_bypass"));
        assertFalse(AlbAuthFilter.hasQueryParameter("x=albauth_bypass", "albauth_bypass"));
        assertFalse(AlbAuthFilter.hasQueryParameter(null, "albauth_bypass"));
    }

    @Test
    void directoryParametersAreCheckedByName() {
        assertTrue(error("config", "{}", "directory-jdbc-url", "h2:mem:x").contains("`directory-jdbc-url`"));
        assertTrue(error("config", "{}", "user-directory", "none", "directory-jdbc-url", "jdbc:h2:mem:x")
                .contains("`user-directory` is none"));
        FilterSettings s = parse("config", "{}", "directory-jdbc-url", " jdbc:h2:mem:x ");
        assertEquals("jdbc:h2:mem:x", s.directoryJdbcUrl);
        assertEquals(null, s.userDirectory);
    }
}
