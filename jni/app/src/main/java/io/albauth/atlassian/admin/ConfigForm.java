package io.albauth.atlassian.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The setup form's inputs and the configuration JSON, both ways. The form shows some fields;
 * saving it edits only those in the stored configuration and keeps every other field as it was
 * (what the "full configuration" textarea shows). A value the form cannot represent (a regex
 * transform, an {@code "issuer": null} opt-out) locks its input: shown read-only, left untouched
 * on save, edited in the JSON.
 *
 * <p>Written conventions: a list input holds one value per line (ARNs, groups) or values
 * separated by blanks (issuers, client ids, domains); an empty input removes the field; a
 * value equal to the core's default is left out, so the stored JSON says only what differs.
 */
public final class ConfigForm {
    /** Input names (also their element ids). */
    public static final String TEMPLATE = "template";
    public static final String TRUSTED_ALBS = "trusted_albs";
    public static final String ISSUER = "issuer";
    public static final String CLIENT_ID = "client_id";
    public static final String TOKEN_HEADER = "token_header";
    public static final String USERNAME_CLAIM = "username_claim";
    public static final String GROUPS_CLAIM = "groups_claim";
    /** The fieldset of the two transform checkboxes (its error slot). */
    public static final String TRANSFORMS = "username_transforms";
    public static final String STRIP_DOMAIN = "transform_strip_domain";
    public static final String LOWERCASE = "transform_lowercase";
    public static final String ALLOWED_DOMAINS = "allowed_domains";
    public static final String PROV_ENABLED = "prov_enabled";
    public static final String PROV_CREATE = "prov_create_users";
    public static final String PROV_REACTIVATE = "prov_reactivate_users";
    public static final String PROV_DEFAULT_GROUPS = "prov_default_groups";
    public static final String PROV_FILTER_ALLOW = "prov_filter_allow";
    public static final String PROV_FILTER_REGEX = "prov_filter_regex";
    public static final String PROV_MAPPING = "prov_group_mapping";
    public static final String PROV_REQUIRED = "prov_required_groups";

    /** The two header names {@code token_header} takes. */
    public static final List<String> TOKEN_HEADERS = List.of("x-amzn-oidc-data", "x-amzn-oidc-accesstoken");

    /** Every input, in form order. */
    public static final List<String> INPUTS = List.of(TEMPLATE, TRUSTED_ALBS, ISSUER, CLIENT_ID, TOKEN_HEADER,
            USERNAME_CLAIM, GROUPS_CLAIM, STRIP_DOMAIN, LOWERCASE, ALLOWED_DOMAINS, PROV_ENABLED, PROV_CREATE,
            PROV_REACTIVATE, PROV_DEFAULT_GROUPS, PROV_FILTER_ALLOW, PROV_FILTER_REGEX, PROV_MAPPING, PROV_REQUIRED);

    /** Checkbox inputs: "on" when checked, "" when not. */
    public static final Set<String> CHECKBOXES = Set.of(STRIP_DOMAIN, LOWERCASE, PROV_ENABLED, PROV_CREATE,
            PROV_REACTIVATE);

    /** Config field paths (indices dropped) to the input whose error slot shows their errors. */
    private static final Map<String, String> FIELD_INPUTS = new LinkedHashMap<>();

