package io.albauth;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.http.HttpServletRequest;

/**
 * Verifies the identity headers an AWS Application Load Balancer adds after OIDC login.
 *
 * <p>Build one per configuration and share it across all request threads: its caches are what
 * make a request cost about a microsecond. {@link #reload(String)} swaps in a new configuration
 * without failing a request; {@link #close()} frees the native verifier once the calls in flight
 * have returned, and any call after it throws {@link IllegalStateException}.
 */
public final class AlbAuth implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Slot slot;
    private final Cleaner.Cleanable cleanable;

    private AlbAuth(Handle handle) {
        this.slot = new Slot(handle);
        this.cleanable = CLEANER.register(this, slot);
    }

    /**
     * A verifier for a JSON configuration (see the README's "Configuration").
     *
     * @throws AlbAuthConfigException if the configuration is refused; the message names the field
     */
    public static AlbAuth fromConfigJson(String json) throws AlbAuthConfigException {
        return new AlbAuth(Handle.create(json));
    }

    /**
     * Verifies one request's headers.
     *
     * @param headers header names (any case) to values; only {@code x-amzn-oidc-*} ones are read
     * @param nowUnix the time to check expiry against, in Unix seconds; 0 for the system clock
     * @throws AlbAuthArgumentException if {@code headers} or an identity header's value is null,
     *     or {@code nowUnix} is negative
     * @throws IllegalStateException after {@link #close()}
     */
    public Decision verify(Map<String, String> headers, long nowUnix) {
        if (headers == null) {
            throw AlbAuthArgumentException.nullArgument("headers is null");
        }
        if (nowUnix < 0) {
            throw AlbAuthArgumentException.invalidArgument("nowUnix is negative (0 means the system clock)");
        }
        IdentityHeaders picked = new IdentityHeaders();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            picked.add(e.getKey(), e.getValue());
        }
        return verify(picked, nowUnix);
    }

    /**
     * Verifies a servlet request's headers against the system clock (every value of a repeated
     * header is seen, so a smuggled second token is rejected).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public Decision verify(HttpServletRequest request) {
        if (request == null) {
            throw AlbAuthArgumentException.nullArgument("request is null");
        }
        IdentityHeaders picked = new IdentityHeaders();
        Enumeration<String> names = request.getHeaderNames();
        String seen = null; // the rare request with two x-amzn-oidc-* spellings: seen "a\nb\n"
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            if (!IdentityHeaders.isIdentityHeader(name)) {
                continue;
            }
            String key = name.toLowerCase(java.util.Locale.ROOT) + "\n";
            if (seen != null && seen.contains("\n" + key)) {
                continue; // getHeaders() is case-insensitive: this spelling's values are in
            }
            seen = (seen == null ? "\n" : seen) + key;
            Enumeration<String> values = request.getHeaders(name);
            while (values != null && values.hasMoreElements()) {
                picked.add(name, values.nextElement());
            }
        }
        return verify(picked, 0);
    }

    /**
     * Runs a request through every check, recording each (the verified-token cache is skipped, so
     * the trace is the full verification): what an admin's "test a login" page shows. Not for the
     * per-request path: it costs a full verification.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public Explanation explain(HttpServletRequest request) {
        if (request == null) {
            throw AlbAuthArgumentException.nullArgument("request is null");
        }
        java.util.List<String> pairs = new java.util.ArrayList<>();
        Enumeration<String> names = request.getHeaderNames();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            if (!IdentityHeaders.isIdentityHeader(name) || !seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            Enumeration<String> values = request.getHeaders(name);
            while (values != null && values.hasMoreElements()) {
                pairs.add(name);
                pairs.add(values.nextElement());
            }
        }
        return explain(pairs.toArray(new String[0]), 0);
    }

    /**
     * {@link #explain(HttpServletRequest)} for a map of headers (only {@code x-amzn-oidc-*} ones
     * are read) and a given time ({@code nowUnix}; 0 for the system clock).
     *
     * @throws AlbAuthArgumentException if {@code headers} or a value is null, or {@code nowUnix}
     *     is negative
     * @throws IllegalStateException after {@link #close()}
     */
    public Explanation explain(Map<String, String> headers, long nowUnix) {
        if (headers == null) {
            throw AlbAuthArgumentException.nullArgument("headers is null");
        }
        if (nowUnix < 0) {
            throw AlbAuthArgumentException.invalidArgument("nowUnix is negative (0 means the system clock)");
        }
        java.util.List<String> pairs = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && IdentityHeaders.isIdentityHeader(e.getKey())) {
                pairs.add(e.getKey());
                pairs.add(e.getValue());
            }
        }
        return explain(pairs.toArray(new String[0]), nowUnix);
    }

    private Explanation explain(String[] pairs, long nowUnix) {
        WireReader r = WireReader.reply(withHandle(h -> NativeBridge.explain(h, pairs, nowUnix)));
        if (r.status() != Status.OK) {
            String detail = r.string();
            throw Status.raise(r.status(), detail);
        }
        String trace = r.string();
        byte[] decision = r.blob();
        r.end();
        if (trace == null) {
            throw new AlbAuthPanicError("albauth: the native library returned a garbled reply (no trace)");
        }
        return new Explanation(Decision.decode(decision), trace);
    }

    /**
     * The counters of the verifier in force (since it was created or last {@link #reload}ed), for
     * an admin page or metrics.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public VerifierStats stats() {
        WireReader r = WireReader.reply(withHandle(NativeBridge::stats));
        if (r.status() != Status.OK) {
            throw Status.raise(r.status(), r.string());
        }
        long[] c = new long[8];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.int64();
        }
        int n = r.count(12);
        Map<String, Long> byCode = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String code = r.string();
            long count = r.int64();
            if (code == null) {
                throw new AlbAuthPanicError("albauth: the native library returned a garbled reply (null code)");
            }
            byCode.put(code, count);
        }
        r.end();
        return new VerifierStats(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], byCode);
    }

    /**
     * Plans a full directory sync: lists every user through the config's directory connector
     * and plans against the host's snapshot (JSON lines, one {@code UserRecord.toJson()} each).
     * A plan the brake (or an incomplete listing) refused comes back with
     * {@link io.albauth.sync.SyncPlan#refused()} set; {@code force} plans past the brake.
     *
     * @throws AlbAuthConfigException the config is invalid
     * @throws AlbAuthException the directory failed, or a snapshot line is invalid
     */
    public static io.albauth.sync.SyncPlan syncPlan(String configJson, String snapshotJsonl, boolean force) {
        if (configJson == null) {
            throw AlbAuthArgumentException.nullArgument("config JSON is null");
        }
        if (snapshotJsonl == null) {
            throw AlbAuthArgumentException.nullArgument("snapshot is null");
        }
        WireReader r = WireReader.reply(NativeBridge.syncPlan(configJson, snapshotJsonl, force ? 1 : 0));
        int status = r.status();
        String text = r.string();
        if (status != Status.OK) {
            throw Status.raise(status, text);
        }
        r.end();
        if (text == null) {
            throw new AlbAuthPanicError("albauth: the sync report is missing");
        }
        return io.albauth.sync.SyncPlan.parse(text);
    }

    /**
     * {@link #syncPlan(String, String, boolean)} with the snapshot built from {@code dir}
     * ({@link io.albauth.provision.UserDirectory#listUsers}).
     */
    public static io.albauth.sync.SyncPlan syncPlan(String configJson, io.albauth.provision.UserDirectory dir,
            boolean force) throws io.albauth.provision.DirectoryException {
        if (dir == null) {
            throw AlbAuthArgumentException.nullArgument("directory is null");
        }
        StringBuilder sb = new StringBuilder();
        dir.listUsers(u -> sb.append(u.toJson()).append('\n'));
        return syncPlan(configJson, sb.toString(), force);
    }

    /**
     * Checks a configuration exactly as {@link #fromConfigJson} would, without building a verifier:
     * for a setup page, which shows the error next to the field it names and stores nothing invalid.
     *
     * @throws AlbAuthArgumentException if {@code json} is null
     */
    public static ConfigCheck checkConfig(String json) {
        if (json == null) {
            throw AlbAuthArgumentException.nullArgument("config JSON is null");
        }
        WireReader r = WireReader.reply(NativeBridge.checkConfig(json));
        int status = r.status();
        if (status == Status.OK) {
            int n = r.count(4);
            java.util.List<String> warnings = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                warnings.add(r.string());
            }
            r.end();
            return new ConfigCheck(true, null, null, warnings);
        }
        String detail = r.string();
        if (!"config_invalid".equals(Status.name(status))) {
            throw Status.raise(status, detail);
        }
        String field = r.string();
        r.end();
        return new ConfigCheck(false, field, detail, java.util.List.of());
    }

    /**
     * The IdP templates a config's {@code template} field takes, as a JSON array of
     * {@code {"name", "label", "token_header", "username_claim", "issuer_pattern", "hint"}}: what a
     * setup page fills the fields from, so that its defaults are the core's.
     */
    public static String templatesJson() {
        WireReader r = WireReader.reply(NativeBridge.templates());
        if (r.status() != Status.OK) {
            throw Status.raise(r.status(), r.string());
        }
        String json = r.string();
        r.end();
        return json;
    }

    /**
     * Replaces the configuration. Calls in flight finish on the old one, later calls use the new
     * one; none fails because of the swap.
     *
     * @throws AlbAuthConfigException if the new configuration is refused (the old one stays)
     * @throws IllegalStateException after {@link #close()}
     */
    public void reload(String json) throws AlbAuthConfigException {
        slot.replace(Handle.create(json));
    }

    /**
     * Whether the current configuration sets {@code provisioning.enabled}: the host then plans and
     * applies at login ({@link io.albauth.provision.PlanApplier}).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public boolean provisioningEnabled() {
        return withHandle(NativeBridge::provisioningEnabled);
    }

    /**
     * Plans what the login of {@code decision}'s user must change on the host, with this
     * configuration's {@code provisioning} settings (whether or not {@code enabled} is set, so a
     * plan can be looked at before enabling). Planning is pure computation, a few microseconds:
     * call it once per login, not per request.
     *
     * @param decision an authenticated decision from this or another {@code AlbAuth}
     * @param currentUserJson the host's record of the user, {@code {"username", "display_name",
     *     "email", "active", "groups", "attributes": {"idp_id"}}}, or null when it has none (look it
     *     up by {@link #idpIdOf} first, then by username)
     * @throws AlbAuthArgumentException {@code invalid_argument} if the record is not valid (the
     *     message names the field, never a value) or the decision is not authenticated;
     *     {@code null_argument} if {@code decision} is null
     * @throws IllegalStateException after {@link #close()}
     */
    public io.albauth.provision.ProvisioningPlan planLogin(Decision decision, String currentUserJson) {
        authenticated(decision);
        byte[] reply = withHandle(h -> NativeBridge.planLogin(h, decision.username(), decision.displayName(),
                decision.email(), decision.sub(), decision.claimsJson(), groups(decision), currentUserJson));
        return PlanDecoder.decode(reply);
    }

    /**
     * {@link #planLogin(Decision, String)} with the record as a {@link
     * io.albauth.provision.UserRecord} (null when the host has none).
     */
    public io.albauth.provision.ProvisioningPlan planLogin(Decision decision,
            io.albauth.provision.UserRecord current) {
        return planLogin(decision, current == null ? null : current.toJson());
    }

    /**
     * The IdP's immutable id for {@code decision}'s user, by {@code provisioning.idp_id_claim}
     * (default: the data token's {@code sub}), or null when that claim is absent: what the host
     * looks the user up by before the username, and what a creation stores.
     *
     * @throws AlbAuthArgumentException if the decision is null or not authenticated
     * @throws IllegalStateException after {@link #close()}
     */
    public String idpIdOf(Decision decision) {
        return loginFacts(decision)[0];
    }

    /**
     * A digest of everything the plan of {@code decision}'s login takes from the identity and the
     * {@code provisioning} settings (the wanted username, attributes after fallbacks, IdP id,
     * groups after filter and mapping, and the IdP groups). Two logins with equal keys plan alike
     * against the same record, so a host provisions once per session and again only when the key
     * changes. Not a digest of the claims: the ALB re-signs the token with a new {@code exp} for
     * every request.
     *
     * <p>With {@code provisioning.enabled}, the key is computed once when a token is verified and
     * travels in the decision, so this costs nothing per request; otherwise (a plan looked at before
     * enabling) it is one native call.
     *
     * @throws AlbAuthArgumentException if the decision is null or not authenticated
     * @throws IllegalStateException after {@link #close()}
     */
    public String provisioningKey(Decision decision) {
        authenticated(decision);
        String carried = decision.carriedProvisioningKey();
        return carried != null ? carried : loginFacts(decision)[1];
    }

    private String[] loginFacts(Decision decision) {
        authenticated(decision);
        byte[] reply = withHandle(h -> NativeBridge.loginFacts(h, decision.username(), decision.displayName(),
                decision.email(), decision.sub(), decision.claimsJson(), groups(decision)));
        return PlanDecoder.decodeLoginFacts(reply);
    }

    private static void authenticated(Decision decision) {
        if (decision == null) {
            throw AlbAuthArgumentException.nullArgument("decision is null");
        }
        if (decision.outcome() != Decision.Outcome.AUTHENTICATED) {
            throw AlbAuthArgumentException.invalidArgument("only an authenticated decision can be provisioned");
        }
    }

    private static String[] groups(Decision decision) {
        return decision.groups().toArray(new String[0]);
    }

    /**
     * Runs {@code call} with the current native handle, counted in flight so that neither
     * {@link #reload} nor {@link #close} frees it meanwhile. For package code that calls natives
     * of its own on this verifier (the benchmark's Rust-side baseline).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    <T> T withHandle(java.util.function.LongFunction<T> call) {
        Handle handle = slot.acquire();
        try {
            return call.apply(handle.ptr);
        } finally {
            handle.exit();
        }
    }

    /**
     * Frees the native verifier, after waiting for the calls in flight to return. Idempotent.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    private Decision verify(IdentityHeaders h, long nowUnix) {
        byte[] data = utf8(h.data);
        byte[] identity = utf8(h.identity);
        String[] all = h.all == null ? null : h.all.toArray(new String[0]);
        byte[] out = new byte[NativeBridge.REPLY_BYTES];
        byte[] reply;
        Handle handle = slot.acquire();
        try {
            reply = all == null
                    ? NativeBridge.verify(handle.ptr, data, identity, access(h.access, handle), nowUnix, out)
                    : NativeBridge.verifyHeaders(handle.ptr, all, nowUnix, out);
        } finally {
            handle.exit();
        }
        return Decision.decode(reply == null ? out : reply);
    }

    /**
     * The access token's bytes, or null when the verifier does not read it and its size certainly
     * passes the core's check (UTF-8 takes at most 3 bytes per char): the same decision, without
     * copying a kilobyte or two per request.
     */
    private static byte[] access(String value, Handle handle) {
        if (value == null || (!handle.readsAccessToken && value.length() * 3L <= NativeBridge.MAX_HEADER_BYTES)) {
            return null;
        }
        return utf8(value);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The current native verifier; also the Cleaner's action, so it must not refer to AlbAuth. */
    private static final class Slot implements Runnable {
        volatile Handle current;

        Slot(Handle handle) {
            this.current = handle;
        }

        /** The current handle, entered (the caller must {@link Handle#exit()} it). */
        Handle acquire() {
            for (;;) {
                Handle handle = current;
                if (handle == null) {
                    throw new IllegalStateException("albauth: this AlbAuth is closed");
                }
                if (handle.enter()) {
                    return handle;
                }
                // replaced by reload() just now: use the new one
            }
        }

        synchronized void replace(Handle next) {
            Handle old = current;
            if (old == null) {
                next.retire();
                throw new IllegalStateException("albauth: this AlbAuth is closed");
            }
            current = next;
            old.retire();
        }

        @Override
        public synchronized void run() {
            Handle old = current;
            current = null;
            if (old != null) {
                old.retire();
            }
        }
    }

    /**
     * One native verifier and the count of calls using it. A caller counts itself in before
     * checking {@code retired}, and {@link #retire()} sets {@code retired} before reading the
     * count; both are sequentially consistent, so either the caller backs out or the count
     * includes it, and the native memory is freed only when no call can still use it.
     */
    private static final class Handle {
        final long ptr;
        final boolean readsAccessToken;
        private final AtomicInteger inflight = new AtomicInteger();
        private volatile boolean retired;

        private Handle(long ptr) {
            this.ptr = ptr;
            this.readsAccessToken = NativeBridge.readsAccessToken(ptr);
        }

        static Handle create(String json) {
            if (json == null) {
                throw AlbAuthArgumentException.nullArgument("config JSON is null");
            }
            WireReader r = WireReader.reply(NativeBridge.create(json));
            if (r.status() != Status.OK) {
                String detail = r.string();
                r.end();
                throw Status.raise(r.status(), detail);
            }
            long ptr = r.int64();
            r.end();
            if (ptr == 0) {
                throw new AlbAuthPanicError("albauth: the native library returned a null verifier");
            }
            return new Handle(ptr);
        }

        boolean enter() {
            inflight.incrementAndGet();
            if (retired) {
                inflight.decrementAndGet();
                return false;
            }
            return true;
        }

        void exit() {
            inflight.decrementAndGet();
        }

        /** Waits for the calls in flight (at most a key fetch's timeout), then frees. Once. */
        void retire() {
            retired = true;
            boolean interrupted = false;
            for (int spins = 0; inflight.get() != 0; spins++) {
                if (spins < 1000) {
                    Thread.onSpinWait();
                    continue;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: freeing under a running call is a use-after-free
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            NativeBridge.destroy(ptr);
        }
    }
}
