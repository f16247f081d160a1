package org.cardinaldm.client.api.spi;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The user's answer to a {@link UserPrompt}. The client turns it into the alert's status (digest
 * 1.9): {@link Kind#DONE} and {@link Kind#YES} 200, {@link Kind#NO} 304, {@link Kind#TEXT} and
 * {@link Kind#CHOICES} 200 with the answer, {@link Kind#CANCELLED} 214, {@link Kind#TIMED_OUT} 408.
 * An answer that does not fit the prompt (a text for a confirm, a choice number out of range) is
 * treated as a cancel. Immutable.
 */
public final class UserResponse {
    /** The kinds of answer. */
    public enum Kind {
        /** A display was shown (1100), or a prompt acknowledged. */
        DONE,
        /** Confirm: accepted. */
        YES,
        /** Confirm: rejected. */
        NO,
        /** Text input: the text. */
        TEXT,
        /** Single or multiple choice: the selected choice numbers. */
        CHOICES,
        /** The user cancelled. */
        CANCELLED,
        /** The user did not answer in time. */
        TIMED_OUT
    }

    private static final UserResponse DONE = new UserResponse(Kind.DONE, "", Set.of());
    private static final UserResponse YES = new UserResponse(Kind.YES, "", Set.of());
    private static final UserResponse NO = new UserResponse(Kind.NO, "", Set.of());
    private static final UserResponse CANCELLED = new UserResponse(Kind.CANCELLED, "", Set.of());
    private static final UserResponse TIMED_OUT = new UserResponse(Kind.TIMED_OUT, "", Set.of());

    private final Kind kind;
    private final String text;
    private final Set<Integer> choices;

    private UserResponse(Kind kind, String text, Set<Integer> choices) {
        this.kind = kind;
        this.text = text;
        this.choices = choices;
    }

    /** @return a display was shown */
    public static UserResponse done() {
        return DONE;
    }

    /** @return confirm accepted */
    public static UserResponse yes() {
        return YES;
    }

    /** @return confirm rejected */
    public static UserResponse no() {
        return NO;
    }

    /** @param value the text typed @return a text answer */
    public static UserResponse text(String value) {
        return new UserResponse(Kind.TEXT, Objects.requireNonNull(value, "text"), Set.of());
    }

    /**
     * @param selected choice numbers, from 1
     * @return a choice answer
     */
    public static UserResponse choices(Set<Integer> selected) {
        return new UserResponse(Kind.CHOICES, "", Collections.unmodifiableSet(new TreeSet<>(selected)));
    }

    /** @param selected a choice number, from 1 @return a single-choice answer */
    public static UserResponse choice(int selected) {
        return choices(Set.of(selected));
    }

    /** @return the user cancelled */
    public static UserResponse cancelled() {
        return CANCELLED;
    }

    /** @return the user did not answer in time */
    public static UserResponse timedOut() {
        return TIMED_OUT;
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the text of a {@link Kind#TEXT} answer, else empty */
    public String text() {
        return text;
    }

    /** @return the choice numbers of a {@link Kind#CHOICES} answer, ascending, else empty */
    public Set<Integer> choices() {
        return choices;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UserResponse)) {
            return false;
        }
        UserResponse r = (UserResponse) o;
        return kind == r.kind && text.equals(r.text) && choices.equals(r.choices);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, text, choices);
    }

    /** @return the kind and the choices; a text only by length (it may be a password) */
    @Override
    public String toString() {
        return "UserResponse[" + kind + (kind == Kind.TEXT ? " " + text.length() + " chars" : "")
                + (kind == Kind.CHOICES ? " " + choices : "") + "]";
    }
}
