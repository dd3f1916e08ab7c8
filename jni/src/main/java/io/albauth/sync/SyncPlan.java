package io.albauth.sync;

import io.albauth.json.JsonReader;
import io.albauth.provision.ProvisioningAction.Change;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A full directory sync plan, as {@code io.albauth.AlbAuth.syncPlan} returns it: the report the
 * core wrote, parsed. {@link #json()} is the raw report. {@code toString()} gives counts only.
 */
public final class SyncPlan {
    private final String json;
    private final Map<String, Long> summary;
    private final List<SyncAction> actions;
    private final String refused;
    private final String detail;
    private final long pages;
    private final long throttleWaits;
    private final long durationMs;
    private final List<String> conflicts;

    private SyncPlan(String json, Map<String, Long> summary, List<SyncAction> actions, String refused,
            String detail, long pages, long throttleWaits, long durationMs, List<String> conflicts) {
        this.conflicts = conflicts;
        this.json = json;
        this.summary = summary;
        this.actions = actions;
        this.refused = refused;
        this.detail = detail;
        this.pages = pages;
        this.throttleWaits = throttleWaits;
        this.durationMs = durationMs;
    }

    /** Parses a report ({@code {"summary", "actions", "pages", ...}}). */
    public static SyncPlan parse(String json) {
        Object root = JsonReader.parse(json);
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException("a sync report is a JSON object");
        }
        Map<?, ?> m = (Map<?, ?>) root;
        Map<String, Long> summary = new LinkedHashMap<>();
        if (m.get("summary") instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("summary")).entrySet()) {
                summary.put((String) e.getKey(), num(e.getValue()));
            }
        }
        List<SyncAction> actions = new ArrayList<>();
        if (m.get("actions") instanceof List) {
            for (Object o : (List<?>) m.get("actions")) {
                if (!(o instanceof Map)) {
                    throw new IllegalArgumentException("a sync action is a JSON object");
                }
                actions.add(action((Map<?, ?>) o));
            }
        }
        List<String> conflicts = new ArrayList<>();
        if (m.get("conflicts") instanceof List) {
            for (Object o : (List<?>) m.get("conflicts")) {
                if (o instanceof String) {
                    conflicts.add((String) o);
                }
            }
        }
        return new SyncPlan(json, Collections.unmodifiableMap(summary), Collections.unmodifiableList(actions),
                str(m.get("refused")), str(m.get("detail")), num(m.get("pages")), num(m.get("throttle_waits")),
                num(m.get("duration_ms")), Collections.unmodifiableList(conflicts));
    }

    private static SyncAction action(Map<?, ?> a) {
        Map<String, Change> changes = new LinkedHashMap<>();
        if (a.get("changes") instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) a.get("changes")).entrySet()) {
                Map<?, ?> c = e.getValue() instanceof Map ? (Map<?, ?>) e.getValue() : Map.of();
                changes.put((String) e.getKey(), new Change(str(c.get("old")), str(c.get("new"))));
            }
        }
        String name = str(a.get("action"));
        String username = str(a.get("username"));
        if (name == null || username == null) {
            throw new IllegalArgumentException("a sync action needs `action` and `username`");
        }
        return new SyncAction(name, username, str(a.get("idp_id")), str(a.get("group")), changes,
                str(a.get("display_name")), str(a.get("email")), str(a.get("reason")));
    }

    private static String str(Object o) {
        return o instanceof String ? (String) o : null;
    }

    private static long num(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }

    /**
     * The usernames the plan left alone because acting would be ambiguous or take over another
     * account: two IdP users for one host name, a recycled name, a name another directory holds.
     */
    public List<String> conflicts() {
        return conflicts;
    }

    /** The count of one summary key ({@code create}, {@code update}, ... {@code group_remove}); 0 if absent. */
    public long count(String key) {
        return summary.getOrDefault(key, 0L);
    }

    /** The summary counts, by key. */
    public Map<String, Long> summary() {
        return summary;
    }

    /** The actions, in the order to apply them. */
    public List<SyncAction> actions() {
        return actions;
    }

    /** Null, or why the plan must not be applied: {@code brake} or {@code incomplete_listing}. */
    public String refused() {
        return refused;
    }

    /** The refusal's detail, or null. */
    public String detail() {
        return detail;
    }

    /** Listing pages read. */
    public long pages() {
        return pages;
    }

    /** Times the connector waited on the IdP's throttle. */
    public long throttleWaits() {
        return throttleWaits;
    }

    /** How long the listing and the planning took. */
    public long durationMs() {
        return durationMs;
    }

    /** The raw report JSON. */
    public String json() {
        return json;
    }

    @Override
    public String toString() {
        return "SyncPlan[" + actions.size() + " actions" + (refused == null ? "" : ", refused: " + refused) + "]";
    }
}
