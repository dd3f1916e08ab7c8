package io.albauth.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, bounded JSON reader for the sync report: objects become {@code Map<String, Object>}
 * (insertion order), arrays {@code List<Object>}, numbers {@code Long} or {@code Double}, plus
 * {@code String}, {@code Boolean} and null. Nesting deeper than {@link #MAX_DEPTH} and input
 * longer than {@link #MAX_LENGTH} are refused. Error messages name the offset, never the text.
 */
public final class JsonReader {
    /** The deepest nesting accepted. */
    public static final int MAX_DEPTH = 32;
    /** The longest input accepted, in chars. */
    public static final int MAX_LENGTH = 512 * 1024 * 1024;

    private final String s;
    private int at;
    private int depth;

    private JsonReader(String s) {
        this.s = s;
    }

    /** Parses one JSON value (whitespace around it allowed). */
    public static Object parse(String json) {
        if (json == null) {
            throw new IllegalArgumentException("JSON is null");
        }
        if (json.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("JSON longer than " + MAX_LENGTH + " chars");
        }
        JsonReader r = new JsonReader(json);
        Object v = r.value();
        r.ws();
        if (r.at != json.length()) {
            throw r.bad("trailing characters");
        }
        return v;
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("bad JSON at offset " + at + ": " + what);
    }

    private void ws() {
        while (at < s.length()) {
            char c = s.charAt(at);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                at++;
            } else {
                return;
            }
        }
    }

    private Object value() {
        ws();
        if (at >= s.length()) {
            throw bad("unexpected end");
        }
        char c = s.charAt(at);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
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
                throw bad("unexpected character");
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, at)) {
            throw bad("unknown literal");
        }
        at += word.length();
        return v;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw bad("nesting deeper than " + MAX_DEPTH);
        }
    }

    private Map<String, Object> object() {
        enter();
        at++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (at < s.length() && s.charAt(at) == '}') {
            at++;
            depth--;
            return Collections.unmodifiableMap(m);
        }
        while (true) {
            ws();
            if (at >= s.length() || s.charAt(at) != '"') {
                throw bad("expected a key");
            }
            String k = string();
            ws();
            expect(':');
            m.put(k, value());
            ws();
            if (at < s.length() && s.charAt(at) == ',') {
                at++;
                continue;
            }
            expect('}');
            depth--;
            return Collections.unmodifiableMap(m);
        }
    }

    private List<Object> array() {
        enter();
        at++;
        List<Object> l = new ArrayList<>();
        ws();
        if (at < s.length() && s.charAt(at) == ']') {
            at++;
            depth--;
            return Collections.unmodifiableList(l);
        }
        while (true) {
            l.add(value());
            ws();
            if (at < s.length() && s.charAt(at) == ',') {
                at++;
                continue;
            }
            expect(']');
            depth--;
            return Collections.unmodifiableList(l);
        }
    }

    private void expect(char c) {
        if (at >= s.length() || s.charAt(at) != c) {
            throw bad("expected '" + c + "'");
        }
        at++;
    }

    private String string() {
        at++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (at >= s.length()) {
                throw bad("unterminated string");
            }
            char c = s.charAt(at++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw bad("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (at >= s.length()) {
                throw bad("unterminated escape");
            }
            char e = s.charAt(at++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (at + 4 > s.length()) {
                        throw bad("short \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                    } catch (NumberFormatException x) {
                        throw bad("bad \\u escape");
                    }
                    at += 4;
                    break;
                default:
                    throw bad("unknown escape");
            }
        }
    }

    private Object number() {
        int start = at;
        if (s.charAt(at) == '-') {
            at++;
        }
        boolean fraction = false;
        while (at < s.length()) {
            char c = s.charAt(at);
            if (c >= '0' && c <= '9') {
                at++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                fraction = true;
                at++;
            } else {
                break;
            }
        }
        String n = s.substring(start, at);
        try {
            return fraction ? (Object) Double.parseDouble(n) : (Object) Long.parseLong(n);
        } catch (NumberFormatException x) {
            throw bad("bad number");
        }
    }
}
