package org.cardinaldm.server.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.cardinaldm.server.api.NotificationManager;
import org.cardinaldm.server.api.NotificationRecord;
import org.cardinaldm.server.api.NotificationState;
import org.cardinaldm.server.api.NotificationUi;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.PushSender;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.api.spi.StoredNotification;
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.api.auth.UserDigests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds, signs, sends and follows package-0 notifications. The digest is
 * H(B64(H(server-id ":" password)) ":" nonce ":" B64(H(trigger))) with the stored server digest and the
 * nonce the device gave the server (digest section 4.2), so no password is needed.
 *
 * <p>Notifications are kept in the registry when it keeps them ({@link ServerStore#insertNotification}, the JDBC
 * registry does): then every node sharing the registry lists them, the device's answering session marks them
 * answered on whichever node it reaches, and each retry is sent by exactly one node (a conditional update on the
 * attempt count decides which). A notification is written before it is sent, so a node that dies meanwhile never
 * causes a second sending. With a registry that keeps none, they stay in this node's memory (the newest 1000).
 */
public final class Notifier implements NotificationManager {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final int KEPT = 1000;
    /** Notifications kept in the registry are forgotten this long after they were first sent. */
    static final Duration KEEP_STORED = Duration.ofDays(7);
    /** The most stored notifications one retry round looks at. */
    private static final int RETRY_BATCH = 200;

    private final ServerStore store;
    private final ServerConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final Function<String, Optional<PushSender>> senders;
    private final Duration retryAfter;
    private final int maxAttempts;
    /** The notifications the registry does not keep. */
    private final Deque<NotificationRecord> records = new ArrayDeque<>();

    /**
     * @param store the registry
     * @param config the settings (ServerID)
     * @param clock the time source
     * @param random the session id source
     * @param senders finds the sender of an address scheme
     * @param retryAfter how long to wait for the session before sending again
     * @param maxAttempts how many times a notification is sent at most
     */
    public Notifier(ServerStore store, ServerConfig config, Clock clock, SecureRandom random,
            Function<String, Optional<PushSender>> senders, Duration retryAfter, int maxAttempts) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.senders = Objects.requireNonNull(senders, "senders");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a notification is sent at least once");
        }
        this.maxAttempts = maxAttempts;
    }

    @Override
    public NotificationRecord notify(String deviceId, NotificationUi ui) {
        DeviceRecord d = store.device(deviceId)
                .orElseThrow(() -> new IllegalArgumentException("no device " + deviceId + " is registered"));
        if (d.pushAddress() == null || d.pushAddress().isBlank()) {
            throw new IllegalArgumentException("device " + deviceId + " has no push address");
        }
        int session = 1 + random.nextInt(0xFFFF);
        Notification n = Notification.of(config.serverId(), session, UiMode.of(ui.ordinal()));
        Instant now = clock.instant();
        NotificationRecord first = attempt(new NotificationRecord(deviceId, n.sessionIdHex(), d.pushAddress(), ui, now,
                now, 0, NotificationState.SENT, null));
        long id = store.insertNotification(first); // before sending: a node that dies now never sends it twice
        NotificationRecord r = deliver(first, d);
        if (id > 0) {
            if (!r.equals(first)) {
                store.updateNotification(id, NotificationState.SENT, first.attempts(), r);
            }
            return r;
        }
        synchronized (records) {
            records.addFirst(r);
            while (records.size() > KEPT) {
                records.removeLast();
            }
        }
        return r;
    }

    /** @return the record of one more sending, now */
    private NotificationRecord attempt(NotificationRecord r) {
        return new NotificationRecord(r.deviceId(), r.sessionId(), r.address(), r.ui(), r.firstSent(), clock.instant(),
                r.attempts() + 1, NotificationState.SENT, null);
    }

    /** Sends {@code sent} (the record of this attempt) and returns it, or how the attempt failed. */
    private NotificationRecord deliver(NotificationRecord sent, DeviceRecord d) {
        String scheme = scheme(sent.address());
        Optional<PushSender> sender = senders.apply(scheme);
        if (sender.isEmpty()) {
            LOG.debug("No push sender for {} (device {})", scheme, sent.deviceId());
            return sent.with(NotificationState.FAILED, "no push sender for scheme " + scheme);
        }
        byte[] pkg0 = encode(d, Integer.parseInt(sent.sessionId(), 16), sent.ui());
        try {
            sender.get().send(sent.address(), pkg0);
            LOG.debug("Notification {} sent to {} (attempt {})", sent.sessionId(), sent.deviceId(), sent.attempts());
            return sent;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Notification to {} failed: {}", sent.deviceId(), e.getMessage());
            return sent.attempts() >= maxAttempts ? sent.with(NotificationState.FAILED, "send failed: " + e.getMessage())
                    : sent.with(NotificationState.SENT, "send failed: " + e.getMessage());
        }
    }

    /**
     * @param d the device
     * @param session the 16-bit session id
     * @param ui the ui-mode
     * @return the signed package 0
     */
    byte[] encode(DeviceRecord d, int session, NotificationUi ui) {
        Notification n = Notification.of(config.serverId(), session, UiMode.of(ui.ordinal()));
        byte[] trigger = n.trigger();
        String nonce = d.serverNonce() == null ? Secrets.RESYNC_NONCE : d.serverNonce();
        byte[] digest = UserDigests.notificationDigest(d.serverDigest(), Secrets.decodeNonce(nonce), trigger);
        byte[] out = new byte[digest.length + trigger.length];
        System.arraycopy(digest, 0, out, 0, digest.length);
        System.arraycopy(trigger, 0, out, digest.length, trigger.length);
        return out;
    }

    private static String scheme(String address) {
        int colon = address.indexOf(':');
        return colon < 0 ? "" : address.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /**
     * A device opened a server-initiated session: the notification that asked for it is answered, whichever node
     * sent it when the registry keeps notifications.
     *
     * @param deviceId the device
     * @param sessionId the SessionID of the session
     */
    public void sessionOpened(String deviceId, String sessionId) {
        int stored = store.answerNotifications(deviceId, sessionId);
        if (stored > 0) {
            LOG.debug("Notification {} of {} answered", sessionId, deviceId);
        }
        synchronized (records) {
            List<NotificationRecord> copy = new ArrayList<>(records);
            records.clear();
            for (NotificationRecord r : copy) {
                if (r.state() == NotificationState.SENT && r.deviceId().equals(deviceId)
                        && r.sessionId().equalsIgnoreCase(sessionId.trim())) {
                    LOG.debug("Notification {} of {} answered", sessionId, deviceId);
                    r = r.with(NotificationState.ANSWERED, null);
                }
                records.addLast(r);
            }
        }
    }

    /**
     * Sends again the notifications still unanswered after the retry delay, and expires those sent the
     * most times. Of several nodes sharing the registry, one sends each retry.
     *
     * @return how many were sent again by this node
     */
    public int retry() {
        Instant now = clock.instant();
        Instant limit = now.minus(retryAfter);
        int resent = 0;
        for (StoredNotification due : store.dueNotifications(limit, RETRY_BATCH)) {
            NotificationRecord r = due.record();
            if (r.attempts() >= maxAttempts) {
                store.updateNotification(due.id(), NotificationState.SENT, r.attempts(),
                        r.with(NotificationState.EXPIRED, "no session after " + r.attempts() + " notifications"));
                continue;
            }
            Optional<DeviceRecord> d = store.device(r.deviceId());
            if (d.isEmpty()) {
                store.updateNotification(due.id(), NotificationState.SENT, r.attempts(),
                        r.with(NotificationState.FAILED, "device removed"));
                continue;
            }
            NotificationRecord next = attempt(r);
            if (!store.updateNotification(due.id(), NotificationState.SENT, r.attempts(), next)) {
                continue; // answered meanwhile, or another node sends this retry
            }
            NotificationRecord result = deliver(next, d.get());
            if (!result.equals(next)) {
                store.updateNotification(due.id(), NotificationState.SENT, next.attempts(), result);
            }
            resent++;
        }
        store.pruneNotifications(now.minus(KEEP_STORED));
        return resent + retryInMemory(limit);
    }

    private int retryInMemory(Instant limit) {
        List<NotificationRecord> due = new ArrayList<>();
        synchronized (records) {
            for (Iterator<NotificationRecord> it = records.iterator(); it.hasNext();) {
                NotificationRecord r = it.next();
                if (r.state() == NotificationState.SENT && r.lastSent().isBefore(limit)) {
                    due.add(r);
                }
            }
        }
        int resent = 0;
        for (NotificationRecord r : due) {
            NotificationRecord next;
            if (r.attempts() >= maxAttempts) {
                next = r.with(NotificationState.EXPIRED, "no session after " + r.attempts() + " notifications");
            } else {
                Optional<DeviceRecord> d = store.device(r.deviceId());
                next = d.isEmpty() ? r.with(NotificationState.FAILED, "device removed") : deliver(attempt(r), d.get());
                resent++;
            }
            replace(r, next);
        }
        return resent;
    }

    private void replace(NotificationRecord old, NotificationRecord next) {
        synchronized (records) {
            List<NotificationRecord> copy = new ArrayList<>(records);
            records.clear();
            for (NotificationRecord r : copy) {
                records.addLast(r == old ? next : r);
            }
        }
    }

    @Override
    public List<NotificationRecord> notifications(String deviceId, int limit) {
        List<NotificationRecord> out = new ArrayList<>(store.notifications(deviceId, limit));
        synchronized (records) {
            for (NotificationRecord r : records) {
                if (deviceId == null || r.deviceId().equals(deviceId)) {
                    out.add(r);
                }
            }
        }
        out.sort(Comparator.comparing(NotificationRecord::firstSent).reversed());
        return out.size() > limit ? List.copyOf(out.subList(0, Math.max(0, limit))) : out;
    }
}
