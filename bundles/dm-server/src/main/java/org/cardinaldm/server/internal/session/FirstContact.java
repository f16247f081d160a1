package org.cardinaldm.server.internal.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.cardinaldm.server.api.Job;
import org.cardinaldm.server.api.Operation;
import org.cardinaldm.server.api.ResultItem;
import org.cardinaldm.server.api.spi.DeviceRecord;
import org.cardinaldm.server.api.spi.ServerStore;
import org.cardinaldm.server.internal.SessionEngine.Provision;
import org.cardinaldm.server.internal.SessionEngine.Provisioner;
import org.cardinaldm.syncml.api.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-contact provisioning (RD use case 5.1.2): when a card-id URI is configured, the server first reads
 * the card id of an authenticated device (a Get of its own, before any job is claimed), records a card it was
 * not seen with, and asks the {@link Provisioner} for jobs for it, so that they are claimed with the device's
 * other jobs in the same session. One per engine; the per-session part is a {@link Probe}.
 */
public final class FirstContact {
    private static final Logger LOG = LoggerFactory.getLogger(FirstContact.class);

    private final ServerStore store;
    private final String cardIdUri;
    private volatile Provisioner provisioner = (device, card, previous) -> List.of();

    /**
     * @param store the registry
     * @param cardIdUri where devices keep their card id, or null to read none
     */
    public FirstContact(ServerStore store, String cardIdUri) {
        this.store = store;
        this.cardIdUri = cardIdUri;
    }

    /** @param value what to do when a device presents a card it was not seen with */
    public void provisioner(Provisioner value) {
        this.provisioner = Objects.requireNonNull(value, "provisioner");
    }

    /** Where the card-id read of one session is. */
    static final class Probe {
        private boolean sent;
        private boolean done;
    }

    /**
     * @param s the session
     * @return the read of the card id to send now, or null when it is not due (not configured, sent, done)
     */
    PendingOp due(ServerSession s) {
        Probe p = s.probe();
        if (cardIdUri == null || p.done) {
            return null;
        }
        if (!p.sent) {
            // learn the card first: a new one may bring provisioning jobs to claim with the others
            p.sent = true;
            return new PendingOp(JobLedger.PROBE, 0, Operation.get(cardIdUri), List.of());
        }
        p.done = true;
        return null;
    }

    /** The read got no answer: the session goes on without it. */
    void unanswered(ServerSession s) {
        s.probe().done = true;
    }

    /** The Status of the read: anything but 200 means the device has no card id. */
    void onStatus(ServerSession s, String key, int code) {
        if (code != StatusCodes.OK) {
            s.probe().done = true;
            s.jobs().dropExpectedResults(key);
            LOG.debug("Device {} has no card id ({})", s.deviceId(), code);
        }
    }

    /** The device told its card: a card it was not seen with is a first contact (RD use case 5.1.2). */
    void onResults(ServerSession s, List<ResultItem> items, Instant now) {
        s.jobs().forgetProbe();
        s.probe().done = true;
        String card = items.isEmpty() || items.get(0).value() == null ? "" : items.get(0).value().trim();
        DeviceRecord d = s.auth().device();
        if (card.isEmpty() || card.length() > 128 || d == null || card.equals(d.cardId())) {
            return;
        }
        String previous = d.cardId();
        DeviceRecord updated = store.updateDevice(s.deviceId(), r -> r.toBuilder().cardId(card).build()).orElse(d);
        s.auth().refresh(updated);
        LOG.info("Device {} presents card {} (before: {})", s.deviceId(), card, previous == null ? "none" : previous);
        List<Provision> provisions;
        try {
            provisions = provisioner.provision(updated.toDevice(), card, previous);
        } catch (RuntimeException e) {
            LOG.warn("First-contact provisioning of {} failed", s.deviceId(), e);
            return;
        }
        for (Provision p : provisions) {
            if (!p.operations().isEmpty()) {
                Job job = store.createJob(s.deviceId(), "first-contact provisioning (" + p.name() + ") for card " + card,
                        p.operations(), now);
                LOG.info("Job {} provisions {} with {} for card {}", job.id(), s.deviceId(), p.name(), card);
            }
        }
    }
}
