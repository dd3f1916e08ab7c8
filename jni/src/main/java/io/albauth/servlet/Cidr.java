package io.albauth.servlet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code ::1/128}, or a bare address). */
final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses a comma- or space-separated list; the message names the bad entry. */
    static List<Cidr> parseList(String list) {
        List<Cidr> out = new ArrayList<>();
        for (String entry : list.split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                out.add(parse(entry));
            }
        }
        return out;
    }

    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(addr);
        if (bytes == null) {
            throw new IllegalArgumentException("`" + text + "` is not an IP address or CIDR");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("`" + text + "` has an invalid prefix length");
            }
        }
        return new Cidr(bytes, prefix);
    }

    /** Whether {@code address} (an IP literal, as getRemoteAddr() returns) is in this network. */
    boolean contains(String address) {
        byte[] a = literal(address);
        if (a == null) {
            return false;
        }
        if (a.length != network.length) {
            a = mappedIpv4(a);
            if (a == null || a.length != network.length) {
                return false;
            }
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** The bytes of an IP literal; null for anything else (so no name is ever resolved). */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v6 = t.indexOf(':') >= 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.'
                    || (v6 && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '%'));
            if (!ok) {
                return null;
            }
        }
        if (!v6 && t.chars().filter(c -> c == '.').count() != 3) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static byte[] mappedIpv4(byte[] v6) {
        if (v6.length != 16) {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if (v6[10] != (byte) 0xff || v6[11] != (byte) 0xff) {
            return null;
        }
        return new byte[] {v6[12], v6[13], v6[14], v6[15]};
    }
}
