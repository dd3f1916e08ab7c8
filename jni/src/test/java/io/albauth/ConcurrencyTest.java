package io.albauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.TestKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One AlbAuth shared by many threads, closed and reloaded while they run. */
class ConcurrencyTest {
    static final long NOW = Fixtures.NOW;

    static String tokenFor(TestKey key, int user) {
        return new AlbToken(key).claim("username", "user" + user).claim("sub", "sub-" + user).sign(key);
    }

    @Test
    @Timeout(120)
    void sixteenThreadsSharingOneAlbAuthEachGetTheirOwnUser() throws Exception {
        TestKey key = new TestKey();
        int threads = 16;
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tokens.add(tokenFor(key, i));
        }
        String expired = new AlbToken(key).exp(NOW - 3600).sign(key);
        try (AlbAuth auth = AlbAuth.fromConfigJson(Configs.json(Configs.pinned(key)))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < 2_000; i++) {
                        // every thread also verifies its neighbour's token, so identities interleave
                        int user = i % 2 == 0 ? me : (me + 1) % threads;
                        Decision d = auth.verify(Map.of("x-amzn-oidc-data", tokens.get(user),
                                "x-amzn-oidc-identity", "sub-" + user), NOW);
                        assertEquals("user" + user, d.username());
                        if (i % 100 == 0) {
                            assertEquals("expired", auth.verify(Map.of("x-amzn-oidc-data", expired), NOW).errorCode());
                            assertEquals(Decision.Outcome.ANONYMOUS, auth.verify(Map.of(), NOW).outcome());
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(100, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(threads * 2_000, total);
        }
    }

    @Test
    @Timeout(120)
    void closeWhileThreadsVerifyNeverCrashesAndLaterCallsThrowIllegalState() throws Exception {
        TestKey key = new TestKey();
        String token = tokenFor(key, 7);
        // token_cache_size 0: every call is a full verification, so calls are in flight when close() runs
        Map<String, Object> config = Configs.pinned(key);
        config.put("token_cache_size", 0);
        AlbAuth auth = AlbAuth.fromConfigJson(Configs.json(config));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong ok = new AtomicLong();
        AtomicInteger closedSeen = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                running.countDown();
                for (;;) {
                    try {
                        Decision d = auth.verify(Map.of("x-amzn-oidc-data", token), NOW);
                        assertEquals("user7", d.username());
                        ok.incrementAndGet();
                    } catch (IllegalStateException closed) {
                        closedSeen.incrementAndGet();
                        return null;
                    }
                }
            }));
        }
        running.await();
        while (ok.get() < 200) {
            Thread.sleep(1);
        }
        auth.close();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(threads, closedSeen.get());
        long after = ok.get();
        try {
            auth.verify(Map.of("x-amzn-oidc-data", token), NOW);
        } catch (IllegalStateException expected) {
            assertEquals(after, ok.get());
            return;
        }
        throw new AssertionError("verify after close must throw IllegalStateException");
    }

    @Test
    @Timeout(120)
    void reloadUnderLoadFailsNoRequest() throws Exception {
        TestKey a = new TestKey();
        TestKey b = new TestKey();
        String token = tokenFor(a, 3);
        Map<String, Object> config = Configs.pinned(a, b);
        config.put("token_cache_size", 0);
        String json = Configs.json(config);
        try (AlbAuth auth = AlbAuth.fromConfigJson(json)) {
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicLong ok = new AtomicLong();
            CountDownLatch stop = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    while (stop.getCount() > 0) {
                        assertEquals("user3", auth.verify(Map.of("x-amzn-oidc-data", token), NOW).username());
                        ok.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 50; i++) {
                auth.reload(json);
                Thread.sleep(2);
            }
            stop.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS); // rethrows any failed assertion or exception
            }
            pool.shutdown();
            assertTrue(ok.get() > 0);
        }
    }
}
