package org.cardinaldm.smartcard.sim.internal.fumo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import org.cardinaldm.smartcard.sim.internal.card.CardImage;

/**
 * One update the card admitted (FUMO ADMIT), and what it authorised and committed for it, kept in the card image
 * as applet data {@code fumo.admission.<slot>} (at most {@value #SLOTS}), so that it survives power-off and the
 * device can run the update after the DM session ended. Encoding: state (1) | handle (8) | card nonce (16) |
 * sequence (4) | ServerID length (1) | ServerID (UTF-8) | [manifest SHA-256 (32) | security counter (8)], the
 * last two once authorised. Changed only inside a command, stored with its commit.
 *
 * @param slot the slot it is kept in
 * @param state {@link #ADMITTED}, {@link #AUTHORISED} or {@link #COMMITTED}
 * @param handle the reference the device presents (no secret)
 * @param nonce the card's nonce, bound into the authorisation
 * @param sequence the order of admissions (the oldest is replaced first)
 * @param serverId the server whose authenticated session admitted it
 * @param manifestSha256 the authorised manifest's SHA-256, or null
 * @param counter the authorised manifest's security counter, or -1
 */
record Admission(int slot, int state, byte[] handle, byte[] nonce, long sequence, String serverId, byte[] manifestSha256,
        long counter) {
    static final int ADMITTED = 1;
    static final int AUTHORISED = 2;
    static final int COMMITTED = 3;
    static final int SLOTS = 4;
    static final int HANDLE = 8;
    static final int NONCE = 16;
    private static final String SEQUENCE = "fumo.sequence";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static String name(int slot) {
        return "fumo.admission." + slot;
    }

    /**
     * Makes a new admission in a free slot, or in place of a committed one, or of the oldest (stored with the
     * command's commit).
     *
     * @param image the card image
     * @param serverId the admitted server
     * @return the admission
     */
    static Admission admit(CardImage image, String serverId) {
        int slot = -1;
        long oldest = Long.MAX_VALUE;
        boolean committedFound = false;
        for (int i = 0; i < SLOTS; i++) {
            Optional<Admission> a = of(image, i);
            if (a.isEmpty()) {
                slot = i;
                break;
            }
            boolean committed = a.get().state == COMMITTED;
            if (committed && !committedFound || committed == committedFound && a.get().sequence < oldest) {
                slot = i;
                oldest = a.get().sequence;
                committedFound |= committed;
            }
        }
        long sequence = image.appletData(SEQUENCE).filter(b -> b.length == 8).map(b -> ByteBuffer.wrap(b).getLong())
                .orElse(0L) + 1;
        image.putAppletData(SEQUENCE, ByteBuffer.allocate(8).putLong(sequence).array());
        byte[] handle = new byte[HANDLE];
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(handle);
        RANDOM.nextBytes(nonce);
        Admission a = new Admission(slot, ADMITTED, handle, nonce, sequence, serverId, null, -1);
        a.store(image);
        return a;
    }

    /** @return the admission kept in a slot, if a valid one is there */
    static Optional<Admission> of(CardImage image, int slot) {
        Optional<byte[]> raw = image.appletData(name(slot));
        if (raw.isEmpty() || raw.get().length < 30) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(raw.get());
        int state = b.get() & 0xFF;
        byte[] handle = new byte[HANDLE];
        byte[] nonce = new byte[NONCE];
        b.get(handle).get(nonce);
        long sequence = b.getInt() & 0xFFFFFFFFL;
        int n = b.get() & 0xFF;
        if (n > b.remaining()) {
            return Optional.empty();
        }
        byte[] server = new byte[n];
        b.get(server);
        byte[] sha = null;
        long counter = -1;
        if (state != ADMITTED) {
            if (b.remaining() != 40) {
                return Optional.empty();
            }
            sha = new byte[32];
            b.get(sha);
            counter = b.getLong();
        }
        return Optional.of(new Admission(slot, state, handle, nonce, sequence, new String(server, StandardCharsets.UTF_8),
                sha, counter));
    }

    /** @return the admission with that handle */
    static Optional<Admission> byHandle(CardImage image, byte[] handle) {
        for (int i = 0; i < SLOTS; i++) {
            Optional<Admission> a = of(image, i);
            if (a.isPresent() && MessageDigest.isEqual(a.get().handle, handle)) {
                return a;
            }
        }
        return Optional.empty();
    }

    /** @return the admission whose card nonce this is */
    static Optional<Admission> byNonce(CardImage image, byte[] nonce) {
        for (int i = 0; i < SLOTS; i++) {
            Optional<Admission> a = of(image, i);
            if (a.isPresent() && MessageDigest.isEqual(a.get().nonce, nonce)) {
                return a;
            }
        }
        return Optional.empty();
    }

    Admission authorised(byte[] sha256, long securityCounter) {
        return new Admission(slot, AUTHORISED, handle, nonce, sequence, serverId, sha256.clone(), securityCounter);
    }

    Admission committed() {
        return new Admission(slot, COMMITTED, handle, nonce, sequence, serverId, manifestSha256, counter);
    }

    void store(CardImage image) {
        byte[] server = serverId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(30 + server.length + (state == ADMITTED ? 0 : 40));
        b.put((byte) state).put(handle).put(nonce).putInt((int) sequence).put((byte) server.length).put(server);
        if (state != ADMITTED) {
            b.put(manifestSha256).putLong(counter);
        }
        image.putAppletData(name(slot), b.array());
    }

    static void forget(CardImage image, int slot) {
        image.putAppletData(name(slot), null);
    }

    /** Names the slot and the state only: no nonce, no handle. */
    @Override
    public String toString() {
        return "Admission[slot=" + slot + ", state=" + state + ", counter=" + counter + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Admission a && slot == a.slot && state == a.state && Arrays.equals(handle, a.handle)
                && Arrays.equals(nonce, a.nonce) && sequence == a.sequence && serverId.equals(a.serverId)
                && Arrays.equals(manifestSha256, a.manifestSha256) && counter == a.counter;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(handle);
    }
}
