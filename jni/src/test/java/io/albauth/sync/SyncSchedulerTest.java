package io.albauth.sync;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.provision.H2;
import io.albauth.provision.JdbcUserDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncScheduler} on a fixed clock, with every wait the schedule asks for recorded and
 * shortened to nothing, so that {@code every 1m} runs at once; latches with generous timeouts,
 * no timed assertions.
 */
class SyncSchedulerTest {
    static final Instant T = Instant.parse("2026-12-03T12:00:00Z");
    static final Clock FIXED = Clock.fixed(T, ZoneOffset.UTC);
    static final SyncSchedule EVERY_MINUTE = SyncSchedule.parse("every 1m");

    final List<Long> asked = new CopyOnWriteArrayList<>();
    /** Records the wait asked for; waits none for the first three runs, then an hour (no busy loop till close). */
    final LongUnaryOperator noWait = ms -> {
        asked.add(ms);
        return asked.size() <= 3 ? 0 : 3_600_000;
    };

    static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(30, TimeUnit.SECONDS), "timed out");
    }

    @Test
    void runsTheJobAtEachScheduledTimeEachPlannedFromThePreviousOne() throws Exception {
        H2 h2 = new H2();
        CountDownLatch three = new CountDownLatch(3);
        SyncLock busy = name -> { // another node holds the lock: each run is a quick "skipped"
            three.countDown();
            return null;
        };
        SyncJob job = new SyncJob(() -> "{}", new JdbcUserDirectory(h2.url), busy, 10);
        SyncScheduler s = new SyncScheduler(job, EVERY_MINUTE, ZoneOffset.UTC, FIXED, noWait);
        await(three);
        s.close();
        assertTrue(s.awaitTermination(Duration.ofSeconds(30)));
        // three skips (the 4th waits an hour: dropped at close), kept as one entry
        assertEquals(1, job.lastRuns().size(), job.lastRuns().toString());
        assertEquals("skipped", job.lastRuns().get(0).status());
        // On a clock that stands still, run n is n minutes after T: planned from the previous
        // run's scheduled time, not from when it ended.
        assertEquals(List.of(60_000L, 120_000L, 180_000L, 240_000L), asked);
    }

    @Test
    void aJobThatThrowsIsLoggedAndTheScheduleGoesOn() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(1);
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(SyncScheduler.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r.getLevel() + " " + r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(h);
        try (SyncScheduler s = new SyncScheduler(() -> {
            if (runs.incrementAndGet() <= 2) {
                throw new IllegalStateException("secret-user@example.com broke it");
            }
            third.countDown();
        }, EVERY_MINUTE, ZoneOffset.UTC, FIXED, noWait)) {
            await(third);
        } finally {
            log.removeHandler(h);
        }
        assertTrue(runs.get() >= 3);
        List<String> first2 = new ArrayList<>(warnings.subList(0, 2));
        for (String w : first2) {
            assertTrue(w.startsWith("WARNING ") && w.contains("java.lang.IllegalStateException"), w);
            assertFalse(w.contains("secret-user"), "the message is not logged: it may carry personal data");
        }
    }

    @Test
    void closeDuringARunningJobLetsItEndAndStartsNoOther() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SyncScheduler s = new SyncScheduler(() -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
            finished.set(true);
        }, EVERY_MINUTE, ZoneOffset.UTC, FIXED, noWait);
        await(started);
        s.close(); // mid-run: the run's own plan() of the next one then meets a shut-down executor
        release.countDown();
        assertTrue(s.awaitTermination(Duration.ofSeconds(30)), "the scheduler thread ends");
        assertTrue(finished.get(), "the run in progress ends on its own");
        assertFalse(interrupted.get(), "close() does not interrupt a run");
        assertEquals(1, runs.get(), "no run starts after close()");
        assertEquals(2, asked.size(), "the next run was planned (and refused quietly) once: " + asked);
    }

    @Test
    void planningAfterCloseDoesNotThrow() throws Exception {
        SyncScheduler s = new SyncScheduler(() -> {}, EVERY_MINUTE, ZoneOffset.UTC, FIXED, ms -> 3_600_000);
        s.close();
        assertDoesNotThrow(() -> s.plan(T));
        assertTrue(s.awaitTermination(Duration.ofSeconds(30)), "the pending run was dropped at close()");
        s.close(); // idempotent
    }

    /** A clock a test moves. */
    static final class MovingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(T);

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aRunLongerThanItsIntervalIsFollowedByTheNextTimeAfterNowNotByCatchUpRuns() throws Exception {
        MovingClock clock = new MovingClock();
        CountDownLatch three = new CountDownLatch(3);
        List<Instant> startedAt = new CopyOnWriteArrayList<>();
        SyncScheduler s = new SyncScheduler(() -> {
            startedAt.add(clock.instant());
            clock.now.updateAndGet(t -> t.plus(Duration.ofMinutes(10))); // a run of 10 minutes, every 1m
            three.countDown();
        }, EVERY_MINUTE, ZoneOffset.UTC, clock, noWait);
        await(three);
        s.close();
        assertTrue(s.awaitTermination(Duration.ofSeconds(30)));
        // Each next run is a minute after the previous run's end, never due at once (0) to catch up
        // on the nine missed minutes.
        assertEquals(List.of(60_000L, 60_000L, 60_000L, 60_000L), asked);
    }

    @Test
    void aSuspendedMachineDoesNotCatchUpTheMissedRuns() throws Exception {
        MovingClock clock = new MovingClock();
        CountDownLatch two = new CountDownLatch(2);
        SyncScheduler s = new SyncScheduler(() -> two.countDown(), EVERY_MINUTE, ZoneOffset.UTC, clock, ms -> {
            asked.add(ms);
            if (asked.size() == 1) {
                clock.now.set(T.plus(Duration.ofHours(3))); // suspended for 3 hours before the first run
                return 0;
            }
            return asked.size() <= 3 ? 0 : 3_600_000;
        });
        await(two);
        s.close();
        assertTrue(s.awaitTermination(Duration.ofSeconds(30)));
        // The first run was late (3 hours); the second is a minute after it, not at once.
        assertEquals(60_000L, asked.get(0));
        assertEquals(60_000L, asked.get(1));
    }
}
