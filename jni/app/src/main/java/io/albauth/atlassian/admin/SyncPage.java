package io.albauth.atlassian.admin;

import io.albauth.atlassian.BackgroundSync;
import io.albauth.sync.SyncAction;
import io.albauth.sync.SyncJob;
import io.albauth.sync.SyncPlan;
import io.albauth.sync.SyncResult;
import io.albauth.sync.SyncRun;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * "Directory sync" ({@code /sync}): the connector settings (secrets write-only), Preview (a dry
 * run: the plan as a table with its counts), Run now (and, after the brake refused a plan, a
 * confirmed run past it), the schedule, and the last runs with their reports. Every value from
 * the IdP (usernames, names, groups, reasons) is escaped: the IdP's data is not trusted.
 */
final class SyncPage {
    /** The summary keys, in the order shown. */
    static final List<String> COUNTS = List.of("create", "update", "reactivate", "deactivate", "delete", "anonymize",
            "group_add", "group_remove");
    /** Rows of a plan shown at most; the report JSON has them all. */
    static final int MAX_ROWS = 1000;
    static final String SCHEDULE = "schedule";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /**
     * What the page shows; nulls for what it does not.
     *
     * @param configured whether a configuration is stored (the form can be saved)
     * @param syncConfigured whether it has a {@code directory_sync} connector (Preview and Run now can run)
     * @param shown the run to show at the top of its section: the one Preview or Run now started,
     *     once it ended (or, for a confirmation left unticked, the run the brake refused)
     * @param shownAction {@code preview}, {@code run} or {@code force}
     * @param actionError why a Preview/Run request was refused
     * @param running the run started from this page that is still queued or running, or null:
     *     then the page shows its progress and Preview and Run now are disabled
     */
    record Model(String base, String xsrf, long version, boolean configured, boolean syncConfigured, SyncForm form,
            Map<String, String> errors, String formError, String saved, String schedule, String scheduleValue,
            String scheduleError, String scheduleSaved, SyncRun shown, String shownAction, String actionError,
            BackgroundSync.Status running, List<SyncRun> runs) {}

    private SyncPage() {}

    static String render(Model m) {
        StringBuilder b = new StringBuilder(16384);
        b.append("<p>Full directory sync reads every user of the identity provider's directory and plans the host's"
                + " directory against it: creates, updates, reactivates, and deactivates (or deletes, or anonymizes)"
                + " leavers. Preview shows the plan without applying anything; the brake refuses a plan that would"
                + " remove too many users.</p>\n");
        if (m.saved() != null) {
            b.append("<div class=\"status ok\" role=\"status\" id=\"sync-saved\"><p>").append(Html.esc(m.saved()))
                    .append("</p></div>\n");
        }
        settings(b, m);
        b.append("<h2 id=\"h-run\">Preview and run</h2>\n");
        b.append("<div class=\"error-summary\" id=\"err-run\" role=\"alert\">");
        if (m.actionError() != null) {
            b.append("<p>").append(Html.esc(m.actionError())).append("</p>");
        }
        b.append("</div>\n");
        if (m.running() != null) {
            running(b, m.running());
        }
        boolean can = m.syncConfigured() && m.running() == null;
        b.append("<form method=\"post\" action=\"").append(Html.esc(m.base())).append("/sync\" id=\"sync-run\">\n");
        hidden(b, m);
        b.append("<button type=\"submit\" id=\"preview\" name=\"action\" value=\"preview\"")
                .append(can ? "" : " disabled").append(">Preview</button>\n")
                .append("<button type=\"submit\" id=\"run-now\" name=\"action\" value=\"run\"")
                .append(can ? "" : " disabled").append(">Run now</button>\n");
        b.append("<p class=\"hint\" id=\"hint-run\">").append(!m.syncConfigured()
                ? "Save the connector settings above first."
                : m.running() != null ? "Preview and Run now are available again when the run above ends."
                : "Preview is a dry run: it lists the directory and plans, and applies nothing. Run now applies the"
                        + " plan (unless the brake refuses it). Both run in the background: large directories take"
                        + " a while, and this page shows the progress.").append("</p>\n");
        b.append("</form>\n");
        if (m.shown() != null) {
            String title = switch (m.shownAction() == null ? "" : m.shownAction()) {
                case "preview" -> "Preview (dry run: nothing was applied)";
                case "force" -> "Run now, past the brake";
                default -> "Run now";
            };
            b.append("<section id=\"sync-result\" aria-labelledby=\"h-result\"><h3 id=\"h-result\">")
                    .append(Html.esc(title)).append("</h3>\n");
            report(b, m.shown(), "result");
            if (m.shown().plan() != null && "brake".equals(m.shown().plan().refused())) {
                force(b, m);
            }
            b.append("</section>\n");
        }
        schedule(b, m);
        runs(b, m);
        return b.toString();
    }

