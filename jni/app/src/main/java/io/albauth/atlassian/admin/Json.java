package io.albauth.atlassian.admin;

import io.albauth.json.JsonReader;
import io.albauth.json.JsonReader.Num;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the admin page reads and writes: the stored configuration, edited field by field.
 * Reading is {@link JsonReader#parseExact} (the project's one reader): objects keep their key
 * order and numbers their text ({@link Num}), so a field the form does not show is written back
 * exactly as it was stored; a duplicate key is refused. This class adds the checked
 * {@link ParseException} the forms handle, and the writers.
 *
 * <p>Values: {@code Map<String, Object>}, {@code List<Object>}, {@link String}, {@link Boolean},
 * {@link Num}, and {@code null}.
 */
public final class Json {
    /** Malformed JSON; the message says where, never quoting the input. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message);
        }
    }

    private Json() {}

    /**
     * Parses one JSON value (surrounding whitespace allowed, nothing else after it) with the
     * project's one reader, {@link JsonReader#parseExact}: mutable, numbers as written.
     */
    public static Object parse(String text) throws ParseException {
        try {
            return JsonReader.parseExact(text);
        } catch (IllegalArgumentException e) {
            throw new ParseException(e.getMessage());
        }
    }

    /** Parses a JSON object; anything else is refused. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) throws ParseException {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new ParseException("the configuration must be a JSON object ({...})");
        }
        return (Map<String, Object>) v;
    }

    /** Compact JSON. */
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, -1, 0);
        return b.toString();
    }

    /** JSON indented by two spaces, for the textarea an admin edits. */
    public static String pretty(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, 2, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int indent, int level) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                newline(b, indent, level + 1);
                quote(b, String.valueOf(e.getKey()));
                b.append(indent < 0 ? ":" : ": ");
                write(b, e.getValue(), indent, level + 1);
            }
            newline(b, indent, level);
            b.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                b.append("[]");
                return;
            }
            // Lists of scalars stay on one line: ["strip_domain", "lowercase"] reads better.
            boolean flat = indent < 0 || l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
            b.append('[');
            for (int k = 0; k < l.size(); k++) {
                if (k > 0) {
                    b.append(flat && indent >= 0 ? ", " : ",");
                }
                if (!flat) {
                    newline(b, indent, level + 1);
                }
                write(b, l.get(k), indent, level + 1);
            }
            if (!flat) {
                newline(b, indent, level);
            }
            b.append(']');
        } else if (v instanceof String str) {
            quote(b, str);
        } else if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean || v instanceof Num) {
            b.append(v);
        } else if (v instanceof Integer || v instanceof Long) {
            b.append(v);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static void newline(StringBuilder b, int indent, int level) {
        if (indent >= 0) {
            b.append('\n');
            b.append(" ".repeat(indent * level));
        }
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** A copy safe to edit: maps and lists copied all the way down. */
    @SuppressWarnings("unchecked")
    static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, x) -> c.put((String) k, deepCopy(x)));
            return c;
        }
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(x -> c.add(deepCopy(x)));
            return c;
        }
        return v;
    }
}
