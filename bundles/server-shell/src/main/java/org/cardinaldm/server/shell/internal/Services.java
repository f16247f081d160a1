package org.cardinaldm.server.shell.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.apache.karaf.shell.support.CommandException;

/** What the commands share: the missing-server message and the formatting of times and values. */
final class Services {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Services() {
    }

    static <T> T require(T service) throws CommandException {
        if (service == null) {
            throw new CommandException("The DM server is not running (feature:install cardinal-server).");
        }
        return service;
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    static String text(Object o) {
        return o == null ? "-" : o.toString();
    }

    /** One line, at most {@code max} characters, control characters shown as '.'. */
    static String shorten(String s, int max) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '.' : c);
        }
        if (s.length() > max) {
            b.setLength(Math.max(0, max - 3));
            b.append("...");
        }
        return b.toString();
    }
}
