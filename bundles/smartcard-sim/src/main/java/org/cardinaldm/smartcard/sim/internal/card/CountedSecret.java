package org.cardinaldm.smartcard.sim.internal.card;

/**
 * What a {@link Pin} and a {@link CardKey} have in common: a reference and a retry counter that blocks the
 * secret at zero (ISO/IEC 7816-4 clause 11.5.6). The counter is decremented before a comparison and reset
 * after a successful one (see {@link SecurityCommands} on tear safety).
 */
public abstract class CountedSecret {
    private final int reference;
    private final int maxRetries;
    private int retries;

    /**
     * @param reference the reference, already checked by the subclass
     * @param maxRetries attempts before blocking, 1..15
     * @param retries attempts left, 0..maxRetries
     * @param what what the secret is, for the exception's message ("PIN", "Key")
     * @throws IllegalArgumentException if the counter is out of range
     */
    CountedSecret(int reference, int maxRetries, int retries, String what) {
        checkCounter(maxRetries, retries, what);
        this.reference = reference;
        this.maxRetries = maxRetries;
        this.retries = retries;
    }

    /**
     * @param max the retry limit
     * @param left attempts left
     * @param what what the counter belongs to, for the message
     * @throws IllegalArgumentException unless {@code max} is 1..15 and {@code left} 0..max
     */
    static void checkCounter(int max, int left, String what) {
        if (max < 1 || max > 15 || left < 0 || left > max) {
            throw new IllegalArgumentException(what + " retry counter must be 1..15 with 0..max left: " + left + "/" + max);
        }
    }

    /** @return the reference */
    public final int reference() {
        return reference;
    }

    /** @return attempts left before blocking */
    public final int retries() {
        return retries;
    }

    /** @return the retry limit */
    public final int maxRetries() {
        return maxRetries;
    }

    /** @return whether the secret is blocked */
    public final boolean isBlocked() {
        return retries == 0;
    }

    final void decrement() {
        if (retries > 0) {
            retries--;
        }
    }

    final void resetCounter() {
        retries = maxRetries;
    }
}
