package io.albauth.atlassian;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** One browser against a test host: its own cookies, no redirects followed, a real HTTP client. */
final class Browser {
    private final URI base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;

    Browser(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** GET with an ALB token in x-amzn-oidc-data (none if null). */
    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("x-amzn-oidc-data", token);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST a form, with an ALB token (none if null). */
    HttpResponse<String> post(String path, String token, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (token != null) {
            b.header("x-amzn-oidc-data", token);
        }
        return client.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The session cookie's value, or null. */
    String session() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Sends this session id from now on (as a browser that kept an old cookie). */
    void useSession(String id) {
        cookies.getCookieStore().removeAll();
        HttpCookie c = new HttpCookie("JSESSIONID", id);
        c.setPath("/");
        c.setVersion(0);
        cookies.getCookieStore().add(base, c);
    }

    /** The value of a {@code name=value} line of a product page. */
    static String line(HttpResponse<String> r, String name) {
        for (String l : r.body().split("\n")) {
            if (l.startsWith(name + "=")) {
                return l.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + "= line in " + r.statusCode() + ": " + r.body());
    }
}
