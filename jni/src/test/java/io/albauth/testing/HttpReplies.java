package io.albauth.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Answers of the loopback IdP stubs the tests serve with {@code com.sun.net.httpserver}. */
public final class HttpReplies {
    private HttpReplies() {}

    /** Sends {@code json} with {@code status} as {@code application/json}, and ends the exchange. */
    public static void json(HttpExchange x, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
        x.close();
    }
}
