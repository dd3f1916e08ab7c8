package io.albauth.atlassian.admin;

import java.util.List;
import java.util.Map;

/**
 * The setup page: the form, the full configuration (JSON), and after a save its status and the
 * core's warnings. Every error sits in the slot {@code err-INPUT} next to its input, which names
 * the slot in {@code aria-describedby} and is marked {@code aria-invalid}.
 */
final class SetupPage {
    /** The JSON textarea's name and id. */
    static final String CONFIG_JSON = "config_json";

    /** What the page shows; nulls for what it does not. */
    record Model(String base, String xsrf, long version, boolean configured, List<IdpTemplate> templates,
            String templatesJson, ConfigForm form, Map<String, String> errors, String formError, String jsonText,
            String jsonError, String saved, List<String> warnings) {}

    private SetupPage() {}

    static String render(Model m) {
        StringBuilder b = new StringBuilder(16384);
        if (m.saved() != null) {
            b.append("<div class=\"status ok\" role=\"status\" id=\"saved\"><p>").append(Html.esc(m.saved()))
                    .append("</p>");
            if (m.warnings() != null && !m.warnings().isEmpty()) {
                b.append("<p>Warnings about this configuration:</p><ul class=\"warnings\">");
                for (String w : m.warnings()) {
                    b.append("<li>").append(Html.esc(w)).append("</li>");
                }
                b.append("</ul>");
            }
            b.append("</div>\n");
        }
        if (!m.configured()) {
            b.append("<p class=\"status\" id=\"not-configured\">albauth is not configured yet: nobody is signed in"
                    + " through the load balancer until a configuration is saved here.</p>\n");
        }
        b.append("<div class=\"error-summary\" id=\"err-form\" role=\"alert\">");
        if (m.formError() != null) {
            b.append("<p>").append(Html.esc(m.formError())).append("</p>");
        }
        b.append("</div>\n");
        b.append("<script type=\"application/json\" id=\"albauth-templates\">").append(Html.scriptJson(m.templatesJson()))
                .append("</script>\n");
        b.append("<form method=\"post\" action=\"").append(Html.esc(m.base())).append("\" id=\"setup\" novalidate>\n");
        hidden(b, m, "setup");
        ConfigForm f = m.form();

        b.append("<fieldset><legend>Identity provider</legend>\n");
        b.append("<div class=\"field\"><label for=\"template\">Identity provider (template)</label>\n");
        b.append("<select id=\"template\" name=\"template\"").append(describedBy(m, ConfigForm.TEMPLATE)).append(">\n");
        for (IdpTemplate t : m.templates()) {
            b.append("<option value=\"").append(Html.esc(t.name())).append('"');
            if (t.name().equals(f.value(ConfigForm.TEMPLATE))) {
                b.append(" selected");
            }
            b.append('>').append(Html.esc(t.label())).append("</option>\n");
        }
        b.append("</select>\n");
        IdpTemplate chosen = IdpTemplate.find(m.templates(), f.value(ConfigForm.TEMPLATE));
        hint(b, ConfigForm.TEMPLATE, "Choosing one fills the token header, the username claim and the issuer pattern.",
                chosen == null ? "" : chosen.hint());
        error(b, m, ConfigForm.TEMPLATE);
        b.append("</div>\n");

        b.append("<div class=\"field\"><label for=\"token_header\">Token header</label>\n");
        b.append("<select id=\"token_header\" name=\"token_header\"").append(describedBy(m, ConfigForm.TOKEN_HEADER))
                .append(">\n");
        for (String h : ConfigForm.TOKEN_HEADERS) {
            b.append("<option value=\"").append(Html.esc(h)).append('"');
            if (h.equals(f.value(ConfigForm.TOKEN_HEADER))) {
                b.append(" selected");
            }
            b.append('>').append(Html.esc(h)).append("</option>\n");
        }
        b.append("</select>\n");
        hint(b, ConfigForm.TOKEN_HEADER, "Where the username is read: x-amzn-oidc-data (the load balancer's signed"
                + " user-info token) for every IdP but Entra ID, which needs x-amzn-oidc-accesstoken (its data token"
                + " carries no upn).");
        error(b, m, ConfigForm.TOKEN_HEADER);
        b.append("</div>\n");

        text(b, m, ConfigForm.USERNAME_CLAIM, "Username claim", "The claim holding the Jira/Confluence username:"
                + " email for most IdPs, upn for Entra ID. Look at the claims your IdP's user-info endpoint returns.");
        text(b, m, ConfigForm.ISSUER, "Issuer", "The IdP's issuer URL exactly as its"
                + " /.well-known/openid-configuration states it (a trailing / matters); several separated by blanks.",
                chosen == null || chosen.issuerPattern().isEmpty() ? "" : "Pattern: " + chosen.issuerPattern());
        text(b, m, ConfigForm.CLIENT_ID, "Client id", "The OIDC client id of the load balancer's authenticate-oidc"
                + " listener rule (the app registration in your IdP); several separated by blanks.");
        b.append("</fieldset>\n");

        b.append("<fieldset><legend>Trusted load balancers</legend>\n");
        area(b, m, ConfigForm.TRUSTED_ALBS, "ALB ARNs (one per line)", "The ARN of each Application Load Balancer in"
                + " front of this site: EC2 console, Load Balancers, the balancer, ARN. Form:"
                + " arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID.", 3);
        b.append("</fieldset>\n");

        b.append("<fieldset><legend>Usernames</legend>\n");
        b.append("<fieldset id=\"username_transforms\" class=\"inline\"").append(describedBy(m, ConfigForm.TRANSFORMS))
                .append("><legend>Username transforms</legend>\n");
        checkbox(b, m, ConfigForm.STRIP_DOMAIN, "Strip the domain (jane@example.com becomes jane)");
        checkbox(b, m, ConfigForm.LOWERCASE, "Lower-case");
        hint(b, ConfigForm.TRANSFORMS, f.isLocked(ConfigForm.STRIP_DOMAIN)
                ? "The stored transforms include a regex: edit them in the full configuration below."
                : "Applied in this order. Strip the domain only together with one allowed domain, or two domains'"
                        + " users with the same name become one account.");
        error(b, m, ConfigForm.TRANSFORMS);
        b.append("</fieldset>\n");
        text(b, m, ConfigForm.ALLOWED_DOMAINS, "Allowed domains", "Only usernames in these e-mail domains sign in"
                + " (example.com; several separated by blanks). Empty: every domain.");
        text(b, m, ConfigForm.GROUPS_CLAIM, "Groups claim", "The claim listing the user's IdP groups (cognito:groups"
                + " for Cognito, groups for most others). Empty: no groups.");
        b.append("</fieldset>\n");

        b.append("<fieldset><legend>Provisioning (create and update users at login)</legend>\n");
        checkbox(b, m, ConfigForm.PROV_ENABLED, "Provision users at login");
        checkbox(b, m, ConfigForm.PROV_CREATE, "Create users who have no account yet");
        checkbox(b, m, ConfigForm.PROV_REACTIVATE, "Reactivate deactivated users");
        area(b, m, ConfigForm.PROV_DEFAULT_GROUPS, "Default groups (one per line)", "Always assigned, never removed:"
                + " the groups that grant application access (jira-software-users, confluence-users).", 2);
        area(b, m, ConfigForm.PROV_FILTER_ALLOW, "Managed IdP groups (one per line)", "IdP groups added and removed"
                + " with the IdP; without a filter every IdP group is added and none removed.", 2);
        area(b, m, ConfigForm.PROV_FILTER_REGEX, "Managed IdP group patterns (one regex per line)", "A pattern must"
                + " match the whole group name (team-.*).", 2);
        area(b, m, ConfigForm.PROV_MAPPING, "Group mapping (IdP group = host group, one per line)", "Renames an"
                + " admitted IdP group to a host group; others keep their name.", 2);
        area(b, m, ConfigForm.PROV_REQUIRED, "Groups required to sign in (one per line)", "When set, only members of"
                + " one of these IdP groups sign in. Empty: no such rule.", 2);
        b.append("</fieldset>\n");
        b.append("<p><button type=\"submit\" id=\"save\">Save</button></p>\n</form>\n");

        b.append("<details id=\"advanced\"").append(m.jsonError() != null ? " open" : "").append(">\n")
                .append("<summary>Advanced: full configuration (JSON)</summary>\n")
                .append("<form method=\"post\" action=\"").append(Html.esc(m.base())).append("\" id=\"json-form\">\n");
        hidden(b, m, "json");
        b.append("<div class=\"field\"><label for=\"config_json\">Full configuration (JSON)</label>\n")
                .append("<textarea id=\"config_json\" name=\"config_json\" rows=\"18\" spellcheck=\"false\"")
                .append(" aria-describedby=\"hint-config_json err-config_json\"")
                .append(m.jsonError() != null ? " aria-invalid=\"true\"" : "").append(">\n")
                .append(Html.esc(m.jsonText())).append("</textarea>\n");
        hint(b, CONFIG_JSON, "Every field, including those the form does not show (README, Configuration)."
                + " Saving it replaces the whole configuration; unknown fields are refused. The directory connector's"
                + " secrets are never shown: left out, the stored ones are kept (change them on the Directory sync"
                + " page).");
        b.append("<p class=\"error\" id=\"err-config_json\" role=\"alert\">").append(Html.esc(m.jsonError()))
                .append("</p></div>\n")
                .append("<p><button type=\"submit\" id=\"save-json\">Save JSON</button></p>\n</form>\n</details>\n");
        return b.toString();
    }

