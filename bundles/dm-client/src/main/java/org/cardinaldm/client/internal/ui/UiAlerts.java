package org.cardinaldm.client.internal.ui;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.syncml.api.model.Alert;
import org.cardinaldm.syncml.api.model.Item;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a user-interaction alert (1100 to 1104, digest 1.9) into a {@link UserPrompt}, asks the
 * {@link UserInteraction} service on a thread of its own within MAXDT (or the configured default),
 * and turns the answer into the alert's status and items: 200 (with the text or the choice
 * numbers), 304 for "no", 214 for cancel, 408 on timeout, 406 without a UI (for a 1101 that is no consent:
 * its Sequence stops and its Atomic fails, as after a "no").
 */
public final class UiAlerts {
    /** The result of one UI alert. */
    public record Answer(int status, List<String> items, Effect effect) {
        /** Copies the items. */
        public Answer {
            items = List.copyOf(items);
        }
    }

    /** What the answer means for the commands around the alert. */
    public enum Effect {
        /** Processing goes on. */
        NONE,
        /** The user said no to a confirm: an Atomic fails, a Sequence stops, elsewhere nothing. */
        REJECTED,
        /** The user cancelled (or did not answer): Atomic fails, Sequence stops, the package stops. */
        CANCELLED
    }

    private static final Logger LOG = LoggerFactory.getLogger(UiAlerts.class);

    private final Supplier<UserInteraction> ui;
    private final ExecutorService executor;
    private final Duration defaultTimeout;

    /**
     * @param ui the current UI service, or a supplier of null when there is none
     * @param executor where the UI is called
     * @param defaultTimeout how long to wait when the alert has no MAXDT
     */
    public UiAlerts(Supplier<UserInteraction> ui, ExecutorService executor, Duration defaultTimeout) {
        this.ui = ui;
        this.executor = executor;
        this.defaultTimeout = defaultTimeout;
    }

    /**
     * Parses the options item: URL-encoded {@code name=value} pairs joined with {@code &}; unknown
     * names and unparsable values are skipped silently.
     *
     * @param text the options text
     * @return option name (upper case) to decoded value
     */
    static Map<String, String> options(String text) {
        Map<String, String> out = new HashMap<>();
        if (text == null) {
            return out;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim().toUpperCase(java.util.Locale.ROOT);
            String value;
            try {
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                value = pair.substring(eq + 1);
            }
            out.putIfAbsent(name, value);
        }
        return out;
    }

    /**
     * @param alert a UI alert
     * @param serverId the server that sent it
     * @return the prompt it describes
     */
    static UserPrompt prompt(Alert alert, String serverId) {
        UiAlertKind kind = UiAlertKind.ofCode(alert.code())
                .orElseThrow(() -> new IllegalArgumentException("not a UI alert"));
        List<Item> items = alert.items();
        Map<String, String> opts = options(items.isEmpty() || items.get(0).data() == null ? "" : items.get(0).data().asText());
        String text = items.size() > 1 && items.get(1).data() != null ? items.get(1).data().asText() : "";
        UserPrompt.Builder b = UserPrompt.builder(kind, serverId, text);
        for (int i = 2; i < items.size(); i++) {
            b.choice(items.get(i).data() == null ? "" : items.get(i).data().asText());
        }
        seconds(opts.get("MINDT")).ifPresent(b::minDisplayTime);
        seconds(opts.get("MAXDT")).filter(d -> !d.isZero()).ifPresent(b::maxDisplayTime);
        if (opts.containsKey("DR")) {
            b.defaultResponse(opts.get("DR"));
        }
        number(opts.get("MAXLEN")).ifPresent(b::maxLength);
        String it = opts.getOrDefault("IT", "A");
        switch (it) {
            case "N" -> b.inputType(UserPrompt.InputType.NUMERIC);
            case "D" -> b.inputType(UserPrompt.InputType.DATE);
            case "T" -> b.inputType(UserPrompt.InputType.TIME);
            case "P" -> b.inputType(UserPrompt.InputType.PHONE);
            case "I" -> b.inputType(UserPrompt.InputType.IP_ADDRESS);
            default -> b.inputType(UserPrompt.InputType.ALPHANUMERIC);
        }
        b.echo("P".equals(opts.get("ET")) ? UserPrompt.Echo.PASSWORD : UserPrompt.Echo.TEXT);
        return b.build();
    }

