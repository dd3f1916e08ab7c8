package io.albauth.bench;

import io.albauth.AlbAuth;
import io.albauth.Decision;
import io.albauth.RustBaseline;
import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.TestKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ns per {@code AlbAuth.verify} through JNI for a cache hit and a miss, against a pure-JDK
 * verifier on the same tokens in the same JVM, and against the Rust API on the same tokens
 * ({@code examples/rust_baseline.rs}). Run by {@code jni/bench.sh}.
 *
 * <p>Figures are CPU time of the measuring thread per verification (so time lost to other
 * processes on a shared machine does not count), best of interleaved rounds, after warm-up:
 * noise only ever slows a run down, so the best is the closest to the true cost, and
 * interleaving exposes both sides of each ratio to the same conditions.
 */
public final class JniBenchmark {
    static final int TOKENS = 1000;
    static final long NOW = Fixtures.NOW;
    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    static volatile Object sink;

    interface Op {
        void run(int i) throws Exception;
    }

    static double nsPerOp(int count, Op op) throws Exception {
        long t0 = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < count; i++) {
            op.run(i);
        }
        return (CPU.getCurrentThreadCpuTime() - t0) / (double) count;
    }

    public static void main(String[] args) throws Exception {
        String rust = null;
        int rounds = 15;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rust")) {
                rust = args[++i];
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("usage: JniBenchmark [--rust rust_baseline] [--rounds N]");
            }
        }

        TestKey key = new TestKey();
        List<Map<String, String>> requests = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        Map<String, Object> missConfig = Configs.pinned(key);
        missConfig.put("token_cache_size", 0);
        String hitConfig = Configs.json(Configs.pinned(key));
        file.append(Configs.json(missConfig)).append('\n').append(hitConfig).append('\n').append(NOW).append('\n');
        // The ALB also forwards the IdP access token (about 1 KB from Cognito); it crosses into
        // native code like any identity header, though a cognito config does not read it.
        String accessToken = "eyJraWQiOiJhY2Nlc3MifQ." + "A".repeat(900) + "." + "s".repeat(342);
        for (int i = 0; i < TOKENS; i++) {
            String sub = String.format("a1b2c3d4-0000-4000-8000-%012d", i);
            String token = new AlbToken(key)
                    .claim("sub", sub)
                    .claim("email", "user" + i + "@example.com")
                    .claim("username", "user" + i)
                    .claim("name", "User Number " + i)
                    .sign(key);
            Map<String, String> h = new HashMap<>();
            h.put("x-amzn-oidc-data", token);
            h.put("x-amzn-oidc-identity", sub);
            h.put("x-amzn-oidc-accesstoken", accessToken);
            requests.add(h);
            tokens.add(token);
            file.append(token).append(' ').append(sub).append(' ').append(accessToken).append('\n');
        }
        Path tokenFile = Files.createTempFile("albauth-bench", ".txt");
        Files.writeString(tokenFile, file);

        JdkVerifier jdk = new JdkVerifier(Map.of(key.kid, key.pem()), Fixtures.ALB, Fixtures.ISSUER, Fixtures.CLIENT, "username");
        try (AlbAuth miss = AlbAuth.fromConfigJson(Configs.json(missConfig));
                AlbAuth hit = AlbAuth.fromConfigJson(hitConfig)) {
            Op jniMiss = i -> check(miss.verify(requests.get(i % TOKENS), NOW), i);
            Op jniHit = i -> check(hit.verify(requests.get(i % TOKENS), NOW), i);
            Op pureJdk = i -> sink = jdk.verify(tokens.get(i % TOKENS), NOW);

            System.out.println("warming up (JIT) ...");
            nsPerOp(3 * TOKENS, jniMiss);
            nsPerOp(300_000, jniHit);
            nsPerOp(1_500, pureJdk);

            double missNs = Double.MAX_VALUE;
            double hitNs = Double.MAX_VALUE;
            double jdkNs = Double.MAX_VALUE;
            double rustMiss = Double.NaN;
            double rustHit = Double.NaN;
            double inMiss = Double.MAX_VALUE;
            double inHit = Double.MAX_VALUE;
            String[] dataArr = new String[TOKENS];
            String[] idArr = new String[TOKENS];
            String[] accArr = new String[TOKENS];
            for (int i = 0; i < TOKENS; i++) {
                dataArr[i] = requests.get(i).get("x-amzn-oidc-data");
                idArr[i] = requests.get(i).get("x-amzn-oidc-identity");
                accArr[i] = requests.get(i).get("x-amzn-oidc-accesstoken");
            }
            for (int r = 0; r < rounds; r++) {
                if (rust != null) {
                    double[] rr = rust(rust, tokenFile);
                    rustMiss = Double.isNaN(rustMiss) ? rr[0] : Math.min(rustMiss, rr[0]);
                    rustHit = Double.isNaN(rustHit) ? rr[1] : Math.min(rustHit, rr[1]);
                }
                for (int pass = 0; pass < 3; pass++) {
                    missNs = Math.min(missNs, nsPerOp(TOKENS, jniMiss));
                    inMiss = Math.min(inMiss, positive(RustBaseline.nanosPerVerify(miss, dataArr, idArr, accArr, 1, NOW)));
                }
                hitNs = Math.min(hitNs, nsPerOp(200 * TOKENS, jniHit));
                inHit = Math.min(inHit, positive(RustBaseline.nanosPerVerify(hit, dataArr, idArr, accArr, 200, NOW)));
                jdkNs = Math.min(jdkNs, nsPerOp(300, pureJdk));
                System.out.printf("round %d: best so far: jni miss %.0f ns, rust miss %.0f ns in-JVM / %.0f ns own process, "
                        + "jni hit %.0f ns, pure JDK %.0f ns%n", r + 1, missNs, inMiss, rustMiss, hitNs, jdkNs);
            }
            Files.delete(tokenFile);

            String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            System.out.println();
            System.out.printf("albauth JNI benchmark: %s %s, %d CPUs, load average %s%n",
                    System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), load);
            System.out.println("  (CPU time per verify, best of " + rounds + " interleaved rounds, 1000 distinct tokens,");
            System.out.println("   the three x-amzn-oidc-* headers an ALB sends, AlbAuth.verify(Map, long))");
            System.out.printf("  JNI cache hit                 %9.0f ns   target < 1500 ns:  %s%n", hitNs, verdict(hitNs < 1500));
            System.out.printf("  JNI miss                      %9.0f ns%n", missNs);
            System.out.printf("  pure JDK (SunEC ES256)        %9.0f ns%n", jdkNs);
            System.out.printf("  pure JDK / JNI miss           %9.1fx   target >= 15x:     %s%n", jdkNs / missNs, verdict(jdkNs / missNs >= 15));
            System.out.println("  Rust API on the same requests, called inside this JVM (no crossing per call):");
            System.out.printf("    Rust API miss               %9.0f ns%n", inMiss);
            System.out.printf("    JNI miss / Rust miss        %9.3fx   target <= 1.1x:    %s%n", missNs / inMiss, verdict(missNs / inMiss <= 1.1));
            System.out.printf("    Rust API hit                %9.0f ns   (JNI crossing on a hit: %.0f ns)%n", inHit, hitNs - inHit);
            if (rust != null) {
                System.out.println("  Rust API in its own process (examples/rust_baseline.rs, same requests):");
                System.out.printf("    Rust API miss               %9.0f ns   (JNI miss / this: %.3fx)%n", rustMiss, missNs / rustMiss);
                System.out.printf("    Rust API hit                %9.0f ns%n", rustHit);
            }
        }
    }

    static void check(Decision d, int i) {
        if (d.outcome() != Decision.Outcome.AUTHENTICATED || !d.username().equals("user" + (i % TOKENS))) {
            throw new AssertionError("benchmark token " + i + " did not verify: " + d);
        }
        sink = d;
    }

    static double positive(double ns) {
        if (ns <= 0) {
            throw new IllegalStateException("the Rust baseline failed or has no thread CPU clock: " + ns);
        }
        return ns;
    }

    static String verdict(boolean ok) {
        return ok ? "MET" : "NOT MET";
    }

    /** Runs the Rust baseline once on the same tokens: {miss ns, hit ns}. */
    static double[] rust(String exe, Path tokenFile) throws Exception {
        Process p = new ProcessBuilder(exe, tokenFile.toString(), "3").redirectErrorStream(true).start();
        double miss = Double.NaN;
        double hitNs = Double.NaN;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                out.append(l).append('\n');
                if (l.startsWith("rust_miss_ns ")) {
                    miss = Double.parseDouble(l.substring(13));
                } else if (l.startsWith("rust_hit_ns ")) {
                    hitNs = Double.parseDouble(l.substring(12));
                }
            }
        }
        if (p.waitFor() != 0 || Double.isNaN(miss) || Double.isNaN(hitNs)) {
            throw new IllegalStateException("rust_baseline failed:\n" + out);
        }
        return new double[] {miss, hitNs};
    }
}
