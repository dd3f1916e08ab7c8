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
        PathRules r = PathRules.parse("/status, /s/*, *.css");
        assertTrue(r.matches("/status"));
        assertFalse(r.matches("/status/more"));
        assertTrue(r.matches("/s/x/y.js"));
        assertTrue(r.matches("/s"));
        assertFalse(r.matches("/secure/Dashboard.jspa"));
        assertTrue(r.matches("/a/b.css"));
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
}