    static {
        FIELD_INPUTS.put("template", TEMPLATE);
        FIELD_INPUTS.put("trusted_albs", TRUSTED_ALBS);
        FIELD_INPUTS.put("issuer", ISSUER);
        FIELD_INPUTS.put("client_id", CLIENT_ID);
        FIELD_INPUTS.put("token_header", TOKEN_HEADER);
        FIELD_INPUTS.put("username_claim", USERNAME_CLAIM);
        FIELD_INPUTS.put("groups_claim", GROUPS_CLAIM);
        FIELD_INPUTS.put("username_transforms", TRANSFORMS);
        FIELD_INPUTS.put("allowed_domains", ALLOWED_DOMAINS);
        FIELD_INPUTS.put("provisioning", PROV_ENABLED);
        FIELD_INPUTS.put("provisioning.enabled", PROV_ENABLED);
        FIELD_INPUTS.put("provisioning.create_users", PROV_CREATE);
        FIELD_INPUTS.put("provisioning.reactivate_users", PROV_REACTIVATE);
        FIELD_INPUTS.put("provisioning.default_groups", PROV_DEFAULT_GROUPS);
        FIELD_INPUTS.put("provisioning.group_filter", PROV_FILTER_ALLOW);
        FIELD_INPUTS.put("provisioning.group_filter.allow", PROV_FILTER_ALLOW);
        FIELD_INPUTS.put("provisioning.group_filter.regex", PROV_FILTER_REGEX);
        FIELD_INPUTS.put("provisioning.group_mapping", PROV_MAPPING);
        FIELD_INPUTS.put("provisioning.required_groups_for_login", PROV_REQUIRED);
    }

    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");
    private static final Pattern SEPARATOR = Pattern.compile("[\\s,]");
    private static final Pattern LINE_BREAK = Pattern.compile("[\\r\\n]");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z]+\\}");

    /** An input the admin must correct before anything is validated by the core (setup and sync forms). */
    public static final class FormException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String input;

        FormException(String input, String message) {
            super(message);
            this.input = input;
        }

        /** The input whose error slot shows the message. */
        public String input() {
            return input;
        }
    }

    private final Map<String, String> values;
    private final Set<String> locked;

    private ConfigForm(Map<String, String> values, Set<String> locked) {
        this.values = values;
        this.locked = locked;
    }

    /** The text of an input ("on" or "" for a checkbox). */
    public String value(String input) {
        return values.getOrDefault(input, "");
    }

    /** Whether an input is read-only because its stored value needs the JSON to edit it. */
    public boolean isLocked(String input) {
        return locked.contains(input);
    }

    /** The form as it shows {@code config} (the stored configuration; empty when never saved). */
    public static ConfigForm fromConfig(Map<String, Object> config, List<IdpTemplate> templates) {
        Map<String, String> v = new LinkedHashMap<>();
        Set<String> locked = lockedInputs(config);
        String template = config.get("template") instanceof String s ? s : IdpTemplate.DEFAULT;
        IdpTemplate t = IdpTemplate.find(templates, template);
        v.put(TEMPLATE, template);
        v.put(TRUSTED_ALBS, joined(config.get("trusted_albs"), "\n"));
        v.put(ISSUER, joined(config.get("issuer"), " "));
        v.put(CLIENT_ID, joined(config.get("client_id"), " "));
        v.put(TOKEN_HEADER, config.get("token_header") instanceof String s ? s : t == null ? "" : t.tokenHeader());
        v.put(USERNAME_CLAIM, config.get("username_claim") instanceof String s ? s : t == null ? "" : t.usernameClaim());
        v.put(GROUPS_CLAIM, config.get("groups_claim") instanceof String s ? s : "");
        List<?> transforms = config.get("username_transforms") instanceof List<?> l ? l : List.of();
        v.put(STRIP_DOMAIN, transforms.contains("strip_domain") ? "on" : "");
        v.put(LOWERCASE, transforms.contains("lowercase") ? "on" : "");
        v.put(ALLOWED_DOMAINS, joined(config.get("allowed_domains"), " "));
        Map<?, ?> p = config.get("provisioning") instanceof Map<?, ?> m ? m : Map.of();
        v.put(PROV_ENABLED, Boolean.TRUE.equals(p.get("enabled")) ? "on" : "");
        v.put(PROV_CREATE, Boolean.FALSE.equals(p.get("create_users")) ? "" : "on");
        v.put(PROV_REACTIVATE, Boolean.TRUE.equals(p.get("reactivate_users")) ? "on" : "");
        v.put(PROV_DEFAULT_GROUPS, joined(p.get("default_groups"), "\n"));
        Map<?, ?> gf = p.get("group_filter") instanceof Map<?, ?> m ? m : Map.of();
        v.put(PROV_FILTER_ALLOW, joined(gf.get("allow"), "\n"));
        v.put(PROV_FILTER_REGEX, joined(gf.get("regex"), "\n"));
        StringBuilder mapping = new StringBuilder();
        if (p.get("group_mapping") instanceof Map<?, ?> gm) {
            gm.forEach((from, to) -> {
                if (to instanceof String s) {
                    mapping.append(mapping.length() == 0 ? "" : "\n").append(from).append(" = ").append(s);
                }
            });
        }
        v.put(PROV_MAPPING, mapping.toString());
        v.put(PROV_REQUIRED, joined(p.get("required_groups_for_login"), "\n"));
        return new ConfigForm(v, locked);
    }

    /**
     * The form as posted ({@code param} returns a request parameter, null when absent) over the
     * stored {@code base}: a locked input, which the browser does not send, shows its stored value.
     */
    public static ConfigForm fromParams(Function<String, String> param, Map<String, Object> base,
            List<IdpTemplate> templates) {
        ConfigForm stored = fromConfig(base, templates);
        Map<String, String> v = new LinkedHashMap<>();
        for (String input : INPUTS) {
            String s = param.apply(input);
            if (stored.isLocked(input)) {
                v.put(input, stored.value(input));
            } else if (CHECKBOXES.contains(input)) {
                v.put(input, s != null ? "on" : "");
            } else {
                v.put(input, s == null ? "" : s);
            }
        }
        return new ConfigForm(v, stored.locked);
    }

    /**
     * The configuration this form makes of {@code base}: a copy with the form's fields set and
     * every other field kept. Locked inputs leave their field as {@code base} has it.
     *
     * @throws FormException for input the form itself refuses (a mapping line without {@code =},
     *     an issuer still holding the template's {@code {placeholder}})
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> applyTo(Map<String, Object> base, List<IdpTemplate> templates) throws FormException {
        Map<String, Object> c = (Map<String, Object>) Json.deepCopy(base);
        String template = value(TEMPLATE).trim();
        IdpTemplate t = IdpTemplate.find(templates, template.isEmpty() ? IdpTemplate.DEFAULT : template);
        setOrRemove(c, "trusted_albs", lines(value(TRUSTED_ALBS)), TRUSTED_ALBS);
        for (String input : List.of(ISSUER, CLIENT_ID)) {
            if (isLocked(input)) {
                continue;
            }
            List<String> words = words(value(input));
            if (input.equals(ISSUER)) {
                for (String w : words) {
                    Matcher m = PLACEHOLDER.matcher(w);
                    if (m.find()) {
                        throw new FormException(ISSUER, "Replace " + m.group()
                                + " in the template's issuer pattern with your value.");
                    }
                }
            }
            put(c, input, words.isEmpty() ? null : words.size() == 1 ? words.get(0) : new ArrayList<Object>(words));
        }
        put(c, "template", template.isEmpty() ? null : template);
        String header = value(TOKEN_HEADER).trim();
        put(c, "token_header", header.isEmpty() || (t != null && header.equals(t.tokenHeader())) ? null : header);
        String claim = value(USERNAME_CLAIM).trim();
        put(c, "username_claim", claim.isEmpty() || (t != null && claim.equals(t.usernameClaim())) ? null : claim);
        String groups = value(GROUPS_CLAIM).trim();
        put(c, "groups_claim", groups.isEmpty() ? null : groups);
        if (!isLocked(STRIP_DOMAIN)) {
            List<Object> tr = new ArrayList<>();
            if (!value(STRIP_DOMAIN).isEmpty()) {
                tr.add("strip_domain");
            }
            if (!value(LOWERCASE).isEmpty()) {
                tr.add("lowercase");
            }
            put(c, "username_transforms", tr.isEmpty() ? null : tr);
        }
        setOrRemove(c, "allowed_domains", words(value(ALLOWED_DOMAINS)), ALLOWED_DOMAINS);
        if (!isLocked(PROV_ENABLED)) {
            applyProvisioning(c);
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private void applyProvisioning(Map<String, Object> c) throws FormException {
        Map<String, Object> p = c.get("provisioning") instanceof Map<?, ?> m ? (Map<String, Object>) m
                : new LinkedHashMap<>();
        put(p, "enabled", value(PROV_ENABLED).isEmpty() ? null : Boolean.TRUE);
        put(p, "create_users", value(PROV_CREATE).isEmpty() ? Boolean.FALSE : null);
        put(p, "reactivate_users", value(PROV_REACTIVATE).isEmpty() ? null : Boolean.TRUE);
        setOrRemove(p, "default_groups", lines(value(PROV_DEFAULT_GROUPS)), PROV_DEFAULT_GROUPS);
        Map<String, Object> gf = p.get("group_filter") instanceof Map<?, ?> m ? (Map<String, Object>) m
                : new LinkedHashMap<>();
        setOrRemove(gf, "allow", lines(value(PROV_FILTER_ALLOW)), PROV_FILTER_ALLOW);
        setOrRemove(gf, "regex", lines(value(PROV_FILTER_REGEX)), PROV_FILTER_REGEX);
        put(p, "group_filter", gf.isEmpty() ? null : gf);
        if (!isLocked(PROV_MAPPING)) {
            Map<String, Object> mapping = new LinkedHashMap<>();
            List<String> rows = lines(value(PROV_MAPPING));
            for (int n = 0; n < rows.size(); n++) {
                String row = rows.get(n);
                int eq = row.indexOf('=');
                String from = eq < 0 ? "" : row.substring(0, eq).trim();
                String to = eq < 0 ? "" : row.substring(eq + 1).trim();
                if (from.isEmpty() || to.isEmpty()) {
                    throw new FormException(PROV_MAPPING, "Line " + (n + 1)
                            + ": write one mapping per line as IdP group = host group.");
                }
                if (mapping.containsKey(from)) {
                    throw new FormException(PROV_MAPPING, "Line " + (n + 1) + ": this IdP group is mapped twice.");
                }
                mapping.put(from, to);
            }
            put(p, "group_mapping", mapping.isEmpty() ? null : mapping);
        }
        setOrRemove(p, "required_groups_for_login", lines(value(PROV_REQUIRED)), PROV_REQUIRED);
        put(c, "provisioning", p.isEmpty() ? null : p);
    }

    private void setOrRemove(Map<String, Object> m, String key, List<String> list, String input) {
        if (!isLocked(input)) {
            put(m, key, list.isEmpty() ? null : new ArrayList<Object>(list));
        }
    }

    /** Sets {@code key} (keeping its position when present), or removes it for null. */
    private static void put(Map<String, Object> m, String key, Object value) {
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
    }

    /**
     * The input that shows an error the core reports for config field {@code field} (as
     * {@code ConfigCheck.field()} names it, e.g. {@code trusted_albs[1]} or
     * {@code provisioning.group_filter.regex[0]}): the longest known prefix. Null when the form
     * has no input for it (the error goes next to the full configuration).
     */
    public static String inputFor(String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        String path = INDEX.matcher(field).replaceAll("");
        while (!path.isEmpty()) {
            String input = FIELD_INPUTS.get(path);
            if (input != null) {
                return input;
            }
            int dot = path.lastIndexOf('.');
            path = dot < 0 ? "" : path.substring(0, dot);
        }
        return null;
    }

    /** The 1-based line of a list input a field path names ({@code trusted_albs[1]}: 2), or 0. */
    public static int lineOf(String field) {
        if (field == null) {
            return 0;
        }
        Matcher m = INDEX.matcher(field);
        if (!m.find()) {
            return 0;
        }
        try {
            return Integer.parseInt(m.group(1)) + 1;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The inputs whose stored value the form cannot show faithfully. */
    static Set<String> lockedInputs(Map<String, Object> config) {
        Set<String> l = new LinkedHashSet<>();
        if (!isStringList(config.get("trusted_albs"), false)) {
            l.add(TRUSTED_ALBS);
        }
        for (String f : List.of(ISSUER, CLIENT_ID)) {
            Object v = config.get(f);
            // An explicit null is the opt-out of the check: absent would be an error, not the same.
            boolean shown = v == null ? !config.containsKey(f)
                    : v instanceof String s ? !SEPARATOR.matcher(s).find() : isStringList(v, true);
            if (!shown) {
                l.add(f);
            }
        }
        Object tr = config.get("username_transforms");
        if (!(tr == null || (tr instanceof List<?> list
                && list.stream().allMatch(x -> "strip_domain".equals(x) || "lowercase".equals(x))))) {
            l.add(STRIP_DOMAIN);
            l.add(LOWERCASE);
        }
        if (!isStringList(config.get("allowed_domains"), true)) {
            l.add(ALLOWED_DOMAINS);
        }
        Object p = config.get("provisioning");
        if (!(p == null || p instanceof Map)) {
            l.addAll(List.of(PROV_ENABLED, PROV_CREATE, PROV_REACTIVATE, PROV_DEFAULT_GROUPS, PROV_FILTER_ALLOW,
                    PROV_FILTER_REGEX, PROV_MAPPING, PROV_REQUIRED));
        } else if (p instanceof Map<?, ?> pm) {
            if (!isStringList(pm.get("default_groups"), false)) {
                l.add(PROV_DEFAULT_GROUPS);
            }
            if (!isStringList(pm.get("required_groups_for_login"), false)) {
                l.add(PROV_REQUIRED);
            }
            Object gf = pm.get("group_filter");
            if (gf != null && !(gf instanceof Map)) {
                l.add(PROV_FILTER_ALLOW);
                l.add(PROV_FILTER_REGEX);
            } else if (gf instanceof Map<?, ?> g) {
                if (!isStringList(g.get("allow"), false)) {
                    l.add(PROV_FILTER_ALLOW);
                }
                if (!isStringList(g.get("regex"), false)) {
                    l.add(PROV_FILTER_REGEX);
                }
            }
            Object gm = pm.get("group_mapping");
            if (gm != null && !(gm instanceof Map<?, ?> m && m.values().stream().allMatch(x -> x instanceof String))) {
                l.add(PROV_MAPPING);
            }
        }
        return l;
    }

    /**
     * Absent, or a list of strings the input can hold: one per line (no line break in any), or,
     * for a {@code words} input, separated by blanks (no blank or comma in any).
     */
    private static boolean isStringList(Object v, boolean words) {
        if (v == null) {
            return true;
        }
        Pattern bad = words ? SEPARATOR : LINE_BREAK;
        return v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String s && !bad.matcher(s).find());
    }

    private static String joined(Object v, String sep) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder();
            for (Object o : list) {
                if (o instanceof String s) {
                    b.append(b.length() == 0 ? "" : sep).append(s);
                }
            }
            return b.toString();
        }
        return "";
    }

    /** Non-blank lines, trimmed. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n")) {
            String t = line.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Values separated by blanks or commas. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("[\\s,]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
