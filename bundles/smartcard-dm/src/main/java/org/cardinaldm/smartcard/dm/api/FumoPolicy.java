package org.cardinaldm.smartcard.dm.api;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The FUMO policy a card carries (Cardinal DODF object {@code <arc>.1.3}, docs/smartcard-profile.md A5.2): whose
 * signatures a firmware package must bear, which DM servers may start an update, and the anti-rollback counter a
 * package's security counter must reach. Profile 1.2 adds the signer keys themselves (the card verifies with
 * them), the M-of-N threshold and the public key the card signs its authorisations with. Only the card changes
 * it (FUMO COMMIT, FUMO POLICY UPDATE); servers read it. Immutable.
 */
public final class FumoPolicy {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private final List<String> trustedSigners;
    private final List<String> allowedServers;
    private final long antiRollbackCounter;
    private final List<String> signerKeys;
    private final int threshold;
    private final String authorisationKey;

    private FumoPolicy(List<String> trustedSigners, List<String> allowedServers, long antiRollbackCounter,
            List<String> signerKeys, int threshold, String authorisationKey) {
        this.trustedSigners = trustedSigners;
        this.allowedServers = allowedServers;
        this.antiRollbackCounter = antiRollbackCounter;
        this.signerKeys = signerKeys;
        this.threshold = threshold;
        this.authorisationKey = authorisationKey;
    }

    /**
     * A profile 1.1 policy: signer hashes only, threshold 1, no authorisation key.
     *
     * @param trustedSigners SHA-256 of each trusted signer's SubjectPublicKeyInfo, 64 hex digits each
     * @param allowedServers ServerIDs allowed to start an update; empty: none restricted
     * @param antiRollbackCounter the lowest acceptable package version counter, 0 or more
     * @return the policy
     */
    public static FumoPolicy of(List<String> trustedSigners, List<String> allowedServers, long antiRollbackCounter) {
        return of(trustedSigners, allowedServers, antiRollbackCounter, List.of(), 1, null);
    }

    /**
     * A profile 1.2 policy.
     *
     * @param trustedSigners SHA-256 of each trusted signer's SubjectPublicKeyInfo, 64 hex digits each
     * @param allowedServers ServerIDs allowed to start an update; empty: none restricted
     * @param antiRollbackCounter the lowest acceptable package security counter, 0 or more
     * @param signerKeys the signers' DER SubjectPublicKeyInfo, in the order of {@code trustedSigners} (empty on a
     *        1.1 card)
     * @param threshold how many distinct trusted signers a firmware manifest needs (M of M-of-N), 1 or more
     * @param authorisationKey the DER SubjectPublicKeyInfo of the card's own FUMO authorisation key, or null
     * @return the policy
     * @since 1.2
     */
    public static FumoPolicy of(List<String> trustedSigners, List<String> allowedServers, long antiRollbackCounter,
            List<byte[]> signerKeys, int threshold, byte[] authorisationKey) {
        List<String> signers = trustedSigners.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
        for (String s : signers) {
            if (!s.matches("[0-9A-F]{64}")) {
                throw new IllegalArgumentException("A trusted signer is a SHA-256 in hex (64 digits)");
            }
        }
        if (antiRollbackCounter < 0) {
            throw new IllegalArgumentException("The anti-rollback counter is negative");
        }
        if (!signerKeys.isEmpty() && signerKeys.size() != signers.size()) {
            throw new IllegalArgumentException("A signer key is needed for each trusted signer");
        }
        if (threshold < 1) {
            throw new IllegalArgumentException("The threshold is at least 1");
        }
        List<String> keys = new ArrayList<>();
        signerKeys.forEach(k -> keys.add(HEX.formatHex(k)));
        return new FumoPolicy(signers, List.copyOf(allowedServers), antiRollbackCounter, List.copyOf(keys), threshold,
                authorisationKey == null ? null : HEX.formatHex(authorisationKey));
    }

    /** @return SHA-256 fingerprints (upper-case hex) of the trusted signers' public keys */
    public List<String> trustedSigners() {
        return trustedSigners;
    }

    /** @return ServerIDs allowed to start a firmware update; empty means no restriction */
    public List<String> allowedServers() {
        return allowedServers;
    }

    /** @return the lowest package security counter the device may install */
    public long antiRollbackCounter() {
        return antiRollbackCounter;
    }

    /**
     * @return copies of the signers' DER SubjectPublicKeyInfo, in the order of {@link #trustedSigners()}; empty on
     *         a profile 1.1 card
     * @since 1.2
     */
    public List<byte[]> signerKeys() {
        return signerKeys.stream().map(HEX::parseHex).toList();
    }

    /**
     * @return how many distinct trusted signers a firmware manifest needs (1 on a 1.1 card)
     * @since 1.2
     */
    public int threshold() {
        return threshold;
    }

    /**
     * @return the DER SubjectPublicKeyInfo of the key the card signs its FUMO authorisations with (profile 1.2)
     * @since 1.2
     */
    public Optional<byte[]> authorisationKey() {
        return Optional.ofNullable(authorisationKey).map(HEX::parseHex);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FumoPolicy p)) {
            return false;
        }
        return trustedSigners.equals(p.trustedSigners) && allowedServers.equals(p.allowedServers)
                && antiRollbackCounter == p.antiRollbackCounter && signerKeys.equals(p.signerKeys)
                && threshold == p.threshold && Objects.equals(authorisationKey, p.authorisationKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(trustedSigners, allowedServers, antiRollbackCounter, signerKeys, threshold, authorisationKey);
    }

    @Override
    public String toString() {
        return "FumoPolicy[signers=" + trustedSigners.size() + ", threshold=" + threshold + ", allowedServers="
                + allowedServers + ", antiRollbackCounter=" + antiRollbackCounter + "]";
    }
}
