package org.cardinaldm.smartcard.dm.internal;

import java.time.Duration;
import java.util.Optional;

import org.cardinaldm.smartcard.api.CardHold;
import org.cardinaldm.smartcard.api.SmartCardException;

/**
 * The DM session of one inserted card, as the DM card service keeps it: the hold that keeps the card powered
 * (so that its {@code dm} state survives between the session's card operations) and the ServerID of the
 * server whose digest the card verified, which opened that state. Only that server's changes may use it: a
 * write by anyone else while it is open would ride on a proof that is not theirs. Thread-safe.
 */
final class SessionHold {
    /** Gets a hold of the card for a time. */
    @FunctionalInterface
    interface Holder {
        CardHold hold(Duration time) throws SmartCardException;
    }

    private CardHold hold;
    private String server;

    /**
     * The card verified {@code serverId}: remember it, and hold the card (or extend the hold) for {@code time}.
     *
     * @param serverId the ServerID the card verified
     * @param time how long the hold lasts without a card operation; zero for no hold
     * @param holder gets a new hold
     * @return true when a new hold was taken (the caller schedules the idle check)
     * @throws SmartCardException when the card cannot be held; the server stays remembered
     */
    synchronized boolean proven(String serverId, Duration time, Holder holder) throws SmartCardException {
        server = serverId;
        if (time.isZero() || (hold != null && hold.extend(time))) {
            return false;
        }
        hold = null;
        hold = holder.hold(time);
        return true;
    }

    /** A card operation ran: the hold lasts another {@code time}, or is dropped if it expired. */
    synchronized void touched(Duration time) {
        if (hold != null && !hold.extend(time)) {
            hold = null; // expired or the card went away
        }
    }

    /** @return the ServerID whose verification opened the card's dm state in this session, if any */
    synchronized Optional<String> server() {
        return Optional.ofNullable(server);
    }

    /** @return whether a hold was taken and not given back */
    synchronized boolean isHeld() {
        return hold != null;
    }

    /** @return whether the card is held right now */
    synchronized boolean isActive() {
        return hold != null && hold.isActive();
    }

    /**
     * The session ended: forget the server and give the hold back.
     *
     * @return whether a hold was given back
     */
    boolean end() {
        CardHold h;
        synchronized (this) {
            h = hold;
            hold = null;
            server = null;
        }
        if (h != null) {
            h.close();
            return true;
        }
        return false;
    }
}