    private static void hidden(StringBuilder b, Model m, String form) {
        b.append("<input type=\"hidden\" name=\"").append(XsrfTokens.FIELD).append("\" value=\"")
                .append(Html.esc(m.xsrf())).append("\">\n")
                .append("<input type=\"hidden\" name=\"form\" value=\"").append(form).append("\">\n")
                .append("<input type=\"hidden\" name=\"version\" value=\"").append(m.version()).append("\">\n");
    }

    private static String describedBy(Model m, String input) {
        return " aria-describedby=\"hint-" + input + " err-" + input + "\""
                + (m.errors().containsKey(input) ? " aria-invalid=\"true\"" : "");
    }

    private static void hint(StringBuilder b, String input, String text) {
        b.append("<p class=\"hint\" id=\"hint-").append(input).append("\">").append(Html.esc(text)).append("</p>\n");
    }

    /** A hint with a part the template picker rewrites ({@code span.template-part}). */
    private static void hint(StringBuilder b, String input, String text, String templatePart) {
        b.append("<p class=\"hint\" id=\"hint-").append(input).append("\">").append(Html.esc(text))
                .append(" <span class=\"template-part\">").append(Html.esc(templatePart)).append("</span></p>\n");
    }

    private static void error(StringBuilder b, Model m, String input) {
        b.append("<p class=\"error\" id=\"err-").append(input).append("\" role=\"alert\">")
                .append(Html.esc(m.errors().get(input))).append("</p>\n");
    }

