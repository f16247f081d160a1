package org.cardinaldm.client.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.cardinaldm.client.api.spi.UserInteraction;
import org.cardinaldm.client.api.spi.UserPrompt;
import org.cardinaldm.client.api.spi.UserResponse;

/**
 * The one place where the device agent chooses its {@link UserInteraction}: of the UI services bound, the one
 * with the highest {@code service.ranking} (an Integer, as the framework reads it; anything else is 0) is asked,
 * the first bound among equals. Installations choose by ranking only: the policy UI registers -100, the console
 * UI 0 unless configured otherwise, so a person wins over a policy. {@link DmClientImpl} (user-interaction
 * alerts, notifications with ui-mode 3) and {@link DmBootstrapImpl} (bootstrap confirmations and PINs) each keep
 * one of these (through {@link ClientComponent}).
 */
final class UserInteractions {
    private final List<DmClientImpl.Ranked<UserInteraction>> uis = new CopyOnWriteArrayList<>();

    /**
     * @param u a UI service
     * @param props its service properties
     */
    void add(UserInteraction u, Map<String, Object> props) {
        uis.add(new DmClientImpl.Ranked<>(u, DmClientImpl.ranking(props)));
        uis.sort((a, b) -> Integer.compare(b.ranking(), a.ranking()));
    }

    /** @param u a UI service that went away */
    void remove(UserInteraction u) {
        uis.removeIf(r -> r.service() == u);
    }

    /** @return the chosen UI, or null when there is none */
    UserInteraction current() {
        return uis.isEmpty() ? null : uis.get(0).service();
    }

    /**
     * Asks the chosen UI on a thread of the executor and waits at most {@code timeout}.
     *
     * @param prompt the question
     * @param executor where the UI is called
     * @param timeout how long to wait
     * @return the answer; empty without a UI, on timeout (the call is cancelled), failure or interruption (the
     *     interrupt flag is set again)
     */
    Optional<UserResponse> ask(UserPrompt prompt, ExecutorService executor, Duration timeout) {
        UserInteraction ui = current();
        if (ui == null) {
            return Optional.empty();
        }
        Future<UserResponse> f = executor.submit(() -> ui.interact(prompt));
        try {
            return Optional.ofNullable(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            f.cancel(true);
            return Optional.empty();
        }
    }
}
