package io.albauth.atlassian.admin;

import java.util.List;

/**
 * "Test a login": the admin's own request through every check, what identity it yields and
 * what provisioning would do, changing nothing. A support ticket quotes this page, so it shows
 * no token and no claim value except the admin's own username: for the rest, only whether a
 * claim is present and how many groups there are.
 */
final class TestLoginPage {
    /** One line of the check trace: result ({@code pass}, {@code FAIL}, ...), check name, detail. */
    record TraceLine(String result, String check, String detail) {
        /** Splits a trace line ("pass     signer   detail..."); a line of another shape is all detail. */
        static TraceLine parse(String line) {
            String[] p = line.trim().split("\\s+", 3);
            if (p.length >= 2 && p[0].matches("[A-Za-z]+")) {
                return new TraceLine(p[0], p[1], p.length == 3 ? p[2] : "");
            }
            return new TraceLine("", "", line.trim());
        }
    }

    /** One planned action, by name and reason only. */
    record PlannedAction(String name, String reason) {}

    /**
     * What the page shows. {@code outcome}: authenticated, anonymous or rejected (null when the
     * checks could not run, with {@code problem} saying why). {@code plan}: null with
     * {@code planNote} saying why there is none.
     */
    record Model(String base, List<String> headersPresent, List<String> headersAbsent, String outcome,
            String errorCode, List<TraceLine> trace, String username, boolean sameAsSignedIn,
            boolean displayNamePresent, boolean emailPresent, int groups, String planRefused,
            List<PlannedAction> plan, String planNote, String problem) {}

    private TestLoginPage() {}

    static String render(Model m) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<p>Your own request, as the load balancer forwarded it, run through every check."
                + " Nothing is changed. This page never shows a token or a claim value other than your own"
                + " username, so it can be quoted in a support ticket.</p>\n");
        b.append("<h2>Headers</h2>\n<ul id=\"headers\">\n");
        for (String h : m.headersPresent()) {
            b.append("<li><code>").append(Html.esc(h)).append("</code>: present</li>\n");
        }
        for (String h : m.headersAbsent()) {
            b.append("<li><code>").append(Html.esc(h)).append("</code>: absent</li>\n");
        }
        b.append("</ul>\n");
        if (m.problem() != null) {
            b.append("<p class=\"status bad\" role=\"alert\" id=\"problem\">").append(Html.esc(m.problem()))
                    .append("</p>\n");
            return b.toString();
        }
        b.append("<h2>Checks</h2>\n<p id=\"outcome\">Outcome: <strong>").append(Html.esc(m.outcome()))
                .append("</strong>");
        if (m.errorCode() != null) {
            b.append(" (<code>").append(Html.esc(m.errorCode())).append("</code>)");
        }
        b.append("</p>\n");
        b.append("<table id=\"trace\"><caption>Each check, in the order albauth runs them</caption>\n"
                + "<thead><tr><th scope=\"col\">Result</th><th scope=\"col\">Check</th><th scope=\"col\">Detail</th>"
                + "</tr></thead>\n<tbody>\n");
        for (TraceLine t : m.trace()) {
            String cls = t.result().equalsIgnoreCase("pass") ? "pass" : t.result().equalsIgnoreCase("fail") ? "fail" : "";
            b.append("<tr class=\"").append(cls).append("\"><td>").append(Html.esc(t.result())).append("</td><td><code>")
                    .append(Html.esc(t.check())).append("</code></td><td>").append(Html.esc(t.detail()))
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
        if (m.username() != null) {
            b.append("<h2>Identity</h2>\n<dl id=\"identity\">\n<dt>Username</dt><dd>").append(Html.esc(m.username()))
                    .append(m.sameAsSignedIn() ? " (the account you are signed in as)"
                            : " (not the account you are signed in as)")
                    .append("</dd>\n<dt>Display name</dt><dd>").append(m.displayNamePresent() ? "present" : "absent")
                    .append("</dd>\n<dt>E-mail</dt><dd>").append(m.emailPresent() ? "present" : "absent")
                    .append("</dd>\n<dt>IdP groups</dt><dd>").append(m.groups()).append("</dd>\n</dl>\n");
        }
        b.append("<h2>Provisioning</h2>\n");
        if (m.plan() == null) {
            b.append("<p id=\"plan-note\">").append(Html.esc(m.planNote())).append("</p>\n");
        } else if (m.planRefused() != null) {
            b.append("<p id=\"plan-refused\">This login would be refused: <code>").append(Html.esc(m.planRefused()))
                    .append("</code>. ").append(Html.esc(refusalText(m.planRefused()))).append("</p>\n");
        } else if (m.plan().isEmpty()) {
            b.append("<p id=\"plan-none\">Nothing to change: the account matches the IdP.</p>\n");
        } else {
            b.append("<table id=\"plan\"><caption>What this login would change (not applied)</caption>\n"
                    + "<thead><tr><th scope=\"col\">Action</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n");
            for (PlannedAction a : m.plan()) {
                b.append("<tr><td><code>").append(Html.esc(a.name())).append("</code></td><td>")
                        .append(Html.esc(a.reason())).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        return b.toString();
    }

    /** One sentence per refusal code of a plan or of the seat check. */
    static String refusalText(String code) {
        return switch (code) {
            case "user_inactive" -> "The account is deactivated and reactivating users is off.";
            case "unknown_user" -> "There is no account for this user and creating users is off.";
            case "not_allowed" -> "The user is in none of the groups required to sign in.";
            case "record_mismatch" -> "The account with this username belongs to another IdP user.";
            case "no_seat_available" -> "The licence has no seat left for a new user.";
            default -> "";
        };
    }
}
