package io.albauth.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readingGivesUnmodifiableValuesInKeyOrderWithLongsAndDoubles() {
        Map<?, ?> m = (Map<?, ?>) JsonReader.parse("{\"b\": 1, \"a\": [2.5, true, null, \"x\"], \"c\": 1e3}");
        assertEquals(List.of("b", "a", "c"), List.copyOf(m.keySet()));
        assertEquals(1L, m.get("b"));
        assertEquals(java.util.Arrays.asList(2.5, true, null, "x"), m.get("a"));
        assertEquals(1000.0, m.get("c"));
        assertThrows(UnsupportedOperationException.class, () -> cast(m).put("d", 1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @Test
    void anIntegerBeyondALongIsADouble() {
        assertEquals(1e20, JsonReader.parse("100000000000000000000"));
    }

    @Test
    void exactReadingIsMutableAndKeepsNumbersAsWritten() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) JsonReader.parseExact("{\"n\": 1.50, \"l\": [1E2]}");
        assertEquals(new JsonReader.Num("1.50"), m.get("n"));
        assertEquals(List.of(new JsonReader.Num("1E2")), m.get("l"));
        m.put("added", "ok");
        assertEquals("ok", m.get("added"));
    }

    @Test
    void aDuplicateKeyIsRefusedNamingTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonReader.parse("{\"issuer\": \"a\",\n\"issuer\": \"b\"}"));
        assertTrue(e.getMessage().contains("`issuer` appears twice"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void anErrorSaysWhereAndNeverQuotesTheInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonReader.parse("{\"a\": secretvalue}"));
        assertTrue(e.getMessage().contains("line 1, column 7"), e.getMessage());
        assertFalse(e.getMessage().contains("secretvalue"), e.getMessage());
    }

    @Test
    void malformedNumbersAndTrailingTextAreRefused() {
        for (String bad : List.of("01", "1.", "-", "1e", "1e5-3", ".5", "{} {}", "[1,]", "{\"a\" 1}", "nul")) {
            assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
        }
    }

    @Test
    void nestingIsBounded() {
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        JsonReader.parse(ok);
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[".repeat(100_000)));
    }

    @Test
    void nullIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(null));
    }
}
