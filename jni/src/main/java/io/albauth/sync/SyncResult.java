package io.albauth.sync;

import io.albauth.provision.JsonText;

import java.util.List;

/**
 * What {@link SyncApplier#apply} did: how many actions applied, and each that failed.
 *
 * @param plan the plan applied
 * @param applied the actions applied
 * @param failed the actions that failed, in plan order
 */
public record SyncResult(SyncPlan plan, int applied, List<Failure> failed) {
    public SyncResult {
        failed = List.copyOf(failed);
    }

    /**
     * One failed action.
     *
     * @param index the action's index in the plan
     * @param action the action's name
     * @param message why, without personal data
     */
    public record Failure(int index, String action, String message) {}

    /** {@code {"summary": {...}, "applied": n, "failed": [{"index", "action", "message"}]}}. */
    public String json() {
        StringBuilder sb = new StringBuilder("{\"summary\":{");
        boolean first = true;
        for (var e : plan.summary().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            JsonText.quote(sb, e.getKey());
            sb.append(':').append(e.getValue());
        }
        sb.append("},\"applied\":").append(applied).append(",\"failed\":[");
        for (int i = 0; i < failed.size(); i++) {
            Failure f = failed.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"index\":").append(f.index()).append(",\"action\":");
            JsonText.quote(sb, f.action());
            sb.append(",\"message\":");
            JsonText.quote(sb, f.message());
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    @Override
    public String toString() {
        return "SyncResult[" + applied + " applied, " + failed.size() + " failed]";
    }
}
