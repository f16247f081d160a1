package org.cardinaldm.client.api.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * A user-interaction alert as the server sent it (digest 1.9): its {@link UiAlertKind kind} (1100 to 1104), the
 * text, the choices and the options MINDT, MAXDT, DR, MAXLEN, IT and ET. Immutable.
 */
public final class UserPrompt {
    /** IT: what the text input holds. */
    public enum InputType {
        /** A: any text (the default). */
        ALPHANUMERIC,
        /** N: a number. */
        NUMERIC,
        /** D: a date, DDMMYYYY. */
        DATE,
        /** T: a time, hhmmss. */
        TIME,
        /** P: a telephone number. */
        PHONE,
        /** I: an IPv4 address, xxx.yyy.zzz.www. */
        IP_ADDRESS
    }

    /** ET: how typed text is echoed. */
    public enum Echo {
        /** T: shown (the default). */
        TEXT,
        /** P: hidden, as a password. */
        PASSWORD
    }

    private final UiAlertKind kind;
    private final String serverId;
    private final String text;
    private final List<String> choices;
    private final Duration minDisplayTime;
    private final Duration maxDisplayTime;
    private final String defaultResponse;
    private final int maxLength;
    private final InputType inputType;
    private final Echo echo;

    private UserPrompt(Builder b) {
        this.kind = b.kind;
        this.serverId = b.serverId;
        this.text = b.text;
        this.choices = List.copyOf(b.choices);
        this.minDisplayTime = b.minDisplayTime;
        this.maxDisplayTime = b.maxDisplayTime;
        this.defaultResponse = b.defaultResponse;
        this.maxLength = b.maxLength;
        this.inputType = b.inputType;
        this.echo = b.echo;
    }

    /**
     * @param kind the alert
     * @param serverId the server that sent it
     * @param text the text to show (Item 2)
     * @return a builder with no options and no choices
     */
    public static Builder builder(UiAlertKind kind, String serverId, String text) {
        return new Builder(kind, serverId, text);
    }

    /** @return the alert */
    public UiAlertKind kind() {
        return kind;
    }

    /** @return the ServerID of the server that asks */
    public String serverId() {
        return serverId;
    }

    /** @return the text to show */
    public String text() {
        return text;
    }

    /** @return the choices of 1103 and 1104, numbered from 1 in this order */
    public List<String> choices() {
        return choices;
    }

    /** @return MINDT: show the text at least this long (zero when absent) */
    public Duration minDisplayTime() {
        return minDisplayTime;
    }

    /** @return MAXDT: wait for the user at most this long, if the server said so */
    public Optional<Duration> maxDisplayTime() {
        return Optional.ofNullable(maxDisplayTime);
    }

    /** @return DR as sent: 0/1 for confirm, a text, a choice number, or numbers and ranges ("1-3,6") */
    public Optional<String> defaultResponse() {
        return Optional.ofNullable(defaultResponse);
    }

    /** @return DR of a confirm: true for 1 (accept), false for 0 (reject), empty otherwise */
    public Optional<Boolean> defaultConfirm() {
        if ("1".equals(defaultResponse)) {
            return Optional.of(Boolean.TRUE);
        }
        if ("0".equals(defaultResponse)) {
            return Optional.of(Boolean.FALSE);
        }
        return Optional.empty();
    }

    /**
     * @return DR of a choice as a set of choice numbers within 1 and the number of choices; ranges
     *     such as {@code 1-3,6} are expanded and anything else is skipped
     */
    public Set<Integer> defaultChoices() {
        Set<Integer> out = new TreeSet<>();
        if (defaultResponse == null) {
            return out;
        }
        for (String part : defaultResponse.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                for (int i = Math.max(1, from); i <= Math.min(to, choices.size()); i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                // skipped silently, as unknown option values are
            }
        }
        return out;
    }

    /** @return MAXLEN: the longest text input accepted, 0 for no limit */
    public int maxLength() {
        return maxLength;
    }

    /** @return IT: what the text input holds */
    public InputType inputType() {
        return inputType;
    }

    /** @return ET: how typed text is echoed */
    public Echo echo() {
        return echo;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UserPrompt)) {
            return false;
        }
        UserPrompt p = (UserPrompt) o;
        return kind == p.kind && serverId.equals(p.serverId) && text.equals(p.text) && choices.equals(p.choices)
                && minDisplayTime.equals(p.minDisplayTime) && Objects.equals(maxDisplayTime, p.maxDisplayTime)
                && Objects.equals(defaultResponse, p.defaultResponse) && maxLength == p.maxLength
                && inputType == p.inputType && echo == p.echo;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, serverId, text, choices, minDisplayTime, maxDisplayTime, defaultResponse, maxLength,
                inputType, echo);
    }

    @Override
    public String toString() {
        return "UserPrompt[" + kind + " from " + serverId + ", " + choices.size() + " choices, MINDT " + minDisplayTime
                + (maxDisplayTime == null ? "" : ", MAXDT " + maxDisplayTime) + "]";
    }

    /** Builds a {@link UserPrompt}. */
    public static final class Builder {
        private final UiAlertKind kind;
        private final String serverId;
        private final String text;
        private final List<String> choices = new java.util.ArrayList<>();
        private Duration minDisplayTime = Duration.ZERO;
        private Duration maxDisplayTime;
        private String defaultResponse;
        private int maxLength;
        private InputType inputType = InputType.ALPHANUMERIC;
        private Echo echo = Echo.TEXT;

        private Builder(UiAlertKind kind, String serverId, String text) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.serverId = Objects.requireNonNull(serverId, "serverId");
            this.text = Objects.requireNonNull(text, "text");
        }

        /** @param value a choice, appended @return this */
        public Builder choice(String value) {
            choices.add(Objects.requireNonNull(value, "choice"));
            return this;
        }

        /** @param value MINDT, not negative @return this */
        public Builder minDisplayTime(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("MINDT is negative");
            }
            minDisplayTime = value;
            return this;
        }

        /** @param value MAXDT, positive, or null @return this */
        public Builder maxDisplayTime(Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException("MAXDT must be positive");
            }
            maxDisplayTime = value;
            return this;
        }

        /** @param value DR as sent, or null @return this */
        public Builder defaultResponse(String value) {
            defaultResponse = value;
            return this;
        }

        /** @param value MAXLEN, 0 for none @return this */
        public Builder maxLength(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("MAXLEN is negative");
            }
            maxLength = value;
            return this;
        }

        /** @param value IT @return this */
        public Builder inputType(InputType value) {
            inputType = Objects.requireNonNull(value, "inputType");
            return this;
        }

        /** @param value ET @return this */
        public Builder echo(Echo value) {
            echo = Objects.requireNonNull(value, "echo");
            return this;
        }

        /** @return the prompt */
        public UserPrompt build() {
            return new UserPrompt(this);
        }
    }
}
