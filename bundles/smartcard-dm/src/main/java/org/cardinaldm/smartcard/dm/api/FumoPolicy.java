package org.cardinaldm.smartcard.dm.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The FUMO policy a card carries (Cardinal DODF object {@code <arc>.1.3}): whose signatures a firmware
 * package must bear, which DM servers may start an update, and the anti-rollback counter a package's
 * version counter must reach. Immutable.
 */
public final class FumoPolicy {
    private final List<String> trustedSigners;
    private final List<String> allowedServers;
    private final long antiRollbackCounter;

    private FumoPolicy(List<String> trustedSigners, List<String> allowedServers, long antiRollbackCounter) {
        this.trustedSigners = trustedSigners;
        this.allowedServers = allowedServers;
        this.antiRollbackCounter = antiRollbackCounter;
    }

    /**
     * @param trustedSigners SHA-256 of each trusted signer's SubjectPublicKeyInfo, 64 hex digits each
     * @param allowedServers ServerIDs allowed to start an update; empty: none restricted
     * @param antiRollbackCounter the lowest acceptable package version counter, 0 or more
     * @return the policy
     */
    public static FumoPolicy of(List<String> trustedSigners, List<String> allowedServers, long antiRollbackCounter) {
        List<String> signers = trustedSigners.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
        for (String s : signers) {
            if (!s.matches("[0-9A-F]{64}")) {
                throw new IllegalArgumentException("A trusted signer is a SHA-256 in hex (64 digits)");
            }
        }
        if (antiRollbackCounter < 0) {
            throw new IllegalArgumentException("The anti-rollback counter is negative");
        }
        return new FumoPolicy(signers, List.copyOf(allowedServers), antiRollbackCounter);
    }

    /** @return SHA-256 fingerprints (upper-case hex) of the trusted signers' public keys */
    public List<String> trustedSigners() {
        return trustedSigners;
    }

    /** @return ServerIDs allowed to start a firmware update; empty means no restriction */
    public List<String> allowedServers() {
        return allowedServers;
    }

    /** @return the lowest package version counter the device may install */
    public long antiRollbackCounter() {
        return antiRollbackCounter;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FumoPolicy)) {
            return false;
        }
        FumoPolicy p = (FumoPolicy) o;
        return trustedSigners.equals(p.trustedSigners) && allowedServers.equals(p.allowedServers)
                && antiRollbackCounter == p.antiRollbackCounter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(trustedSigners, allowedServers, antiRollbackCounter);
    }

    @Override
    public String toString() {
        return "FumoPolicy[signers=" + trustedSigners.size() + ", allowedServers=" + allowedServers
                + ", antiRollbackCounter=" + antiRollbackCounter + "]";
    }
}