    // --- connector settings ----------------------------------------------------------------------

    private static void settings(StringBuilder b, Model m) {
        SyncForm f = m.form();
        b.append("<h2 id=\"h-settings\">Connector settings</h2>\n");
        b.append("<div class=\"error-summary\" id=\"err-sync-form\" role=\"alert\">");
        if (m.formError() != null) {
            b.append("<p>").append(Html.esc(m.formError())).append("</p>");
        }
        b.append("</div>\n");
        if (!m.configured()) {
            b.append("<p class=\"status\" id=\"sync-not-configured\">albauth is not configured yet: save a"
                    + " configuration on the setup page first.</p>\n");
        }
        b.append("<form method=\"post\" action=\"").append(Html.esc(m.base()))
                .append("/sync\" id=\"sync-settings\" novalidate>\n");
        hidden(b, m);
        b.append("<input type=\"hidden\" name=\"action\" value=\"save\">\n");
        b.append("<fieldset><legend>Identity provider directory</legend>\n");
        b.append("<div class=\"field\"><label for=\"").append(SyncForm.KIND).append("\">Connector</label>\n<select id=\"")
                .append(SyncForm.KIND).append("\" name=\"").append(SyncForm.KIND).append('"')
                .append(describedBy(m, SyncForm.KIND)).append(">\n");
        option(b, SyncForm.NONE, "None (no directory sync)", f.value(SyncForm.KIND));
        for (SyncForm.Kind k : SyncForm.KINDS) {
            option(b, k.type(), k.label(), f.value(SyncForm.KIND));
        }
        b.append("</select>\n");
        hint(b, SyncForm.KIND, "The directory albauth reads (directory_sync.connector). None removes the section.");
        error(b, m, SyncForm.KIND);
        b.append("</div>\n");
        for (SyncForm.Kind k : SyncForm.KINDS) {
            boolean chosen = k.type().equals(f.value(SyncForm.KIND));
            b.append("<fieldset class=\"connector\" id=\"connector-").append(k.type()).append("\" data-kind=\"")
                    .append(k.type()).append('"').append(chosen ? "" : " hidden").append("><legend>")
                    .append(Html.esc(k.label())).append("</legend>\n");
            for (SyncForm.Field fd : k.fields()) {
                String in = fd.input(k);
                if (fd.secret()) {
                    secret(b, m, in, fd);
                } else {
                    text(b, m, in, fd.label(), fd.hint() + " (directory_sync.connector." + fd.name() + ")",
                            f.value(in));
                }
            }
            b.append("</fieldset>\n");
        }
        b.append("</fieldset>\n");

        b.append("<fieldset><legend>Sync rules</legend>\n");
        b.append("<div class=\"field\"><label for=\"").append(SyncForm.REQUIRED_GROUPS)
                .append("\">Required groups</label>\n<textarea id=\"").append(SyncForm.REQUIRED_GROUPS)
                .append("\" name=\"").append(SyncForm.REQUIRED_GROUPS).append("\" rows=\"3\" spellcheck=\"false\"")
                .append(describedBy(m, SyncForm.REQUIRED_GROUPS)).append(">\n")
                .append(Html.esc(f.value(SyncForm.REQUIRED_GROUPS))).append("</textarea>\n");
        hint(b, SyncForm.REQUIRED_GROUPS, "IdP group ids, one per line: only their members are synced (nested"
                + " membership counts). Empty: every user.");
        error(b, m, SyncForm.REQUIRED_GROUPS);
        b.append("</div>\n");
        b.append("<div class=\"field\"><label for=\"").append(SyncForm.ON_MISSING)
                .append("\">Users gone from the IdP</label>\n<select id=\"").append(SyncForm.ON_MISSING)
                .append("\" name=\"").append(SyncForm.ON_MISSING).append('"')
                .append(describedBy(m, SyncForm.ON_MISSING)).append(">\n");
        String onMissing = f.value(SyncForm.ON_MISSING).isEmpty() ? "deactivate" : f.value(SyncForm.ON_MISSING);
        for (String v : SyncForm.ON_MISSING_VALUES) {
            option(b, v, v, onMissing);
        }
        if (!SyncForm.ON_MISSING_VALUES.contains(onMissing)) {
            option(b, onMissing, onMissing, onMissing);
        }
        b.append("</select>\n");
        hint(b, SyncForm.ON_MISSING, "directory_sync.on_missing: deactivate (default), delete, anonymize, or keep.");
        error(b, m, SyncForm.ON_MISSING);
        b.append("</div>\n");
        b.append("<div class=\"check\"><input type=\"checkbox\" id=\"").append(SyncForm.REMOVE_GROUPS)
                .append("\" name=\"").append(SyncForm.REMOVE_GROUPS).append('"')
                .append(f.value(SyncForm.REMOVE_GROUPS).isEmpty() ? "" : " checked")
                .append(describedBy(m, SyncForm.REMOVE_GROUPS)).append("><label for=\"")
                .append(SyncForm.REMOVE_GROUPS).append("\">Remove a removed user's managed groups"
                        + " (directory_sync.remove_groups_on_cleanup)</label>");
        error(b, m, SyncForm.REMOVE_GROUPS);
        b.append("</div>\n");
        text(b, m, SyncForm.BRAKE_PERCENT, "Brake: percent", "Refuse a plan removing more than this percentage of"
                + " the synced users (directory_sync.brake_percent, 0 to 100; default 10).",
                f.value(SyncForm.BRAKE_PERCENT));
        text(b, m, SyncForm.BRAKE_COUNT, "Brake: count", "Refuse a plan removing more than this many users"
                + " (directory_sync.brake_count; empty: no limit by count).", f.value(SyncForm.BRAKE_COUNT));
        b.append("</fieldset>\n");
        b.append("<button type=\"submit\" id=\"save-sync\"").append(m.configured() ? "" : " disabled")
                .append(">Save connector settings</button>\n</form>\n");
    }

