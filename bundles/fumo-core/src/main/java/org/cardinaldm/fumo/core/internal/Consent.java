package org.cardinaldm.fumo.core.internal;

import java.time.Duration;
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
import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the user whether a firmware update may be installed, through the device's user-interaction service
 * (the one the DM client uses for a server's 1101; the console UI in the demo). Only an explicit "yes" within
 * the time-out consents: no, cancel, time-out, no UI at all or a failing UI all mean 401 (user cancelled).
 */
final class Consent {
    private static final Logger LOG = LoggerFactory.getLogger(Consent.class);

    private final Supplier<UserInteraction> ui;
    private final ExecutorService executor;

    /**
     * @param ui the highest-ranked user-interaction service, or null while there is none
     * @param executor where the UI is called (so that the wait is bounded)
     */
    Consent(Supplier<UserInteraction> ui, ExecutorService executor) {
        this.ui = ui;
        this.executor = executor;
    }

    /**
     * @param serverId the server that asked for the update
     * @param text what the user is asked (package name and versions)
     * @param timeout how long to wait
     * @return whether the user said yes
     */
    boolean ask(String serverId, String text, Duration timeout) {
        UserInteraction u = ui.get();
        if (u == null) {
            LOG.info("FUMO: consent needed but no user-interaction service is installed; the update is cancelled");
            return false;
        }
        UserPrompt prompt = UserPrompt.builder(UiAlertKind.CONFIRM, serverId.isEmpty() ? "local" : serverId, text)
                .maxDisplayTime(timeout).build();
        Future<UserResponse> f = executor.submit(() -> u.interact(prompt));
        try {
            Optional<UserResponse> r = Optional.ofNullable(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            boolean yes = r.map(x -> x.kind() == UserResponse.Kind.YES).orElse(false);
            LOG.debug("FUMO consent: {}", r.map(UserResponse::toString).orElse("no answer"));
            return yes;
        } catch (TimeoutException e) {
            f.cancel(true);
            LOG.debug("FUMO consent: no answer within {}", timeout);
            return false;
        } catch (ExecutionException e) {
            LOG.debug("FUMO consent: the user interface failed ({})", e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
