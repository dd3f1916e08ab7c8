package io.albauth.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;

/**
 * When the sync runs: {@code every 15m} / {@code every 6h} / {@code every 1d}, or a 5-field
 * cron-like {@code m h dom mon dow} ({@code *}, numbers, lists {@code a,b}, ranges {@code a-b},
 * steps {@code *}{@code /n} and {@code a-b/n}; dow 0-7, 0 and 7 Sunday; when both dom and dow
 * are restricted, either matches, as in cron).
 */
public final class SyncSchedule {
    private static final String[] NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[][] RANGE = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};

    private final Duration every;
    private final BitSet[] fields;
    private final boolean domStar;
    private final boolean dowStar;

    private SyncSchedule(Duration every, BitSet[] fields, boolean domStar, boolean dowStar) {
        this.every = every;
        this.fields = fields;
        this.domStar = domStar;
        this.dowStar = dowStar;
    }

    /** @throws IllegalArgumentException a bad expression, naming the field */
    public static SyncSchedule parse(String expr) {
        if (expr == null || expr.isBlank()) {
            throw new IllegalArgumentException("an empty schedule");
        }
        String e = expr.trim().toLowerCase(Locale.ROOT);
        if (e.startsWith("every ")) {
            String n = e.substring(6).trim();
            if (n.length() < 2) {
                throw new IllegalArgumentException("interval: expected e.g. 15m, 6h or 1d");
            }
            char unit = n.charAt(n.length() - 1);
            long v;
            try {
                v = Long.parseLong(n.substring(0, n.length() - 1));
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("interval: not a number");
            }
            if (v < 1) {
                throw new IllegalArgumentException("interval: must be 1 or more");
            }
            Duration d = switch (unit) {
                case 'm' -> Duration.ofMinutes(v);
                case 'h' -> Duration.ofHours(v);
                case 'd' -> Duration.ofDays(v);
                default -> throw new IllegalArgumentException("interval: the unit is m, h or d");
            };
            return new SyncSchedule(d, null, true, true);
        }
        String[] parts = e.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("cron: expected 5 fields (m h dom mon dow), got " + parts.length);
        }
        BitSet[] f = new BitSet[5];
        for (int i = 0; i < 5; i++) {
            f[i] = field(i, parts[i]);
        }
        if (f[4].get(7)) {
            f[4].set(0);
        }
        return new SyncSchedule(null, f, parts[2].equals("*"), parts[4].equals("*"));
    }

    private static BitSet field(int i, String s) {
        int lo = RANGE[i][0];
        int hi = RANGE[i][1];
        BitSet b = new BitSet();
        for (String item : s.split(",", -1)) {
            int step = 1;
            String r = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                step = num(i, item.substring(slash + 1), 1, Integer.MAX_VALUE);
                r = item.substring(0, slash);
            }
            int a;
            int z;
            if (r.equals("*")) {
                a = lo;
                z = hi;
            } else if (r.indexOf('-') > 0) {
                a = num(i, r.substring(0, r.indexOf('-')), lo, hi);
                z = num(i, r.substring(r.indexOf('-') + 1), lo, hi);
                if (z < a) {
                    throw new IllegalArgumentException(NAMES[i] + ": a range runs low to high");
                }
            } else {
                a = num(i, r, lo, hi);
                z = slash >= 0 ? hi : a;
            }
            for (int v = a; v <= z; v += step) {
                b.set(v);
            }
        }
        return b;
    }

    private static int num(int i, String s, int lo, int hi) {
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(NAMES[i] + ": not a number");
        }
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(NAMES[i] + ": out of range " + lo + "-" + hi);
        }
        return v;
    }

    /** The first run strictly after {@code after}. */
    public Instant next(Instant after, ZoneId zone) {
        if (every != null) {
            return after.plus(every);
        }
        ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        for (int i = 0; i < 5 * 366 * 24 * 60; i++) {
            if (matches(t)) {
                return t.toInstant();
            }
            t = t.plusMinutes(1);
        }
        throw new IllegalArgumentException("the schedule never matches");
    }

    private boolean matches(ZonedDateTime t) {
        if (!fields[0].get(t.getMinute()) || !fields[1].get(t.getHour()) || !fields[3].get(t.getMonthValue())) {
            return false;
        }
        boolean dom = fields[2].get(t.getDayOfMonth());
        boolean dow = fields[4].get(t.getDayOfWeek().getValue() % 7);
        if (domStar || dowStar) {
            return dom && dow;
        }
        return dom || dow;
    }
}