    private static String lockedNote(Model m, String input) {
        return m.form().isLocked(input) ? " The stored value needs the full configuration below to edit it." : "";
    }

    private static void text(StringBuilder b, Model m, String input, String label, String hint) {
        text(b, m, input, label, hint, null);
    }

    private static void text(StringBuilder b, Model m, String input, String label, String hint, String templatePart) {
        b.append("<div class=\"field\"><label for=\"").append(input).append("\">").append(Html.esc(label))
                .append("</label>\n<input type=\"text\" id=\"").append(input).append("\" name=\"").append(input)
                .append("\" value=\"").append(Html.esc(m.form().value(input))).append("\" autocomplete=\"off\"")
                .append(" spellcheck=\"false\"").append(m.form().isLocked(input) ? " readonly" : "")
                .append(describedBy(m, input)).append(">\n");
        if (templatePart == null) {
            hint(b, input, hint + lockedNote(m, input));
        } else {
            hint(b, input, hint + lockedNote(m, input), templatePart);
        }
        error(b, m, input);
        b.append("</div>\n");
    }

    private static void area(StringBuilder b, Model m, String input, String label, String hint, int rows) {
        b.append("<div class=\"field\"><label for=\"").append(input).append("\">").append(Html.esc(label))
                .append("</label>\n<textarea id=\"").append(input).append("\" name=\"").append(input)
                .append("\" rows=\"").append(rows).append("\" spellcheck=\"false\"")
                .append(m.form().isLocked(input) ? " readonly" : "").append(describedBy(m, input)).append(">\n")
                .append(Html.esc(m.form().value(input))).append("</textarea>\n");
        hint(b, input, hint + lockedNote(m, input));
        error(b, m, input);
        b.append("</div>\n");
    }

    private static void checkbox(StringBuilder b, Model m, String input, String label) {
        b.append("<div class=\"check\"><input type=\"checkbox\" id=\"").append(input).append("\" name=\"")
                .append(input).append("\"").append(m.form().value(input).isEmpty() ? "" : " checked")
                .append(m.form().isLocked(input) ? " disabled" : "");
        if (m.errors().containsKey(input)) {
            b.append(" aria-describedby=\"err-").append(input).append("\" aria-invalid=\"true\"");
        }
        b.append("><label for=\"").append(input).append("\">").append(Html.esc(label)).append("</label>");
        if (m.errors().containsKey(input)) {
            b.append("<p class=\"error\" id=\"err-").append(input).append("\" role=\"alert\">")
                    .append(Html.esc(m.errors().get(input))).append("</p>");
        }
        b.append("</div>\n");
    }
}
