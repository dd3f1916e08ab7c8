package io.albauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.TestKey;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Native replies that are missing, zeroed, truncated or garbled fail closed: an
 * AlbAuthPanicError, never an ArrayIndexOutOfBoundsException and never a decision.
 */
class WireReaderTest {
    static final TestKey KEY = new TestKey();
    static long handle;

    @BeforeAll
    static void create() {
        WireReader r = WireReader.reply(NativeBridge.create(Configs.json(Configs.pinned(KEY))));
        handle = r.int64();
    }

    @AfterAll
    static void destroy() {
        NativeBridge.destroy(handle);
    }

    /** A real reply of the native verify call, in an array of its own. */
    static byte[] nativeReply(String token) {
        byte[] data = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        return NativeBridge.verify(handle, data, null, null, Fixtures.NOW, null);
    }

    /** A reply written by hand: tag, status, then the payload with its length. */
    static byte[] reply(int tag, int status, Object... payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        for (Object o : payload) {
            if (o instanceof Integer) {
                d.writeInt((Integer) o);
            } else if (o instanceof Long) {
                d.writeLong((Long) o);
            } else if (o instanceof byte[]) {
                d.write((byte[]) o);
            } else {
                byte[] s = ((String) o).getBytes(StandardCharsets.UTF_8);
                d.writeInt(s.length);
                d.write(s);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(out);
        h.writeByte(tag);
        h.writeInt(status);
        h.writeInt(body.size());
        h.write(body.toByteArray());
        return out.toByteArray();
    }

    static void assertPanic(byte[] reply, String why) {
        AlbAuthPanicError e = assertThrows(AlbAuthPanicError.class, () -> Decision.decode(reply), why);
        assertEquals("panic", e.code());
    }

    @Test
    void zeroedBufferIsNoAnswer() {
        AlbAuthPanicError e = assertThrows(AlbAuthPanicError.class,
                () -> Decision.decode(new byte[NativeBridge.REPLY_BYTES]));
        assertTrue(e.getMessage().contains("no answer"), e.getMessage());
    }

    @Test
    void missingOrEmptyReplyIsNoAnswer() {
        assertPanic(null, "null");
        assertPanic(new byte[0], "empty");
    }

    @Test
    void realRepliesDecode() {
        assertEquals("alice", Decision.decode(nativeReply(new AlbToken(KEY).sign(KEY))).username());
        assertEquals("expired", Decision.decode(nativeReply(new AlbToken(KEY).exp(Fixtures.NOW - 3600).sign(KEY))).errorCode());
        assertEquals(Decision.Outcome.ANONYMOUS, Decision.decode(nativeReply(null)).outcome());
    }

    @Test
    void everyTruncationOfARealReplyIsAPanicError() {
        List<byte[]> replies = List.of(
                nativeReply(new AlbToken(KEY).sign(KEY)),
                nativeReply(new AlbToken(KEY).exp(Fixtures.NOW - 3600).sign(KEY)),
                nativeReply(null));
        for (byte[] whole : replies) {
            for (int n = 0; n < whole.length; n++) {
                assertPanic(Arrays.copyOf(whole, n), "cut at " + n + " of " + whole.length);
            }
        }
    }

    @Test
    void aReplyWithBytesLeftOverIsGarbled() throws IOException {
        assertPanic(reply(1, Status.ANONYMOUS, 7), "anonymous with a payload");
        assertPanic(reply(1, Status.OK, "u", "d", "e", "s", "{}", 0, -1, "extra"), "ok with more after the provisioning key");
    }

    @Test
    void anUnknownTagIsGarbled() throws IOException {
        assertPanic(reply(2, Status.ANONYMOUS), "tag 2");
        assertPanic(reply(0xff, Status.ANONYMOUS), "tag 255");
    }

    @Test
    void lengthsBeyondTheReplyAreGarbled() throws IOException {
        byte[] anonymous = reply(1, Status.ANONYMOUS);
        byte[] longer = anonymous.clone();
        longer[8] = 1; // declares one payload byte that is not there
        assertPanic(longer, "payload length past the end");
        byte[] negative = anonymous.clone();
        negative[5] = (byte) 0x80;
        assertPanic(negative, "negative payload length");
        int expired = 106;
        assertPanic(reply(1, expired, 5, "abc".getBytes(StandardCharsets.UTF_8)), "string longer than the reply");
        assertPanic(reply(1, expired, -2), "string length -2");
        assertPanic(reply(1, Status.OK, "u", "d", "e", "s", "{}", Integer.MAX_VALUE), "group count past the end");
        assertPanic(reply(1, Status.OK, "u", "d", "e", "s", "{}", -1), "negative group count");
    }

    @Test
    void anAuthenticatedReplyWithoutAUserIsGarbled() throws IOException {
        assertPanic(reply(1, Status.OK, -1, "d", "e", "s", "{}", 0), "null username");
        assertPanic(reply(1, Status.OK, "u", "d", "e", "s", "{}", 1, -1), "null group");
    }

    @Test
    void anUnknownStatusIsAPanicErrorNeverADecision() throws IOException {
        assertPanic(reply(1, 99, "detail"), "status 99");
        assertPanic(reply(1, 9999, "detail"), "status 9999");
        assertPanic(reply(1, -1, "detail"), "status -1");
    }

    @Test
    void aReplyInsideALargerBufferReadsOnlyItsDeclaredLength() throws IOException {
        byte[] buffer = new byte[NativeBridge.REPLY_BYTES];
        byte[] r = reply(1, 106, "token expired");
        System.arraycopy(r, 0, buffer, 0, r.length);
        Decision d = Decision.decode(buffer);
        assertEquals("expired", d.errorCode());
        assertEquals("token expired", d.errorDetail());
    }

    @Test
    void readerReadsEveryItemType() throws IOException {
        WireReader r = WireReader.reply(reply(1, 0, 7, -5L, "é", -1));
        assertEquals(0, r.status());
        assertEquals(7, r.int32());
        assertEquals(-5L, r.int64());
        assertEquals("é", r.string());
        assertNull(r.string());
        r.end();
    }
}