    private static void secret(StringBuilder b, Model m, String in, SyncForm.Field fd) {
        boolean stored = m.form().secretStored(in);
        String hint = fd.hint() + " (directory_sync.connector." + fd.name() + ") "
                + (stored ? "A value is stored; it is never shown. Leave this empty to keep it, or type a new one to"
                        + " replace it." : "None is stored yet.");
        b.append("<div class=\"field\"><label for=\"").append(in).append("\">").append(Html.esc(fd.label()))
                .append("</label>\n");
        if (fd.multiline()) {
            b.append("<textarea id=\"").append(in).append("\" name=\"").append(in)
                    .append("\" rows=\"4\" spellcheck=\"false\" autocomplete=\"off\" data-secret=\"true\"")
                    .append(describedBy(m, in)).append("></textarea>\n");
        } else {
            b.append("<input type=\"password\" id=\"").append(in).append("\" name=\"").append(in)
                    .append("\" value=\"\" autocomplete=\"new-password\" spellcheck=\"false\" data-secret=\"true\"")
                    .append(describedBy(m, in)).append(">\n");
        }
        hint(b, in, hint);
        error(b, m, in);
        b.append("</div>\n");
    }

    // --- runs ------------------------------------------------------------------------------------

    /** The run in progress: "Preview running: planning — listing the directory…", "Run now: applying 40 of 120". */
    private static void running(StringBuilder b, BackgroundSync.Status s) {
        String title = switch (s.action()) {
            case "preview" -> "Preview running";
            case "force" -> "Run now, past the brake";
            default -> "Run now";
        };
        SyncJob.Running r = s.running();
        String what = r == null ? "starting…"
                : "planning".equals(r.phase()) ? "planning — listing the directory…" : r.toString();
        b.append("<div class=\"status\" role=\"status\" id=\"sync-running\" data-phase=\"")
                .append(Html.esc(r == null ? "starting" : r.phase())).append("\"><p><strong>").append(Html.esc(title))
                .append("</strong>: <span id=\"sync-progress\">").append(Html.esc(what)).append("</span></p>")
                .append("<p class=\"hint\">Started ").append(Html.esc(TIME.format(r == null ? s.queuedAt()
                        : r.startedAt()))).append(". This page reloads itself every 2 seconds and shows the result"
                        + " when the run ends; leaving it does not stop the run.</p></div>\n");
    }

