package org.cardinaldm.fumo.shell.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.cardinaldm.fumo.api.FumoState;
import org.cardinaldm.fumo.api.FumoStatus;

/** Text the fumo: commands print: the progress bar, states and times. Pure functions, tested without Karaf. */
final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Characters inside the brackets of the progress bar. */
    static final int BAR = 30;

    private Formats() {
    }

    /** @return {@code [#######-------]  42% 1.2 MiB of 2.9 MiB}, or the bytes alone when the length is unknown */
    static String progress(FumoStatus s) {
        if (s.bytesTotal() <= 0) {
            return s.bytesDone() > 0 ? bytes(s.bytesDone()) : "";
        }
        int pct = s.percent().orElse(0);
        int filled = (int) Math.min(BAR, s.bytesDone() * BAR / s.bytesTotal());
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + String.format("%3d%%", pct) + " "
                + bytes(s.bytesDone()) + " of " + bytes(s.bytesTotal());
    }

    /** @return the state as {@code 30 Download Progressing} */
    static String state(FumoState s) {
        String name = s.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return s.code() + " " + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** @return bytes in B, KiB, MiB or GiB with one decimal */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** @return the instant in UTC */
    static String time(Instant t) {
        // an instance that never left its first state reports the epoch: nothing to show
        return Instant.EPOCH.equals(t) ? "" : TIME.format(t);
    }
}
