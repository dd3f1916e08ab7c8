package io.albauth.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded log of refusals an admin page shows: newest first, no personal data in paths. */
class RefusalLogTest {
    @Test
    void refusalsComeNewestFirst() {
        RefusalLog log = new RefusalLog();
        log.record(401, "bad_signature", "/a", "r1");
        log.record(403, "untrusted_proxy", "/b", "r2");
        List<RefusalLog.Entry> recent = log.recent();
        assertEquals(List.of("r2", "r1"), recent.stream().map(RefusalLog.Entry::reference).toList());
        assertEquals(403, recent.get(0).status());
        assertEquals("untrusted_proxy", recent.get(0).code());
    }

    @Test
    void onlyTheLastHundredAreKept() {
        RefusalLog log = new RefusalLog();
        for (int i = 0; i < 150; i++) {
            log.record(401, "expired", "/p", "r" + i);
        }
        List<RefusalLog.Entry> recent = log.recent();
        assertEquals(RefusalLog.CAPACITY, recent.size());
        assertEquals("r149", recent.get(0).reference());
        assertEquals("r50", recent.get(99).reference());
    }

    @Test
    void tildeSegmentsAreMasked() {
        assertEquals("/display/~*/Home", RefusalLog.mask("/display/~alice/Home"));
        assertEquals("/~*", RefusalLog.mask("/~bob"));
    }

    @Test
    void theQueryStringIsDropped() {
        assertEquals("/secure/ViewProfile.jspa", RefusalLog.mask("/secure/ViewProfile.jspa?name=alice"));
    }

    @Test
    void longPathsAreCutToTheLimit() {
        String path = "/" + "a".repeat(300);
        String masked = RefusalLog.mask(path);
        assertEquals(RefusalLog.MAX_PATH, masked.length());
        assertTrue(masked.endsWith("\u2026"), masked);
    }

    @Test
    void theListIsACopy() {
        RefusalLog log = new RefusalLog();
        log.record(401, "expired", "/p", "r1");
        List<RefusalLog.Entry> before = log.recent();
        log.record(401, "expired", "/p", "r2");
        assertEquals(1, before.size());
    }
}
