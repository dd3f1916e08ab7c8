package io.albauth;

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
            new Decision(Outcome.ANONYMOUS, null, null, null, null, null, List.of(), null, null, null);

    private final Outcome outcome;
    private final String username;
    private final String displayName;
    private final String email;
    private final String sub;
    private final String claimsJson;
    private final List<String> groups;
    private final String errorCode;
    private final String errorDetail;
    /** The provisioning key the verifying configuration computed; null when provisioning is off. */
    private final String provisioningKey;

    private Decision(
            Outcome outcome,
            String username,
            String displayName,
            String email,
            String sub,
            String claimsJson,
            List<String> groups,
            String errorCode,
            String errorDetail,
            String provisioningKey) {
        this.outcome = outcome;
        this.username = username;
        this.displayName = displayName;
        this.email = email;
        this.sub = sub;
        this.claimsJson = claimsJson;
        this.groups = groups;
        this.errorCode = errorCode;
        this.errorDetail = errorDetail;
        this.provisioningKey = provisioningKey;
    }

    /**
     * The decision a verify native returned, read with {@link WireReader}: for {@code ok} five
     * strings (username, display name, e-mail, sub, claims JSON), a count and that many groups,
     * then the provisioning key (null when provisioning is off); for a refusal its detail; for {@code anonymous} nothing (see {@code encode} in
     * {@code src/java/reply.rs}). A call failure throws what {@link Status} maps it to; a
     * missing, zeroed, truncated or garbled reply throws {@link AlbAuthPanicError}.
     */
    static Decision decode(byte[] reply) {
        WireReader r = WireReader.reply(reply);
        int status = r.status();
        if (status == Status.OK) {
            String username = r.string();
            String displayName = r.string();
            String email = r.string();
            String sub = r.string();
            String claimsJson = r.string();
            int n = r.count(4);
            List<String> groups;
            if (n == 0) {
                groups = List.of();
            } else {
                String[] g = new String[n];
                for (int i = 0; i < n; i++) {
                    g[i] = r.string();
                    if (g[i] == null) {
                        throw new AlbAuthPanicError("albauth: the native library returned a garbled reply (null group)");
                    }
                }
                groups = Collections.unmodifiableList(Arrays.asList(g));
            }
            String provisioningKey = r.string();
            r.end();
            if (username == null || sub == null || claimsJson == null) {
                throw new AlbAuthPanicError("albauth: the native library returned a garbled reply (no user)");
            }
            return new Decision(Outcome.AUTHENTICATED, username, displayName, email, sub, claimsJson, groups,
                    null, null, provisioningKey);
        }
        if (status == Status.ANONYMOUS) {
            r.end();
            return ANONYMOUS_DECISION;
        }
        String detail = r.string();
        r.end();
        if (Status.isRefusal(status)) {
            return new Decision(Outcome.REJECTED, null, null, null, null, null, List.of(), Status.name(status),
                    detail == null ? "" : detail, null);
        }
        throw Status.raise(status, detail);
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

    /**
     * The provisioning key computed when the token was verified (cached with it, so free per
     * request), or null when the verifying configuration has provisioning off. See
     * {@link AlbAuth#provisioningKey}.
     */
    String carriedProvisioningKey() {
        return provisioningKey;
    }

    @Override
    public String toString() {
        return errorCode == null ? "Decision[" + outcome + "]" : "Decision[" + outcome + " " + errorCode + "]";
    }
}
