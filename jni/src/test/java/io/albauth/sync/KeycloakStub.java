package io.albauth.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.albauth.testing.Configs;
import io.albauth.testing.HttpReplies;
import io.albauth.testing.Json;
import io.albauth.testing.TestKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Keycloak-shaped admin API on 127.0.0.1 (a real HTTP server, as in FilterLookupTest), serving
 * what the keycloak connector's full listing asks for: a client-credentials token, then
 * {@code /groups}, each group's {@code /members} and {@code /children}, and {@code /users}, all
 * with {@code first}/{@code max} offset paging (the connector's page is 100).
 */
final class KeycloakStub implements AutoCloseable {
    static final String ADMIN = "/admin/realms/corp";

    /** One IdP user. */
    record User(String id, String username, String first, String last, boolean enabled, List<String> groups) {}

    final HttpServer server;
    final List<User> users = new CopyOnWriteArrayList<>();
    /** Answers every users page from this offset on with 503 (Retry-After: 0); -1 never. */
    volatile int failUsersFrom = -1;
    final AtomicInteger userPages = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    KeycloakStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/realms/corp/protocol/openid-connect/token",
                x -> HttpReplies.json(x, 200, "{\"access_token\":\"kc-token\",\"expires_in\":300,\"token_type\":\"Bearer\"}"));
        server.createContext(ADMIN + "/", this::admin);
        server.start();
    }

    KeycloakStub add(String id, String username, String first, String last, boolean enabled, String... groups) {
        users.add(new User(id, username, first, last, enabled, List.of(groups)));
        return this;
    }

    /** The albauth config: pinned keys, the keycloak connector (username from `username`), and {@code sync} added to directory_sync. */
    String config(Map<String, Object> sync) {
        Map<String, Object> connector = new LinkedHashMap<>();
        connector.put("type", "keycloak");
        connector.put("base_url", "http://127.0.0.1:" + server.getAddress().getPort());
        connector.put("realm", "corp");
        connector.put("client_id", "albauth");
        connector.put("client_secret", "kc-secret");
        connector.put("username_attribute", "username");
        Map<String, Object> ds = new LinkedHashMap<>();
        ds.put("connector", connector);
        ds.putAll(sync);
        Map<String, Object> c = Configs.pinned(new TestKey());
        c.put("directory_sync", ds);
        return Configs.json(c);
    }

    private void admin(HttpExchange x) throws IOException {
        if (!"Bearer kc-token".equals(x.getRequestHeaders().getFirst("Authorization"))) {
            HttpReplies.json(x, 401, "{\"error\":\"unauthorized\"}");
            return;
        }
        String path = x.getRequestURI().getPath().substring(ADMIN.length());
        Map<String, String> q = query(x);
        int first = Integer.parseInt(q.getOrDefault("first", "0"));
        int max = Integer.parseInt(q.getOrDefault("max", "100"));
        List<Object> all = new ArrayList<>();
        if (path.equals("/groups")) {
            TreeSet<String> names = new TreeSet<>();
            users.forEach(u -> names.addAll(u.groups()));
            for (String n : names) {
                all.add(Map.of("id", "g-" + n, "name", n, "path", "/" + n, "subGroupCount", 0));
            }
        } else if (path.startsWith("/groups/") && path.endsWith("/children")) {
            // no subgroups
        } else if (path.startsWith("/groups/") && path.endsWith("/members")) {
            String name = path.substring("/groups/g-".length(), path.length() - "/members".length());
            for (User u : users) {
                if (u.groups().contains(name)) {
                    all.add(json(u));
                }
            }
        } else if (path.equals("/users")) {
            userPages.incrementAndGet();
            if (failUsersFrom >= 0 && first >= failUsersFrom) {
                failures.incrementAndGet();
                x.getResponseHeaders().set("Retry-After", "0");
                HttpReplies.json(x, 503, "{\"error\":\"unavailable\"}");
                return;
            }
            for (User u : users) {
                all.add(json(u));
            }
        } else {
            HttpReplies.json(x, 404, "{\"error\":\"not found\"}");
            return;
        }
        HttpReplies.json(x, 200, Json.write(all.subList(Math.min(first, all.size()), Math.min(first + max, all.size()))));
    }

    private static Map<String, Object> json(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("username", u.username());
        m.put("email", u.username() + "@example.com");
        m.put("firstName", u.first());
        m.put("lastName", u.last());
        m.put("enabled", u.enabled());
        return m;
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
