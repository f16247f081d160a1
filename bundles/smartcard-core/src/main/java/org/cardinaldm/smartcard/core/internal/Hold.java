package org.cardinaldm.smartcard.core.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.cardinaldm.smartcard.api.CardHold;

/** One {@link CardHold}: active until closed, expired, or its card (insertion) or reader is gone. */
final class Hold implements CardHold {
    private final CardServiceImpl service;
    private final CardServiceImpl.ReaderEntry entry;
    private final long insertion;
    private ScheduledFuture<?> expiry;
    private boolean ended;

    Hold(CardServiceImpl service, CardServiceImpl.ReaderEntry entry, long insertion) {
        this.service = service;
        this.entry = entry;
        this.insertion = insertion;
    }

    CardServiceImpl.ReaderEntry entry() {
        return entry;
    }

    long insertion() {
        return insertion;
    }

    @Override
    public String reader() {
        return entry.name;
    }

    @Override
    public synchronized boolean isActive() {
        return !ended && !entry.gone && entry.insertion.get() == insertion;
    }

    @Override
    public boolean extend(Duration maxHold) {
        CardServiceImpl.requirePositive(maxHold);
        synchronized (this) {
            if (!isActive()) {
                return false;
            }
            if (expiry != null) {
                expiry.cancel(false);
            }
            expiry = service.scheduleExpiry(this, maxHold);
            return expiry != null;
        }
    }

    /** Sets the first expiry (before the hold is handed out). */
    synchronized void expireAfter(Duration maxHold) {
        expiry = service.scheduleExpiry(this, maxHold);
    }

    /** Marks the hold ended; @return whether this call ended it */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        return true;
    }

    @Override
    public void close() {
        service.endHold(this, "closed");
    }

    @Override
    public String toString() {
        return "CardHold[" + entry.name + (isActive() ? ", active" : ", ended") + "]";
    }
}
