package io.albauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The status table Java learns from the native library, and the one status -> exception map. */
class StatusTest {
    /** {@code ALBAUTH_X = n} of include/albauth.h, as name -> number. */
    static Map<String, Integer> cHeaderStatuses() throws IOException {
        String jni = System.getProperty("albauth.test.jni");
        String header = Files.readString(Path.of(jni, "..", "include", "albauth.h"));
        Map<String, Integer> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*ALBAUTH_([A-Z_]+) = (\\d+),").matcher(header);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(Locale.ROOT), Integer.parseInt(m.group(2)));
        }
        return out;
    }

    @Test
    void javaKnowsExactlyTheStatusesOfTheCHeader() throws IOException {
        Map<String, Integer> java = new TreeMap<>();
        for (int s : Status.all()) {
            java.put(Status.name(s), s);
        }
        Map<String, Integer> c = cHeaderStatuses();
        assertEquals(21, c.size(), c.toString());
        assertEquals(c, java);
        assertEquals(0, Status.OK);
        assertEquals(1, Status.ANONYMOUS);
    }

    @Test
    void numbersOutsideTheTableHaveNoName() {
        assertNull(Status.name(-1));
        assertNull(Status.name(2));
        assertNull(Status.name(99));
        assertNull(Status.name(100_000));
        assertEquals(-1, Status.classOf(99));
    }

    @Test
    void everyStatusMapsToItsJavaType() {
        for (int s : Status.all()) {
            String name = Status.name(s);
            Throwable t = Status.exception(s, "why");
            switch (name) {
                case "ok":
                case "anonymous":
                    assertNull(t, name);
                    assertEquals(Status.HANDLED, Status.classOf(s));
                    break;
                case "config_invalid":
                    assertSame(AlbAuthConfigException.class, t.getClass(), name);
                    assertEquals("config_invalid", ((AlbAuthException) t).code());
                    assertEquals("why", t.getMessage());
                    break;
                case "null_argument":
                case "invalid_argument":
                    assertSame(AlbAuthArgumentException.class, t.getClass(), name);
                    assertEquals(name, ((AlbAuthException) t).code());
                    assertEquals("why", t.getMessage());
                    break;
                case "directory_failed":
                    assertEquals(Status.FAILED, Status.classOf(s));
                    assertSame(AlbAuthException.class, t.getClass(), name);
                    assertEquals(name, ((AlbAuthException) t).code());
                    break;
                case "panic":
                    assertSame(AlbAuthPanicError.class, t.getClass(), name);
                    assertFalse(t.getMessage().contains("why"), "a panic's detail is never shown: " + t.getMessage());
                    break;
                default: // a verifier error code: a refusal
                    assertEquals(Status.REFUSED, Status.classOf(s), name);
                    assertSame(AlbAuthException.class, t.getClass(), name);
                    assertEquals(name, ((AlbAuthException) t).code());
            }
        }
    }

    @Test
    void anUnknownStatusIsAPanicError() {
        for (int s : new int[] {-1, 2, 99, 150, 299, 100_000}) {
            assertSame(AlbAuthPanicError.class, Status.exception(s, "why").getClass(), String.valueOf(s));
        }
    }

    @Test
    void raiseThrowsErrorsAndReturnsExceptions() {
        int panic = number("panic");
        assertThrows(AlbAuthPanicError.class, () -> Status.raise(panic, "x"));
        assertThrows(AlbAuthPanicError.class, () -> Status.raise(Status.OK, "x"), "ok is not a failure");
        assertSame(AlbAuthArgumentException.class, Status.raise(number("null_argument"), "x").getClass());
    }

    @Test
    void everyRefusalInAVerifyReplyIsARejectedDecisionWithItsCode() throws IOException {
        for (int s : Status.all()) {
            if (Status.classOf(s) != Status.REFUSED) {
                continue;
            }
            Decision d = Decision.decode(WireReaderTest.reply(1, s, "detail"));
            assertEquals(Decision.Outcome.REJECTED, d.outcome());
            assertEquals(Status.name(s), d.errorCode());
            assertEquals("detail", d.errorDetail());
        }
    }

    @Test
    void everyCallFailureInAVerifyReplyThrowsItsMappedType() throws IOException {
        for (int s : Status.all()) {
            if (Status.classOf(s) != Status.FAILED) {
                continue;
            }
            byte[] reply = WireReaderTest.reply(1, s, "detail");
            Throwable thrown = assertThrows(Throwable.class, () -> Decision.decode(reply));
            assertSame(Status.exception(s, "detail").getClass(), thrown.getClass(), Status.name(s));
        }
    }

    static int number(String name) {
        return Arrays.stream(Status.all()).filter(s -> name.equals(Status.name(s))).findFirst().orElseThrow();
    }
}
