package io.albauth.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's one JSON reader, strict (RFC 8259) and bounded: nesting deeper than
 * {@link #MAX_DEPTH} and input longer than {@link #MAX_LENGTH} are refused, and so is a key that
 * appears twice in one object (serde_json would keep the last one silently: a reader here must
 * never see a value the core does not read). Objects keep their key order. Errors say where
 * (line and column) and never quote a value, which may hold a secret; the one piece of input an
 * error quotes is a duplicate key, its first 64 characters at most (then {@code …}).
 *
 * <p>Two forms: {@link #parse} for reading (unmodifiable maps and lists, numbers {@code Long},
 * or {@code Double} when fractional or too large for a long) and {@link #parseExact} for editing
 * and writing back (mutable {@code LinkedHashMap}s and {@code ArrayList}s, numbers {@link Num}
 * with their text as written). Values besides: {@code String}, {@code Boolean}, null.
 */
public final class JsonReader {
    /** The deepest nesting accepted: more than any configuration or report needs. */
    public static final int MAX_DEPTH = 64;
    /** The longest input accepted, in chars. */
    public static final int MAX_LENGTH = 512 * 1024 * 1024;

    /** A JSON number, as written ({@link #parseExact}). */
    public record Num(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final String s;
    private final boolean exact;
    private int i;

    private JsonReader(String s, boolean exact) {
        this.s = s;
        this.exact = exact;
    }

    /**
     * Parses one JSON value (whitespace around it allowed) into unmodifiable maps and lists.
     *
     * @throws IllegalArgumentException malformed, too deep or too long, saying where
     */
    public static Object parse(String json) {
        return read(json, false);
    }

    /**
     * Parses one JSON value into mutable maps and lists, numbers kept as written ({@link Num}),
     * so that what is not changed is written back exactly.
     *
     * @throws IllegalArgumentException malformed, too deep or too long, saying where
     */
    public static Object parseExact(String json) {
        return read(json, true);
    }

    private static Object read(String json, boolean exact) {
        if (json == null) {
            throw new IllegalArgumentException("no JSON");
        }
        if (json.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("JSON longer than " + MAX_LENGTH + " chars");
        }
        JsonReader r = new JsonReader(json, exact);
        r.ws();
        Object v = r.value(0);
        r.ws();
        if (r.i != json.length()) {
            throw r.error("unexpected text after the JSON value");
        }
        return v;
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        int col = 1;
        for (int k = 0; k < i && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new IllegalArgumentException("invalid JSON at line " + line + ", column " + col + ": " + what);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private Object value(int depth) {
        if (depth >= MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character");
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error("unexpected character");
        }
        i += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (i < s.length() && s.charAt(i) == '}') {
            i++;
            return done(m);
        }
        for (;;) {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') {
                throw error("expected a field name in quotes");
            }
            String key = string();
            if (m.containsKey(key)) {
                String shown = key.length() > 64 ? key.substring(0, 64) + "…" : key;
                throw error("the field `" + shown + "` appears twice");
            }
            ws();
            expect(':');
            ws();
            m.put(key, value(depth + 1));
            ws();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                continue;
            }
            expect('}');
            return done(m);
        }
    }

    private Map<String, Object> done(Map<String, Object> m) {
        return exact ? m : Collections.unmodifiableMap(m);
    }

    private List<Object> array(int depth) {
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
            return exact ? l : Collections.unmodifiableList(l);
        }
        for (;;) {
            ws();
            l.add(value(depth + 1));
            ws();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                continue;
            }
            expect(']');
            return exact ? l : Collections.unmodifiableList(l);
        }
    }

    private void expect(char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private String string() {
        i++; // opening quote
        StringBuilder b = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                i--;
                throw error("control character in a string (escape it)");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) {
                break;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("short \\u escape");
                    }
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(i++), 16);
                        if (d < 0) {
                            throw error("bad \\u escape");
                        }
                        cp = cp * 16 + d;
                    }
                    b.append((char) cp);
                }
                default -> {
                    i--;
                    throw error("bad escape");
                }
            }
        }
        throw error("unterminated string");
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '0') {
            i++;
        } else if (!digits()) {
            throw error("bad number");
        }
        boolean integer = true;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            integer = false;
            if (!digits()) {
                throw error("bad number");
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            integer = false;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (!digits()) {
                throw error("bad number");
            }
        }
        String text = s.substring(start, i);
        if (exact) {
            return new Num(text);
        }
        if (integer) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                // beyond a long: as a double, like the fractional ones
            }
        }
        return Double.parseDouble(text);
    }

    private boolean digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i > start;
    }
}
