package io.albauth.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyncScheduleTest {
    private static final Instant T = Instant.parse("2026-12-02T20:07:30Z"); // a Wednesday

    @Test
    void intervals() {
        assertEquals(T.plusSeconds(900), SyncSchedule.parse("every 15m").next(T, ZoneOffset.UTC));
        assertEquals(T.plusSeconds(6 * 3600), SyncSchedule.parse("every 6h").next(T, ZoneOffset.UTC));
        assertEquals(T.plusSeconds(86400), SyncSchedule.parse("every 1d").next(T, ZoneOffset.UTC));
    }

    @Test
    void cronFields() {
        assertEquals(Instant.parse("2026-12-02T20:15:00Z"), SyncSchedule.parse("*/15 * * * *").next(T, ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-03T02:30:00Z"), SyncSchedule.parse("30 2 * * *").next(T, ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-05T01:00:00Z"), SyncSchedule.parse("0 1 * * 6,0").next(T, ZoneOffset.UTC));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), SyncSchedule.parse("0 0 1 1-3 *").next(T, ZoneOffset.UTC));
    }

    @Test
    void errorsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncSchedule.parse("61 * * * *"))
                .getMessage().startsWith("minute"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncSchedule.parse("* 25 * * *"))
                .getMessage().startsWith("hour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncSchedule.parse("* * * x *"))
                .getMessage().startsWith("month"));
        assertThrows(IllegalArgumentException.class, () -> SyncSchedule.parse("* * *"));
        assertThrows(IllegalArgumentException.class, () -> SyncSchedule.parse("every 5x"));
    }
}
