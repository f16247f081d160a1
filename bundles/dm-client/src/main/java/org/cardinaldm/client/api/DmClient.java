package org.cardinaldm.client.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device's DM client: runs management sessions with the DM servers of {@code ./DMAcc}.
 *
 * <p>Sessions run one after the other on the client's own thread. A request for a server whose
 * session is already queued or running joins that session instead of starting a second one.
 * <pre>{@code
 * SessionResult r = client.startSession(SessionRequest.clientInitiated("dms.example.com")).join();
 * if (!r.isSuccess()) log.warn("DM session failed: {}", r);
 * }</pre>
 */
@ProviderType
public interface DmClient {
    /**
     * Queues a session.
     *
     * @param request which server, and how the session was initiated
     * @return completes with the outcome when the session has ended; it never completes
     *     exceptionally (failures are outcomes), except with a cancellation when the client stops
     */
    CompletableFuture<SessionResult> startSession(SessionRequest request);

    /**
     * Handles a package-0 notification (digest 4) received on any bearer: it is parsed, its
     * ServerID looked up in {@code ./DMAcc}, its digest checked with that server's credentials
     * (with nonce re-synchronisation), replays are dropped, and for a valid one the server-initiated
     * session is queued with the notification's SessionID.
     *
     * @param pkg0 the notification bytes (digest, trigger, vendor data)
     * @return what became of it; only {@link NotificationOutcome#ACCEPTED} starts a session
     */
    NotificationOutcome acceptNotification(byte[] pkg0);

    /**
     * Handles a package-0 notification like {@link #acceptNotification(byte[])}, naming where it came from, so
     * that credential stores can keep their budgets of failed checks per sender (a smart card reserves part of
     * its budget for senders that proved themselves before). The source is unauthenticated: it only spreads
     * budgets, it never makes a notification valid.
     *
     * @param pkg0 the notification bytes (digest, trigger, vendor data)
     * @param source the bearer's name for the sender, e.g. {@code udp:192.0.2.7}; empty when unknown
     * @return what became of it; only {@link NotificationOutcome#ACCEPTED} starts a session
     * @since 1.1
     */
    default NotificationOutcome acceptNotification(byte[] pkg0, String source) {
        return acceptNotification(pkg0);
    }

    /** @return how many notifications ended with each outcome since the client started */
    Map<NotificationOutcome, Long> notificationCounts();
}
