package org.cardinaldm.client.shell.internal.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console user interaction: every user-interaction alert (1100 to 1104) and every bootstrap
 * question becomes a pending prompt that a person lists with {@code dm:prompts} and answers with
 * {@code dm:answer}. The asking thread waits until the prompt is answered or cancelled, until its
 * MAXDT has passed ({@link UserResponse#timedOut()}), or until the caller gives up and interrupts it
 * (the DM client then answers 408 itself). A display (1100) is acknowledged on its own once it has
 * been listed for MINDT (or {@code display.s}), since it only has to be shown.
 *
 * <p>Active only when configured (PID {@value #PID}), so that a gateway nobody watches keeps its
 * policy UI (ranking -100) instead of letting every prompt run into its timeout. This component makes
 * no choice of its own: it registers with {@code service.ranking} 0 (unless the configuration sets
 * another Integer), and the DM client, for its sessions and its bootstraps alike, asks the UI service
 * with the highest ranking.
 */
@Component(service = {UserInteraction.class, PromptBoard.class}, configurationPid = ConsoleUserInteraction.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, property = "service.ranking:Integer=0")
@Designate(ocd = ConsoleUserInteraction.Config.class)
public final class ConsoleUserInteraction implements UserInteraction, PromptBoard {
    /** The configuration PID. */
    public static final String PID = "org.cardinaldm.client.ui.console";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleUserInteraction.class);

    /** The console UI's settings. */
    @ObjectClassDefinition(name = "Cardinal DM console user interaction",
            description = "Server UI alerts (1100-1104) and bootstrap questions as prompts answered with dm:answer")
    public @interface Config {
        /** @return the bound when the caller gives no MAXDT */
        @AttributeDefinition(name = "Longest wait (s)", min = "1",
                description = "How long a prompt without MAXDT waits at most (the DM client usually gives up first, after its ui.timeout.s)")
        int timeout_s() default 600;

        /** @return how long a display is listed */
        @AttributeDefinition(name = "Display time (s)", min = "0",
                description = "How long a display alert without MINDT stays listed before it counts as shown")
        int display_s() default 10;

        /** @return the most prompts held */
        @AttributeDefinition(name = "Most pending prompts", min = "1",
                description = "Prompts beyond this are cancelled at once (214)")
        int max_pending() default 32;
    }

    private record Entry(PendingPrompt pending, CompletableFuture<UserResponse> answer) {
    }

    private final Map<Integer, Entry> prompts = new ConcurrentSkipListMap<>();
    private final List<Consumer<PendingPrompt>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock;
    private final Duration longestWait;
    private final Duration displayTime;
    private final int maxPending;

    /** @param config the settings */
    @Activate
    public ConsoleUserInteraction(Config config) {
        this(config, Clock.systemUTC());
    }

    /**
     * @param config the settings
     * @param clock the clock for the prompts' times
     */
    public ConsoleUserInteraction(Config config, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.longestWait = Duration.ofSeconds(Math.max(1, config.timeout_s()));
        this.displayTime = Duration.ofSeconds(Math.max(0, config.display_s()));
        this.maxPending = Math.max(1, config.max_pending());
        LOG.info("Console user interaction started: answer prompts with dm:prompts and dm:answer");
    }

    @Deactivate
    void deactivate() {
        // the askers get a cancel; the DM client turns it into 214
        prompts.values().forEach(e -> e.answer().complete(UserResponse.cancelled()));
        LOG.info("Console user interaction stopped");
    }

    @Override
    public UserResponse interact(UserPrompt prompt) throws InterruptedException {
        Objects.requireNonNull(prompt, "prompt");
        if (prompts.size() >= maxPending) {
            LOG.warn("{} prompts are already pending: {} from {} is cancelled", maxPending, prompt.kind(), prompt.serverId());
            return UserResponse.cancelled();
        }
        boolean display = prompt.kind() == UiAlertKind.DISPLAY;
        Duration wait;
        boolean callerDeadline;
        if (display) {
            // shown for MINDT (or the configured time), never past MAXDT, when the caller answers 408
            Duration shown = prompt.minDisplayTime().isZero() ? displayTime : prompt.minDisplayTime();
            wait = prompt.maxDisplayTime().filter(max -> max.compareTo(shown) < 0).orElse(shown);
            callerDeadline = true;
        } else {
            wait = prompt.maxDisplayTime().orElse(longestWait);
            callerDeadline = prompt.maxDisplayTime().isPresent();
        }
        Instant now = clock.instant();
        Entry e = new Entry(new PendingPrompt(ids.incrementAndGet(), prompt, now, now.plus(wait), callerDeadline),
                new CompletableFuture<>());
        int id = e.pending().id();
        prompts.put(id, e);
        try {
            LOG.info("Prompt {} from {} ({}): answer with dm:answer {} {}", id, prompt.serverId(),
                    prompt.kind().name().toLowerCase(java.util.Locale.ROOT), id, Answers.hint(prompt));
            for (Consumer<PendingPrompt> l : listeners) {
                try {
                    l.accept(e.pending());
                } catch (RuntimeException ex) {
                    LOG.warn("A prompt listener failed: {}", ex.toString());
                }
            }
            UserResponse r;
            try {
                r = e.answer().get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                r = display ? UserResponse.done() : UserResponse.timedOut();
            } catch (ExecutionException ex) {
                r = UserResponse.cancelled();
            }
            LOG.debug("Prompt {} from {}: {}", id, prompt.serverId(), r);
            return r;
        } catch (InterruptedException ex) {
            LOG.debug("Prompt {} from {}: the caller gave up", id, prompt.serverId());
            throw ex;
        } finally {
            prompts.remove(id);
        }
    }

    @Override
    public List<PendingPrompt> pending() {
        List<PendingPrompt> out = new ArrayList<>();
        prompts.values().forEach(e -> out.add(e.pending()));
        return out;
    }

    @Override
    public Optional<PendingPrompt> find(int id) {
        return Optional.ofNullable(prompts.get(id)).map(Entry::pending);
    }

    @Override
    public boolean answer(int id, UserResponse response) {
        Objects.requireNonNull(response, "response");
        Entry e = prompts.get(id);
        if (e == null) {
            return false;
        }
        Answers.check(e.pending().prompt(), response);
        return e.answer().complete(response);
    }

    @Override
    public AutoCloseable onPrompt(Consumer<PendingPrompt> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
