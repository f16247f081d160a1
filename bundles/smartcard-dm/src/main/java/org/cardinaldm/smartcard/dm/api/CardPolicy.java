package org.cardinaldm.smartcard.dm.api;

import java.util.List;
import java.util.Objects;

/**
 * The card policy (Cardinal DODF object {@code <arc>.1.1}; OMA-RD-DM_SmartCard 6.1.4): whether the device
 * must ask the user before it takes provisioning data from the card, whether it connects to the DM server
 * on its own, and which DM servers may manage the card-resident data. Immutable.
 */
public final class CardPolicy {
    private static final CardPolicy DEFAULT = new CardPolicy(true, false, List.of());

    private final boolean userConfirmation;
    private final boolean autonomousConnection;
    private final List<String> allowedServers;

    private CardPolicy(boolean userConfirmation, boolean autonomousConnection, List<String> allowedServers) {
        this.userConfirmation = userConfirmation;
        this.autonomousConnection = autonomousConnection;
        this.allowedServers = allowedServers;
    }

    /**
     * @param userConfirmation the device SHALL ask the user before incorporating the card's provisioning data
     * @param autonomousConnection the device SHALL connect to the DM server on its own
     * @param allowedServers ServerIDs allowed to manage card-resident data; empty: any server the card authenticates
     * @return the policy
     */
    public static CardPolicy of(boolean userConfirmation, boolean autonomousConnection, List<String> allowedServers) {
        List<String> copy = List.copyOf(allowedServers);
        for (String s : copy) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("An allowed ServerID is empty");
            }
        }
        return new CardPolicy(userConfirmation, autonomousConnection, copy);
    }

    /**
     * The policy of a card that carries none: ask the user, do not connect on its own, no server restriction.
     * Failing safe: without a policy the device asks.
     *
     * @return the default policy
     */
    public static CardPolicy defaults() {
        return DEFAULT;
    }

    /** @return whether the device SHALL ask for user confirmation before incorporating card data */
    public boolean userConfirmation() {
        return userConfirmation;
    }

    /** @return whether the device SHALL establish the DM connection autonomously */
    public boolean autonomousConnection() {
        return autonomousConnection;
    }

    /** @return the ServerIDs allowed to manage card-resident data; empty means no restriction */
    public List<String> allowedServers() {
        return allowedServers;
    }

    /**
     * @param serverId a ServerID
     * @return whether that server may manage card-resident data (the card still authenticates it)
     */
    public boolean allows(String serverId) {
        return allowedServers.isEmpty() || allowedServers.contains(serverId);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CardPolicy)) {
            return false;
        }
        CardPolicy p = (CardPolicy) o;
        return userConfirmation == p.userConfirmation && autonomousConnection == p.autonomousConnection
                && allowedServers.equals(p.allowedServers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userConfirmation, autonomousConnection, allowedServers);
    }

    @Override
    public String toString() {
        return "CardPolicy[userConfirmation=" + userConfirmation + ", autonomousConnection=" + autonomousConnection
                + ", allowedServers=" + allowedServers + "]";
    }
}
