package io.albauth.atlassian.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void aStoredConfigurationRoundTripsWithItsKeyOrderAndNumbersAsWritten() throws Exception {
        String json = "{\"trusted_albs\":[\"a\"],\"clock_skew_secs\":30,\"pinned_keys\":{\"k\":\"-----BEGIN\\nX\"},"
                + "\"key_fetch_timeout_ms\":2.50e3,\"issuer\":null,\"provisioning\":{\"enabled\":true}}";
        assertEquals(json, Json.write(Json.parse(json)));
    }

    @Test
    void prettyOutputParsesBackToTheSameValue() throws Exception {
        Object v = Json.parse("{\"a\":[1,{\"b\":[]}],\"c\":\"x\\\"y\\u2028\",\"d\":{}}");
        assertEquals(v, Json.parse(Json.pretty(v)));
    }

    @Test
    void aDuplicateKeyIsRefusedNamingIt() {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("{\"issuer\":\"a\",\n\"issuer\":\"b\"}"));
        assertTrue(e.getMessage().contains("`issuer` appears twice"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void malformedJsonIsRefusedWithItsPositionAndWithoutQuotingTheInput() {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("{\"a\": secretvalue}"));
        assertTrue(e.getMessage().contains("line 1, column 7"), e.getMessage());
        assertFalse(e.getMessage().contains("secretvalue"), e.getMessage());
    }

    @Test
    void trailingTextAfterTheValueIsRefused() {
        assertThrows(Json.ParseException.class, () -> Json.parse("{} {}"));
    }

    @Test
    void aTopLevelValueOtherThanAnObjectIsNotAConfiguration() {
        assertThrows(Json.ParseException.class, () -> Json.parseObject("[1]"));
    }

    @Test
    void nestingDeeperThanAnyConfigurationIsRefusedWithoutOverflowingTheStack() {
        assertThrows(Json.ParseException.class, () -> Json.parse("[".repeat(100_000)));
    }

    @Test
    void stringEscapesAreDecoded() throws Exception {
        assertEquals(List.of("a\"b\\c/\n\té"), Json.parse("[\"a\\\"b\\\\c\\/\\n\\t\\u00e9\"]"));
    }

    @Test
    void aRawControlCharacterInAStringIsRefused() {
        assertThrows(Json.ParseException.class, () -> Json.parse("[\"a\nb\"]"));
    }

    @Test
    void numbersOutsideJsonGrammarAreRefused() {
        for (String bad : List.of("[01]", "[1.]", "[-]", "[1e]", "[+1]", "[.5]")) {
            assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void deepCopyIsIndependentOfTheOriginal() throws Exception {
        Map<String, Object> m = Json.parseObject("{\"p\":{\"g\":[\"x\"]}}");
        Map<String, Object> c = (Map<String, Object>) Json.deepCopy(m);
        ((Map<String, Object>) c.get("p")).put("g", List.of());
        assertEquals("{\"p\":{\"g\":[\"x\"]}}", Json.write(m));
    }
}
