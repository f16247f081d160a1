package org.cardinaldm.server.api;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * A user-interaction alert of a job (OMA DM 1.2 Protocol, user interaction commands; digest sections 1.8 and
 * 1.9): what the device shows and the options it is shown with. It travels as an Alert whose Data is the
 * {@link UiAlertKind#code() code} of its kind (the one definition in {@code syncml}, shared with the device
 * agent), whose first Item carries the {@link #options() options} ({@code MINDT}, {@code MAXDT}, {@code DR},
 * {@code MAXLEN}, {@code IT}, {@code ET}; URL-encoded {@code name=value} pairs joined by {@code &}), the second
 * the text and the next ones the choices, numbered from 1.
 *
 * <p>Checked when built: the text is at most {@link #MAX_TEXT} characters and not blank; choices only for the
 * choice kinds, which need 1 to {@link #MAX_CHOICES} distinct non-blank choices of at most {@link #MAX_CHOICE}
 * characters; times between 0 (not sent) and {@link #MAX_SECONDS}; {@code MINDT} not above {@code MAXDT};
 * {@code MAXLEN}, {@code IT} and {@code ET} only on a text input; a default response that the kind can take
 * (a choice number in range, {@code 2-3} for multiple choice, a text within {@code MAXLEN}), never on a
 * display and <b>never on a confirmation</b>: a 1101 with {@code DR} may come back 200 when MAXDT expires,
 * without a human, so it could not count as consent.
 *
 * @param kind the alert
 * @param text the text shown (question, message or title)
 * @param choices the choices of a single or multiple choice, in order; empty otherwise
 * @param minDisplaySeconds {@code MINDT}, or 0 when not sent
 * @param maxDisplaySeconds {@code MAXDT}: how long the device waits for the user before answering 408, or 0
 *        when not sent (the device's default)
 * @param defaultResponse {@code DR} as the device reads it once decoded, or null
 * @param maxLength {@code MAXLEN} of a text input, or 0 when not sent
 * @param inputType {@code IT} of a text input, or null
 * @param echo {@code ET} of a text input, or null
 * @since 2.1.0
 */
public record UserAlert(UiAlertKind kind, String text, List<String> choices, int minDisplaySeconds,
        int maxDisplaySeconds, String defaultResponse, int maxLength, InputType inputType, Echo echo) {

    /** The most characters of the text. */
    public static final int MAX_TEXT = 1000;
    /** The most choices. */
    public static final int MAX_CHOICES = 32;
    /** The most characters of one choice. */
    public static final int MAX_CHOICE = 200;
    /** The longest MINDT or MAXDT, one day. */
    public static final int MAX_SECONDS = 86_400;
    /** The largest MAXLEN. */
    public static final int MAX_INPUT = 1000;

    /** {@code IT}: what a text input accepts. */
    public enum InputType {
        /** {@code A}: any text. */
        ALPHANUMERIC("A"),
        /** {@code N}: digits, decimal point and sign. */
        NUMERIC("N"),
        /** {@code D}: a date, DDMMYYYY. */
        DATE("D"),
        /** {@code T}: a time, hhmmss. */
        TIME("T"),
        /** {@code P}: a phone number. */
        PHONE("P"),
        /** {@code I}: an IPv4 address. */
        IP_ADDRESS("I");

        private final String letter;

        InputType(String letter) {
            this.letter = letter;
        }

        /** @return the option letter */
        public String letter() {
            return letter;
        }
    }

    /** {@code ET}: how a text input echoes what is typed. */
    public enum Echo {
        /** {@code T}: shown. */
        TEXT("T"),
        /** {@code P}: hidden, like a password. */
        PASSWORD("P");

        private final String letter;

        Echo(String letter) {
            this.letter = letter;
        }

        /** @return the option letter */
        public String letter() {
            return letter;
        }
    }

    /** Checks the alert (see the type's description) and copies the choices. */
    public UserAlert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (text.isBlank()) {
            throw new IllegalArgumentException("a user alert needs a text");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("the text of a user alert has more than " + MAX_TEXT + " characters");
        }
        checkChars(text, "the text");
        if (kind.isChoice()) {
            if (choices.isEmpty() || choices.size() > MAX_CHOICES) {
                throw new IllegalArgumentException("a choice needs 1 to " + MAX_CHOICES + " choices");
            }
            Set<String> seen = new HashSet<>();
            for (String c : choices) {
                if (c == null || c.isBlank() || c.length() > MAX_CHOICE) {
                    throw new IllegalArgumentException("each choice needs 1 to " + MAX_CHOICE + " characters");
                }
                checkChars(c, "a choice");
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("the choice '" + c + "' is given twice");
                }
            }
        } else if (!choices.isEmpty()) {
            throw new IllegalArgumentException("only a single or multiple choice has choices");
        }
        seconds(minDisplaySeconds, "MINDT");
        seconds(maxDisplaySeconds, "MAXDT");
        if (maxDisplaySeconds > 0 && minDisplaySeconds > maxDisplaySeconds) {
            throw new IllegalArgumentException("MINDT (" + minDisplaySeconds + " s) is above MAXDT ("
                    + maxDisplaySeconds + " s)");
        }
        if (kind != UiAlertKind.TEXT_INPUT && (maxLength != 0 || inputType != null || echo != null)) {
            throw new IllegalArgumentException("MAXLEN, IT and ET belong to a text input only");
        }
        if (maxLength < 0 || maxLength > MAX_INPUT) {
            throw new IllegalArgumentException("MAXLEN must be between 1 and " + MAX_INPUT);
        }
        if (defaultResponse != null) {
            checkDefault(kind, defaultResponse, choices.size(), maxLength);
        }
    }

    private static void checkChars(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch) && ch != '\n' && ch != '\t') {
                throw new IllegalArgumentException(what + " of a user alert contains a control character");
            }
        }
    }

    private static void seconds(int value, String name) {
        if (value < 0 || value > MAX_SECONDS) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAX_SECONDS + " seconds");
        }
    }

    private static void checkDefault(UiAlertKind kind, String dr, int choiceCount, int maxLength) {
        switch (kind) {
            case CONFIRM -> throw new IllegalArgumentException(
                    "a confirmation never carries a default response (DR): it could be answered without the user");
            case DISPLAY -> throw new IllegalArgumentException("a display takes no default response (DR)");
            case TEXT_INPUT -> {
                int limit = maxLength > 0 ? maxLength : MAX_INPUT;
                if (dr.length() > limit) {
                    throw new IllegalArgumentException("the default response is longer than " + limit);
                }
                checkChars(dr, "the default response");
            }
            case SINGLE_CHOICE -> choiceNumber(dr, choiceCount);
            case MULTIPLE_CHOICE -> {
                for (String part : dr.split("-", -1)) {
                    choiceNumber(part, choiceCount);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void choiceNumber(String s, int count) {
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the default response must be choice numbers from 1 to " + count);
        }
        if (n < 1 || n > count) {
            throw new IllegalArgumentException("the default response must be choice numbers from 1 to " + count);
        }
    }

    /**
     * @param kind the alert
     * @param text the text shown
     * @return a builder
     */
    public static Builder builder(UiAlertKind kind, String text) {
        return new Builder(kind, text);
    }

    /** @return the alert code, 1100 to 1104 */
    public int code() {
        return kind.code();
    }

    /**
     * @return the Data of the first Item: the options sent, URL-encoded ({@code MINDT=10&MAXDT=30}), empty when
     *         there is none
     */
    public String options() {
        StringBuilder b = new StringBuilder();
        if (minDisplaySeconds > 0) {
            option(b, "MINDT", Integer.toString(minDisplaySeconds));
        }
        if (maxDisplaySeconds > 0) {
            option(b, "MAXDT", Integer.toString(maxDisplaySeconds));
        }
        if (defaultResponse != null) {
            option(b, "DR", defaultResponse);
        }
        if (maxLength > 0) {
            option(b, "MAXLEN", Integer.toString(maxLength));
        }
        if (inputType != null) {
            option(b, "IT", inputType.letter());
        }
        if (echo != null) {
            option(b, "ET", echo.letter());
        }
        return b.toString();
    }

    private static void option(StringBuilder b, String name, String value) {
        if (b.length() > 0) {
            b.append('&');
        }
        b.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /**
     * @return the Data of the Items after the options, in order: the text, then the choices
     */
    public List<String> itemTexts() {
        List<String> out = new ArrayList<>(choices.size() + 1);
        out.add(text);
        out.addAll(choices);
        return out;
    }

    /**
     * The form an {@link Operation} of kind {@link OperationKind#ALERT} keeps in its data (and registries store):
     * the code, the options and each item text on lines of their own, items URL-encoded.
     *
     * @return the stored form, read back by {@link #parse(String)}
     */
    public String encoded() {
        StringBuilder b = new StringBuilder().append(code()).append('\n').append(options());
        for (String t : itemTexts()) {
            b.append('\n').append(URLEncoder.encode(t, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /**
     * @param encoded a form written by {@link #encoded()}
     * @return the alert
     * @throws IllegalArgumentException when it is no such form or the alert it describes is not valid
     */
    public static UserAlert parse(String encoded) {
        if (encoded == null) {
            throw new IllegalArgumentException("an Alert operation needs its alert");
        }
        String[] lines = encoded.split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("not a stored user alert");
        }
        UiAlertKind kind;
        try {
            kind = UiAlertKind.ofCode(Integer.parseInt(lines[0].trim()))
                    .orElseThrow(() -> new IllegalArgumentException("not a user-interaction alert code: " + lines[0]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a stored user alert");
        }
        Map<String, String> opts = new LinkedHashMap<>();
        if (!lines[1].isEmpty()) {
            for (String pair : lines[1].split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("not a stored user alert");
                }
                opts.put(pair.substring(0, eq).toUpperCase(Locale.ROOT), decode(pair.substring(eq + 1)));
            }
        }
        Builder b = builder(kind, decode(lines[2]));
        for (int i = 3; i < lines.length; i++) {
            b.choice(decode(lines[i]));
        }
        b.minDisplaySeconds(number(opts.get("MINDT"))).maxDisplaySeconds(number(opts.get("MAXDT")))
                .maxLength(number(opts.get("MAXLEN"))).defaultResponse(opts.get("DR"));
        if (opts.containsKey("IT")) {
            b.inputType(letter(InputType.values(), opts.get("IT")));
        }
        if (opts.containsKey("ET")) {
            b.echo(letter(Echo.values(), opts.get("ET")));
        }
        return b.build();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static int number(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a stored user alert");
        }
    }

    private static <E extends Enum<E>> E letter(E[] values, String letter) {
        for (E e : values) {
            String l = e instanceof InputType it ? it.letter() : ((Echo) e).letter();
            if (l.equals(letter)) {
                return e;
            }
        }
        throw new IllegalArgumentException("not a stored user alert");
    }

    /**
     * @param numbers the Items of a choice answer: choice numbers from 1
     * @return the texts of those choices, in the order given; a number out of range is kept as it was sent
     */
    public List<String> choiceTexts(List<String> numbers) {
        List<String> out = new ArrayList<>(numbers.size());
        for (String n : numbers) {
            String t = n;
            try {
                int i = Integer.parseInt(n.trim());
                if (i >= 1 && i <= choices.size()) {
                    t = choices.get(i - 1);
                }
            } catch (NumberFormatException | NullPointerException e) {
                // kept as sent
            }
            out.add(t);
        }
        return out;
    }

    /** A builder; every check is made by {@link #build()}. */
    public static final class Builder {
        private final UiAlertKind kind;
        private final String text;
        private final List<String> choices = new ArrayList<>();
        private int minDisplaySeconds;
        private int maxDisplaySeconds;
        private String defaultResponse;
        private int maxLength;
        private InputType inputType;
        private Echo echo;

        private Builder(UiAlertKind kind, String text) {
            this.kind = kind;
            this.text = text;
        }

        /**
         * @param value a choice, numbered after the ones added before
         * @return this
         */
        public Builder choice(String value) {
            choices.add(value);
            return this;
        }

        /**
         * @param values choices, in order
         * @return this
         */
        public Builder choices(List<String> values) {
            choices.addAll(values);
            return this;
        }

        /**
         * @param seconds MINDT, 0 for none
         * @return this
         */
        public Builder minDisplaySeconds(int seconds) {
            this.minDisplaySeconds = seconds;
            return this;
        }

        /**
         * @param seconds MAXDT, 0 for none
         * @return this
         */
        public Builder maxDisplaySeconds(int seconds) {
            this.maxDisplaySeconds = seconds;
            return this;
        }

        /**
         * @param value DR, decoded, or null
         * @return this
         */
        public Builder defaultResponse(String value) {
            this.defaultResponse = value;
            return this;
        }

        /**
         * @param value MAXLEN, 0 for none
         * @return this
         */
        public Builder maxLength(int value) {
            this.maxLength = value;
            return this;
        }

        /**
         * @param value IT, or null
         * @return this
         */
        public Builder inputType(InputType value) {
            this.inputType = value;
            return this;
        }

        /**
         * @param value ET, or null
         * @return this
         */
        public Builder echo(Echo value) {
            this.echo = value;
            return this;
        }

        /**
         * @return the alert
         * @throws IllegalArgumentException when it is not valid
         */
        public UserAlert build() {
            return new UserAlert(kind, text, choices, minDisplaySeconds, maxDisplaySeconds, defaultResponse,
                    maxLength, inputType, echo);
        }
    }
}
