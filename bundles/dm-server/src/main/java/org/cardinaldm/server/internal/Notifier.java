package org.cardinaldm.server.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
import org.cardinaldm.syncml.api.notification.Notification;
import org.cardinaldm.syncml.api.notification.UiMode;
import org.cardinaldm.syncml.api.auth.UserDigests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds, signs, sends and follows package-0 notifications. The digest is
 * H(B64(H(server-id ":" password)) ":" nonce ":" B64(H(trigger))) with the stored server digest and the
 * nonce the device gave the server (digest section 4.2), so no password is needed.
 */
public final class Notifier implements NotificationManager {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final int KEPT = 1000;

    private final ServerStore store;
    private final ServerConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final Function<String, Optional<PushSender>> senders;
    private final Duration retryAfter;
    private final int maxAttempts;
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
        NotificationRecord r = new NotificationRecord(deviceId, n.sessionIdHex(), d.pushAddress(), ui, now, now, 0,
                NotificationState.SENT, null);
        r = send(r, d);
        synchronized (records) {
            records.addFirst(r);
            while (records.size() > KEPT) {
                records.removeLast();
            }
        }
        return r;
    }

    /** Sends (again) and returns the updated record. */
    private NotificationRecord send(NotificationRecord r, DeviceRecord d) {
        Instant now = clock.instant();
        String scheme = scheme(r.address());
        Optional<PushSender> sender = senders.apply(scheme);
        NotificationRecord sent = new NotificationRecord(r.deviceId(), r.sessionId(), r.address(), r.ui(),
                r.firstSent(), now, r.attempts() + 1, NotificationState.SENT, null);
        if (sender.isEmpty()) {
            LOG.debug("No push sender for {} (device {})", scheme, r.deviceId());
            return sent.with(NotificationState.FAILED, "no push sender for scheme " + scheme);
        }
        byte[] pkg0 = encode(d, Integer.parseInt(r.sessionId(), 16), r.ui());
        try {
            sender.get().send(r.address(), pkg0);
            LOG.debug("Notification {} sent to {} (attempt {})", r.sessionId(), r.deviceId(), sent.attempts());
            return sent;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Notification to {} failed: {}", r.deviceId(), e.getMessage());
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
     * A device opened a server-initiated session: the notification that asked for it is answered.
     *
     * @param deviceId the device
     * @param sessionId the SessionID of the session
     */
    public void sessionOpened(String deviceId, String sessionId) {
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
     * most times.
     *
     * @return how many were sent again
     */
    public int retry() {
        Instant limit = clock.instant().minus(retryAfter);
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
                next = d.isEmpty() ? r.with(NotificationState.FAILED, "device removed")
                        : send(r, d.get());
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
        List<NotificationRecord> out = new ArrayList<>();
        synchronized (records) {
            for (NotificationRecord r : records) {
                if (out.size() >= limit) {
                    break;
                }
                if (deviceId == null || r.deviceId().equals(deviceId)) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
