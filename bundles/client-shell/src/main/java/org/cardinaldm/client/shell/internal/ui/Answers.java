package org.cardinaldm.client.shell.internal.ui;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.syncml.api.model.UiAlertKind;

/**
 * Turns what a person typed after {@code dm:answer <id>} into a {@link UserResponse} that fits the
 * prompt, or explains why it does not: a confirm takes yes/no, a text input a text that matches IT
 * and MAXLEN, a single choice one number, a multiple choice one or more numbers, a display nothing
 * (or {@code ok}). Messages never repeat a typed text (it may be a PIN).
 */
public final class Answers {
    private static final Set<String> YES = Set.of("yes", "y", "1", "accept", "ok");
    private static final Set<String> NO = Set.of("no", "n", "0", "reject");
    private static final Pattern NUMBER = Pattern.compile("[+-]?[0-9]+([.,][0-9]+)?");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9*#pw]+");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("ddMMuuuu").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withResolverStyle(ResolverStyle.STRICT);

    private Answers() {
    }

    /**
     * @param prompt the prompt
     * @param words what was typed, split by the shell
     * @return the answer
     * @throws IllegalArgumentException when it does not fit the prompt, with a message for people
     */
    public static UserResponse parse(UserPrompt prompt, List<String> words) {
        String joined = String.join(" ", words).trim();
        switch (prompt.kind()) {
            case DISPLAY:
                if (joined.isEmpty() || joined.equalsIgnoreCase("ok") || joined.equalsIgnoreCase("done")) {
                    return UserResponse.done();
                }
                throw new IllegalArgumentException("a display is only acknowledged: answer with no words (or ok)");
            case CONFIRM:
                String w = joined.toLowerCase(Locale.ROOT);
                if (YES.contains(w)) {
                    return UserResponse.yes();
                }
                if (NO.contains(w)) {
                    return UserResponse.no();
                }
                throw new IllegalArgumentException("a confirm takes yes or no");
            case TEXT_INPUT:
                UserResponse text = UserResponse.text(String.join(" ", words));
                check(prompt, text);
                return text;
            case SINGLE_CHOICE:
            case MULTIPLE_CHOICE:
                Set<Integer> chosen = new TreeSet<>();
                for (String part : joined.split("[,\\s]+")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    try {
                        chosen.add(Integer.parseInt(part));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(choiceHint(prompt));
                    }
                }
                UserResponse choices = UserResponse.choices(chosen);
                check(prompt, choices);
                return choices;
            default:
                throw new IllegalArgumentException("unknown prompt kind " + prompt.kind());
        }
    }

    /**
     * @param prompt the prompt
     * @param r an answer; cancel fits every prompt
     * @throws IllegalArgumentException when the answer does not fit the prompt
     */
    public static void check(UserPrompt prompt, UserResponse r) {
        if (r.kind() == UserResponse.Kind.CANCELLED || r.kind() == UserResponse.Kind.TIMED_OUT) {
            return;
        }
        switch (prompt.kind()) {
            case DISPLAY -> require(r.kind() == UserResponse.Kind.DONE, "a display is only acknowledged");
            case CONFIRM -> require(r.kind() == UserResponse.Kind.YES || r.kind() == UserResponse.Kind.NO,
                    "a confirm takes yes or no");
            case TEXT_INPUT -> {
                require(r.kind() == UserResponse.Kind.TEXT, "a text input takes a text");
                checkText(prompt, r.text());
            }
            case SINGLE_CHOICE, MULTIPLE_CHOICE -> {
                require(r.kind() == UserResponse.Kind.CHOICES, choiceHint(prompt));
                boolean single = prompt.kind() == UiAlertKind.SINGLE_CHOICE;
                require(single ? r.choices().size() == 1 : !r.choices().isEmpty(), choiceHint(prompt));
                require(r.choices().stream().allMatch(i -> i >= 1 && i <= prompt.choices().size()), choiceHint(prompt));
            }
            default -> throw new IllegalArgumentException("unknown prompt kind " + prompt.kind());
        }
    }

    private static void checkText(UserPrompt prompt, String text) {
        if (prompt.maxLength() > 0 && text.length() > prompt.maxLength()) {
            throw new IllegalArgumentException("the answer is " + text.length() + " characters long; at most "
                    + prompt.maxLength() + " are accepted");
        }
        switch (prompt.inputType()) {
            case NUMERIC -> require(NUMBER.matcher(text).matches(), "a number is expected");
            case DATE -> require(parses(() -> LocalDate.parse(text, DATE)), "a date DDMMYYYY is expected");
            case TIME -> require(parses(() -> LocalTime.parse(text, TIME)), "a time hhmmss is expected");
            case PHONE -> require(PHONE.matcher(text).matches(), "a telephone number is expected");
            case IP_ADDRESS -> require(IPV4.matcher(text).matches(), "an IPv4 address xxx.yyy.zzz.www is expected");
            default -> {
                // any text
            }
        }
    }

    private static boolean parses(Runnable r) {
        try {
            r.run();
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String choiceHint(UserPrompt prompt) {
        int n = prompt.choices().size();
        return prompt.kind() == UiAlertKind.SINGLE_CHOICE
                ? "a single choice takes one number from 1 to " + n
                : "a multiple choice takes one or more numbers from 1 to " + n + " (e.g. 1,3)";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * @param prompt a prompt
     * @return how to answer it, for people: {@code yes/no}, {@code <text>}, {@code <1-3>} …
     */
    public static String hint(UserPrompt prompt) {
        return switch (prompt.kind()) {
            case DISPLAY -> "(no answer: acknowledge)";
            case CONFIRM -> "yes/no";
            case TEXT_INPUT -> prompt.echo() == UserPrompt.Echo.PASSWORD ? "(hidden text: type it when asked)"
                    : "<" + prompt.inputType().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ">";
            case SINGLE_CHOICE -> "<1-" + prompt.choices().size() + ">";
            case MULTIPLE_CHOICE -> "<1-" + prompt.choices().size() + ">[,…]";
        };
    }
}
