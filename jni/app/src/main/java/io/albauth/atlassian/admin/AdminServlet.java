package io.albauth.atlassian.admin;

import com.atlassian.sal.api.auth.LoginUriProvider;
import com.atlassian.sal.api.user.UserKey;
import com.atlassian.sal.api.user.UserManager;
import com.atlassian.sal.api.user.UserProfile;
import com.atlassian.sal.api.websudo.WebSudoManager;
import com.atlassian.sal.api.websudo.WebSudoSessionException;
import io.albauth.AlbAuth;
import io.albauth.AlbAuthConfigException;
import io.albauth.AlbAuthException;
import io.albauth.ConfigCheck;
import io.albauth.Decision;
import io.albauth.Explanation;
import io.albauth.VerifierStats;
import io.albauth.atlassian.AlbAuthApp;
import io.albauth.atlassian.BackgroundSync;
import io.albauth.atlassian.ConfigStore;
import io.albauth.provision.PlanApplier;
import io.albauth.provision.ProvisioningAction;
import io.albauth.provision.ProvisioningPlan;
import io.albauth.sync.SyncJob;
import io.albauth.sync.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The admin page, {@code /plugins/servlet/albauth/admin}: setup (default), {@code /test} (test a
 * login), {@code /refusals} and {@code /sync} (full directory sync: connector settings, Preview,
 * Run now (both in the background, {@link BackgroundSync}), the schedule, the last runs;
 * {@link SyncPage}). System admins only, behind WebSudo; every form carries the session's XSRF
 * token. Saving validates through the core ({@link AlbAuth#checkConfig}) and
 * stores nothing it refuses; the stored configuration applies on every node without a restart
 * ({@link ConfigStore}).
 */
public class AdminServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(AdminServlet.class.getName());
    /** Where the page lives; what precedes it in the request URI is the context and servlet prefix. */
    static final String PAGE = "/albauth/admin";
    /** Largest form accepted: the core refuses a configuration over 1 MiB anyway. */
    private static final int MAX_FORM_CHARS = 1 << 20;
    private static final List<String> IDENTITY_HEADERS = List.of("x-amzn-oidc-data", "x-amzn-oidc-identity",
            "x-amzn-oidc-accesstoken");

    private final transient AlbAuthApp app;
    private final transient UserManager users;
    private final transient WebSudoManager webSudo;
    private final transient LoginUriProvider login;

    /** Autowired by the plugin's Spring context (and built the same way by the test host). */
    public AdminServlet(AlbAuthApp app, UserManager users, WebSudoManager webSudo, LoginUriProvider login) {
        this.app = app;
        this.users = users;
        this.webSudo = webSudo;
        this.login = login;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String sub = subPath(req);
        if (sub.startsWith("/static/")) {
            serveStatic(sub.substring("/static/".length()), resp);
            return;
        }
        UserKey admin = admitted(req, resp);
        if (admin == null) {
            return;
        }
        switch (sub) {
            case "", "/" -> setup(req, resp);
            case "/test" -> testLogin(req, resp, admin);
            case "/refusals" -> refusals(req, resp);
            case "/sync" -> syncPage(req, resp);
            default -> send(resp, HttpServletResponse.SC_NOT_FOUND,
                    PageLayout.message(base(req), "Not found", "There is no such albauth admin page."));
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        UserKey admin = admitted(req, resp);
        if (admin == null) {
            return;
        }
        String sub = subPath(req);
        boolean sync = sub.equals("/sync");
        if (!(sub.isEmpty() || sub.equals("/") || sync)) {
            send(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    PageLayout.message(base(req), "Not allowed", "This page takes no form."));
            return;
        }
        if (!XsrfTokens.isValid(req)) {
            send(resp, HttpServletResponse.SC_FORBIDDEN, PageLayout.message(base(req), "Form refused",
                    "This form has expired or did not come from this page. Nothing was changed: reload the page"
                            + " and try again."));
            return;
        }
        if (sync) {
            syncPost(req, resp);
        } else {
            save(req, resp);
        }
    }

    /**
     * The admin's key when the request may see the page; otherwise answers it (login redirect,
     * 403, or the WebSudo prompt) and returns null.
     */
    private UserKey admitted(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        UserKey key = users.getRemoteUserKey(req);
        if (key == null) {
            resp.sendRedirect(login.getLoginUri(selfUri(req)).toASCIIString());
            return null;
        }
        if (!users.isSystemAdmin(key)) {
            send(resp, HttpServletResponse.SC_FORBIDDEN, PageLayout.message(base(req), "Not allowed",
                    "Only system administrators can open the albauth admin page."));
            return null;
        }
        if (!webSudo.canExecuteRequest(req)) {
            webSudo.enforceWebSudoProtection(req, resp);
            return null;
        }
        try {
            webSudo.willExecuteWebSudoRequest(req);
        } catch (WebSudoSessionException e) {
            webSudo.enforceWebSudoProtection(req, resp);
            return null;
        }
        return key;
    }

    // --- setup -------------------------------------------------------------------------------

    private void setup(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ConfigStore store = app.configStore();
        String stored = store.configJson();
        Setup s = new Setup(req);
        Map<String, Object> base = s.parsedStored(stored);
        String saved = null;
        List<String> warnings = List.of();
        if (req.getParameter("saved") != null && stored != null) {
            saved = "Saved. Every node applies it to its next request within seconds; no restart needed.";
            warnings = AlbAuth.checkConfig(stored).warnings();
        }
        ConfigForm form = ConfigForm.fromConfig(base == null ? Map.of() : base, s.templates);
        String formError = base == null ? "The stored configuration cannot be shown in the form; edit it as JSON below."
                : null;
        send(resp, HttpServletResponse.SC_OK, s.page(form, Map.of(), formError, shown(stored),
                null, saved, warnings, stored != null));
    }

    private void save(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ConfigStore store = app.configStore();
        String stored = store.configJson();
        Setup s = new Setup(req);
        Map<String, Object> base = s.parsedStored(stored);
        boolean json = "json".equals(req.getParameter("form"));
        String storedText = shown(stored);
        ConfigForm storedForm = ConfigForm.fromConfig(base == null ? Map.of() : base, s.templates);

        // Shown again (after a refusal) without any connector secret it holds.
        String postedRaw = json ? req.getParameter(SetupPage.CONFIG_JSON) : null;
        String posted = withoutSecrets(postedRaw);
        ConfigForm postedForm = json ? storedForm
                : ConfigForm.fromParams(req::getParameter, base == null ? Map.of() : base, s.templates);
        if (!String.valueOf(store.version()).equals(req.getParameter("version"))) {
            String why = "Someone saved the configuration after you opened this page; nothing was saved."
                    + " The form shows your changes: compare them with the current configuration below, then save"
                    + " again.";
            send(resp, HttpServletResponse.SC_CONFLICT, s.page(postedForm, Map.of(), json ? null : why,
                    json ? posted : storedText, json ? why : null, null, null, stored != null));
            return;
        }
        String candidate;
        if (json) {
            if (postedRaw == null || postedRaw.length() > MAX_FORM_CHARS) {
                send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page(storedForm, Map.of(), null,
                        storedText, "The configuration is empty or larger than 1 MiB.", null, null, stored != null));
                return;
            }
            try {
                Map<String, Object> parsed = Json.parseObject(postedRaw);
                // The JSON shown leaves the connector's secrets out: a posted configuration without them keeps them.
                if (!SyncForm.restoreSecrets(parsed, base)) {
                    send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page(storedForm, Map.of(), null, posted,
                            "Not saved: the directory_sync connector's settings changed, so its stored secret is not"
                                    + " reused: type the secret into the JSON again (a stored secret is only ever sent"
                                    + " where it was typed for).", null, null, stored != null));
                    return;
                }
                candidate = Json.pretty(parsed);
            } catch (Json.ParseException e) {
                send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page(storedForm, Map.of(), null, posted,
                        e.getMessage(), null, null, stored != null));
                return;
            }
        } else {
            if (base == null) {
                send(resp, HttpServletResponse.SC_CONFLICT, s.page(storedForm, Map.of(),
                        "The stored configuration cannot be edited in the form; edit it as JSON below.", storedText,
                        null, null, null, true));
                return;
            }
            try {
                candidate = Json.pretty(postedForm.applyTo(base, s.templates));
            } catch (ConfigForm.FormException e) {
                send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page(postedForm, Map.of(e.input(), e.getMessage()),
                        "Not saved: correct the field marked below.", storedText, null, null, null, stored != null));
                return;
            }
        }
        ConfigCheck check = checkAndSave(candidate);
        if (!check.ok()) {
            String refusal = check.message();
            String where = ConfigForm.inputFor(check.field());
            Map<String, String> errors = new LinkedHashMap<>();
            String formError = null;
            String jsonError = null;
            if (json) {
                jsonError = refusal;
            } else if (where != null) {
                int line = where.equals(ConfigForm.TRUSTED_ALBS) ? ConfigForm.lineOf(check.field()) : 0;
                errors.put(where, (line > 0 ? "Line " + line + ": " : "") + refusal);
                formError = "Not saved: correct the field marked below.";
            } else {
                formError = "Not saved: " + refusal;
            }
            send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page(postedForm, errors, formError,
                    json ? posted : storedText, jsonError, null, null, stored != null));
            return;
        }
        LOG.info("albauth: configuration saved from the admin page (version " + store.version() + ")");
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", base(req) + "?saved");
    }

    /** What every rendering of the setup page needs from one request. */
    private final class Setup {
        final HttpServletRequest req;
        final String templatesJson = AlbAuth.templatesJson();
        final List<IdpTemplate> templates;

        Setup(HttpServletRequest req) {
            this.req = req;
            List<IdpTemplate> t;
            try {
                t = IdpTemplate.parseAll(templatesJson);
            } catch (Json.ParseException e) {
                throw new IllegalStateException("albauth: templatesJson() is not the documented array", e);
            }
            this.templates = t;
        }

        /** The stored configuration as an object, empty when never saved, null if it cannot be parsed. */
        Map<String, Object> parsedStored(String stored) {
            if (stored == null) {
                return new LinkedHashMap<>();
            }
            try {
                return Json.parseObject(stored);
            } catch (Json.ParseException e) {
                return null;
            }
        }

        String page(ConfigForm form, Map<String, String> errors, String formError, String jsonText, String jsonError,
                String saved, List<String> warnings, boolean configured) {
            SetupPage.Model m = new SetupPage.Model(base(req), XsrfTokens.tokenFor(req), app.configStore().version(),
                    configured, templates, templatesJson, form, errors, formError, jsonText, jsonError, saved,
                    warnings);
            return PageLayout.page(base(req), PageLayout.Tab.SETUP, "albauth setup", SetupPage.render(m));
        }
    }

    /** A posted configuration as the JSON textarea shows it again: as typed, unless it holds a connector secret. */
    private static String withoutSecrets(String posted) {
        return posted == null ? null : textWithoutSecrets(posted, true);
    }

    /** The stored configuration as the JSON textarea shows it: pretty, without the connector's secrets. */
    private static String shown(String stored) {
        return stored == null ? "" : textWithoutSecrets(stored, false);
    }

    /**
     * {@code json} for the textarea without the connector's secrets: {@code asTyped} keeps the
     * text as it is when it holds none (else pretty-printed). Text that cannot be read as an
     * object is shown only when it names no secret field: a secret in malformed JSON is never
     * echoed back.
     */
    private static String textWithoutSecrets(String json, boolean asTyped) {
        if (json.length() <= MAX_FORM_CHARS) {
            try {
                Map<String, Object> parsed = Json.parseObject(json);
                return asTyped && !SyncForm.hasSecrets(parsed) ? json : Json.pretty(SyncForm.redacted(parsed));
            } catch (Json.ParseException e) {
                // not an object the form can read: below
            }
        }
        if (SyncForm.SECRET_FIELDS.stream().anyMatch(json::contains)) {
            return "";
        }
        return asTyped ? json : pretty(json);
    }

    private static String pretty(String json) {
        try {
            return Json.pretty(Json.parse(json));
        } catch (Json.ParseException e) {
            return json;
        }
    }

    // --- test a login ------------------------------------------------------------------------

    private void testLogin(HttpServletRequest req, HttpServletResponse resp, UserKey admin) throws IOException {
        List<String> present = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (String h : IDENTITY_HEADERS) {
            (req.getHeader(h) != null ? present : absent).add(h);
        }
        AlbAuth auth = app.albAuth();
        TestLoginPage.Model m;
        if (auth == null) {
            m = problem(present, absent, req, "albauth is not configured yet: save a configuration on the setup page"
                    + " first.");
        } else {
            Explanation ex;
            try {
                ex = auth.explain(req);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "albauth: the test-login checks failed: " + e.getClass().getName());
                ex = null;
            }
            m = ex == null ? problem(present, absent, req, "The checks could not run; the server log has the error.")
                    : model(req, admin, present, absent, ex);
        }
        send(resp, HttpServletResponse.SC_OK,
                PageLayout.page(base(req), PageLayout.Tab.TEST, "Test a login", TestLoginPage.render(m)));
    }

    private static TestLoginPage.Model problem(List<String> present, List<String> absent, HttpServletRequest req,
            String why) {
        return new TestLoginPage.Model(base(req), present, absent, null, null, List.of(), null, false, false, false,
                0, null, null, null, why);
    }

    private TestLoginPage.Model model(HttpServletRequest req, UserKey admin, List<String> present,
            List<String> absent, Explanation ex) {
        Decision d = ex.decision();
        List<TestLoginPage.TraceLine> trace = new ArrayList<>();
        for (String line : (ex.trace() == null ? "" : ex.trace()).split("\n")) {
            // The closing "outcome" line is the outcome shown above the table.
            if (!line.isBlank() && !line.startsWith("outcome ")) {
                trace.add(TestLoginPage.TraceLine.parse(line));
            }
        }
        String outcome = d.outcome().name().toLowerCase(java.util.Locale.ROOT);
        boolean authenticated = d.outcome() == Decision.Outcome.AUTHENTICATED;
        String username = authenticated ? d.username() : null;
        boolean same = false;
        if (username != null) {
            UserProfile me = users.getUserProfile(admin);
            same = me != null && username.equalsIgnoreCase(me.getUsername());
        }
        String refused = null;
        List<TestLoginPage.PlannedAction> plan = null;
        String note;
        PlanApplier planner = app.planner();
        if (!authenticated) {
            note = "No plan: the request is not authenticated.";
        } else if (planner == null) {
            note = "Provisioning is off (or there is no user directory): a login changes no account.";
        } else {
            note = null;
            try {
                String elsewhere = app.managedElsewhere(d.username());
                if (elsewhere != null) {
                    note = "This account is in the directory \u201c" + elsewhere + "\u201d, which albauth does not"
                            + " manage: a login signs the user in as they are and changes nothing.";
                    return new TestLoginPage.Model(base(req), present, absent, outcome, d.errorCode(), trace, username,
                            same, d.displayName() != null, d.email() != null, d.groups().size(), null, null, note,
                            null);
                }
                ProvisioningPlan p = planner.preview(d);
                refused = p.refused();
                plan = new ArrayList<>();
                for (ProvisioningAction a : p.actions()) {
                    plan.add(new TestLoginPage.PlannedAction(a.name(), a.reason()));
                }
            } catch (Exception e) {
                // The exception's message may name the directory's state; the log has its type only.
                LOG.log(Level.WARNING, "albauth: the test-login plan failed: " + e.getClass().getName());
                note = "The plan could not be made (the user directory failed); the server log has the error type.";
                plan = null;
            }
        }
        return new TestLoginPage.Model(base(req), present, absent, outcome, d.errorCode(), trace, username, same,
                authenticated && d.displayName() != null, authenticated && d.email() != null,
                authenticated ? d.groups().size() : 0, refused, plan, note, null);
    }

    // --- refusals ----------------------------------------------------------------------------

    private void refusals(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        AlbAuth auth = app.albAuth();
        List<RefusalsPage.Counter> counters = null;
        Map<String, Long> byCode = Map.of();
        if (auth != null) {
            VerifierStats st = auth.stats();
            counters = List.of(
                    new RefusalsPage.Counter("authenticated", "Authenticated", st.authenticated()),
                    new RefusalsPage.Counter("anonymous", "Anonymous (no token)", st.anonymous()),
                    new RefusalsPage.Counter("rejected", "Rejected", st.rejected()),
                    new RefusalsPage.Counter("token-cache-hits", "Token cache hits", st.tokenCacheHits()),
                    new RefusalsPage.Counter("token-cache-misses", "Token cache misses", st.tokenCacheMisses()),
                    new RefusalsPage.Counter("key-fetches", "Key fetches", st.keyFetches()),
                    new RefusalsPage.Counter("key-fetch-failures", "Key fetch failures", st.keyFetchFailures()),
                    new RefusalsPage.Counter("key-fetches-suppressed", "Key fetches suppressed (rate limit)",
                            st.keyFetchesSuppressed()));
            byCode = st.rejectedByCode();
        }
        RefusalsPage.Model m = new RefusalsPage.Model(app.refusals().recent(), counters, byCode);
        send(resp, HttpServletResponse.SC_OK,
                PageLayout.page(base(req), PageLayout.Tab.REFUSALS, "Recent refusals", RefusalsPage.render(m)));
    }

    // --- directory sync ----------------------------------------------------------------------

    /** What every rendering of the sync page starts from: the stored configuration, the form, the runs. */
    private final class Sync {
        final HttpServletRequest req;
        final String stored;
        final Map<String, Object> config;
        SyncForm form;
        Map<String, String> errors = Map.of();
        String formError;
        String saved;
        String scheduleValue;
        String scheduleError;
        String scheduleSaved;
        SyncRun shown;
        String shownAction;
        String actionError;
        /** The run started from this page that is queued or running on this node, or null. */
        BackgroundSync.Status running = app.backgroundSync().current().orElse(null);

        Sync(HttpServletRequest req) {
            this.req = req;
            this.stored = app.configStore().configJson();
            Map<String, Object> c;
            try {
                c = stored == null ? null : Json.parseObject(stored);
            } catch (Json.ParseException e) {
                c = null;
            }
            this.config = c;
            this.form = SyncForm.fromConfig(c == null ? Map.of() : c);
            if (stored != null && c == null) {
                formError = "The stored configuration cannot be shown in this form; edit it as JSON on the setup page.";
            }
        }

        String page() {
            SyncPage.Model m = new SyncPage.Model(base(req), XsrfTokens.tokenFor(req), app.configStore().version(),
                    config != null, config != null && SyncForm.hasConnector(config), form, errors, formError, saved,
                    app.configStore().syncSchedule(), scheduleValue, scheduleError, scheduleSaved, shown, shownAction,
                    actionError, running, app.syncJob().lastRuns());
            // While a run is in progress the page reloads itself (?started: then it shows the result).
            return PageLayout.page(base(req), PageLayout.Tab.SYNC, "Directory sync", SyncPage.render(m),
                    running == null ? null : base(req) + "/sync?started");
        }
    }

    private void syncPage(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Sync s = new Sync(req);
        if (req.getParameter("saved") != null) {
            s.saved = "Connector settings saved. Preview shows what a sync would do with them.";
        }
        if (req.getParameter("schedule-saved") != null) {
            s.scheduleSaved = "Schedule saved.";
        }
        if (req.getParameter("started") != null && s.running == null) {
            // The run this page started (or the last one started from it on this node) has ended.
            s.shown = app.backgroundSync().lastStarted();
            s.shownAction = app.backgroundSync().lastStartedAction();
        }
        send(resp, HttpServletResponse.SC_OK, s.page());
    }

    private void syncPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Sync s = new Sync(req);
        String action = req.getParameter("action") == null ? "" : req.getParameter("action");
        switch (action) {
            case "save" -> syncSave(req, resp, s);
            case "schedule" -> {
                String expr = req.getParameter(SyncPage.SCHEDULE);
                try {
                    app.configStore().saveSyncSchedule(expr);
                } catch (AlbAuthConfigException e) {
                    s.scheduleValue = expr;
                    s.errors = Map.of(SyncPage.SCHEDULE, e.getMessage());
                    send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page());
                    return;
                }
                LOG.info("albauth: sync schedule saved from the admin page");
                resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
                resp.setHeader("Location", base(req) + "/sync?schedule-saved");
            }
            case "preview", "run", "force" -> {
                if (s.config == null || !SyncForm.hasConnector(s.config)) {
                    s.actionError = "There is no directory connector yet: save the connector settings first.";
                    send(resp, HttpServletResponse.SC_CONFLICT, s.page());
                    return;
                }
                boolean force = action.equals("force");
                long reviewed = -1;
                if (force) {
                    List<SyncRun> runs = app.syncJob().lastRuns();
                    SyncRun last = runs.isEmpty() ? null : runs.get(0);
                    boolean braked = last != null && last.plan() != null && "brake".equals(last.plan().refused())
                            && last.at() != null && last.at().isAfter(Instant.now().minus(OVERRIDE_WINDOW));
                    if (!braked) {
                        s.actionError = "The brake can only be overridden right after a run it refused (within "
                                + OVERRIDE_WINDOW.toMinutes() + " minutes): Preview or Run now first, and check the plan.";
                        send(resp, HttpServletResponse.SC_CONFLICT, s.page());
                        return;
                    }
                    if (!"yes".equals(req.getParameter("confirm"))) {
                        s.shown = last;
                        s.shownAction = "run";
                        s.actionError = "Not run: tick \u201cI have checked the plan above\u201d to override the brake.";
                        send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page());
                        return;
                    }
                    // The override applies what was reviewed, not whatever the IdP lists next: a plan
                    // that now removes more than the refused one is refused again.
                    reviewed = SyncJob.removals(last.plan());
                }
                boolean dry = action.equals("preview");
                // In the background: listing a large IdP outlasts the load balancer's idle timeout.
                boolean started = force ? app.backgroundSync().startForced(reviewed) : app.backgroundSync().start(dry);
                if (!started) {
                    s.running = app.backgroundSync().current().orElse(null);
                    s.actionError = "Not started: a sync is already running on this node. This page shows its"
                            + " progress, then its result.";
                    send(resp, HttpServletResponse.SC_CONFLICT, s.page());
                    return;
                }
                LOG.info("albauth: sync " + (dry ? "preview" : force ? "run past the brake" : "run")
                        + " started from the admin page (in the background)");
                resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
                resp.setHeader("Location", base(req) + "/sync?started");
            }
            default -> send(resp, HttpServletResponse.SC_BAD_REQUEST,
                    PageLayout.message(base(req), "Not allowed", "This form asks for nothing the page does."));
        }
    }

    private void syncSave(HttpServletRequest req, HttpServletResponse resp, Sync s) throws IOException {
        ConfigStore store = app.configStore();
        Map<String, Object> base = s.config;
        SyncForm posted = SyncForm.fromParams(req::getParameter, base == null ? Map.of() : base);
        if (base == null) {
            s.form = posted;
            s.formError = s.stored == null ? "albauth is not configured yet: save a configuration on the setup page"
                    + " first." : "The stored configuration cannot be edited in this form; edit it as JSON on the"
                    + " setup page.";
            send(resp, HttpServletResponse.SC_CONFLICT, s.page());
            return;
        }
        if (!String.valueOf(store.version()).equals(req.getParameter("version"))) {
            s.form = posted;
            s.formError = "Someone saved the configuration after you opened this page; nothing was saved. The form"
                    + " shows your changes (secrets must be typed again): save again to apply them.";
            send(resp, HttpServletResponse.SC_CONFLICT, s.page());
            return;
        }
        String type = req.getParameter(SyncForm.KIND);
        String candidate;
        try {
            candidate = Json.pretty(SyncForm.applyTo(base, req::getParameter));
        } catch (ConfigForm.FormException e) {
            s.form = posted;
            s.errors = Map.of(e.input(), e.getMessage());
            s.formError = "Not saved: correct the field marked below.";
            send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page());
            return;
        }
        ConfigCheck check = checkAndSave(candidate);
        if (!check.ok()) {
            String refusal = check.message();
            String field = check.field();
            String shownText = field != null && !refusal.contains(field) ? field + ": " + refusal : refusal;
            String where = SyncForm.inputFor(field, type);
            s.form = posted;
            if (where != null) {
                s.errors = Map.of(where, shownText);
                s.formError = "Not saved: correct the field marked below. Secrets typed in this form were not kept:"
                        + " type them again.";
            } else {
                s.formError = "Not saved: " + shownText;
            }
            send(resp, HttpServletResponse.SC_BAD_REQUEST, s.page());
            return;
        }
        LOG.info("albauth: directory sync settings saved from the admin page (version " + store.version() + ")");
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", base(req) + "/sync?saved");
    }

    /** How long after a brake refusal its override may be asked for: the plan reviewed is recent. */
    static final java.time.Duration OVERRIDE_WINDOW = java.time.Duration.ofMinutes(15);

    // --- plumbing ----------------------------------------------------------------------------

    /**
     * Validates {@code candidate} with the core and, if it passes, stores it: the result is the
     * core's check (ok once stored), or a refusal carrying the store's message when saving
     * failed. An exception the core throws instead of naming a field (an argument it refuses)
     * is a refusal all the same.
     */
    private ConfigCheck checkAndSave(String candidate) {
        ConfigCheck check;
        try {
            check = AlbAuth.checkConfig(candidate);
        } catch (AlbAuthException e) {
            return new ConfigCheck(false, null, e.getMessage(), List.of());
        }
        if (!check.ok()) {
            return check;
        }
        try {
            app.configStore().save(candidate);
            return check;
        } catch (AlbAuthConfigException e) {
            return new ConfigCheck(false, check.field(), e.getMessage(), List.of());
        }
    }

    /** The part of the request path after {@code /albauth/admin} ("" for the page itself). */
    static String subPath(HttpServletRequest req) {
        String uri = req.getRequestURI() == null ? "" : req.getRequestURI();
        int at = uri.indexOf(PAGE);
        return at < 0 ? "" : uri.substring(at + PAGE.length());
    }

    /** The page's own path, as the browser sees it (context path and servlet prefix included). */
    static String base(HttpServletRequest req) {
        String uri = req.getRequestURI() == null ? "" : req.getRequestURI();
        int at = uri.indexOf(PAGE);
        return at < 0 ? req.getContextPath() + "/plugins/servlet" + PAGE : uri.substring(0, at + PAGE.length());
    }

    /** This request's URL, for the login page to send the admin back to. */
    private static URI selfUri(HttpServletRequest req) {
        StringBuffer url = req.getRequestURL();
        if (req.getQueryString() != null) {
            url.append('?').append(req.getQueryString());
        }
        return URI.create(url.toString());
    }

    private static void send(HttpServletResponse resp, int status, String html) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        noStore(resp);
        // Only framing is restricted: inside the product, its admin decorator adds scripts of its own.
        resp.setHeader("Content-Security-Policy", "frame-ancestors 'self'");
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static void noStore(HttpServletResponse resp) {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
    }

    /** The page's script and style sheet, from {@code albauth-admin/} in the jar. */
    private static void serveStatic(String name, HttpServletResponse resp) throws IOException {
        String type = switch (name) {
            case "admin.js" -> "text/javascript;charset=UTF-8";
            case "admin.css" -> "text/css;charset=UTF-8";
            default -> null;
        };
        InputStream in = type == null ? null : AdminServlet.class.getResourceAsStream("/albauth-admin/" + name);
        if (in == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        byte[] body;
        try (in) {
            body = in.readAllBytes();
        }
        resp.setContentType(type);
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
