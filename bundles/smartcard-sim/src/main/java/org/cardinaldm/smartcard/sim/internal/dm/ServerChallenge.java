package org.cardinaldm.smartcard.sim.internal.dm;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import org.cardinaldm.smartcard.sim.internal.card.CardImage;

/**
 * The challenge the card chose for one DM server key (docs/smartcard-profile.md, A8.4): the nonce the device
 * gives the server as its next nonce, and the package-0 digests already presented for it. Kept in the card
 * image as applet data {@code dm.challenge.<key reference, 2 hex digits>}: the 16 challenge bytes, then 16
 * bytes per presented notification digest (at most {@value #MAX_SPENT}). Persisted with the command's commit,
 * so it survives power-off and a card pulled mid-command holds the old or the new value.
 *
 * <p>A value object over the image: read it with {@link #of}, change it, {@link #store} it before the commit.
 */
final class ServerChallenge {
    /** Length of a challenge. */
    static final int LENGTH = 16;
    /** Notification digests one challenge may absorb. */
    static final int MAX_SPENT = 8;
    private static final int DIGEST = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] challenge;
    private final byte[][] spent;

    private ServerChallenge(byte[] challenge, byte[][] spent) {
        this.challenge = challenge;
        this.spent = spent;
    }

    private static String name(int keyReference) {
        return String.format("dm.challenge.%02X", keyReference);
    }

    /**
     * @param image the card image
     * @param keyReference a server key
     * @return the pending challenge of that key, if there is one
     */
    static Optional<ServerChallenge> of(CardImage image, int keyReference) {
        Optional<byte[]> raw = image.appletData(name(keyReference));
        if (raw.isEmpty() || raw.get().length < LENGTH || (raw.get().length - LENGTH) % DIGEST != 0) {
            return Optional.empty();
        }
        byte[] b = raw.get();
        byte[][] spent = new byte[(b.length - LENGTH) / DIGEST][];
        for (int i = 0; i < spent.length; i++) {
            spent[i] = Arrays.copyOfRange(b, LENGTH + i * DIGEST, LENGTH + (i + 1) * DIGEST);
        }
        return Optional.of(new ServerChallenge(Arrays.copyOf(b, LENGTH), spent));
    }

    /** @return a new random challenge with no digest presented yet (not yet stored) */
    static ServerChallenge fresh() {
        byte[] c = new byte[LENGTH];
        RANDOM.nextBytes(c);
        return new ServerChallenge(c, new byte[0][]);
    }

    /**
     * Uses the key's challenge up (stored with the next commit).
     *
     * @param image the card image
     * @param keyReference the server key
     */
    static void consume(CardImage image, int keyReference) {
        image.putAppletData(name(keyReference), null);
    }

    /**
     * @param image the card image
     * @param keyReference the server key whose challenge this is (stored with the next commit)
     */
    void store(CardImage image, int keyReference) {
        byte[] b = Arrays.copyOf(challenge, LENGTH + spent.length * DIGEST);
        for (int i = 0; i < spent.length; i++) {
            System.arraycopy(spent[i], 0, b, LENGTH + i * DIGEST, DIGEST);
        }
        image.putAppletData(name(keyReference), b);
    }

    /** @return a copy of the challenge */
    byte[] challenge() {
        return challenge.clone();
    }

    /** @param nonce a nonce a command named @return whether it is this challenge */
    boolean is(byte[] nonce) {
        return MessageDigest.isEqual(challenge, nonce);
    }

    /** @param digest a digest @return whether it was presented as a package-0 digest for this challenge */
    boolean isSpent(byte[] digest) {
        boolean found = false;
        for (byte[] s : spent) {
            found |= MessageDigest.isEqual(s, digest);
        }
        return found;
    }

    /** @return whether no further notification digest can be recorded */
    boolean isFull() {
        return spent.length >= MAX_SPENT;
    }

    /**
     * @param digest a package-0 digest presented for this challenge
     * @return the challenge with that digest recorded
     */
    ServerChallenge spend(byte[] digest) {
        byte[][] next = Arrays.copyOf(spent, spent.length + 1);
        next[spent.length] = digest.clone();
        return new ServerChallenge(challenge, next);
    }
}
