package io.albauth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What albauth decided about one request. Immutable and safe to share; {@link #toString()}
 * names the outcome and error code only, never the user.
 */
public final class Decision {
    /** The three possible verdicts. */
    public enum Outcome {
        /** Every check passed: {@link #username()} is the verified user. */
        AUTHENTICATED,
        /** No {@code x-amzn-oidc-data} header (the ALB let an unauthenticated request through). */
        ANONYMOUS,
        /** A check failed: {@link #errorCode()} says which. */
        REJECTED
    }

    private static final Decision ANONYMOUS_DECISION =
            new Decision(Outcome.ANONYMOUS, null, null, null, null, null, List.of(), null, null);

    private final Outcome outcome;
    private final String username;
    private final String displayName;
    private final String email;
    private final String sub;
    private final String claimsJson;
    private final List<String> groups;
    private final String errorCode;
    private final String errorDetail;

    private Decision(
            Outcome outcome,
            String username,
            String displayName,
            String email,
            String sub,
            String claimsJson,
            List<String> groups,
            String errorCode,
            String errorDetail) {
        this.outcome = outcome;
        this.username = username;
        this.displayName = displayName;
        this.email = email;
        this.sub = sub;
        this.claimsJson = claimsJson;
        this.groups = groups;
        this.errorCode = errorCode;
        this.errorDetail = errorDetail;
    }

    /**
     * The decision a verify native returned: a status byte, then for "ok" five strings (username,
     * display name, e-mail, sub, claims JSON), a count and that many groups; for a failure its
     * detail; for "anonymous" nothing. A string is a big-endian int byte length (-1: null) and
     * UTF-8 (see {@code encode} in {@code src/java/reply.rs}).
     */
    static Decision decode(byte[] reply) {
        if (reply == null || reply.length == 0) {
            throw new AlbAuthPanicError("albauth: the native library returned no result");
        }
        Reader r = new Reader(reply);
        String status = NativeBridge.statusName(reply[0] & 0xff);
        switch (status) {
            case "ok": {
                String username = r.string();
                String displayName = r.string();
                String email = r.string();
                String sub = r.string();
                String claimsJson = r.string();
                int n = r.integer();
                List<String> groups;
                if (n == 0) {
                    groups = List.of();
                } else {
                    String[] g = new String[n];
                    for (int i = 0; i < n; i++) {
                        g[i] = r.string();
                    }
                    groups = Collections.unmodifiableList(Arrays.asList(g));
                }
                return new Decision(Outcome.AUTHENTICATED, username, displayName, email, sub, claimsJson, groups,
                        null, null);
            }
            case "anonymous":
                return ANONYMOUS_DECISION;
            case "null_argument":
            case "invalid_argument":
                throw new AlbAuthArgumentException(status, r.string());
            case "panic":
                throw new AlbAuthPanicError("albauth: the native library returned an unknown status");
            default:
                return new Decision(Outcome.REJECTED, null, null, null, null, null, List.of(), status, r.string());
        }
    }

    /** Reads the encoded fields after the status byte. */
    private static final class Reader {
        private final byte[] b;
        private int i = 1;

        Reader(byte[] b) {
            this.b = b;
        }

        int integer() {
            int v = ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            i += 4;
            return v;
        }

        String string() {
            int len = integer();
            if (len < 0) {
                return null;
            }
            String s = new String(b, i, len, StandardCharsets.UTF_8);
            i += len;
            return s;
        }
    }

    /** The verdict. */
    public Outcome outcome() {
        return outcome;
    }

    /** The username to log in (after the configured transforms); null unless authenticated. */
    public String username() {
        return username;
    }

    /** The display-name claim; null unless authenticated and present. */
    public String displayName() {
        return displayName;
    }

    /** The e-mail claim; null unless authenticated and present. */
    public String email() {
        return email;
    }

    /** The verified {@code sub}; null unless authenticated. */
    public String sub() {
        return sub;
    }

    /** Every claim the username was read from, as compact JSON; null unless authenticated. */
    public String claimsJson() {
        return claimsJson;
    }

    /** The groups claim; never null, empty unless authenticated and configured. */
    public List<String> groups() {
        return groups;
    }

    /** The stable code of the failed check (e.g. {@code "expired"}); null unless rejected. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * Why the check failed, for an admin's log (never a token or personal data); null unless
     * rejected.
     */
    public String errorDetail() {
        return errorDetail;
    }

    @Override
    public String toString() {
        return errorCode == null ? "Decision[" + outcome + "]" : "Decision[" + outcome + " " + errorCode + "]";
    }
}
