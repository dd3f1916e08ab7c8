package io.albauth.atlassian.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.sal.api.user.UserProfile;
import io.albauth.atlassian.AlbAuthApp;
import io.albauth.atlassian.AlbAuthServletFilter;
import io.albauth.atlassian.host.FakeApplicationRoleManager;
import io.albauth.atlassian.host.FakeClusterLockService;
import io.albauth.atlassian.host.FakeUserManager;
import io.albauth.atlassian.host.H2DirectoryManager;
import io.albauth.atlassian.host.MemoryPluginSettingsFactory;
import io.albauth.atlassian.host.SeraphAuthenticationListener;
import io.albauth.atlassian.jira.JiraProduct;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.TestKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jakarta flavour's servlet-filter module (these sources and the app's pass through the same
 * sed as the jakarta jar) on a real embedded Tomcat 10.1 (Servlet 6, jakarta.servlet), with the
 * host fakes.
 */
class TomcatFilterTest {
    @TempDir
    Path base;
    private final TestKey key = new TestKey();
    private final SeraphAuthenticationListener listener = new SeraphAuthenticationListener();
    private FakeUserManager users;
    private Tomcat tomcat;
    private int port;

    /** The product page: who the product sees (the Seraph session user). */
    static final class Page extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient FakeUserManager users;

        Page(FakeUserManager users) {
            this.users = users;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            UserProfile user = users.getRemoteUser(req);
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getOutputStream().write(("user=" + (user == null ? "" : user.getUsername()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    @BeforeEach
    void start() throws Exception {
        H2DirectoryManager directory = new H2DirectoryManager();
        users = new FakeUserManager(directory);
        users.addUser("bob", "Bob Example", "bob@example.com");
        AlbAuthApp app = new AlbAuthApp(new JiraProduct(new FakeApplicationRoleManager(directory::activeUsers, -1)),
                new MemoryPluginSettingsFactory(), users, directory, listener, directory, directory, new FakeClusterLockService(),
                1_000);
        app.configStore().save(Configs.json(Configs.pinned(key)));

        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "page", new Page(users)).addMapping("/");
        FilterDef def = new FilterDef();
        def.setFilterName("albauth");
        def.setFilter(new AlbAuthServletFilter(app));
        def.setFilterClass(AlbAuthServletFilter.class.getName());
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("albauth");
        map.addURLPattern("/*");
        map.setDispatcher("REQUEST");
        map.setDispatcher("FORWARD");
        context.addFilterMap(map);
        tomcat.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private HttpResponse<String> get(String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/secure/Dashboard.jspa"))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("x-amzn-oidc-data", token);
        }
        return HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(TestKey signer) {
        long now = System.currentTimeMillis() / 1000;
        return new AlbToken(key).exp(now + 600).claim("username", "bob").claim("sub", "sub-bob").sign(signer);
    }

    @Test
    void anAuthenticatedRequestLogsTheUserIntoTheProduct() throws Exception {
        HttpResponse<String> r = get(token(key));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("user=bob\n", r.body());
        assertEquals(1, listener.successes());
    }

    @Test
    void aForgedTokenIsRefused() throws Exception {
        HttpResponse<String> r = get(token(new TestKey(key.kid)));
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("Support reference"), r.body());
        assertEquals(0, listener.successes());
    }

    @Test
    void theFilterRunsAsAJakartaFilter() {
        assertTrue(jakarta.servlet.Filter.class.isAssignableFrom(AlbAuthServletFilter.class));
    }
}