    private static Optional<Duration> seconds(String value) {
        return number(value).map(Duration::ofSeconds);
    }

    private static Optional<Integer> number(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n >= 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Asks the user.
     *
     * @param alert a UI alert (1100 to 1104)
     * @param serverId the server that sent it
     * @return the status, items and effect
     * @throws InterruptedException when the session thread is interrupted
     */
    public Answer ask(Alert alert, String serverId) throws InterruptedException {
        UserInteraction service = ui.get();
        if (service == null) {
            LOG.debug("Alert {} from {}: no user interaction service, 406", alert.code(), serverId);
            // nobody to ask is nobody who agreed: a confirmation that cannot be shown stops what depends on it
            Effect effect = alert.code() == UiAlertKind.CONFIRM.code() ? Effect.REJECTED : Effect.NONE;
            return new Answer(StatusCodes.OPTIONAL_FEATURE_NOT_SUPPORTED, List.of(), effect);
        }
        UserPrompt prompt = prompt(alert, serverId);
        if ((prompt.kind() == UiAlertKind.SINGLE_CHOICE || prompt.kind() == UiAlertKind.MULTIPLE_CHOICE)
                && prompt.choices().isEmpty()) {
            return new Answer(StatusCodes.INCOMPLETE_COMMAND, List.of(), Effect.NONE);
        }
        Duration wait = prompt.maxDisplayTime().orElse(defaultTimeout);
        Future<UserResponse> f = executor.submit(() -> service.interact(prompt));
        UserResponse r;
        try {
            r = f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            r = UserResponse.timedOut();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            LOG.warn("User interaction for alert {} failed: {}", alert.code(), String.valueOf(e.getCause()));
            r = UserResponse.cancelled();
        }
        if (r == null) {
            r = UserResponse.cancelled();
        }
        Answer a = answer(prompt, r);
        LOG.debug("Alert {} from {}: {} -> {}", alert.code(), serverId, r, a.status());
        return a;
    }

    static Answer answer(UserPrompt prompt, UserResponse r) {
        if (r.kind() == UserResponse.Kind.CANCELLED) {
            return new Answer(StatusCodes.OPERATION_CANCELLED, List.of(), Effect.CANCELLED);
        }
        if (r.kind() == UserResponse.Kind.TIMED_OUT) {
            return new Answer(StatusCodes.REQUEST_TIMEOUT, List.of(), Effect.CANCELLED);
        }
        switch (prompt.kind()) {
            case DISPLAY:
                return new Answer(StatusCodes.OK, List.of(), Effect.NONE);
            case CONFIRM:
                if (r.kind() == UserResponse.Kind.YES) {
                    return new Answer(StatusCodes.OK, List.of(), Effect.NONE);
                }
                if (r.kind() == UserResponse.Kind.NO) {
                    return new Answer(StatusCodes.NOT_MODIFIED, List.of(), Effect.REJECTED);
                }
                break;
            case TEXT_INPUT:
                if (r.kind() == UserResponse.Kind.TEXT) {
                    String text = r.text();
                    if (prompt.maxLength() > 0 && text.length() > prompt.maxLength()) {
                        text = text.substring(0, prompt.maxLength());
                    }
                    return new Answer(StatusCodes.OK, List.of(text), Effect.NONE);
                }
                break;
            case SINGLE_CHOICE:
            case MULTIPLE_CHOICE:
                if (r.kind() == UserResponse.Kind.CHOICES && valid(prompt, r)) {
                    List<String> items = new ArrayList<>();
                    r.choices().forEach(i -> items.add(Integer.toString(i)));
                    return new Answer(StatusCodes.OK, items, Effect.NONE);
                }
                break;
            default:
                break;
        }
        LOG.warn("User interaction answered {} to a {} prompt: taken as cancel", r, prompt.kind());
        return new Answer(StatusCodes.OPERATION_CANCELLED, List.of(), Effect.CANCELLED);
    }

    private static boolean valid(UserPrompt prompt, UserResponse r) {
        if (prompt.kind() == UiAlertKind.SINGLE_CHOICE && r.choices().size() != 1) {
            return false;
        }
        return r.choices().stream().allMatch(i -> i >= 1 && i <= prompt.choices().size());
    }
}
