package io.albauth.demo;

import io.albauth.provision.DirectoryException;
import io.albauth.provision.JdbcUserDirectory;
import io.albauth.provision.UserRecord;
import io.albauth.servlet.AlbAuthFilter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * Embedded Jetty 9 on 127.0.0.1 with {@link AlbAuthFilter} in front of a servlet that answers
 * {@code user=<remote user>} ({@code user=} when anonymous). Run by {@code jni/demo.sh}:
 *
 * <pre>jni/demo.sh --port 8080 --config albauth.json [--directory-db PATH] [--param name=value ...]</pre>
 *
 * {@code --param} sets any other filter init parameter. {@code --directory-db PATH} provisions
 * into an H2 database at {@code PATH} (a {@link JdbcUserDirectory}; the config needs
 * {@code "provisioning": {"enabled": true}}), and the page adds {@code groups=<the user's
 * groups there>}. Logs go to stdout; stays in the foreground until killed.
 */
public final class DemoServer {
    private DemoServer() {}

    /**
     * Answers who the request is authenticated as; with a directory, also the user's groups
     * there ({@code groups=a,b}, sorted).
     */
    public static final class WhoAmI extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient JdbcUserDirectory directory;

        public WhoAmI() {
            this(null);
        }

        /** @param directory where to read the user's groups, or null for none */
        public WhoAmI(JdbcUserDirectory directory) {
            this.directory = directory;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String user = req.getRemoteUser();
            String body = "user=" + (user == null ? "" : user);
            if (directory != null) {
                UserRecord record = null;
                try {
                    record = user == null ? null : directory.findByUsername(user);
                } catch (DirectoryException e) {
                    throw new IOException("the demo's directory failed: " + e.getMessage(), e);
                }
                body += "\ngroups=" + (record == null ? "" : String.join(",", record.groups()));
            }
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The JDBC URL of an H2 database file at {@code path} (H2 adds {@code .mv.db}). */
    public static String h2Url(String path) {
        String file = java.nio.file.Path.of(path).toAbsolutePath().toString();
        return "jdbc:h2:file:" + (file.endsWith(".mv.db") ? file.substring(0, file.length() - 6) : file);
    }

    /**
     * Starts Jetty on {@code 127.0.0.1:port} (0 picks a free port) with the filter's init
     * parameters; sessions are on, as in Jira and Confluence.
     */
    public static Server start(int port, Map<String, String> filterParams) throws Exception {
        return start(port, filterParams, new WhoAmI());
    }

    /** Like {@link #start(int, Map)} with another servlet behind the filter. */
    public static Server start(int port, Map<String, String> filterParams, HttpServlet servlet) throws Exception {
        return start(port, filterParams, servlet, EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD));
    }

    /**
     * Like {@link #start(int, Map, HttpServlet)}, the filter mapped for {@code dispatches} (the
     * filter's documentation asks for REQUEST and FORWARD).
     */
    public static Server start(int port, Map<String, String> filterParams, HttpServlet servlet,
            EnumSet<DispatcherType> dispatches) throws Exception {
        Server server = new Server(new InetSocketAddress("127.0.0.1", port));
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        FilterHolder filter = new FilterHolder(AlbAuthFilter.class);
        filter.setName("albauth");
        filter.setInitParameters(filterParams);
        context.addFilter(filter, "/*", dispatches);
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        if (!context.isAvailable()) {
            server.stop();
            throw new IllegalStateException("the albauth filter did not start (see the log above)");
        }
        return server;
    }

    /** The port a started server listens on. */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The filter instance inside a started server (to call {@link AlbAuthFilter#reload()}). */
    public static AlbAuthFilter filter(Server server) throws Exception {
        ServletContextHandler context = (ServletContextHandler) server.getHandler();
        return (AlbAuthFilter) context.getServletHandler().getFilter("albauth").getFilter();
    }

    public static void main(String[] args) throws Exception {
        Integer port = null;
        String config = null;
        String directoryDb = null;
        Map<String, String> params = new LinkedHashMap<>();
        params.put("config-reload-secs", "2");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (a.equals("--port") && value != null) {
                port = Integer.parseInt(value);
                i++;
            } else if (a.equals("--config") && value != null) {
                config = value;
                i++;
            } else if (a.equals("--directory-db") && value != null) {
                directoryDb = value;
                i++;
            } else if (a.equals("--param") && value != null && value.contains("=")) {
                params.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                i++;
            } else {
                usage("unknown or incomplete argument: " + a);
            }
        }
        if (port == null || config == null) {
            usage("--port and --config are required");
        }
        params.put("config-file", config);
        JdbcUserDirectory directory = null;
        if (directoryDb != null) {
            params.put("directory-jdbc-url", h2Url(directoryDb));
            directory = new JdbcUserDirectory(h2Url(directoryDb));
        }
        logToStdout();
        Server server;
        try {
            server = start(port, params, new WhoAmI(directory));
        } catch (Exception e) {
            System.out.println("albauth demo: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("albauth demo: listening on http://127.0.0.1:" + port(server) + "/ (config " + config
                + (directoryDb == null ? "" : ", user directory " + h2Url(directoryDb)) + ")");
        server.join();
    }

    private static void usage(String why) {
        System.err.println("demo.sh: " + why);
        System.err.println("usage: jni/demo.sh --port PORT --config FILE [--directory-db PATH] [--param name=value ...]");
        System.exit(2);
    }

    /** Routes java.util.logging (the filter's log, and Jetty's) to stdout. */
    private static void logToStdout() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                root.removeHandler(h);
            }
        }
        PrintStream out = System.out;
        root.addHandler(new StreamHandler(out, new SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        });
    }
}
