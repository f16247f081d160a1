package org.cardinaldm.smartcard.bootstrap.internal;

/**
 * How many failed package-0 checks the card's server key may still absorb. A package 0 arrives unauthenticated
 * (UDP, SMS) and the client tries up to four nonces per notification; every wrong digest costs the card key a
 * try, and a blocked key locks the device out of its server. So after {@code limit} failures in a row the
 * provider refuses notifications without asking the card, until the server authenticates itself to the card
 * again (in a session, or with a right notification digest). Thread-safe.
 */
final class NotificationBudget {
    private final int limit;
    private int failures;

    /** @param limit failed checks allowed in a row, 0 or more */
    NotificationBudget(int limit) {
        this.limit = Math.max(0, limit);
    }

    /** @return whether the card may be asked once more */
    synchronized boolean tryAcquire() {
        return failures < limit;
    }

    /** @return true exactly when this failure used up the budget (to be logged once) */
    synchronized boolean failed() {
        failures++;
        return failures == limit;
    }

    /** The server proved itself to the card: the budget is full again. */
    synchronized void reset() {
        failures = 0;
    }

    /** @return the failures counted since the last reset */
    synchronized int failures() {
        return failures;
    }
}
