package io.albauth.atlassian.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One IdP template as {@code AlbAuth.templatesJson()} describes it: what choosing it fills into
 * the form, and the hint on where each value is found. The core owns the data, so the page and
 * the Rust defaults cannot drift apart.
 */
public record IdpTemplate(String name, String label, String tokenHeader, String usernameClaim, String issuerPattern,
        String hint) {

    /** The template the core uses when the config names none. */
    public static final String DEFAULT = "other";

    /** The templates of a {@code templatesJson()} array. */
    public static List<IdpTemplate> parseAll(String json) throws Json.ParseException {
        Object v = Json.parse(json);
        if (!(v instanceof List<?> list)) {
            throw new Json.ParseException("templates: expected a JSON array");
        }
        List<IdpTemplate> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new Json.ParseException("templates: expected objects");
            }
            out.add(new IdpTemplate(str(m, "name"), str(m, "label"), str(m, "token_header"), str(m, "username_claim"),
                    str(m, "issuer_pattern"), str(m, "hint")));
        }
        return List.copyOf(out);
    }

    /** The template named {@code name}, or null. */
    public static IdpTemplate find(List<IdpTemplate> all, String name) {
        for (IdpTemplate t : all) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    private static String str(Map<?, ?> m, String key) throws Json.ParseException {
        Object v = m.get(key);
        if (v == null) {
            return "";
        }
        if (!(v instanceof String s)) {
            throw new Json.ParseException("templates: `" + key + "` is not a string");
        }
        return s;
    }
}
