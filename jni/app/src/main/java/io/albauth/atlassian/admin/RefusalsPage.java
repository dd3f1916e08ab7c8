package io.albauth.atlassian.admin;

import io.albauth.servlet.RefusalLog;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * "Recent refusals": this node's last refused requests (what the log keeps: time, code, path,
 * support reference; no token, no user) and the verifier's counters since it started.
 */
final class RefusalsPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A counter: label and value. */
    record Counter(String id, String label, long value) {}

    /** {@code counters} null when the app is not configured (no verifier, nothing counted). */
    record Model(List<RefusalLog.Entry> refusals, List<Counter> counters, Map<String, Long> rejectedByCode) {}

    private RefusalsPage() {}

    static String render(Model m) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<p>The last refused requests on this node (at most 100, newest first). A user quoting a support"
                + " reference from the refusal page finds it here. Other nodes keep their own.</p>\n");
        if (m.refusals().isEmpty()) {
            b.append("<p id=\"no-refusals\">No request has been refused on this node since it started.</p>\n");
        } else {
            b.append("<table id=\"refusals\"><caption>Recent refusals</caption>\n<thead><tr>"
                    + "<th scope=\"col\">Time</th><th scope=\"col\">Status</th><th scope=\"col\">Code</th>"
                    + "<th scope=\"col\">Path</th><th scope=\"col\">Support reference</th></tr></thead>\n<tbody>\n");
            for (RefusalLog.Entry e : m.refusals()) {
                b.append("<tr><td>").append(Html.esc(e.time() == null ? "" : TIME.format(e.time())))
                        .append("</td><td>").append(e.status()).append("</td><td><code>").append(Html.esc(e.code()))
                        .append("</code></td><td><code>").append(Html.esc(e.path())).append("</code></td><td><code>")
                        .append(Html.esc(e.reference())).append("</code></td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        b.append("<h2>Counters</h2>\n");
        if (m.counters() == null) {
            b.append("<p id=\"no-counters\">albauth is not configured yet: nothing is counted.</p>\n");
            return b.toString();
        }
        b.append("<table id=\"counters\"><caption>Since the verifier started on this node</caption>\n<tbody>\n");
        for (Counter c : m.counters()) {
            b.append("<tr id=\"counter-").append(Html.esc(c.id())).append("\"><th scope=\"row\">")
                    .append(Html.esc(c.label())).append("</th><td>").append(c.value()).append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
        if (!m.rejectedByCode().isEmpty()) {
            b.append("<table id=\"rejected-by-code\"><caption>Rejected, by code</caption>\n<thead><tr>"
                    + "<th scope=\"col\">Code</th><th scope=\"col\">Requests</th></tr></thead>\n<tbody>\n");
            m.rejectedByCode().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> b.append("<tr><td><code>").append(Html.esc(e.getKey())).append("</code></td><td>")
                            .append(e.getValue()).append("</td></tr>\n"));
            b.append("</tbody></table>\n");
        }
        return b.toString();
    }
}
