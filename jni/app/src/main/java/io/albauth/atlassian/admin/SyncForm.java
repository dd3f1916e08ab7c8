package io.albauth.atlassian.admin;

import io.albauth.json.JsonReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The sync page's connector settings: the {@code directory_sync} section of the stored
 * configuration (the connector and the sync rules) as form inputs, and back.
 *
 * <p>Secrets ({@code client_secret}, {@code api_token}, {@code service_account},
 * {@code secret_access_key}) are write-only: a form built from the configuration never holds
 * them (only whether one is stored), a blank secret input keeps the stored secret, a typed one
 * replaces it. The same holds for the setup page's full-configuration JSON:
 * {@link #redacted} leaves them out, {@link #restoreSecrets} puts the stored ones back into a
 * posted configuration that leaves them out.
 *
 * <p>Inputs are named {@code ds_KIND_FIELD} for the connector fields (one set per kind, the
 * page shows the chosen kind's) and {@code ds_FIELD} for the rules. Every other field of the
 * section (and of the connector, while its kind stays) is kept as stored.
 */
final class SyncForm {
    /** The connector kind select; {@link #NONE} removes the section. */
    static final String KIND = "ds_kind";
    static final String NONE = "none";
    static final String REQUIRED_GROUPS = "ds_required_groups";
    static final String ON_MISSING = "ds_on_missing";
    static final String REMOVE_GROUPS = "ds_remove_groups_on_cleanup";
    static final String BRAKE_PERCENT = "ds_brake_percent";
    static final String BRAKE_COUNT = "ds_brake_count";
    static final List<String> ON_MISSING_VALUES = List.of("deactivate", "delete", "anonymize", "keep");
    /** The connector fields that hold a secret, whatever the kind. */
    static final Set<String> SECRET_FIELDS = Set.of("client_secret", "api_token", "service_account",
            "secret_access_key");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    /** One connector field: its config name, label and hint; secrets are write-only, some are multi-line. */
    record Field(String name, String label, String hint, boolean multiline) {
        boolean secret() {
            return SECRET_FIELDS.contains(name);
        }

        String input(Kind k) {
            return "ds_" + k.type() + "_" + name;
        }
    }

    /** A connector kind ({@code connector.type}) and its fields, in form order. */
    record Kind(String type, String label, List<Field> fields) {
        Field field(String name) {
            for (Field f : fields) {
                if (f.name().equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    private static final Field USERNAME_ATTRIBUTE = new Field("username_attribute", "Username attribute (optional)",
            "A dotted path into the IdP's user JSON (profile.login) instead of the default username field.", false);

    static final List<Kind> KINDS = List.of(
            new Kind("graph", "Microsoft Entra ID (Graph)", List.of(
                    new Field("tenant_id", "Tenant id", "contoso.onmicrosoft.com, or the tenant's GUID.", false),
                    new Field("client_id", "Client id", "The app registration's application (client) id.", false),
                    new Field("client_secret", "Client secret", "The app registration's client secret.", false),
                    new Field("authority_url", "Authority URL (optional)",
                            "Default https://login.microsoftonline.com.", false),
                    new Field("graph_url", "Graph URL (optional)", "Default https://graph.microsoft.com.", false),
                    USERNAME_ATTRIBUTE)),
            new Kind("okta", "Okta", List.of(
                    new Field("org_url", "Org URL", "https://your-org.okta.com.", false),
                    new Field("api_token", "API token", "A read-only admin's API token (SSWS).", false),
                    USERNAME_ATTRIBUTE)),
            new Kind("google", "Google Workspace", List.of(
                    new Field("service_account", "Service account key (JSON)",
                            "The service account's JSON key, pasted whole.", true),
                    new Field("admin_subject", "Admin subject", "The admin the service account acts as.", false),
                    new Field("customer", "Customer (optional)", "Default my_customer.", false),
                    new Field("token_url", "Token URL (optional)",
                            "Default: the key's token_uri, else https://oauth2.googleapis.com/token.", false),
                    new Field("api_url", "API URL (optional)", "Default https://admin.googleapis.com.", false),
                    USERNAME_ATTRIBUTE)),
            new Kind("cognito", "Amazon Cognito", List.of(
                    new Field("region", "Region", "us-east-1.", false),
                    new Field("user_pool_id", "User pool id", "REGION_..., e.g. us-east-1_AbCdEf123.", false),
                    new Field("access_key_id", "Access key id", "An IAM key allowed to list the pool.", false),
                    new Field("secret_access_key", "Secret access key", "The IAM key's secret.", false),
                    new Field("endpoint_url", "Endpoint URL (optional)",
                            "Default https://cognito-idp.{region}.amazonaws.com.", false),
                    USERNAME_ATTRIBUTE)),
            new Kind("keycloak", "Keycloak", List.of(
                    new Field("base_url", "Base URL", "https://sso.example.com (with any legacy /auth prefix).", false),
                    new Field("realm", "Realm", "The realm whose users are synced.", false),
                    new Field("client_id", "Client id", "A confidential client with the view-users role.", false),
                    new Field("client_secret", "Client secret", "That client's secret.", false),
                    USERNAME_ATTRIBUTE)));

    private final Map<String, String> values;
    private final Set<String> storedSecrets;

    private SyncForm(Map<String, String> values, Set<String> storedSecrets) {
        this.values = values;
        this.storedSecrets = storedSecrets;
    }

    static Kind kind(String type) {
        for (Kind k : KINDS) {
            if (k.type().equals(type)) {
                return k;
            }
        }
        return null;
    }

    /** The form for a stored configuration: every value but the secrets. */
    static SyncForm fromConfig(Map<String, Object> config) {
        Map<String, String> v = new LinkedHashMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        Map<String, Object> ds = section(config);
        v.put(KIND, NONE);
        if (ds != null) {
            Map<String, Object> conn = map(ds.get("connector"));
            Kind k = conn == null ? null : kind(text(conn.get("type")));
            if (k != null) {
                v.put(KIND, k.type());
                for (Field f : k.fields()) {
                    Object x = conn.get(f.name());
                    if (f.secret()) {
                        if (x != null) {
                            secrets.add(f.input(k));
                        }
                    } else if (x != null) {
                        v.put(f.input(k), text(x));
                    }
                }
            } else if (conn != null) {
                v.put(KIND, "");
            }
            if (ds.get("required_groups") instanceof List<?> l) {
                List<String> lines = new ArrayList<>();
                l.forEach(g -> lines.add(text(g)));
                v.put(REQUIRED_GROUPS, String.join("\n", lines));
            }
            if (ds.get("on_missing") != null) {
                v.put(ON_MISSING, text(ds.get("on_missing")));
            }
            if (Boolean.TRUE.equals(ds.get("remove_groups_on_cleanup"))) {
                v.put(REMOVE_GROUPS, "on");
            }
            if (ds.get("brake_percent") != null) {
                v.put(BRAKE_PERCENT, text(ds.get("brake_percent")));
            }
            if (ds.get("brake_count") != null) {
                v.put(BRAKE_COUNT, text(ds.get("brake_count")));
            }
        }
        return new SyncForm(v, secrets);
    }

    /**
     * The form as posted, for showing it again after a refused save: the admin's values, secret
     * inputs blank (a typed secret is not sent back), with what the stored configuration holds.
     */
    static SyncForm fromParams(Function<String, String> params, Map<String, Object> stored) {
        SyncForm s = fromConfig(stored);
        Map<String, String> v = new LinkedHashMap<>();
        v.put(KIND, nz(params.apply(KIND)));
        for (Kind k : KINDS) {
            for (Field f : k.fields()) {
                if (!f.secret()) {
                    v.put(f.input(k), nz(params.apply(f.input(k))));
                }
            }
        }
        for (String in : List.of(REQUIRED_GROUPS, ON_MISSING, REMOVE_GROUPS, BRAKE_PERCENT, BRAKE_COUNT)) {
            v.put(in, nz(params.apply(in)));
        }
        return new SyncForm(v, s.storedSecrets);
    }

    /** The input's value ("" when none); never a secret. */
    String value(String input) {
        return values.getOrDefault(input, "");
    }

    /** Whether the stored connector holds the secret this input replaces. */
    boolean secretStored(String input) {
        return storedSecrets.contains(input);
    }

    /**
     * {@code config} with its {@code directory_sync} section as {@code params} set it. Fields the
     * form does not show are kept; a blank secret keeps the stored one (while the kind stays).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> applyTo(Map<String, Object> config, Function<String, String> params)
            throws ConfigForm.FormException {
        Map<String, Object> c = (Map<String, Object>) Json.deepCopy(config);
        String type = nz(params.apply(KIND)).trim();
        if (type.equals(NONE)) {
            c.remove("directory_sync");
            return c;
        }
        Kind k = kind(type);
        if (k == null) {
            throw new ConfigForm.FormException(KIND, "Choose the identity provider whose directory is synced.");
        }
        Map<String, Object> old = section(c);
        Map<String, Object> ds = old == null ? new LinkedHashMap<>() : old;
        Map<String, Object> storedConn = map(ds.get("connector"));
        Map<String, Object> conn;
        Map<String, Object> before = null; // the stored connector of this kind, as it was
        if (storedConn != null && type.equals(text(storedConn.get("type")))) {
            before = (Map<String, Object>) Json.deepCopy(storedConn);
            conn = storedConn;
        } else {
            conn = new LinkedHashMap<>();
            conn.put("type", type);
        }
        for (Field f : k.fields()) {
            String in = nz(params.apply(f.input(k)));
            if (f.secret()) {
                if (in.isBlank()) {
                    continue; // keeps the stored secret, if any
                }
                if (f.name().equals("service_account")) {
                    Object parsed;
                    try {
                        parsed = Json.parse(in);
                    } catch (Json.ParseException e) {
                        throw new ConfigForm.FormException(f.input(k), "The service account key is not JSON: " + e.getMessage()
                                + " (paste the whole key file).");
                    }
                    conn.put(f.name(), parsed);
                } else {
                    conn.put(f.name(), in.strip());
                }
            } else if (in.isBlank()) {
                conn.remove(f.name());
            } else {
                conn.put(f.name(), in.trim());
            }
        }
        if (before != null && !sameDestination(conn, before)) {
            for (Field f : k.fields()) {
                if (f.secret() && nz(params.apply(f.input(k))).isBlank() && before.containsKey(f.name())) {
                    throw new ConfigForm.FormException(f.input(k), "Type the " + f.label().toLowerCase(java.util.Locale.ROOT)
                            + " again: the connector's settings changed, and a stored secret is only ever sent where"
                            + " it was typed for.");
                }
            }
        }
        ds.put("connector", conn);
        List<Object> groups = new ArrayList<>();
        for (String line : nz(params.apply(REQUIRED_GROUPS)).split("\r?\n")) {
            if (!line.isBlank()) {
                groups.add(line.trim());
            }
        }
        if (groups.isEmpty()) {
            ds.remove("required_groups");
        } else {
            ds.put("required_groups", groups);
        }
        String onMissing = nz(params.apply(ON_MISSING)).trim();
        if (onMissing.isEmpty() || (onMissing.equals("deactivate") && !ds.containsKey("on_missing"))) {
            ds.remove("on_missing");
        } else {
            ds.put("on_missing", onMissing);
        }
        if (!nz(params.apply(REMOVE_GROUPS)).isEmpty()) {
            ds.put("remove_groups_on_cleanup", true);
        } else if (ds.containsKey("remove_groups_on_cleanup")) {
            ds.put("remove_groups_on_cleanup", false);
        }
        number(ds, "brake_percent", BRAKE_PERCENT, params);
        number(ds, "brake_count", BRAKE_COUNT, params);
        if (old == null) {
            c.put("directory_sync", ds);
        }
        return c;
    }

    private static void number(Map<String, Object> ds, String field, String input, Function<String, String> params)
            throws ConfigForm.FormException {
        String v = nz(params.apply(input)).trim();
        if (v.isEmpty()) {
            ds.remove(field);
        } else if (NUMBER.matcher(v).matches()) {
            ds.put(field, new JsonReader.Num(v));
        } else {
            throw new ConfigForm.FormException(input, "directory_sync." + field + ": not a number.");
        }
    }

    /**
     * The input that shows the core's error about {@code field} (a config path such as
     * {@code directory_sync.connector.base_url}), or null when the form has none for it.
     */
    static String inputFor(String field, String type) {
        if (field == null || !field.startsWith("directory_sync")) {
            return null;
        }
        String rest = field.equals("directory_sync") ? "" : field.substring("directory_sync".length());
        rest = rest.startsWith(".") ? rest.substring(1) : rest;
        if (rest.isEmpty() || rest.equals("connector") || rest.equals("connector.type")) {
            return KIND;
        }
        if (rest.startsWith("connector.")) {
            String name = rest.substring("connector.".length()).replaceAll("[.\\[].*$", "");
            Kind k = kind(type);
            Field f = k == null ? null : k.field(name);
            return f == null ? KIND : f.input(k);
        }
        String name = rest.replaceAll("[.\\[].*$", "");
        return switch (name) {
            case "required_groups" -> REQUIRED_GROUPS;
            case "on_missing" -> ON_MISSING;
            case "remove_groups_on_cleanup" -> REMOVE_GROUPS;
            case "brake_percent" -> BRAKE_PERCENT;
            case "brake_count" -> BRAKE_COUNT;
            default -> null;
        };
    }

    /** Whether {@code config} has a {@code directory_sync} section with a connector. */
    static boolean hasConnector(Map<String, Object> config) {
        Map<String, Object> ds = section(config);
        return ds != null && map(ds.get("connector")) != null;
    }

    /** A copy of {@code config} without the connector's secrets (for showing it). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> redacted(Map<String, Object> config) {
        Map<String, Object> c = (Map<String, Object>) Json.deepCopy(config);
        Map<String, Object> ds = section(c);
        Map<String, Object> conn = ds == null ? null : map(ds.get("connector"));
        if (conn != null) {
            conn.keySet().removeAll(SECRET_FIELDS);
        }
        return c;
    }

    /** Whether {@code config}'s connector holds a secret. */
    static boolean hasSecrets(Map<String, Object> config) {
        Map<String, Object> ds = section(config);
        Map<String, Object> conn = ds == null ? null : map(ds.get("connector"));
        return conn != null && conn.keySet().stream().anyMatch(SECRET_FIELDS::contains);
    }

    /**
     * Puts the stored connector's secrets into {@code posted} (in place) where its connector, of
     * the same kind and with the same settings otherwise, leaves them out: the full configuration
     * as shown has none. A connector whose settings changed (a URL, a tenant, a client id: where
     * and as whom the secret would be sent) gets none back, so a stored secret can never be
     * redirected to another host without being typed again.
     *
     * @return false when a stored secret was withheld for that reason (the admin must type it)
     */
    static boolean restoreSecrets(Map<String, Object> posted, Map<String, Object> stored) {
        Map<String, Object> pds = section(posted);
        Map<String, Object> sds = stored == null ? null : section(stored);
        Map<String, Object> pc = pds == null ? null : map(pds.get("connector"));
        Map<String, Object> sc = sds == null ? null : map(sds.get("connector"));
        if (pc == null || sc == null || !java.util.Objects.equals(pc.get("type"), sc.get("type"))) {
            return true;
        }
        boolean same = sameDestination(pc, sc);
        boolean withheld = false;
        for (String s : SECRET_FIELDS) {
            if (!pc.containsKey(s) && sc.containsKey(s)) {
                if (same) {
                    pc.put(s, Json.deepCopy(sc.get(s)));
                } else {
                    withheld = true;
                }
            }
        }
        return !withheld;
    }

    /**
     * Whether two connectors agree on every field but the secrets and {@code username_attribute}
     * (which only picks a field of the answer): a kept secret goes to the same place, as the same
     * client, as when it was typed.
     */
    private static boolean sameDestination(Map<String, Object> a, Map<String, Object> b) {
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        keys.removeAll(SECRET_FIELDS);
        keys.remove("username_attribute");
        for (String k : keys) {
            if (!text(a.get(k)).equals(text(b.get(k)))) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> config) {
        return config == null ? null : map(config.get("directory_sync"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : null;
    }

    private static String text(Object o) {
        if (o == null) {
            return "";
        }
        return o instanceof String s ? s : Json.write(o);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
