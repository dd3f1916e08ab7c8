package io.albauth.atlassian.host;

import com.atlassian.sal.api.auth.LoginUriProvider;
import com.atlassian.sal.api.user.UserManager;
import com.atlassian.sal.api.user.UserProfile;
import com.atlassian.sal.api.websudo.WebSudoManager;
import com.atlassian.seraph.auth.DefaultAuthenticator;
import io.albauth.atlassian.AlbAuthApp;
import io.albauth.atlassian.AlbAuthServletFilter;
import io.albauth.atlassian.NamedPrincipal;
import io.albauth.atlassian.Product;
import io.albauth.atlassian.confluence.ConfluenceProduct;
import io.albauth.atlassian.jira.JiraProduct;
import io.albauth.servlet.AlbAuthFilter;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.TestKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * A stand-in for Jira (or Confluence) in a real Jetty 9 on 127.0.0.1 (an ephemeral port): the
 * app's servlet-filter module over {@code /*} for REQUEST and FORWARD (where {@code before-login}
 * puts it: nothing of the product's own login runs before it), the admin servlet at
 * {@value #ADMIN_PATH} and below, and a few product pages. Host services are the fakes of this
 * package; the app is the real {@link AlbAuthApp}.
 *
 * <p>Pages: {@code /secure/Dashboard.jspa} prints what the product sees ({@code user=} the
 * Seraph session user); {@code /login.jsp} is the native login (POST {@code os_username},
 * {@code os_password}; every seeded account's password is {@value #PASSWORD}); {@code /logout}
 * is the product's logout (invalidates the session); {@code /authenticate.jsp} is WebSudo (POST
 * {@code password} activates it). With {@link Options#mintTokens}, {@code /__test/token?user=NAME}
 * returns a signed ALB token for NAME (test key; never in the app).
 */
public final class TestHost implements AutoCloseable {
    public static final String ADMIN_PATH = "/plugins/servlet/albauth/admin";
    public static final String ADMIN_CLASS = "io.albauth.atlassian.admin.AdminServlet";
    public static final String PASSWORD = "admin";

    /** What to start. */
    public static final class Options {
        String product = "jira";
        final List<String> systemAdmins = new ArrayList<>();
        final List<String> users = new ArrayList<>();
        String configJson;
        boolean testConfig;
        Map<String, Object> provisioning;
        int seatLimit = -1;
        long pollMillis = 1_000;
        boolean mintTokens;
        boolean webSudo = true;
        TestKey key;
        MemoryPluginSettingsFactory settings;
        H2DirectoryManager directory;
        FakeClusterLockService locks;

        /** "jira" (default) or "confluence". */
        public Options product(String product) {
            this.product = product;
            return this;
        }

        /** Seeds a system administrator (password {@value TestHost#PASSWORD}). */
        public Options systemAdmin(String username) {
            systemAdmins.add(username);
            return this;
        }

        /** Seeds an ordinary user in the product's internal directory. */
        public Options user(String username) {
            users.add(username);
            return this;
        }

        /** Saves this configuration (through the app's ConfigStore) before the first request. */
        public Options config(String json) {
            this.configJson = json;
            return this;
        }

        /** Saves the test configuration: pinned test key, the test ALB, issuer and client (see Configs). */
        public Options testConfig() {
            this.testConfig = true;
            return this;
        }

        /** With {@link #testConfig}: its {@code provisioning} section. */
        public Options provisioning(Map<String, Object> provisioning) {
            this.provisioning = provisioning;
            return this;
        }

        /** The licence's seats (negative: unlimited, the default). */
        public Options seatLimit(int seats) {
            this.seatLimit = seats;
            return this;
        }

        /** How often the app polls the stored configuration's version (default 1 s). */
        public Options pollMillis(long millis) {
            this.pollMillis = millis;
            return this;
        }

        /** Serves {@code /__test/token?user=NAME}: tokens signed with the test key. */
        public Options mintTokens() {
            this.mintTokens = true;
            return this;
        }

        /** Whether a WebSudo session is active at the start (default true). */
        public Options webSudo(boolean active) {
            this.webSudo = active;
            return this;
        }

        /** The test key (a new one by default). */
        public Options key(TestKey key) {
            this.key = key;
            return this;
        }

        /** Uses these plugin settings (the product's database), with whatever they hold. */
        public Options settings(MemoryPluginSettingsFactory settings) {
            this.settings = settings;
            return this;
        }

        /** Shares a host's database, directory and locks: a second cluster node of the same product. */
        public Options nodeOf(TestHost other) {
            this.settings = other.settings;
            this.directory = other.directory;
            this.locks = other.locks;
            this.key = other.key;
            this.product = other.options.product;
            return this;
        }
    }

    public final Options options;
    public final TestKey key;
    public final MemoryPluginSettingsFactory settings;
    public final H2DirectoryManager directory;
    public final FakeUserManager users;
    public final FakeWebSudoManager webSudo;
    public final FakeLoginUriProvider login = new FakeLoginUriProvider();
    public final SeraphAuthenticationListener listener = new SeraphAuthenticationListener();
    public final FakeClusterLockService locks;
    /** This node's scheduler: the app registers its sync tick here ({@link FakeSchedulerService#fire}). */
    public final FakeSchedulerService scheduler = new FakeSchedulerService();
    public final FakeApplicationRoleManager jiraRoles;
    public final FakeConfluenceLicence confluenceLicence;
    public final AlbAuthApp app;
    private final Server server;

    private TestHost(Options o) throws Exception {
        this.options = o;
        this.key = o.key == null ? new TestKey() : o.key;
        this.settings = o.settings == null ? new MemoryPluginSettingsFactory() : o.settings;
        this.directory = o.directory == null ? new H2DirectoryManager() : o.directory;
        this.locks = o.locks == null ? new FakeClusterLockService() : o.locks;
        this.users = new FakeUserManager(directory);
        this.webSudo = new FakeWebSudoManager(o.webSudo);
        this.jiraRoles = new FakeApplicationRoleManager(directory::activeUsers, o.seatLimit);
        this.confluenceLicence = new FakeConfluenceLicence(directory::activeUsers, o.seatLimit);
        Product product;
        switch (o.product) {
            case "jira":
                product = new JiraProduct(jiraRoles);
                break;
            case "confluence":
                product = new ConfluenceProduct(confluenceLicence, confluenceLicence);
                break;
            default:
                throw new IllegalArgumentException("product is jira or confluence");
        }
        for (String a : o.systemAdmins) {
            if (users.getUserProfile(a) == null) {
                users.addSystemAdmin(a);
            }
        }
        for (String u : o.users) {
            if (users.getUserProfile(u) == null) {
                users.addUser(u, u, u + "@example.com");
            }
        }
        this.app = new AlbAuthApp(product, settings, users, directory, listener, directory, directory, locks, scheduler,
                o.pollMillis);
        String json = o.configJson;
        if (json == null && o.testConfig) {
            Map<String, Object> c = new LinkedHashMap<>(Configs.pinned(key));
            if (o.provisioning != null) {
                c.put("provisioning", o.provisioning);
            }
            json = Configs.json(c);
        }
        if (json != null) {
            app.configStore().save(json);
        }

        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        FilterHolder filter = new FilterHolder(new AlbAuthServletFilter(app));
        filter.setName("albauth");
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD));
        ServletHolder admin = new ServletHolder(adminServlet());
        context.addServlet(admin, ADMIN_PATH);
        context.addServlet(admin, ADMIN_PATH + "/*");
        context.addServlet(new ServletHolder(new LoginPage()), "/login.jsp");
        context.addServlet(new ServletHolder(new LoginPage()), "/login.action");
        context.addServlet(new ServletHolder(new LogoutPage()), "/logout");
        context.addServlet(new ServletHolder(new WebSudoPage()), "/authenticate.jsp");
        if (o.mintTokens) {
            context.addServlet(new ServletHolder(new TokenPage()), "/__test/token");
        }
        context.addServlet(new ServletHolder(new ProductPage()), "/");
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        if (!context.isAvailable()) {
            server.stop();
            throw new IllegalStateException("the test host did not start (see the log above)");
        }
    }

    /** Starts a host. */
    public static TestHost start(Options options) throws Exception {
        return new TestHost(options);
    }

    public static Options options() {
        return new Options();
    }

    /** The admin servlet, loaded by name: the host compiles without it. */
    private HttpServlet adminServlet() {
        try {
            return (HttpServlet) Class.forName(ADMIN_CLASS)
                    .getConstructor(AlbAuthApp.class, UserManager.class, WebSudoManager.class, LoginUriProvider.class)
                    .newInstance(app, users, webSudo, login);
        } catch (ClassNotFoundException e) {
            return new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.sendError(503, "the admin servlet is not built");
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + ADMIN_CLASS + ": " + e, e);
        }
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT} */
    public URI base() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** A valid ALB token for {@code user} (sub {@code sub-<user>}), expiring in 10 minutes. */
    public String token(String user) {
        return tokenBuilder(user).sign(key);
    }

    /** The token {@link #token} signs, to change claims first. */
    public AlbToken tokenBuilder(String user) {
        long now = System.currentTimeMillis() / 1000;
        return new AlbToken(key).exp(now + 600).claim("username", user).claim("sub", "sub-" + user)
                .claim("email", user + "@example.com").claim("name", user + " Example");
    }

    @Override
    public void close() throws Exception {
        server.stop();
        app.close(); // as the plugin's Spring context does: the scheduled tick, the background sync
    }

    private static void text(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    /** What the product sees: its user (from the Seraph session), the session and the attributes. */
    private final class ProductPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            UserProfile user = users.getRemoteUser(req);
            HttpSession session = req.getSession(false);
            Object seraph = session == null ? null : session.getAttribute(DefaultAuthenticator.LOGGED_IN_KEY);
            text(resp, 200, "page=" + AlbAuthFilter.pathOf(req) + "\n"
                    + "user=" + (user == null ? "" : user.getUsername()) + "\n"
                    + "seraph=" + (seraph == null ? "" : seraph.getClass().getSimpleName()) + "\n"
                    + "session=" + (session == null ? "" : session.getId()) + "\n"
                    + "authstatus=" + (req.getAttribute(SeraphAuthenticationListener.AUTH_STATUS) == null ? ""
                            : req.getAttribute(SeraphAuthenticationListener.AUTH_STATUS)) + "\n");
        }
    }

    /** The product's native login form and its POST. */
    private final class LoginPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            UserProfile user = users.getRemoteUser(req);
            text(resp, 200, "native-login\nuser=" + (user == null ? "" : user.getUsername()) + "\n");
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String name = req.getParameter("os_username");
            UserProfile user = name == null ? null : users.getUserProfile(name);
            if (user == null || !PASSWORD.equals(req.getParameter("os_password"))) {
                text(resp, 401, "native-login\nerror=bad credentials\n");
                return;
            }
            HttpSession session = req.getSession(true);
            session.setAttribute(DefaultAuthenticator.LOGGED_IN_KEY, new NamedPrincipal(user.getUsername()));
            session.removeAttribute(DefaultAuthenticator.LOGGED_OUT_KEY);
            String to = req.getParameter("os_destination");
            resp.sendRedirect(to != null && to.startsWith("/") && !to.startsWith("//") ? to : "/secure/Dashboard.jspa");
        }
    }

    /** The product's logout: the session ends. */
    private static final class LogoutPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            text(resp, 200, "logged-out\n");
        }
    }

    /** WebSudo: POST the password to start a WebSudo session. */
    private final class WebSudoPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(200);
            resp.setContentType("text/html;charset=UTF-8");
            resp.getOutputStream().write(("<!DOCTYPE html><html><head><title>WebSudo</title></head><body>"
                    + "<form method=\"post\"><label>Password <input type=\"password\" name=\"password\"></label>"
                    + "<button>Confirm</button></form></body></html>").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (!PASSWORD.equals(req.getParameter("password"))) {
                text(resp, 401, "websudo\nerror=bad password\n");
                return;
            }
            webSudo.setActive(true);
            String to = req.getParameter("webSudoDestination");
            resp.sendRedirect(to != null && to.startsWith("/") && !to.startsWith("//") ? to : ADMIN_PATH);
        }
    }

    /** Test only: a signed ALB token for {@code ?user=}. */
    private final class TokenPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String user = req.getParameter("user");
            if (user == null || user.isEmpty()) {
                text(resp, 400, "user?\n");
                return;
            }
            text(resp, 200, token(user));
        }
    }

    /**
     * Starts a host and waits: {@code --product jira|confluence}, {@code --admin NAME} (a system
     * admin), {@code --user NAME}, {@code --config FILE}, {@code --test-config},
     * {@code --provisioning} (with --test-config: create users, default group jira-software-users),
     * {@code --seats N}, {@code --mint-tokens}, {@code --no-websudo}, {@code --poll-millis N}.
     * Prints {@code READY http://127.0.0.1:PORT} once it serves.
     */
    public static void main(String[] args) throws Exception {
        Options o = options();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--product":
                    o.product(args[++i]);
                    break;
                case "--admin":
                    o.systemAdmin(args[++i]);
                    break;
                case "--user":
                    o.user(args[++i]);
                    break;
                case "--config":
                    o.config(Files.readString(Path.of(args[++i]), StandardCharsets.UTF_8));
                    break;
                case "--test-config":
                    o.testConfig();
                    break;
                case "--provisioning":
                    o.provisioning(Map.of("enabled", true, "default_groups", List.of("jira-software-users")));
                    break;
                case "--seats":
                    o.seatLimit(Integer.parseInt(args[++i]));
                    break;
                case "--mint-tokens":
                    o.mintTokens();
                    break;
                case "--no-websudo":
                    o.webSudo(false);
                    break;
                case "--poll-millis":
                    o.pollMillis(Long.parseLong(args[++i]));
                    break;
                default:
                    System.err.println("TestHost: unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        TestHost host = start(o);
        System.out.println("READY " + host.base());
        System.out.flush();
        host.server.join();
    }
}
