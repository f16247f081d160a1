package org.cardinaldm.server.api.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One operator action. The texts are bounded (longer ones are cut and end with {@code …}) and control
 * characters become {@code ?}, so that an entry cannot forge lines in a terminal or a log.
 *
 * @param id the store's id, increasing with time; 0 before it is stored
 * @param time when it was recorded
 * @param user who acted; never empty ({@code -} when unknown)
 * @param channel where from
 * @param action what was done (at most {@value #MAX_ACTION} characters)
 * @param target the object acted upon, or null (at most {@value #MAX_TARGET} characters)
 * @param outcome how it ended (at most {@value #MAX_OUTCOME} characters)
 * @param origin the peer address or terminal, or null (at most {@value #MAX_USER} characters)
 */
public record AuditEntry(long id, Instant time, String user, Channel channel, String action, String target,
        String outcome, String origin) {

    /** The longest user and origin. */
    public static final int MAX_USER = 128;
    /** The longest action. */
    public static final int MAX_ACTION = 512;
    /** The longest target. */
    public static final int MAX_TARGET = 512;
    /** The longest outcome. */
    public static final int MAX_OUTCOME = 512;

    /** Where an action came from. */
    public enum Channel {
        /** A {@code dms:} command of the Karaf shell. */
        SHELL,
        /** The REST API, with HTTP Basic or a token. */
        REST,
        /** The web console (the REST API with the console's session). */
        CONSOLE
    }

    /** Checks the mandatory parts and bounds the texts. */
    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(channel, "channel");
        user = bound(user == null || user.isBlank() ? "-" : user, MAX_USER);
        action = bound(Objects.requireNonNull(action, "action"), MAX_ACTION);
        target = target == null ? null : bound(target, MAX_TARGET);
        outcome = bound(outcome == null ? "" : outcome, MAX_OUTCOME);
        origin = origin == null ? null : bound(origin, MAX_USER);
    }

    /**
     * @param text a text
     * @param max the most characters
     * @return the text with control characters replaced by {@code ?}, cut to {@code max} characters
     */
    public static String bound(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && b.length() < max; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        if (text.length() > max) {
            b.setCharAt(max - 1, '…');
        }
        return b.toString();
    }

    /**
     * @param id the store's id
     * @return this entry with that id
     */
    public AuditEntry withId(long id) {
        return new AuditEntry(id, time, user, channel, action, target, outcome, origin);
    }
}
