package org.cardinaldm.smartcard.bootstrap.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How many failed package-0 checks the card's server key may still absorb. A package 0 arrives unauthenticated
 * (UDP, SMS); the client checks it at most once per datagram, but every wrong digest costs the card key a try,
 * and a blocked key locks the device out of its server. So at most {@code limit} failures in a row reach the
 * card. They are split by sender (the bearer's source, e.g. {@code udp:<ip>}): senders that have delivered a
 * right notification to this card before ("proven", at most {@value #MAX_PROVEN} remembered) have
 * {@code limit / 2} of them reserved, all other senders share the rest. So a flood of forgeries from strangers
 * cannot keep the card from hearing its server, and no sender mix can block the key. Once a share is used up,
 * its senders are refused without asking the card until a server proves itself to the card again (in a
 * session, or with a right notification digest), which empties the failures. Changes are reported to a
 * listener (the provider keeps them in a file across restarts). Thread-safe.
 */
final class NotificationBudget {
    /** The most proven senders remembered per card. */
    static final int MAX_PROVEN = 16;

    private final int limit;
    private final Runnable changed;
    private int failures;
    private int strangerFailures;
    private final Set<String> proven = new LinkedHashSet<>();

    /** @param limit failed checks allowed in a row, 0 or more */
    NotificationBudget(int limit) {
        this(limit, () -> { });
    }

    /**
     * @param limit failed checks allowed in a row, 0 or more
     * @param changed told after every change (not under this object's lock)
     */
    NotificationBudget(int limit, Runnable changed) {
        this.limit = Math.max(0, limit);
        this.changed = changed;
    }

    /** @return whether the card may be asked once more, whoever asks */
    synchronized boolean tryAcquire() {
        return failures < limit;
    }

    /**
     * @param source the sender of a notification, empty when unknown
     * @return whether the card may be asked once more for that sender
     */
    synchronized boolean tryAcquire(String source) {
        if (failures >= limit) {
            return false;
        }
        return proven.contains(source) || strangerFailures < strangerShare();
    }

    /** @return true exactly when this failure used up the budget (to be logged once) */
    boolean failed() {
        return failed("");
    }

    /**
     * @param source the sender whose notification failed
     * @return true exactly when this failure used up a share of the budget (to be logged once)
     */
    boolean failed(String source) {
        boolean usedUp;
        synchronized (this) {
            failures++;
            boolean stranger = !proven.contains(source);
            if (stranger) {
                strangerFailures++;
            }
            usedUp = failures == limit || stranger && strangerFailures == strangerShare();
        }
        changed.run();
        return usedUp;
    }

    /** The server proved itself to the card: the budget is full again. */
    void reset() {
        synchronized (this) {
            if (failures == 0 && strangerFailures == 0) {
                return;
            }
            failures = 0;
            strangerFailures = 0;
        }
        changed.run();
    }

    /**
     * A right notification from that sender: the budget is full again and the sender is proven.
     *
     * @param source the sender, empty when unknown
     */
    void succeeded(String source) {
        synchronized (this) {
            failures = 0;
            strangerFailures = 0;
            if (source != null && !source.isEmpty()) {
                proven.remove(source);
                proven.add(source);
                while (proven.size() > MAX_PROVEN) {
                    proven.remove(proven.iterator().next());
                }
            }
        }
        changed.run();
    }

    /** @return the failures counted since the last reset */
    synchronized int failures() {
        return failures;
    }

    /** @return the failures of senders that are not proven, since the last reset */
    synchronized int strangerFailures() {
        return strangerFailures;
    }

    /** @return the proven senders, oldest first */
    synchronized List<String> proven() {
        return new ArrayList<>(proven);
    }

    /** Sets what a file remembered. */
    synchronized void restore(int failures, int strangerFailures, List<String> provenSources) {
        this.failures = Math.max(0, failures);
        this.strangerFailures = Math.max(0, Math.min(strangerFailures, this.failures));
        proven.clear();
        for (String s : provenSources) {
            if (proven.size() < MAX_PROVEN && !s.isEmpty()) {
                proven.add(s);
            }
        }
    }

    private int strangerShare() {
        return limit - limit / 2;
    }
}