    private static void force(StringBuilder b, Model m) {
        b.append("<form method=\"post\" action=\"").append(Html.esc(m.base()))
                .append("/sync\" id=\"sync-force\">\n");
        hidden(b, m);
        b.append("<div class=\"check\"><input type=\"checkbox\" id=\"force_confirm\" name=\"confirm\" value=\"yes\""
                + " required aria-describedby=\"hint-force\"><label for=\"force_confirm\">I have checked the plan"
                + " above: apply it although the brake refused it</label></div>\n");
        b.append("<p class=\"hint\" id=\"hint-force\">Runs the sync again with the brake overridden (force): the"
                + " directory is listed and planned again, and that plan is applied, removals included, only if it"
                + " removes no more users than the plan above; otherwise it is refused again, to be reviewed. The"
                + " override is offered for 15 minutes after the refusal.</p>\n");
        b.append("<button type=\"submit\" id=\"run-force\" name=\"action\" value=\"force\">Run now, override the"
                + " brake</button>\n</form>\n");
    }

    /** One run: status, counts, what to do about a refusal, the failed actions, the plan. */
    static void report(StringBuilder b, SyncRun r, String id) {
        String cls = switch (r.status()) {
            case "applied", "dry_run" -> "status ok";
            case "skipped" -> "status";
            default -> "status bad";
        };
        b.append("<div class=\"").append(cls).append("\" id=\"").append(id).append("-status\"")
                .append(cls.equals("status bad") ? " role=\"alert\"" : " role=\"status\"").append("><p><strong>")
                .append(Html.esc(r.status())).append("</strong>: ").append(Html.esc(r.message())).append("</p>");
        SyncPlan p = r.plan();
        if (p != null && "brake".equals(p.refused())) {
            b.append("<p id=\"").append(id).append("-refused\">refused: brake. ")
                    .append(Html.esc(sentence(p.detail() == null ? "The plan removes more users than the brake"
                            + " allows" : p.detail())))
                    .append(" Nothing was applied. If these removals are expected (a reorganisation, a cleanup),"
                            + " check the plan below, then use \u201cRun now, override the brake\u201d, or raise"
                            + " the brake (percent or count) in the connector settings. If they are not, check the"
                            + " required groups and the IdP first.</p>");
        } else if (p != null && "incomplete_listing".equals(p.refused())) {
            b.append("<p id=\"").append(id).append("-refused\">refused: incomplete_listing. The IdP's listing was"
                    + " incomplete (an error after retries, a malformed answer, or a required group that does not"
                    + " exist), so nothing was planned and nothing was applied: albauth never removes anyone on a"
                    + " partial listing. ").append(Html.esc(p.detail() == null ? "" : sentence(p.detail()) + " "))
                    .append("Check that every required group exists in the IdP and that the IdP answers, then"
                            + " Preview again.</p>");
        } else if (p != null && p.refused() != null) {
            b.append("<p id=\"").append(id).append("-refused\">refused: ").append(Html.esc(p.refused())).append(". ")
                    .append(Html.esc(p.detail())).append("</p>");
        }
        b.append("<p class=\"hint\">").append(Html.esc(r.at() == null ? "" : TIME.format(r.at())));
        if (p != null) {
            b.append(" \u00b7 ").append(p.pages()).append(" pages, ").append(p.throttleWaits())
                    .append(" throttled, ").append(p.durationMs()).append(" ms");
        }
        b.append("</p></div>\n");
        SyncResult res = r.result();
        if (res != null) {
            b.append("<p id=\"").append(id).append("-applied\">Applied: <strong>").append(res.applied())
                    .append("</strong> actions; failed: <strong>").append(res.failed().size())
                    .append("</strong>.</p>\n");
            if (!res.failed().isEmpty()) {
                b.append("<table id=\"").append(id).append("-failed\"><caption>Failed actions (the others were"
                        + " applied)</caption>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Action</th>"
                        + "<th scope=\"col\">Username</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
                for (SyncResult.Failure f : res.failed()) {
                    String user = p != null && f.index() >= 0 && f.index() < p.actions().size()
                            ? p.actions().get(f.index()).username() : "";
                    b.append("<tr class=\"fail\"><td>").append(f.index() + 1).append("</td><td><code>")
                            .append(Html.esc(f.action())).append("</code></td><td>").append(Html.esc(user))
                            .append("</td><td>").append(Html.esc(f.message())).append("</td></tr>\n");
                }
                b.append("</tbody></table>\n");
            }
        }
        if (p != null) {
            plan(b, p, id);
        }
    }

    /** The counts per action, then the actions. */
    static void plan(StringBuilder b, SyncPlan p, String id) {
        b.append("<table class=\"counts\" id=\"").append(id).append("-summary\"><caption>Summary</caption>\n<tbody>\n");
        for (String k : COUNTS) {
            b.append("<tr data-count=\"").append(k).append("\"><th scope=\"row\">").append(Html.esc(k))
                    .append("</th><td>").append(p.count(k)).append("</td></tr>\n");
        }
        for (Map.Entry<String, Long> e : p.summary().entrySet()) {
            if (!COUNTS.contains(e.getKey())) {
                b.append("<tr data-count=\"").append(Html.esc(e.getKey())).append("\"><th scope=\"row\">")
                        .append(Html.esc(e.getKey())).append("</th><td>").append(e.getValue()).append("</td></tr>\n");
            }
        }
        b.append("</tbody></table>\n");
        conflicts(b, p, id);
        List<SyncAction> actions = p.actions();
        if (actions.isEmpty()) {
            b.append("<p id=\"").append(id).append("-nothing\">").append(p.conflicts().isEmpty()
                    ? "Nothing to do: the host's directory matches the IdP."
                    : "Nothing else to do: apart from the usernames left alone, the host's directory matches the IdP.")
                    .append("</p>\n");
            return;
        }
        b.append("<table class=\"plan\" id=\"").append(id).append("-actions\"><caption>The plan (")
                .append(actions.size()).append(actions.size() == 1 ? " action" : " actions")
                .append(")</caption>\n<thead><tr><th scope=\"col\">Action</th><th scope=\"col\">Username</th>"
                        + "<th scope=\"col\">Changes</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
        int n = Math.min(actions.size(), MAX_ROWS);
        for (int i = 0; i < n; i++) {
            SyncAction a = actions.get(i);
            b.append("<tr data-action=\"").append(Html.esc(a.name())).append("\"><td><code>")
                    .append(Html.esc(a.name())).append("</code></td><td class=\"username\">")
                    .append(Html.esc(a.username())).append("</td><td class=\"changes\">");
            changes(b, a);
            b.append("</td><td>").append(Html.esc(a.reason())).append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
        if (actions.size() > MAX_ROWS) {
            b.append("<p class=\"hint\" id=\"").append(id).append("-more\">The first ").append(MAX_ROWS).append(" of ")
                    .append(actions.size()).append(" actions are shown; the counts above cover them all.</p>\n");
        }
    }

    /**
     * The usernames the plan left alone (two IdP users for one account, a name another account
     * or another directory holds): nothing is done for them until the admin sorts them out.
     */
    private static void conflicts(StringBuilder b, SyncPlan p, String id) {
        List<String> names = p.conflicts();
        if (names.isEmpty()) {
            return;
        }
        b.append("<div class=\"status warn\" id=\"").append(id).append("-conflicts\"><p><strong>Left alone (")
                .append(names.size()).append(names.size() == 1 ? " username" : " usernames")
                .append(")</strong>: acting would be ambiguous or take over another account: two IdP users for"
                        + " one host account, or an IdP user whose username another account (another directory's,"
                        + " such as LDAP, or a previous holder of the name) already has. Nothing is planned for"
                        + " them; rename or link the accounts to resolve it.</p>\n<ul>\n");
        int n = Math.min(names.size(), MAX_ROWS);
        for (int i = 0; i < n; i++) {
            b.append("<li>").append(Html.esc(names.get(i))).append("</li>\n");
        }
        if (names.size() > n) {
            b.append("<li>… and ").append(names.size() - n).append(" more</li>\n");
        }
        b.append("</ul></div>\n");
    }

    private static void changes(StringBuilder b, SyncAction a) {
        boolean first = true;
        if (a.group() != null) {
            b.append("group: ").append(Html.esc(a.group()));
            first = false;
        }
        if (a.displayName() != null) {
            b.append(first ? "" : "<br>").append("display name: ").append(Html.esc(a.displayName()));
            first = false;
        }
        if (a.email() != null) {
            b.append(first ? "" : "<br>").append("e-mail: ").append(Html.esc(a.email()));
            first = false;
        }
        for (var e : a.changes().entrySet()) {
            b.append(first ? "" : "<br>").append(Html.esc(e.getKey())).append(": ")
                    .append(e.getValue().oldValue() == null ? "(none)" : Html.esc(e.getValue().oldValue()))
                    .append(" \u2192 ")
                    .append(e.getValue().newValue() == null ? "(none)" : Html.esc(e.getValue().newValue()));
            first = false;
        }
    }

    // --- schedule and last runs -------------------------------------------------------------------

    private static void schedule(StringBuilder b, Model m) {
        b.append("<h2 id=\"h-schedule\">Schedule</h2>\n");
        if (m.scheduleSaved() != null) {
            b.append("<div class=\"status ok\" role=\"status\" id=\"schedule-saved\"><p>")
                    .append(Html.esc(m.scheduleSaved())).append("</p></div>\n");
        }
        b.append("<p id=\"schedule-current\">").append(m.schedule() == null
                ? "Not scheduled: the sync runs only when started here."
                : "Current schedule: <code>" + Html.esc(m.schedule()) + "</code> (one node of the cluster runs it).")
                .append("</p>\n");
        b.append("<form method=\"post\" action=\"").append(Html.esc(m.base()))
                .append("/sync\" id=\"sync-schedule\" novalidate>\n");
        hidden(b, m);
        b.append("<input type=\"hidden\" name=\"action\" value=\"schedule\">\n");
        String value = m.scheduleValue() != null ? m.scheduleValue() : m.schedule() == null ? "" : m.schedule();
        text(b, m, SCHEDULE, "Schedule", "every 15m, every 6h, every 1d, or a five-field cron line (0 2 * * *,"
                + " UTC). Empty: not scheduled.", value);
        b.append("<button type=\"submit\" id=\"save-schedule\">Save schedule</button>\n</form>\n");
    }

    private static void runs(StringBuilder b, Model m) {
        b.append("<h2 id=\"h-runs\">Last runs</h2>\n");
        if (m.runs().isEmpty()) {
            b.append("<p id=\"no-runs\">No sync has run on this node since it started.</p>\n");
            return;
        }
        b.append("<table id=\"sync-runs\"><caption>The last runs on this node, newest first</caption>\n<thead><tr>"
                + "<th scope=\"col\">Time</th><th scope=\"col\">Status</th><th scope=\"col\">Message</th>"
                + "<th scope=\"col\">Report</th></tr></thead>\n<tbody>\n");
        int i = 0;
        for (SyncRun r : m.runs()) {
            String id = "run-" + i++;
            b.append("<tr id=\"").append(id).append("\"><td>").append(Html.esc(r.at() == null ? "" : TIME.format(r.at())))
                    .append("</td><td class=\"run-status\"><code>").append(Html.esc(r.status()))
                    .append("</code></td><td class=\"run-message\">").append(Html.esc(r.message()))
                    .append("</td><td><details id=\"").append(id).append("-report\"><summary>Report</summary>\n");
            report(b, r, id);
            b.append("</details></td></tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    /** {@code s} ending with a full stop. */
    private static String sentence(String s) {
        String t = s.strip();
        return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }

    // --- plumbing ----------------------------------------------------------------------------------

    private static void hidden(StringBuilder b, Model m) {
        b.append("<input type=\"hidden\" name=\"").append(XsrfTokens.FIELD).append("\" value=\"")
                .append(Html.esc(m.xsrf())).append("\">\n<input type=\"hidden\" name=\"version\" value=\"")
                .append(m.version()).append("\">\n");
    }

    private static void option(StringBuilder b, String value, String label, String selected) {
        b.append("<option value=\"").append(Html.esc(value)).append('"').append(value.equals(selected) ? " selected" : "")
                .append('>').append(Html.esc(label)).append("</option>\n");
    }

    private static void text(StringBuilder b, Model m, String in, String label, String hint, String value) {
        b.append("<div class=\"field\"><label for=\"").append(in).append("\">").append(Html.esc(label))
                .append("</label>\n<input type=\"text\" id=\"").append(in).append("\" name=\"").append(in)
                .append("\" value=\"").append(Html.esc(value)).append("\" autocomplete=\"off\" spellcheck=\"false\"")
                .append(describedBy(m, in)).append(">\n");
        hint(b, in, hint);
        error(b, m, in);
        b.append("</div>\n");
    }

    private static void hint(StringBuilder b, String in, String hint) {
        b.append("<p class=\"hint\" id=\"hint-").append(in).append("\">").append(Html.esc(hint)).append("</p>\n");
    }

    private static void error(StringBuilder b, Model m, String in) {
        b.append("<p class=\"error\" id=\"err-").append(in).append("\" role=\"alert\">")
                .append(Html.esc(m.errors().get(in))).append("</p>\n");
    }

    private static String describedBy(Model m, String in) {
        return " aria-describedby=\"hint-" + in + " err-" + in + "\"" + (m.errors().containsKey(in)
                ? " aria-invalid=\"true\"" : "");
    }
}
