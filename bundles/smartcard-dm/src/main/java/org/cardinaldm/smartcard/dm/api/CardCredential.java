package org.cardinaldm.smartcard.dm.api;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A DM credential held by the card (Cardinal DODF object {@code <arc>.1.4}): for one DM server, either the
 * device's credential towards it ({@link Level#CLIENT}, DMAcc AAuthLevel {@code CLCRED}) or the server's
 * credential the device checks ({@link Level#SERVER}, {@code SRVCRED}). It names the key on the card, never
 * holds the secret. Immutable.
 */
public final class CardCredential {
    /** Whose credential it is. */
    public enum Level {
        /** The device authenticates to the server with it (CLCRED); the card computes the digest. */
        CLIENT,
        /** The server authenticates to the device with it (SRVCRED); the card checks the digest. */
        SERVER
    }

    private final String serverId;
    private final Level level;
    private final String authName;
    private final int keyReference;
    private final Set<DigestType> digests;

    private CardCredential(String serverId, Level level, String authName, int keyReference, Set<DigestType> digests) {
        this.serverId = serverId;
        this.level = level;
        this.authName = authName;
        this.keyReference = keyReference;
        this.digests = digests;
    }

    /**
     * @param serverId the DM server's ServerID
     * @param level whose credential
     * @param authName the AAuthName (user name; not secret)
     * @param keyReference the card key reference, 1..31
     * @param digests the digests the card computes with the key
     * @return the credential
     */
    public static CardCredential of(String serverId, Level level, String authName, int keyReference,
            Set<DigestType> digests) {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(authName, "authName");
        if (serverId.isEmpty()) {
            throw new IllegalArgumentException("ServerID is empty");
        }
        if (keyReference < 1 || keyReference > 31) {
            throw new IllegalArgumentException("Key reference must be 1..31: " + keyReference);
        }
        Set<DigestType> copy = digests.isEmpty() ? EnumSet.noneOf(DigestType.class) : EnumSet.copyOf(digests);
        return new CardCredential(serverId, level, authName, keyReference, Set.copyOf(copy));
    }

    /** @return the ServerID */
    public String serverId() {
        return serverId;
    }

    /** @return whose credential it is */
    public Level level() {
        return level;
    }

    /** @return the AAuthName */
    public String authName() {
        return authName;
    }

    /** @return the key reference on the card */
    public int keyReference() {
        return keyReference;
    }

    /** @return the digests the card computes with this key */
    public Set<DigestType> digests() {
        return digests;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CardCredential)) {
            return false;
        }
        CardCredential c = (CardCredential) o;
        return serverId.equals(c.serverId) && level == c.level && authName.equals(c.authName)
                && keyReference == c.keyReference && digests.equals(c.digests);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serverId, level, authName, keyReference, digests);
    }

    @Override
    public String toString() {
        return "CardCredential[" + serverId + " " + level + " " + authName + " key " + keyReference + " " + digests + "]";
    }
}
