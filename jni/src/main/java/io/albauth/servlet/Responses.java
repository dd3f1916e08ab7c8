package io.albauth.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The short answer to a refused request: the error code and a support reference that is also in
 * the server log. JSON for requests that want JSON or come from XHR, a small HTML page otherwise.
 * Never the token, the user or the detail (which is logged for the admin instead).
 */
final class Responses {
    private Responses() {}

    /** A random reference that ties the response to its log line. */
    static String newReference() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        String xhr = request.getHeader("X-Requested-With");
        return (accept != null && accept.contains("json"))
                || (xhr != null && xhr.equalsIgnoreCase("XMLHttpRequest"));
    }

    static void refuse(
            HttpServletRequest request, HttpServletResponse response, int status, String code, String reference)
            throws IOException {
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        String body;
        if (wantsJson(request)) {
            response.setContentType("application/json;charset=UTF-8");
            body = "{\"error\":\"" + code + "\",\"reference\":\"" + reference + "\"}";
        } else {
            response.setContentType("text/html;charset=UTF-8");
            String title = status == 403 ? "Request refused" : "Sign-in could not be verified";
            body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + status + " " + title
                    + "</title></head>\n<body><h1>" + title + "</h1>\n"
                    + "<p>Error code: <code>" + code + "</code></p>\n"
                    + "<p>Support reference: <code>" + reference + "</code></p>\n"
                    + "<p>Try again, or give the code and reference to your administrator.</p>\n"
                    + "</body></html>\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
