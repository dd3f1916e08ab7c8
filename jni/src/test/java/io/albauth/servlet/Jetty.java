package io.albauth.servlet;

import io.albauth.demo.DemoServer;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.TestKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.servlet.DispatcherType;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;
import org.eclipse.jetty.server.Server;

/**
 * A real Jetty 9 on 127.0.0.1 (an ephemeral port) with the filter in front of a servlet, and a
 * real HTTP client. The config pins a key made here, and tokens are signed with it.
 */
final class Jetty implements AutoCloseable {
    /**
     * Shows what the application behind the filter sees. Forwards internally as the products do:
     * {@code /s/<anything>/_/<path>} to {@code /<path>} (Jira's CachingResourceDownloadRewriteRule,
     * greedy {@code ^/s/(.*)/_/(.*)}), and {@code ?forward=<path>} on a first dispatch, as any
     * application may.
     */
    static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final Pattern STATIC_FORWARD = Pattern.compile("^/s/(.*)/_/(.*)");

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            if (req.getDispatcherType() == DispatcherType.REQUEST) {
                Matcher m = STATIC_FORWARD.matcher(AlbAuthFilter.pathOf(req));
                String to = m.matches() ? "/" + m.group(2) : req.getParameter("forward");
                if (to != null) {
                    req.getRequestDispatcher(to).forward(req, resp);
                    return;
                }
            }
            if (req.getParameter("session") != null) {
                req.getSession(true);
            }
            HttpSession session = req.getSession(false);
            Object decision = req.getAttribute(AlbAuthFilter.DECISION_ATTRIBUTE);
            String body = "user=" + (req.getRemoteUser() == null ? "" : req.getRemoteUser()) + "\n"
                    + "principal=" + (req.getUserPrincipal() == null ? "" : req.getUserPrincipal().getName()) + "\n"
                    + "decision=" + (decision == null ? "" : decision) + "\n"
                    + "admin=" + req.isUserInRole("jira-admins") + "\n"
                    + "session=" + (session == null ? "" : session.getId()) + "\n"
                    + "path=" + AlbAuthFilter.pathOf(req) + "\n";
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    final TestKey key;
    final Server server;
    final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /**
     * Filter params; "config" defaults to a pinned config for {@code key}. The filter is mapped
     * for REQUEST and FORWARD, as docs/java.md asks, unless the pseudo-parameter
     * {@value #DISPATCH} says {@code REQUEST}.
     */
    Jetty(TestKey key, Map<String, String> params) throws Exception {
        this.key = key;
        Map<String, String> p = new LinkedHashMap<>(params);
        if (!p.containsKey("config-file")) {
            p.putIfAbsent("config", Configs.json(Configs.pinned(key)));
        }
        EnumSet<DispatcherType> dispatches = "REQUEST".equals(p.remove(DISPATCH))
                ? EnumSet.of(DispatcherType.REQUEST)
                : EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD);
        this.server = DemoServer.start(0, p, new Echo(), dispatches);
    }

    /** Not a filter parameter: how the test maps the filter. */
    static final String DISPATCH = "test.dispatch";

    static Jetty start(String... params) throws Exception {
        return new Jetty(new TestKey(), pairs(params));
    }

    static Map<String, String> pairs(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A valid token for user alice, expiring in 10 minutes of real time. */
    String token() {
        return token("alice");
    }

    String token(String user) {
        long now = System.currentTimeMillis() / 1000;
        return new AlbToken(key).exp(now + 600).claim("username", user).claim("sub", "sub-" + user).sign(key);
    }

    String expiredToken() {
        long now = System.currentTimeMillis() / 1000;
        return new AlbToken(key).exp(now - 3600).sign(key);
    }

    /** The {@code JSESSIONID=...} pair a response set, or null. */
    static String sessionCookie(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.split(";")[0]).reduce((first, last) -> last).orElse(null);
    }

    /** GET {@code path} with header name/value pairs (a name may repeat). */
    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + DemoServer.port(server) + path))
                .timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String line(HttpResponse<String> r, String name) {
        for (String l : r.body().split("\n")) {
            if (l.startsWith(name + "=")) {
                return l.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + "= line in: " + r.body());
    }

    static List<String> setCookies(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie");
    }

    AlbAuthFilter filter() throws Exception {
        return DemoServer.filter(server);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
