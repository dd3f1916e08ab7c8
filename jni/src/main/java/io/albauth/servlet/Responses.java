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

    /**
     * A sentence for the user about a code they can do nothing about themselves (provisioning
     * refusals and failures), or null. Never personal data.
     */
    static String explanation(String code) {
        switch (code) {
            case "user_inactive":
                return "Your account here is deactivated. An administrator can reactivate it.";
            case "unknown_user":
                return "There is no account for you here, and accounts are not created automatically.";
            case "not_allowed":
                return "You may not sign in here: you are in no group that may, or your identity provider's "
                        + "directory reports your account disabled or unknown.";
            case "directory_unavailable":
                return "Your account could not be checked with your identity provider just now. Try again in a "
                        + "moment.";
            case "record_mismatch":
                return "An account with your username belongs to another identity. An administrator must "
                        + "resolve this.";
            case "no_seat_available":
                return "No licence seat is left for another user. An administrator can free or add seats.";
            case "provisioning_failed":
                return "Your account could not be set up just now. Try again in a moment.";
            default:
                return null;
        }
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
            String explanation = explanation(code);
            String title = status == 403 ? (explanation != null ? "Sign-in refused" : "Request refused")
                    : status == 503 ? "Sign-in could not be completed" : "Sign-in could not be verified";
            body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + status + " " + title
                    + "</title></head>\n<body><h1>" + title + "</h1>\n"
                    + (explanation == null ? "" : "<p>" + explanation + "</p>\n")
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
