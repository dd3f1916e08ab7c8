package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.Decision;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.TestKey;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.DispatcherType;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** A filter assembled in code ({@link AlbAuthFilter#builder()}) over a host's configuration source. */
class FilterConfigSourceTest {
    /** A source a test sets by hand: a change is due as soon as it is made. */
    static final class Settable implements ConfigSource {
        private volatile String json;
        private volatile boolean changed;

        Settable(String json) {
            this.json = json;
        }

        void set(String json) {
            this.json = json;
            this.changed = true;
        }

        @Override
        public String read() {
            changed = false;
            return json;
        }

        @Override
        public boolean due() {
            return changed;
        }

        @Override
        public String changed() {
            if (!changed) {
                return null;
            }
            changed = false;
            return json;
        }

        @Override
        public String describe() {
            return "a test source";
        }
    }

    /** Jetty on 127.0.0.1 with {@code filter} in front of the Echo servlet. */
    static final class Host implements AutoCloseable {
        final Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Host(AlbAuthFilter filter) throws Exception {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath("/");
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD));
            context.addServlet(new ServletHolder(new Jetty.Echo()), "/*");
            server.setHandler(context);
            server.start();
        }

        HttpResponse<String> get(String token) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/page")).timeout(Duration.ofSeconds(20));
            if (token != null) {
                b.header("x-amzn-oidc-data", token);
            }
            return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }

    static String token(TestKey key) {
        return new AlbToken(key).exp(System.currentTimeMillis() / 1000 + 600).sign(key);
    }

    @Test
    void withNothingSavedEveryRequestPassesThroughUntouched() throws Exception {
        AlbAuthFilter filter = AlbAuthFilter.builder().configSource(new Settable(null)).build();
        try (Host h = new Host(filter)) {
            HttpResponse<String> r = h.get("forged.token.x");
            assertEquals(200, r.statusCode());
            assertEquals("", Jetty.line(r, "user"));
            assertNull(filter.albAuth());
        }
    }

    @Test
    void theFirstConfigurationAppliesToTheRequestAfterItIsSaved() throws Exception {
        TestKey key = new TestKey();
        Settable source = new Settable(null);
        try (Host h = new Host(AlbAuthFilter.builder().configSource(source).build())) {
            assertEquals("", Jetty.line(h.get(token(key)), "user"));
            source.set(Configs.json(Configs.pinned(key)));
            assertEquals("alice", Jetty.line(h.get(token(key)), "user"));
        }
    }

    @Test
    void aRefusedFirstConfigurationRefusesEveryRequest() throws Exception {
        Settable source = new Settable(null);
        AlbAuthFilter filter = AlbAuthFilter.builder().configSource(source).build();
        try (Host h = new Host(filter)) {
            source.set("{\"trusted_albs\": [\"not an arn\"]}");
            HttpResponse<String> r = h.get(null);
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("<code>config_invalid</code>"), r.body());
            assertNull(filter.albAuth());
        }
    }

    @Test
    void aRefusedConfigurationAtStartRefusesEveryRequestUntilAValidOneArrives() throws Exception {
        TestKey key = new TestKey();
        Settable source = new Settable("{\"trusted_albs\": [\"not an arn\"]}");
        try (Host h = new Host(AlbAuthFilter.builder().configSource(source).build())) {
            assertEquals(503, h.get(token(key)).statusCode());
            source.set(Configs.json(Configs.pinned(key)));
            assertEquals("alice", Jetty.line(h.get(token(key)), "user"));
        }
    }

    @Test
    void aRefusedChangeKeepsThePreviousConfiguration() throws Exception {
        TestKey key = new TestKey();
        Settable source = new Settable(Configs.json(Configs.pinned(key)));
        try (Host h = new Host(AlbAuthFilter.builder().configSource(source).build())) {
            source.set("{\"trusted_albs\": [\"not an arn\"]}");
            assertEquals("alice", Jetty.line(h.get(token(key)), "user"));
            assertEquals(401, h.get("forged.token.x").statusCode());
        }
    }

    @Test
    void aFilterWithASourceRefusesTheConfigParameters() {
        AlbAuthFilter filter = AlbAuthFilter.builder().configSource(new Settable(null))
                .initParameter("config", "{}").build();
        ServletException e = assertThrows(ServletException.class, () -> filter.init(null));
        assertTrue(e.getMessage().contains("must not be set"), e.getMessage());
    }

    @Test
    void theBuilderWantsASource() {
        assertThrows(IllegalStateException.class, () -> AlbAuthFilter.builder().build());
    }

    @Test
    void theLoginHandlerGivenToTheBuilderRuns() throws Exception {
        TestKey key = new TestKey();
        AtomicInteger logins = new AtomicInteger();
        LoginHandler handler = new LoginHandler() {
            @Override
            public boolean login(HttpServletRequest request, HttpServletResponse response, Decision decision,
                    String sessionUser) {
                logins.incrementAndGet();
                return true;
            }
        };
        try (Host h = new Host(AlbAuthFilter.builder().configSource(new Settable(Configs.json(Configs.pinned(key))))
                .loginHandler(handler).build())) {
            assertEquals("alice", Jetty.line(h.get(token(key)), "user"));
            assertEquals(1, logins.get());
        }
    }

    @Test
    void everyRefusalIsRecordedWithTheReferenceTheUserSees() throws Exception {
        TestKey key = new TestKey();
        RefusalLog log = new RefusalLog();
        AlbAuthFilter filter = AlbAuthFilter.builder().configSource(new Settable(Configs.json(Configs.pinned(key))))
                .refusals(log).build();
        try (Host h = new Host(filter)) {
            HttpResponse<String> r = h.get(token(new TestKey(key.kid)));
            assertEquals(401, r.statusCode());
            RefusalLog.Entry e = log.recent().get(0);
            assertEquals(401, e.status());
            assertEquals("/page", e.path());
            assertTrue(r.body().contains(e.reference()), r.body());
            assertEquals(log, filter.refusals());
        }
    }

    @Test
    void theInitParametersGivenToTheBuilderApply() throws Exception {
        TestKey key = new TestKey();
        try (Host h = new Host(AlbAuthFilter.builder().configSource(new Settable(Configs.json(Configs.pinned(key))))
                .initParameter("require-authentication", "true").build())) {
            assertEquals(401, h.get(null).statusCode());
        }
    }
}
