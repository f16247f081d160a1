package org.cardinaldm.client.shell.internal;

import java.time.Duration;
import java.time.Instant;

import org.apache.karaf.shell.support.CommandException;

/** Helpers the commands share: missing services and readable times. */
final class Services {
    private Services() {
    }

    /**
     * @param service an optional command reference
     * @param what its name for people
     * @return the service
     * @throws CommandException when it is absent
     */
    static <T> T require(T service, String what) throws CommandException {
        if (service == null) {
            throw new CommandException("No " + what + " service: is the feature cardinal-dm-client installed and started?");
        }
        return service;
    }

    /**
     * @param d a duration
     * @return {@code 45s}, {@code 3m 12s}, {@code 2h 5m}, {@code 4d 3h}; negative counts as zero
     */
    static String span(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }

    /**
     * @param from a time
     * @param now now
     * @return how long ago, as {@link #span}
     */
    static String age(Instant from, Instant now) {
        return span(Duration.between(from, now));
    }

    /**
     * @param text a text
     * @param max the longest result
     * @return the text on one line, cut with {@code …} when longer
     */
    static String shorten(String text, int max) {
        String one = text.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= max ? one : one.substring(0, Math.max(0, max - 1)) + "…";
    }
}
