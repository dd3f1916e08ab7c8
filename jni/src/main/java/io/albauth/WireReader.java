package io.albauth;

import java.nio.charset.StandardCharsets;

/**
 * Reads a native reply, the one wire format every native returns ({@code src/java/reply.rs}):
 *
 * <pre>
 * tag      byte    1 = answered; 0 (a zeroed buffer the native never wrote) = no answer
 * status   int     the C ABI status number; {@link Status} names it
 * length   int     the payload's byte length (a reply may sit in a larger buffer)
 * payload  items   int; long; string = int byte length (-1: null) and UTF-8
 * </pre>
 *
 * Ints and longs are big-endian. Every read is checked against the declared length: a reply
 * that is missing, zeroed, truncated or garbled throws {@link AlbAuthPanicError}, never an
 * {@link ArrayIndexOutOfBoundsException} and never a wrong decision. Not thread-safe; one per
 * reply.
 */
final class WireReader {
    /** The tag of a reply the native wrote. */
    static final int ANSWERED = 1;
    private static final int HEADER = 9;

    private final byte[] b;
    private final int end;
    private final int status;
    private int at;

    private WireReader(byte[] b, int status, int end) {
        this.b = b;
        this.status = status;
        this.end = end;
        this.at = HEADER;
    }

    /** Opens a reply: checks the tag and the declared length, reads the status. */
    static WireReader reply(byte[] reply) {
        if (reply == null || reply.length == 0 || reply[0] == 0) {
            throw new AlbAuthPanicError("albauth: the native library returned no answer");
        }
        if (reply[0] != ANSWERED || reply.length < HEADER) {
            throw garbled("an unknown tag or a truncated header");
        }
        int payload = int32(reply, 5);
        if (payload < 0 || payload > reply.length - HEADER) {
            throw garbled("a payload length beyond the reply");
        }
        return new WireReader(reply, int32(reply, 1), HEADER + payload);
    }

    /** The C ABI status number. */
    int status() {
        return status;
    }

    int int32() {
        need(4);
        int v = int32(b, at);
        at += 4;
        return v;
    }

    long int64() {
        need(8);
        long v = ((long) int32(b, at) << 32) | (int32(b, at + 4) & 0xffffffffL);
        at += 8;
        return v;
    }

    /** A string; null when the reply says null (-1). */
    String string() {
        int len = int32();
        if (len == -1) {
            return null;
        }
        if (len < 0) {
            throw garbled("a negative string length");
        }
        need(len);
        String s = new String(b, at, len, StandardCharsets.UTF_8);
        at += len;
        return s;
    }

    /** Bytes that are themselves a reply (an explanation carries its decision's). */
    byte[] blob() {
        int len = int32();
        if (len < 0) {
            throw garbled("a negative blob length");
        }
        need(len);
        byte[] out = java.util.Arrays.copyOfRange(b, at, at + len);
        at += len;
        return out;
    }

    /**
     * A count of items that follow, each at least {@code minBytes} long: checked against what is
     * left, so a garbled count cannot make the caller allocate gigabytes.
     */
    int count(int minBytes) {
        int n = int32();
        if (n < 0 || (long) n * minBytes > end - at) {
            throw garbled("a count beyond the reply");
        }
        return n;
    }

    /** Checks that the whole payload was read (a reply with more in it is garbled too). */
    void end() {
        if (at != end) {
            throw garbled("bytes left over");
        }
    }

    private void need(int n) {
        if (n > end - at) {
            throw garbled("truncated");
        }
    }

    private static int int32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static AlbAuthPanicError garbled(String why) {
        return new AlbAuthPanicError("albauth: the native library returned a garbled reply (" + why + ")");
    }
}
